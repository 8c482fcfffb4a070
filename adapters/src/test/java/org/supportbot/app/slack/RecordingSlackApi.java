package org.supportbot.app.slack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Slack's Web API on loopback: answers {@code auth.test},
 * {@code chat.postMessage} (with a fresh ts), {@code chat.postEphemeral}, {@code chat.update} and
 * {@code views.open} the way Slack does, and records every call's method, token and parameters.
 * Built on a clock it also enforces rate limits as Slack does, answering 429 with {@code Retry-After}:
 * Tier 3 for {@code chat.update}, and on request a per-channel limit for {@code chat.postMessage}; a
 * test can also have the next call of a method refused with 429.
 */
public final class RecordingSlackApi implements AutoCloseable {

  /** One Web API call as received. */
  public record Call(String method, String token, Map<String, String> params) {
    public String param(String name) {
      return params.getOrDefault(name, "");
    }
  }

  public static final String TEAM = "T0VENDOR";
  static final String BOT_USER = "U0BOT";

  private final HttpServer server;
  private final String token;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<Call> limited = new CopyOnWriteArrayList<>();
  private final AtomicInteger sequence = new AtomicInteger();
  private volatile String viewsOpenError;
  private volatile String appToken = "";
  private volatile String socketUrl = "";
  private volatile String scopes = "commands,chat:write,chat:write.public,channels:history,groups:history,im:history,users:read";

  /** Tier 3 as Slack enforces it: chat.update calls per minute per workspace before 429s. */
  static final int UPDATES_PER_MINUTE = 50;

  private final java.time.Clock clock;
  private final java.util.Deque<java.time.Instant> updates = new java.util.ArrayDeque<>();
  private final AtomicInteger tooMany = new AtomicInteger();
  private final java.util.Queue<RateLimit> scripted = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final Map<String, java.util.Deque<java.time.Instant>> postsByChannel = new java.util.HashMap<>();
  private volatile int postsPerWindow;
  private volatile java.time.Duration postWindow = java.time.Duration.ZERO;

  private record RateLimit(String method, int retryAfterSeconds) {}

  public RecordingSlackApi(String token) throws IOException {
    this(token, java.time.Clock.systemUTC());
  }

  /** A Web API that also answers 429 to chat.update beyond Tier 3, counted on {@code clock}. */
  RecordingSlackApi(String token, java.time.Clock clock) throws IOException {
    this.token = token;
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/api/", this::handle);
    server.start();
  }

