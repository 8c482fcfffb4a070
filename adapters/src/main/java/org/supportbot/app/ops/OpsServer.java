package org.supportbot.app.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' endpoint on the JDK's HTTP server: {@code GET /metrics} (Prometheus text format) and
 * {@code GET /health} (JSON; 200 when healthy, 503 otherwise). {@code HEAD} answers the same without
 * a body. Any other path is 404, any other method 405 with {@code Allow}; requests change nothing.
 */
public final class OpsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
  /** The content type of Prometheus' text exposition format. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String JSON = "application/json";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final OpsMetrics metrics;
  private final HealthCheck health;

  /** Binds {@code bind} (port 0 picks a free one) and starts serving. */
  public static OpsServer start(InetSocketAddress bind, OpsMetrics metrics, HealthCheck health) throws IOException {
    OpsServer s = new OpsServer(bind, metrics, health);
    s.server.start();
    return s;
  }

  private OpsServer(InetSocketAddress bind, OpsMetrics metrics, HealthCheck health) throws IOException {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.health = Objects.requireNonNull(health, "health");
    this.server = HttpServer.create(bind, 16);
    server.setExecutor(executor);
    server.createContext("/", this::serve);
  }

  /** The bound address, with the real port when 0 was asked for. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      boolean known = path.equals("/metrics") || path.equals("/health");
      if (!known) {
        send(exchange, 404, JSON, "{\"error\":\"not found\",\"paths\":[\"/health\",\"/metrics\"]}", false);
        return;
      }
      boolean head = method.equals("HEAD");
      if (!method.equals("GET") && !head) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, JSON, "{\"error\":\"method " + (method.matches("[A-Z]{1,10}") ? method : "?")
            + " not allowed; use GET\"}", false);
        return;
      }
      if (path.equals("/metrics")) {
        send(exchange, 200, PROMETHEUS_TEXT, metrics.scrape(), head);
      } else {
        HealthCheck.Report r = health.check();
        send(exchange, r.healthy() ? 200 : 503, JSON, r.json(), head);
      }
    } catch (RuntimeException e) {
      LOG.error("ops: answering a request failed", e);
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body, boolean head)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (head) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(1);
    executor.shutdown();
  }
}
