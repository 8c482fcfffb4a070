package org.supportbot.app.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.bolt.App;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.SlackRequestParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack's HTTP mode on the JDK's own HTTP server: every POST to {@code path} is checked by
 * {@link SlackRequestVerifier} on its byte-exact body (401 with a JSON error when it fails) and only
 * then read by {@link SlackRequestShape}: a malformed request gets a 400 with the reason, one the desk
 * has no use for a 200, and the rest goes to Bolt. Bodies are never logged (they carry Slack's legacy
 * verification token and what customers typed). {@code GET /health} answers for load balancers and
 * operators.
 */
public final class SlackHttpEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SlackHttpEndpoint.class);

  /** Slack's payloads are small; anything larger than this is refused unread. */
  static final int MAX_BODY = 1 << 20;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final App app;
  private final SlackRequestVerifier verifier;
  private final SlackRequestParser parser;
  private final String path;
  private final SlackRequestShape shapes = new SlackRequestShape();
  private static final ObjectMapper JSON = new ObjectMapper();
  private volatile boolean serving;

  /**
   * Binds (but does not start) the endpoint.
   *
   * @param bind where to listen; port 0 picks a free port
   * @param path the Request URL path configured for the Slack app, e.g. {@code /slack/events}
   * @param health the body of {@code GET /health}, a JSON object
   */
  public SlackHttpEndpoint(App app, SlackRequestVerifier verifier, InetSocketAddress bind, String path,
      Supplier<String> health) throws IOException {
    this.app = Objects.requireNonNull(app, "app");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.path = Objects.requireNonNull(path, "path");
    Objects.requireNonNull(health, "health");
    this.parser = new SlackRequestParser(app.config());
    // a deep accept queue: a burst of Slack's deliveries waits to be read instead of being refused
    this.server = HttpServer.create(bind, 1024);
    server.setExecutor(executor);
    server.createContext(path, this::slack);
    server.createContext("/health", exchange -> {
      try (exchange) {
        if (!exchange.getRequestMethod().equals("GET")) {
          send(exchange, 405, "application/json", "{\"error\":\"use GET\"}", Map.of());
          return;
        }
        send(exchange, 200, "application/json", health.get(), Map.of());
      }
    });
  }

  /** Starts serving and the Bolt app. */
  public SlackHttpEndpoint start() {
    app.start();
    server.start();
    serving = true;
    return this;
  }

  /** The bound address, with the real port when 0 was asked for. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Whether the endpoint takes requests: started and not closing. */
  public boolean serving() {
    return serving;
  }

  /**
   * Stops taking requests and waits (up to 5 s) for the exchanges under way to be answered; their
   * work for the desk is already queued on the adapter's executor.
   */
  @Override
  public void close() {
    serving = false;
    server.stop(5);
    executor.shutdown();
  }

  private void slack(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        answer(exchange);
      } catch (RuntimeException e) {
        // every request gets an answer; the exception's message may quote the payload and is not logged
        LOG.error("slack: answering a request failed: {}", e.getClass().getName());
        send(exchange, 500, "application/json", "{\"error\":\"internal error\"}", Map.of());
      }
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("POST")) {
      send(exchange, 405, "application/json", "{\"error\":\"Slack requests are POSTs\"}", Map.of());
      return;
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      send(exchange, 413, "application/json", "{\"error\":\"request body larger than " + MAX_BODY + " bytes\"}",
          Map.of());
      return;
    }
    var headers = exchange.getRequestHeaders();
    SlackRequestVerifier.Verdict verdict = verifier.verify(headers.getFirst("X-Slack-Request-Timestamp"),
        headers.getFirst("X-Slack-Signature"), body);
    if (verdict instanceof SlackRequestVerifier.Rejected r) {
      LOG.info("slack: refused a request from {}: {}", exchange.getRemoteAddress().getAddress().getHostAddress(),
          r.reason());
      send(exchange, 401, "application/json", "{\"error\":\"invalid request\",\"reason\":\"" + r.reason() + "\"}",
          Map.of());
      return;
    }
    SlackRequestShape.Verdict shape = shapes.check(body);
    switch (shape) {
      case SlackRequestShape.Malformed m -> {
        LOG.info("slack: refused a malformed signed request ({} bytes): {}", body.length, m.reason());
        send(exchange, 400, "application/json", "{\"error\":\"malformed request\",\"reason\":"
            + JSON.writeValueAsString(m.reason()) + "}", Map.of());
        return;
      }
      case SlackRequestShape.Ignore i when i.kind().equals("app_rate_limited") -> {
        LOG.warn("slack: Slack reports that it held back event deliveries to this app for a minute"
            + " (app_rate_limited: more than 30,000 events an hour in a workspace); acknowledged");
        send(exchange, 200, "text/plain; charset=utf-8", "", Map.of());
        return;
      }
      case SlackRequestShape.Ignore i -> {
        LOG.debug("slack: acknowledged a {} request the desk has no use for", i.kind());
        send(exchange, 200, "text/plain; charset=utf-8", "", Map.of());
        return;
      }
      case SlackRequestShape.Pass p -> bolt(exchange, headers, body, p.kind());
    }
  }

  /** Hands a verified, well-formed request to Bolt and relays its answer; failures are logged without the body. */
  private void bolt(HttpExchange exchange, com.sun.net.httpserver.Headers headers, byte[] body, String kind)
      throws IOException {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
    Request<?> request;
    try {
      request = parser.parse(SlackRequestParser.HttpRequest.builder()
          .requestUri(exchange.getRequestURI().getPath())
          .queryString(query(exchange.getRequestURI().getRawQuery()))
          .headers(new RequestHeaders(copy))
          .requestBody(new String(body, StandardCharsets.UTF_8))
          .remoteAddress(exchange.getRemoteAddress().getAddress().getHostAddress())
          .build());
    } catch (RuntimeException e) {
      LOG.info("slack: Bolt could not read a {} request: {}", kind, e.getClass().getSimpleName());
      send(exchange, 400, "application/json", "{\"error\":\"malformed request\",\"reason\":"
          + JSON.writeValueAsString("Bolt could not read the " + kind + " request") + "}", Map.of());
      return;
    }
    if (request == null) {
      send(exchange, 400, "application/json", "{\"error\":\"not a Slack request\"}", Map.of());
      return;
    }
    Response response;
    try {
      response = app.run(request);
    } catch (Exception e) {
      // the exception's message may quote the payload: only its type and where it was thrown are logged
      StackTraceElement[] at = e.getStackTrace();
      LOG.error("slack: Bolt failed on a {} request: {} at {}", kind, e.getClass().getName(),
          at.length == 0 ? "?" : at[0]);
      send(exchange, 500, "application/json", "{\"error\":\"internal error\"}", Map.of());
      return;
    }
    send(exchange, response.getStatusCode() == null ? 200 : response.getStatusCode(),
        response.getContentType() == null ? "text/plain; charset=utf-8" : response.getContentType(),
        response.getBody() == null ? "" : response.getBody(),
        response.getHeaders() == null ? Map.of() : response.getHeaders());
  }

  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body,
      Map<String, List<String>> headers) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    headers.forEach((k, v) -> {
      if (!k.equalsIgnoreCase("content-type") && !k.equalsIgnoreCase("content-length")) {
        exchange.getResponseHeaders().put(k, v);
      }
    });
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
