package org.supportbot.bench.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's requests to an app as the harness sends them: slash commands (form-encoded), interactions
 * ({@code payload=} JSON) and Events API deliveries (JSON), each signed with the signing secret the
 * way Slack signs them ({@code v0=} HMAC-SHA256 of {@code v0:timestamp:body}).
 */
final class SignedSlack {
  private final URI endpoint;
  private final byte[] secret;
  private final ObjectMapper json = new ObjectMapper();
  private final java.time.Clock clock;

  /** Requests signed and stamped at {@code clock}'s time (Slack's verifier refuses timestamps 5 minutes off). */
  SignedSlack(URI endpoint, String secret, java.time.Clock clock) {
    this.clock = clock;
    this.endpoint = endpoint;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  /** A person in a workspace. */
  record Person(String team, String user) {}

  HttpRequest slash(Person who, String channel, String command, String text, String trigger) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("token", "legacy-verification-token");
    f.put("team_id", who.team());
    f.put("team_domain", "vendor");
    f.put("channel_id", channel);
    f.put("channel_name", "support");
    f.put("user_id", who.user());
    f.put("user_name", who.user().toLowerCase());
    f.put("command", command);
    f.put("text", text);
    f.put("api_app_id", "A0APP");
    f.put("is_enterprise_install", "false");
    f.put("response_url", "http://127.0.0.1:9/commands/" + trigger);
    f.put("trigger_id", trigger);
    return signed("application/x-www-form-urlencoded", form(f));
  }

  HttpRequest viewSubmission(Person who, String viewId, String privateMetadata, Map<String, String> typed,
      Map<String, String> selected) {
    ObjectNode p = json.createObjectNode().put("type", "view_submission");
    p.putObject("team").put("id", FakeSlackWebApi.TEAM).put("domain", "vendor");
    user(p, who);
    p.put("api_app_id", "A0APP").put("token", "legacy-verification-token").put("trigger_id", "7000.1." + viewId);
    ObjectNode view = p.putObject("view").put("id", viewId).put("team_id", FakeSlackWebApi.TEAM).put("type", "modal")
        .put("callback_id", "intake").put("private_metadata", privateMetadata).put("hash", "1764000000.abc")
        .put("app_id", "A0APP").put("bot_id", "B0BOT");
    view.putObject("title").put("type", "plain_text").put("text", "Support request");
    view.putArray("blocks");
    ObjectNode values = view.putObject("state").putObject("values");
    typed.forEach((id, v) -> values.putObject(id).putObject(id).put("type", "plain_text_input").put("value", v));
    selected.forEach((id, v) -> {
      ObjectNode s = values.putObject(id).putObject(id).put("type", "static_select");
      s.putObject("selected_option").put("value", v).putObject("text").put("type", "plain_text").put("text", v);
    });
    p.putArray("response_urls");
    return signed("application/x-www-form-urlencoded", form(Map.of("payload", p.toString())));
  }

  HttpRequest button(Person who, String channel, String messageTs, String actionId, String value, String trigger) {
    ObjectNode p = json.createObjectNode().put("type", "block_actions");
    user(p, who);
    p.put("api_app_id", "A0APP").put("token", "legacy-verification-token").put("trigger_id", trigger);
    p.putObject("container").put("type", "message").put("message_ts", messageTs).put("channel_id", channel)
        .put("is_ephemeral", false);
    p.putObject("team").put("id", FakeSlackWebApi.TEAM).put("domain", "vendor");
    p.putObject("channel").put("id", channel).put("name", "support");
    p.put("response_url", "http://127.0.0.1:9/actions/" + trigger);
    ObjectNode a = p.putArray("actions").addObject().put("action_id", actionId).put("block_id", "b1")
        .put("value", value).put("type", "button").put("action_ts", messageTs);
    a.putObject("text").put("type", "plain_text").put("text", "Claim");
    return signed("application/x-www-form-urlencoded", form(Map.of("payload", p.toString())));
  }

  /** A message in a Slack Connect channel from a person of another team, optionally in a thread. */
  HttpRequest message(String eventId, Person who, String channel, String ts, String threadTs, String text) {
    ObjectNode p = json.createObjectNode().put("token", "legacy-verification-token").put("team_id", who.team())
        .put("context_team_id", FakeSlackWebApi.TEAM).put("api_app_id", "A0APP").put("type", "event_callback")
        .put("event_id", eventId).put("event_time", clock.instant().getEpochSecond())
        .put("is_ext_shared_channel", true);
    ObjectNode e = p.putObject("event").put("type", "message").put("channel", channel).put("user", who.user())
        .put("text", text).put("ts", ts).put("team", who.team()).put("user_team", who.team())
        .put("source_team", who.team()).put("channel_type", "channel").put("event_ts", ts);
    if (threadTs != null) {
      e.put("thread_ts", threadTs);
    }
    p.putArray("authorizations").addObject().putNull("enterprise_id").put("team_id", FakeSlackWebApi.TEAM)
        .put("user_id", FakeSlackWebApi.BOT_USER).put("is_bot", true).put("is_enterprise_install", false);
    return signed("application/json", p.toString());
  }

  private static void user(ObjectNode p, Person who) {
    p.putObject("user").put("id", who.user()).put("username", who.user().toLowerCase()).put("name",
        who.user().toLowerCase()).put("team_id", who.team());
  }

  private HttpRequest signed(String contentType, String body) {
    String ts = Long.toString(clock.instant().getEpochSecond());
    return HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
        .header("X-Slack-Request-Timestamp", ts).header("X-Slack-Signature", signature(ts, body))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private String signature(String ts, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return "v0=" + HexFormat.of().formatHex(mac.doFinal(("v0:" + ts + ":" + body).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String form(Map<String, String> f) {
    return f.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
  }
}
