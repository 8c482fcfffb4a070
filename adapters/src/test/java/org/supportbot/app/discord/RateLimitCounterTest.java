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
    OkHttpClient client = RateLimitCounter.httpClient(metrics).build();
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
}