  /** The prefix to give {@code SlackConfig.setMethodsEndpointUrlPrefix}. */
  public String prefix() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
  }

  /** Makes the next {@code n} chat.postMessage calls answer {@code ok:false} with Slack's {@code error}. */
  void failNextPosts(int n, String error) {
    postError = error;
    postFailures.set(n);
  }

  private volatile String postError = "";
  private final AtomicInteger postFailures = new AtomicInteger();

  /** Makes views.open fail with Slack's {@code error} from now on. */
  void failViewsOpen(String error) {
    viewsOpenError = error;
  }

  /** Answers apps.connections.open for {@code token} (an app-level token) with {@code url}. */
  void openSocketsAt(String token, String url) {
    appToken = token;
    socketUrl = url;
  }

  /** The scopes auth.test reports in its X-OAuth-Scopes header, as Slack does. */
  void grantScopes(String commaSeparated) {
    scopes = commaSeparated;
  }

  /** The next call of {@code method} is answered 429 with {@code Retry-After: retryAfterSeconds}. */
  void rateLimitNext(String method, int retryAfterSeconds) {
    scripted.add(new RateLimit(method, retryAfterSeconds));
  }

  /**
   * From now on chat.postMessage is limited per channel, at most {@code perWindow} accepted calls in any
   * {@code window} on the clock; a call beyond it is answered 429 with the seconds until a slot frees.
   */
  void limitPostsPerChannel(int perWindow, java.time.Duration window) {
    postWindow = window;
    postsPerWindow = perWindow;
  }

  /** Calls made so far, in order, without auth.test (which Bolt makes on its own). */
  public List<Call> calls() {
    return calls.stream().filter(c -> !c.method().equals("auth.test")).toList();
  }

  public List<Call> calls(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestURI().getPath().substring("/api/".length());
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      String given = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
      Map<String, String> params = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      if (given.isEmpty()) {
        given = params.getOrDefault("token", "");
      }
      Call call = new Call(method, given, params);
      calls.add(call);
      awaitRelease(method);
      long retryAfter = scriptedLimit(method);
      if (retryAfter == 0 && method.equals("chat.update") && overTier3()) {
        retryAfter = 30;
      }
      if (retryAfter == 0 && method.equals("chat.postMessage")) {
        retryAfter = overPostLimit(params.getOrDefault("channel", ""));
      }
      if (retryAfter > 0) {
        limited.add(call);
        tooMany.incrementAndGet();
        exchange.getResponseHeaders().set("Retry-After", Long.toString(retryAfter));
        byte[] refused = "{\"ok\":false,\"error\":\"ratelimited\"}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(429, refused.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(refused);
        }
        return;
      }
      String body;
      if (method.equals("apps.connections.open")) {
        body = !appToken.isEmpty() && given.equals(appToken) ? "{\"ok\":true,\"url\":\"" + socketUrl + "\"}"
            : "{\"ok\":false,\"error\":\"invalid_auth\"}";
      } else if (!given.equals(token)) {
        body = "{\"ok\":false,\"error\":\"invalid_auth\"}";
      } else {
        body = switch (method) {
          case "auth.test" -> "{\"ok\":true,\"url\":\"https://vendor.slack.com/\",\"team\":\"Vendor\",\"user\":\"supportbot\","
              + "\"team_id\":\"" + TEAM + "\",\"user_id\":\"" + BOT_USER + "\",\"bot_id\":\"B0BOT\"}";
          case "chat.postMessage" -> postFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0
              ? "{\"ok\":false,\"error\":\"" + postError + "\"}"
              : "{\"ok\":true,\"channel\":\"" + params.get("channel") + "\",\"ts\":\"" + nextTs()
              + "\",\"message\":{\"type\":\"message\",\"user\":\"" + BOT_USER + "\",\"text\":\"\"}}";
          case "chat.postEphemeral" -> "{\"ok\":true,\"message_ts\":\"" + nextTs() + "\"}";
          case "chat.update" -> "{\"ok\":true,\"channel\":\"" + params.get("channel") + "\",\"ts\":\"" + params.get("ts")
              + "\",\"text\":\"\"}";
          case "conversations.history" -> history(params.getOrDefault("channel", ""), "", params.getOrDefault("oldest", ""));
          case "conversations.replies" -> history(params.getOrDefault("channel", ""), params.getOrDefault("ts", ""),
              params.getOrDefault("oldest", ""));
          case "views.open" -> viewsOpenError != null ? "{\"ok\":false,\"error\":\"" + viewsOpenError + "\"}"
              : "{\"ok\":true,\"view\":{\"id\":\"V0" + sequence.incrementAndGet() + "\",\"type\":\"modal\"}}";
          default -> "{\"ok\":false,\"error\":\"unknown_method\"}";
        };
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      if (method.equals("auth.test") && given.equals(token)) {
        exchange.getResponseHeaders().set("X-OAuth-Scopes", scopes);
      }
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  // ---- history (conversations.history and conversations.replies) and held calls ------------------

  /** Messages in channels (thread "") and threads, as Slack returns them, by channel and thread ts. */
  private final Map<String, List<String>> history = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile String heldMethod = "";
  private volatile java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(0);

  /**
   * Adds a message to what conversations.history ({@code threadTs} null) or conversations.replies
   * ({@code threadTs} the root's ts) answers; {@code message} is Slack's message object as JSON.
   */
  void addHistory(String channel, String threadTs, String message) {
    history.computeIfAbsent(channel + "/" + (threadTs == null ? "" : threadTs), k -> new CopyOnWriteArrayList<>())
        .add(message);
  }

  /**
   * Answers as Slack does: the channel's messages after {@code oldest} newest first, or the thread's root
   * followed by its replies after {@code oldest}; one page, no cursor.
   */
  private String history(String channel, String threadTs, String oldest) {
    List<String> all = history.getOrDefault(channel + "/" + threadTs, List.of());
    List<String> out = new ArrayList<>();
    for (String m : all) {
      String ts = m.replaceAll(".*\"ts\":\"([0-9.]+)\".*", "$1");
      boolean root = !threadTs.isEmpty() && ts.equals(threadTs);
      if (root || oldest.isEmpty() || ts.compareTo(oldest) > 0) {
        out.add(m);
      }
    }
    if (threadTs.isEmpty()) {
      java.util.Collections.reverse(out);
    }
    return "{\"ok\":true,\"messages\":[" + String.join(",", out) + "],\"has_more\":false}";
  }

  /** From now on calls of {@code method} are recorded and then held, unanswered, until {@link #release()}. */
  void hold(String method) {
    held = new java.util.concurrent.CountDownLatch(1);
    heldMethod = method;
  }

  /** Answers the held calls and stops holding. */
  void release() {
    heldMethod = "";
    held.countDown();
  }

  private void awaitRelease(String method) {
    if (!method.equals(heldMethod)) {
      return;
    }
    try {
      held.await(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether {@code call} was answered 429. */
  boolean wasLimited(Call call) {
    return limited.stream().anyMatch(c -> c == call);
  }

  private long scriptedLimit(String method) {
    for (RateLimit r : scripted) {
      if (r.method().equals(method) && scripted.remove(r)) {
        return r.retryAfterSeconds();
      }
    }
    return 0;
  }

  /** 0 when the post may go, else the whole seconds until the channel's oldest counted post leaves the window. */
  private synchronized long overPostLimit(String channel) {
    if (postsPerWindow == 0) {
      return 0;
    }
    java.time.Instant now = clock.instant();
    java.util.Deque<java.time.Instant> sent = postsByChannel.computeIfAbsent(channel, c -> new java.util.ArrayDeque<>());
    while (!sent.isEmpty() && !sent.peekFirst().isAfter(now.minus(postWindow))) {
      sent.pollFirst();
    }
    if (sent.size() >= postsPerWindow) {
      long millis = java.time.Duration.between(now, sent.peekFirst().plus(postWindow)).toMillis();
      return Math.max(1, (millis + 999) / 1000);
    }
    sent.addLast(now);
    return 0;
  }

  /** HTTP 429 responses given so far. */
  int tooManyRequests() {
    return tooMany.get();
  }

  private synchronized boolean overTier3() {
    java.time.Instant now = clock.instant();
    while (!updates.isEmpty() && !updates.peekFirst().isAfter(now.minusSeconds(60))) {
      updates.pollFirst();
    }
    if (updates.size() >= UPDATES_PER_MINUTE) {
      return true;
    }
    updates.addLast(now);
    return false;
  }

  private String nextTs() {
    return "1764000000." + String.format("%06d", sequence.incrementAndGet());
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    if (body.isBlank()) {
      return out;
    }
    if (body.startsWith("{")) {
      out.put("json", body);
      return out;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** A readable list of the calls, for assertion messages. */
  String describe() {
    List<String> lines = new ArrayList<>();
    for (Call c : calls()) {
      lines.add(c.method() + " " + c.param("channel") + " ts=" + c.param("ts") + " thread_ts=" + c.param("thread_ts")
          + " text=" + c.param("text").replace("\n", " / "));
    }
    return String.join("\n", lines);
  }
}
