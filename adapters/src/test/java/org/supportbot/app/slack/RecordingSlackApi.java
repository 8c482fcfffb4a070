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
 * {@code chat.postMessage} (with a fresh ts), {@code chat.postEphemeral}, {@code chat.update},
 * {@code views.open} and {@code users.info} the way Slack does, and records every call's method, token and parameters.
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
  /** Socket Mode URLs by app-level token. */
  private final Map<String, String> sockets = new java.util.concurrent.ConcurrentHashMap<>();
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
    server.createContext("/upload/", this::uploaded);
    // a stalled or hung call must not hold the others back, as on Slack
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-slack");
      t.setDaemon(true);
      return t;
    }));
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
  private final AtomicInteger uploadFailures = new AtomicInteger();

  /** Makes the next {@code n} files.completeUploadExternal calls answer {@code ok:false}, nothing shared. */
  void failNextUploads(int n) {
    uploadFailures.set(n);
  }

  private final AtomicInteger postFailures = new AtomicInteger();

  /**
   * users.info answers for {@code userId} with {@code teamId} as the person's own team, as Slack does for
   * members and for Slack Connect guests alike; users it was not told about are {@code user_not_found}.
   */
  void knowUser(String userId, String teamId) {
    userTeams.put(userId, teamId);
  }

  private final Map<String, String> userTeams = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile java.util.concurrent.CountDownLatch usersInfoHeld;

  /**
   * users.info calls are received (and recorded) but not answered until the returned latch is counted
   * down, or for 30 s; other calls wait behind them, as this fake answers one call at a time.
   */
  java.util.concurrent.CountDownLatch holdUsersInfo() {
    usersInfoHeld = new java.util.concurrent.CountDownLatch(1);
    return usersInfoHeld;
  }

  /** The bytes posted to each upload URL files.getUploadURLExternal gave, by file id. */
  private final Map<String, String> uploads = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean refuseUploads;

  /** From now on files.getUploadURLExternal answers missing_scope, as for an app without files:write. */
  void refuseUploads() {
    refuseUploads = true;
  }

  /** What was uploaded as file {@code fileId} (UTF-8), or null. */
  String uploaded(String fileId) {
    return uploads.get(fileId);
  }

  private void uploaded(HttpExchange exchange) throws IOException {
    try (exchange) {
      String id = exchange.getRequestURI().getPath().substring("/upload/".length());
      uploads.put(id, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] ok = ("OK - " + uploads.get(id).length()).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, ok.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(ok);
      }
    }
  }

  /** Makes views.open fail with Slack's {@code error} from now on. */
  void failViewsOpen(String error) {
    viewsOpenError = error;
  }

  /** Answers apps.connections.open for {@code token} (an app-level token) with {@code url}. */
  void openSocketsAt(String token, String url) {
    sockets.put(token, url);
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

  /**
   * A message chat.postMessage applied, or a file share files.completeUploadExternal applied ({@code
   * files} its files as JSON): what conversations.history and conversations.replies give back.
   */
  private record Posted(String channel, String ts, String threadTs, String metadata, String files) {
    Posted(String channel, String ts, String threadTs, String metadata) {
      this(channel, ts, threadTs, metadata, "");
    }
  }

  private final List<Posted> history = new CopyOnWriteArrayList<>();
  private final AtomicInteger stallAfterApplying = new AtomicInteger();
  private final Map<String, java.util.concurrent.CountDownLatch> hungChannels = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

  /**
   * The next {@code n} chat.postMessage calls are applied (the message is in the channel's history) but
   * their answer never comes, as when Slack's response is lost: the client's timeout ends the call.
   */
  void applyThenStall(int n) {
    stallAfterApplying.set(n);
  }

  private final AtomicInteger stallUploadsAfterApplying = new AtomicInteger();

  /**
   * The next {@code n} files.completeUploadExternal calls are applied (the file is shared in the channel
   * or thread, as its history shows) but their answer never comes: the client's timeout ends the call.
   */
  void applyUploadThenStall(int n) {
    stallUploadsAfterApplying.set(n);
  }

  /** Every chat.postMessage to {@code channel} hangs, unapplied, until {@link #release(String)}. */
  void hang(String channel) {
    hungChannels.put(channel, new java.util.concurrent.CountDownLatch(1));
  }

  /** Lets the calls hung in {@code channel} fail (HTTP 500, nothing applied) and later ones through. */
  void release(String channel) {
    java.util.concurrent.CountDownLatch latch = hungChannels.remove(channel);
    if (latch != null) {
      latch.countDown();
    }
  }

  private final AtomicInteger hungNow = new AtomicInteger();

  /** Calls hung by {@link #hang} that have not been let go yet. */
  int hungNow() {
    return hungNow.get();
  }

  /** Messages chat.postMessage applied to {@code channel} (answered or not). */
  long applied(String channel) {
    return history.stream().filter(p -> p.channel().equals(channel)).count();
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
      java.util.concurrent.CountDownLatch hung = method.equals("chat.postMessage")
          ? hungChannels.get(params.getOrDefault("channel", "")) : null;
      if (hung != null) {
        hungNow.incrementAndGet();
        try {
          java.util.concurrent.CountDownLatch any = hung;
          while (!any.await(10, java.util.concurrent.TimeUnit.MILLISECONDS) && released.getCount() > 0) {
            // hung until released, or until the fake closes
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        hungNow.decrementAndGet();
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      java.util.concurrent.CountDownLatch held = usersInfoHeld;
      if (method.equals("users.info") && held != null) {
        try {
          held.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
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
        body = sockets.containsKey(given) ? "{\"ok\":true,\"url\":\"" + sockets.get(given) + "\"}"
            : "{\"ok\":false,\"error\":\"invalid_auth\"}";
      } else if (!given.equals(token)) {
        body = "{\"ok\":false,\"error\":\"invalid_auth\"}";
      } else {
        body = switch (method) {
          case "auth.test" -> "{\"ok\":true,\"url\":\"https://vendor.slack.com/\",\"team\":\"Vendor\",\"user\":\"supportbot\","
              + "\"team_id\":\"" + TEAM + "\",\"user_id\":\"" + BOT_USER + "\",\"bot_id\":\"B0BOT\"}";
          case "chat.postMessage" -> {
            if (postFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              yield "{\"ok\":false,\"error\":\"" + postError + "\"}";
            }
            String ts = nextTs();
            history.add(new Posted(im(params.get("channel")), ts, params.getOrDefault("thread_ts", ""),
                params.getOrDefault("metadata", "")));
            if (stallAfterApplying.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              try {
                released.await(); // the answer is lost: the client times out
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              yield "{\"ok\":false,\"error\":\"fake_closed\"}";
            }
            yield "{\"ok\":true,\"channel\":\"" + params.get("channel") + "\",\"ts\":\"" + ts
                + "\",\"message\":{\"type\":\"message\",\"user\":\"" + BOT_USER + "\",\"text\":\"\"}}";
          }
          case "conversations.open" -> "{\"ok\":true,\"channel\":{\"id\":\"" + im(params.getOrDefault("users", ""))
              + "\"}}";
          case "conversations.history", "conversations.replies" -> messages(method, params);
          case "chat.postEphemeral" -> "{\"ok\":true,\"message_ts\":\"" + nextTs() + "\"}";
          case "chat.update" -> "{\"ok\":true,\"channel\":\"" + params.get("channel") + "\",\"ts\":\"" + params.get("ts")
              + "\",\"text\":\"\"}";
          case "users.info" -> {
            String team = userTeams.get(params.getOrDefault("user", ""));
            yield team == null ? "{\"ok\":false,\"error\":\"user_not_found\"}"
                : "{\"ok\":true,\"user\":{\"id\":\"" + params.get("user") + "\",\"team_id\":\"" + team
                + "\",\"name\":\"someone\",\"deleted\":false,\"is_bot\":false,\"is_stranger\":"
                + !team.equals(TEAM) + "}}";
          }
          case "files.getUploadURLExternal" -> {
            if (refuseUploads) {
              yield "{\"ok\":false,\"error\":\"missing_scope\",\"needed\":\"files:write\",\"provided\":\"chat:write\"}";
            }
            String id = "F0" + sequence.incrementAndGet();
            yield "{\"ok\":true,\"upload_url\":\"http://127.0.0.1:" + server.getAddress().getPort() + "/upload/" + id
                + "\",\"file_id\":\"" + id + "\"}";
          }
          case "files.completeUploadExternal" -> {
            if (uploadFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              yield "{\"ok\":false,\"error\":\"internal_error\"}";
            }
            history.add(new Posted(params.getOrDefault("channel_id", ""), nextTs(), params.getOrDefault("thread_ts", ""),
                "", params.getOrDefault("files", "[]")));
            if (stallUploadsAfterApplying.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              try {
                released.await(); // the answer is lost: the client times out
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              yield "{\"ok\":false,\"error\":\"fake_closed\"}";
            }
            yield "{\"ok\":true,\"files\":" + params.getOrDefault("files", "[]") + "}";
          }
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

  /** The channel's (or a thread's) applied messages, with their metadata when include_all_metadata is set. */
  private String messages(String method, Map<String, String> params) {
    String channel = params.getOrDefault("channel", "");
    boolean replies = method.equals("conversations.replies");
    String thread = replies ? params.getOrDefault("ts", "") : "";
    String oldest = params.getOrDefault("oldest", "");
    boolean metadata = "1".equals(params.get("include_all_metadata"))
        || "true".equals(params.get("include_all_metadata"));
    List<String> out = new ArrayList<>(added(channel, thread, oldest)); // what people said, added by the test
    for (Posted p : history) { // what the bot posted
      boolean in = p.channel().equals(channel) && (replies ? p.ts().equals(thread) || p.threadTs().equals(thread)
          : p.threadTs().isEmpty());
      // the bot's posts are all given, whatever oldest says: this fake's ts count up, they are not times
      if (in) {
        out.add("{\"type\":\"message\",\"user\":\"" + BOT_USER + "\",\"bot_id\":\"B0BOT\",\"ts\":\"" + p.ts() + "\""
            + (p.threadTs().isEmpty() ? "" : ",\"thread_ts\":\"" + p.threadTs() + "\"")
            + (metadata && !p.metadata().isEmpty() ? ",\"metadata\":" + p.metadata() : "")
            + (p.files().isEmpty() ? "" : ",\"subtype\":\"file_share\",\"files\":" + p.files()) + "}");
      }
    }
    // a channel's history newest first, a thread's replies oldest first (its root at the top), as Slack answers
    java.util.Comparator<String> byTs = java.util.Comparator.comparing(
        m -> new java.math.BigDecimal(m.replaceAll(".*\"ts\":\"([0-9.]+)\".*", "$1")));
    out.sort(replies ? byTs : byTs.reversed());
    return "{\"ok\":true,\"messages\":[" + String.join(",", out) + "],\"has_more\":false}";
  }

  // ---- history (conversations.history and conversations.replies) and held calls ------------------

  /** Messages in channels (thread "") and threads, as Slack returns them, by channel and thread ts. */
  private final Map<String, List<String>> added = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile String heldMethod = "";
  private volatile java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(0);

  /**
   * Adds a message to what conversations.history ({@code threadTs} null) or conversations.replies
   * ({@code threadTs} the root's ts) answers; {@code message} is Slack's message object as JSON.
   */
  void addHistory(String channel, String threadTs, String message) {
    added.computeIfAbsent(channel + "/" + (threadTs == null ? "" : threadTs), k -> new CopyOnWriteArrayList<>())
        .add(message);
  }

  /**
   * Answers as Slack does: the channel's messages after {@code oldest} newest first, or the thread's root
   * followed by its replies after {@code oldest}; one page, no cursor.
   */
  private List<String> added(String channel, String threadTs, String oldest) {
    List<String> all = added.getOrDefault(channel + "/" + threadTs, List.of());
    List<String> out = new ArrayList<>();
    for (String m : all) {
      String ts = m.replaceAll(".*\"ts\":\"([0-9.]+)\".*", "$1");
      boolean root = !threadTs.isEmpty() && ts.equals(threadTs);
      if (root || oldest.isEmpty() || ts.compareTo(oldest) > 0) {
        out.add(m);
      }
    }
    return out;
  }

  /** From now on calls of {@code method} are recorded and then held, unanswered, until {@link #release()}. */
  public void hold(String method) {
    held = new java.util.concurrent.CountDownLatch(1);
    heldMethod = method;
  }

  /** Answers the held calls and stops holding. */
  public void release() {
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
    released.countDown();
    hungChannels.values().forEach(java.util.concurrent.CountDownLatch::countDown);
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

  /** Where Slack puts a post made to a user id: the app's direct-message channel with them (D + the id here). */
  static String im(String channel) {
    return channel.startsWith("U") || channel.startsWith("W") ? "D" + channel : channel;
  }
}
