package org.supportbot.app.slack;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the shape of a signed Slack request before Bolt sees it, so that every request gets a
 * deliberate answer: a malformed one a 400 with a reason (Bolt would throw, close the connection or
 * answer 500, and Slack would retry), one the desk has no use for ({@code app_rate_limited}, an
 * interactivity type it never asked for) a 200 without going through Bolt (whose fallback logs the
 * whole body, legacy verification token included), and the rest is passed on.
 *
 * <p>Only the fields the adapter reads are required: a slash command's command, user, channel and
 * trigger; an interactivity payload's user and what it acts on; an event's id, type, and for
 * message events the channel and a well-formed {@code ts}. Reasons name the field, never its value,
 * so they can be logged.
 */
final class SlackRequestShape {

  /** What to do with a request. */
  sealed interface Verdict permits Pass, Ignore, Malformed {}

  /** Hand it to Bolt. */
  record Pass(String kind) implements Verdict {}

  /** Answer 200 and do nothing: Slack's and well-formed, but nothing the desk acts on. */
  record Ignore(String kind) implements Verdict {}

  /** Answer 400 with {@code reason}. */
  record Malformed(String reason) implements Verdict {}

  /** A Slack message timestamp: seconds, a dot and a sequence, e.g. {@code 1764000000.000100}. */
  static final Pattern TS = Pattern.compile("\\d{1,12}\\.\\d{1,9}");

  /** Interactivity payload types Bolt routes and the desk may or may not handle; other types are ignored. */
  private static final Set<String> ROUTED = Set.of("block_actions", "view_submission", "view_closed", "message_action",
      "shortcut", "block_suggestion", "interactive_message", "dialog_submission", "dialog_cancellation",
      "dialog_suggestion", "workflow_step_edit");

  private final ObjectMapper json = new ObjectMapper();

  /** The verdict on a body whose signature has been verified. */
  Verdict check(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      return new Malformed("the body is empty");
    }
    if (text.startsWith("{") || text.startsWith("[")) {
      return readObject(text, "the body", SlackRequestShape::eventsApi);
    }
    Map<String, String> form = form(text);
    if (form.containsKey("payload")) {
      return readObject(form.get("payload"), "payload", SlackRequestShape::interactive);
    }
    if (form.containsKey("command")) {
      return command(form);
    }
    if (form.containsKey("ssl_check")) {
      return new Pass("ssl_check");
    }
    return new Malformed("the body is neither JSON nor a form with command or payload");
  }

  /** {@code text} read as a JSON object and handed to {@code then}; Malformed, naming {@code what}, if it is not one. */
  private Verdict readObject(String text, String what, Function<JsonNode, Verdict> then) {
    JsonNode node;
    try {
      node = json.readTree(text);
    } catch (JacksonException e) {
      return new Malformed(what + " is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      return new Malformed(what + " is a JSON " + kind(node) + ", not an object");
    }
    return then.apply(node);
  }

  private static Verdict eventsApi(JsonNode root) {
    String type = root.path("type").asText("");
    if (!root.path("type").isTextual() || type.isBlank()) {
      return new Malformed("the JSON body has no \"type\"");
    }
    return switch (type) {
      case "url_verification" -> root.path("challenge").isTextual() ? new Pass(type)
          : new Malformed("url_verification has no \"challenge\"");
      case "event_callback" -> event(root);
      default -> new Ignore(type); // app_rate_limited and envelopes the desk does not subscribe to
    };
  }

  private static Verdict event(JsonNode root) {
    JsonNode e = root.path("event");
    if (!e.isObject()) {
      return new Malformed("event_callback has no \"event\" object");
    }
    if (!text(root, "event_id")) {
      return new Malformed("event_callback has no \"event_id\"");
    }
    if (!text(e, "type")) {
      return new Malformed("the event has no \"type\"");
    }
    String type = e.path("type").asText();
    if (!type.equals("message")) {
      return new Pass("event " + type);
    }
    String subtype = e.path("subtype").asText("");
    String kind = "message" + (subtype.isEmpty() ? "" : " " + subtype);
    if (!text(e, "channel")) {
      return new Malformed(kind + " event has no \"channel\"");
    }
    for (String field : new String[] {"ts", "thread_ts", "event_ts"}) {
      if (e.has(field) && !e.get(field).isNull() && !TS.matcher(e.get(field).asText()).matches()) {
        return new Malformed(kind + " event's \"" + field + "\" is not a Slack timestamp (digits.digits)");
      }
    }
    if (!e.has("ts")) {
      return new Malformed(kind + " event has no \"ts\"");
    }
    return new Pass(kind);
  }

  private static Verdict interactive(JsonNode p) {
    if (!text(p, "type")) {
      return new Malformed("payload has no \"type\"");
    }
    String type = p.path("type").asText();
    if (!ROUTED.contains(type)) {
      return new Ignore(type);
    }
    if (!text(p.path("user"), "id")) {
      return new Malformed(type + " payload has no \"user\" with an \"id\"");
    }
    switch (type) {
      case "block_actions" -> {
        JsonNode actions = p.path("actions");
        if (!actions.isArray() || actions.isEmpty()) {
          return new Malformed("block_actions payload has no \"actions\"");
        }
        for (JsonNode a : actions) {
          if (!text(a, "action_id")) {
            return new Malformed("block_actions payload has an action without \"action_id\"");
          }
        }
        if (!text(p.path("channel"), "id") && !p.path("view").isObject()) {
          return new Malformed("block_actions payload has neither a \"channel\" nor a \"view\"");
        }
        JsonNode c = p.path("container");
        for (String field : new String[] {"message_ts", "thread_ts"}) {
          if (c.hasNonNull(field) && !TS.matcher(c.get(field).asText()).matches()) {
            return new Malformed("block_actions container's \"" + field + "\" is not a Slack timestamp");
          }
        }
      }
      case "view_submission", "view_closed" -> {
        JsonNode view = p.path("view");
        if (!text(view, "id") || !view.path("callback_id").isTextual()) {
          return new Malformed(type + " payload has no \"view\" with an \"id\" and a \"callback_id\"");
        }
      }
      case "message_action" -> {
        if (!text(p, "callback_id") || !text(p, "trigger_id")) {
          return new Malformed("message_action payload has no \"callback_id\" or \"trigger_id\"");
        }
        if (!text(p.path("channel"), "id")) {
          return new Malformed("message_action payload has no \"channel\" with an \"id\"");
        }
        if (!TS.matcher(p.path("message").path("ts").asText("")).matches()) {
          return new Malformed("message_action payload has no \"message\" with a Slack timestamp \"ts\"");
        }
      }
      default -> { }
    }
    return new Pass(type);
  }

  private static Verdict command(Map<String, String> form) {
    for (String field : new String[] {"command", "user_id", "channel_id", "trigger_id"}) {
      if (form.getOrDefault(field, "").isBlank()) {
        return new Malformed("slash command has no \"" + field + "\"");
      }
    }
    return new Pass("command");
  }

  private static boolean text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isTextual() && !v.asText().isBlank();
  }

  private static String kind(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      try {
        out.putIfAbsent(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        out.putIfAbsent("", ""); // a broken %-escape: the field is unreadable, the rest may still be checked
      }
    }
    return out;
  }
}
