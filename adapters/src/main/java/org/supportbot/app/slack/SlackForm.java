package org.supportbot.app.slack;

import com.google.gson.Gson;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.impl.MethodsClientImpl;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.chat.ChatPostEphemeralResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import com.slack.api.methods.response.views.ViewsOpenResponse;
import com.slack.api.util.json.GsonFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The desk's hot Web API calls ({@code chat.postMessage}, {@code chat.postEphemeral}, {@code chat.update},
 * {@code views.open}) with their form encoded here and sent on the Slack SDK's own HTTP client (its timeouts and
 * connection pool), the answer parsed into the SDK's response types. The SDK's typed methods encode each value
 * through OkHttp's {@code FormBody}, which canonicalizes the text one code point at a time (and, as already
 * encoded, still looks each character up in its encode set), and build a new Gson for every answer: with a
 * message's {@code blocks} JSON that was a third of the bot's CPU at 500 requests/s. Here each value is
 * percent-encoded in one pass over its UTF-8 bytes and one Gson parses every answer. The request on the wire
 * is the form the SDK sends; a non-2xx answer is a {@link SlackApiException}, as from the SDK.
 */
final class SlackForm {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

  private final MethodsClient api;
  private final String token;
  private final OkHttpClient http;
  private final Gson gson;

  /** @param api the SDK's own client ({@code Slack.methods(token)}), whose HTTP client and settings are used */
  SlackForm(MethodsClient api, String token) {
    this.api = Objects.requireNonNull(api, "api");
    this.token = Objects.requireNonNull(token, "token");
    if (!(api instanceof MethodsClientImpl impl)) {
      throw new IllegalArgumentException("the Slack SDK's own methods client is needed, got " + api.getClass().getName());
    }
    this.http = impl.getSlackHttpClient().getOkHttpClient();
    this.gson = GsonFactory.createSnakeCase(impl.getSlackHttpClient().getConfig());
  }

  ViewsOpenResponse openView(String triggerId, String view) throws IOException, SlackApiException {
    return post("views.open", ViewsOpenResponse.class, "trigger_id", triggerId, "view", view);
  }

  ChatPostMessageResponse postMessage(String channel, Optional<String> thread, String text, String blocks,
      Optional<Long> outboxId) throws IOException, SlackApiException {
    return post("chat.postMessage", ChatPostMessageResponse.class, "channel", channel, "text", text, "blocks", blocks,
        "unfurl_links", "false", "thread_ts", thread.orElse(null), "metadata", outboxId.map(id
            -> "{\"event_type\":\"" + SlackChatGateway.EVENT_TYPE + "\",\"event_payload\":{\"outbox_id\":\"" + id + "\"}}")
            .orElse(null));
  }

  ChatPostEphemeralResponse postEphemeral(String channel, Optional<String> thread, String user, String text,
      String blocks) throws IOException, SlackApiException {
    return post("chat.postEphemeral", ChatPostEphemeralResponse.class, "channel", channel, "user", user, "text", text,
        "blocks", blocks, "thread_ts", thread.orElse(null));
  }

  ChatUpdateResponse update(String channel, String ts, String text, String blocks) throws IOException,
      SlackApiException {
    return post("chat.update", ChatUpdateResponse.class, "channel", channel, "ts", ts, "text", text, "blocks", blocks);
  }

  /** Posts the given names and values (a null value is left out) with the bot token; Slack's answer parsed. */
  private <T extends SlackApiTextResponse> T post(String method, Class<T> type, String... namesAndValues)
      throws IOException, SlackApiException {
    StringBuilder body = new StringBuilder(256);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] != null) {
        body.append(body.isEmpty() ? "" : "&").append(namesAndValues[i]).append('=')
            .append(encode(namesAndValues[i + 1]));
      }
    }
    Request request = new Request.Builder().url(api.getEndpointUrlPrefix() + method)
        .header("Authorization", "Bearer " + token)
        .post(RequestBody.create(body.toString().getBytes(StandardCharsets.US_ASCII), FORM)).build();
    try (Response response = http.newCall(request).execute()) {
      String text = response.body() == null ? "" : response.body().string();
      if (!response.isSuccessful()) {
        throw new SlackApiException(response, text);
      }
      return gson.fromJson(text, type);
    }
  }

  /**
   * Percent-encodes {@code value} for an {@code application/x-www-form-urlencoded} body: letters, digits and
   * {@code - . _ *} stay, every other byte of its UTF-8 form becomes {@code %XX} (a space too, never {@code +}),
   * so that OkHttp finds nothing left to encode.
   */
  static String encode(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    int extra = 0;
    for (byte b : bytes) {
      if (!plain(b)) {
        extra += 2;
      }
    }
    if (extra == 0) {
      return value;
    }
    byte[] out = new byte[bytes.length + extra];
    int j = 0;
    for (byte b : bytes) {
      if (plain(b)) {
        out[j++] = b;
      } else {
        out[j++] = '%';
        out[j++] = HEX[(b >> 4) & 0xF];
        out[j++] = HEX[b & 0xF];
      }
    }
    return new String(out, StandardCharsets.US_ASCII);
  }

  private static boolean plain(byte b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' || b == '.'
        || b == '_' || b == '*';
  }
}
