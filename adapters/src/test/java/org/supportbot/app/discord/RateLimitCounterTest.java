package org.supportbot.app.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.supportbot.app.ops.OpsMetrics;

/** What the interceptor on JDA's HTTP client reports for each kind of answer from Discord's REST API. */
class RateLimitCounterTest {

  @Test
  void answersAreCountedOkOrRefusedAndA429OnlyAsRateLimited() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      int status = Integer.parseInt(exchange.getRequestURI().getPath().substring(1));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
    OpsMetrics metrics = new OpsMetrics();
    OkHttpClient client = RateLimitCounter.httpClient(metrics, DiscordSettings.REQUEST_TIMEOUT).build();
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    try {
      for (String status : new String[] {"200", "204", "404", "403", "429", "500"}) {
        try (Response r = client.newCall(new Request.Builder().url(base + status).build()).execute()) {
          assertThat(r.code()).isEqualTo(Integer.parseInt(status));
        }
      }
    } finally {
      server.stop(0);
    }
    assertThatThrownBy(() -> client.newCall(new Request.Builder().url(base + "200").build()).execute())
        .isInstanceOf(IOException.class);
    assertThat(metrics.answeredCount("discord", true)).isEqualTo(2);
    assertThat(metrics.answeredCount("discord", false)).as("404, 403, 500 and the refused connection").isEqualTo(4);
  }

  /**
   * The edge's 502 or 504 to a follow-up ({@code POST webhooks/{application}/{token}}, no nonce) may hide one that
   * was made: it reaches JDA as a lost answer, which JDA does not send again, not as a server error, which it
   * would; the same status to any other call is passed on as it came.
   */
  @Test
  void aGatewayErrorToAFollowUpIsALostAnswerAndToAnythingElseAnAnswer() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    java.util.concurrent.atomic.AtomicInteger posts = new java.util.concurrent.atomic.AtomicInteger();
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      posts.incrementAndGet();
      String[] path = exchange.getRequestURI().getPath().split("/");
      exchange.sendResponseHeaders(Integer.parseInt(path[path.length - 1].replaceAll("\\D", "")), -1);
      exchange.close();
    });
    server.start();
    OkHttpClient client = RateLimitCounter.httpClient(new OpsMetrics(), DiscordSettings.REQUEST_TIMEOUT).build();
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v10/";
    okhttp3.RequestBody body = okhttp3.RequestBody.create("{}", okhttp3.MediaType.get("application/json"));
    try {
      for (String status : new String[] {"502", "504"}) {
        assertThatThrownBy(() -> client.newCall(new Request.Builder().url(base + "webhooks/1/token-" + status)
            .post(body).build()).execute()).isInstanceOf(RateLimitCounter.AnswerLost.class)
            .hasMessageContaining(status);
        try (Response r = client.newCall(new Request.Builder().url(base + "channels/1/messages/x" + status).post(body)
            .build()).execute()) {
          assertThat(r.code()).as("a channel message carries a nonce; JDA may retry it").isEqualTo(Integer.parseInt(status));
        }
        try (Response r = client.newCall(new Request.Builder().url(base + "webhooks/1/token-" + status
            + "/messages/x" + status).get().build()).execute()) {
          assertThat(r.code()).isEqualTo(Integer.parseInt(status));
        }
      }
      try (Response r = client.newCall(new Request.Builder().url(base + "webhooks/1/token-500").post(body).build())
          .execute()) {
        assertThat(r.code()).as("Discord's own 500 says the follow-up was not made").isEqualTo(500);
      }
    } finally {
      server.stop(0);
    }
    assertThat(posts.get()).as("each request sent once by the client").isEqualTo(7);
  }

  /** Which failures may hide a call Discord carried out: those after the request went out, not before. */
  @Test
  void anAnswerIsLostWhenTheCallWentOutAndNoAnswerCame() {
    assertThat(DiscordAdapter.answerLost(new RuntimeException(new java.net.SocketTimeoutException("timeout"))))
        .as("read timeout").isTrue();
    assertThat(DiscordAdapter.answerLost(new RuntimeException(new IOException("unexpected end of stream"))))
        .as("connection broken before the answer").isTrue();
    assertThat(DiscordAdapter.answerLost(new RuntimeException(new RateLimitCounter.AnswerLost(504))))
        .as("the edge lost the answer").isTrue();
    assertThat(DiscordAdapter.answerLost(new RuntimeException(new java.net.SocketTimeoutException("Connect timed out"))))
        .as("connect timeout: nothing sent").isFalse();
    assertThat(DiscordAdapter.answerLost(new RuntimeException(new java.net.ConnectException("Connection refused"))))
        .as("refused connection: nothing sent").isFalse();
    assertThat(DiscordAdapter.answerLost(new IllegalStateException("Discord answered 404"))).as("an answer").isFalse();
  }
}
