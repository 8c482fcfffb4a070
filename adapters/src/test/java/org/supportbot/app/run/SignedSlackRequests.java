package org.supportbot.app.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.supportbot.app.slack.RecordingSlackApi;
import org.supportbot.app.slack.SlackRequestVerifier;

/**
 * Signed Slack requests to the HTTP endpoint of a {@code run} under test: a contact's {@code /support} and the
 * intake modal's submission of a P1 Beacon case in {@link RecordingSlackApi}'s workspace.
 */
final class SignedSlackRequests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String secret;
  private final Clock clock;

  SignedSlackRequests(HttpClient http, String secret, Clock clock) {
    this.http = http;
    this.secret = secret;
    this.clock = clock;
  }

  /** Posts {@code body} to {@code /slack/events} at {@code endpoint}, signed as Slack signs it at the clock's instant. */
  HttpResponse<String> post(InetSocketAddress endpoint, String contentType, String body) throws Exception {
    String ts = Long.toString(clock.instant().getEpochSecond());
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.getPort() + "/slack/events"))
        .header("Content-Type", contentType)
        .header("X-Slack-Request-Timestamp", ts)
        .header("X-Slack-Signature", new SlackRequestVerifier(secret, clock).signatureFor(ts, bytes))
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A slash command by the contact U0ANA in the bound channel C0ACME. */
  static String slashCommand(String command, String trigger) {
    return form(Map.of("team_id", RecordingSlackApi.TEAM, "channel_id", "C0ACME", "user_id", "U0ANA", "command",
        command, "text", "", "api_app_id", "A0APP", "trigger_id", trigger, "response_url",
        "http://127.0.0.1:9/commands/" + trigger));
  }

  /** The intake modal submitted by U0ANA with every answer of a P1 Beacon incident. */
  static String viewSubmission(String metadata) {
    ObjectNode p = JSON.createObjectNode().put("type", "view_submission");
    p.putObject("team").put("id", RecordingSlackApi.TEAM).put("domain", "vendor");
    p.putObject("user").put("id", "U0ANA").put("username", "ana").put("team_id", RecordingSlackApi.TEAM);
    p.put("api_app_id", "A0APP").put("trigger_id", "7000.1.run");
    ObjectNode view = p.putObject("view").put("id", "V0RUN1").put("team_id", RecordingSlackApi.TEAM)
        .put("type", "modal").put("callback_id", "intake").put("private_metadata", metadata);
    view.putArray("blocks");
    ObjectNode values = view.putObject("state").putObject("values");
    Map.of("product", "Beacon", "version", "3.2.1", "description",
        "The Beacon agent fails to start with BCN-4012: connection refused on every server", "expected_result",
        "the agent starts", "steps_to_reproduce", "systemctl start beacon-agent", "error_messages",
        "BCN-4012: connection refused", "users_affected", "all", "business_impact",
        "nothing is monitored, no workaround").forEach((id, v) -> values.putObject(id).putObject(id)
        .put("type", "plain_text_input").put("value", v));
    Map.of("category", "incident", "reproducible", "yes", "severity", "P1").forEach((id, v) -> {
      ObjectNode s = values.putObject(id).putObject(id).put("type", "static_select");
      s.putObject("selected_option").put("value", v).putObject("text").put("type", "plain_text").put("text", v);
    });
    p.putArray("response_urls");
    return "payload=" + URLEncoder.encode(p.toString(), StandardCharsets.UTF_8);
  }

  private static String form(Map<String, String> fields) {
    StringBuilder b = new StringBuilder();
    fields.forEach((k, v) -> b.append(b.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
        .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return b.toString();
  }
}
