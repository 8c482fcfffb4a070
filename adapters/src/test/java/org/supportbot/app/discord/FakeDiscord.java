package org.supportbot.app.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.dv8tion.jda.api.Permission;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.supportbot.core.testing.Await;

/**
 * A local Discord on loopback for end-to-end tests of the adapter through the real JDA: a REST API
 * (JDK HttpServer) that records every call and answers with objects shaped as Discord's, and a
 * gateway (WebSocket) that says HELLO, waits for IDENTIFY, sends READY and GUILD_CREATE, acknowledges
 * heartbeats and pushes INTERACTION_CREATE payloads shaped as Discord sends them. Threads can be
 * archived (left out of GUILD_CREATE, served by {@code GET channels/{id}} with
 * {@code thread_metadata.archived: true}, unarchived by a message or {@code PATCH channels/{id}}, their
 * messages not editable meanwhile), locked, or deleted (Unknown Channel).
 *
 * <p>The server has one guild with three text channels (a customer's support channel, the vendor's
 * triage and escalation channels), an on-call role, and a role for the bot that grants exactly
 * {@link DiscordAdapter#PERMISSIONS}, so JDA's own permission checks run against the documented set.
 *
 * <p>{@link #sharded} makes a fake with a second guild ({@link #GUILD_B}, one support channel) and a gateway
 * split into shards as Discord splits it: {@code GET gateway/bot} answers the shard count, each session serves
 * the shard its IDENTIFY names ({@code shard: [id, total]}; none is {@code [0, 1]}), READY and GUILD_CREATE list
 * only that shard's guilds ({@code (guild_id >> 22) % total}), and a guild's events go only to the session of its
 * shard (events of no guild to shard 0's, as Discord sends direct messages).
 */
public final class FakeDiscord implements AutoCloseable {

  public static final String APP_ID = "1100000000000000001";
  public static final String GUILD = "1200000000000000001";
  /** The second guild of a {@link #sharded} fake: on shard 0 of 2, where {@link #GUILD} is on shard 1. */
  public static final String GUILD_B = "1200000000004194305";
  /** The support channel of {@link #GUILD_B}. */
  public static final String SUPPORT_CHANNEL_B = "1300000000000000011";
  static final String BOT_ROLE_B = "1400000000000000012";
  public static final String SUPPORT_CHANNEL = "1300000000000000001";
  public static final String TRIAGE = "1300000000000000002";
  public static final String ESCALATIONS = "1300000000000000003";
  public static final String ON_CALL_ROLE = "1400000000000000001";
  static final String BOT_ROLE = "1400000000000000002";
  public static final String TOKEN = "fake-bot-token-never-logged";

  /** One REST call as received, and how it was answered. */
  public record Call(String method, String path, String query, JsonNode body, int status, JsonNode response, Instant at) {
    public boolean is(String method, String pathRegex) {
      return this.method.equals(method) && path.matches(pathRegex);
    }

    @Override
    public String toString() {
      String b = String.valueOf(body);
      return method + " " + path + (query == null ? "" : "?" + query) + " -> " + status + " "
          + (b.length() > 300 ? b.substring(0, 300) + "…" : b);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern API = Pattern.compile("/api/v10/(.*)");

  private final HttpServer http;
  private final Gateway gateway;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  /** Notified after every answered call, so that {@link #await} wakes on the call itself. */
  private final Object recorded = new Object();
  /** The calls whose answer has been sent (by identity; guarded by {@link #recorded}). */
  private final java.util.Set<Call> answered = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  private final AtomicLong snowflakes = new AtomicLong();
  private final Map<String, ObjectNode> messages = new ConcurrentHashMap<>();
  /** Messages created with {@code enforce_nonce}, by channel and nonce, as Discord remembers them for a while. */
  private final Map<String, String> nonces = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> applyThenFail = new ConcurrentHashMap<>();
  private final Map<String, Integer> refusing = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> hung = new ConcurrentHashMap<>();
  /** Paths whose answers are held after the call is applied and shown to {@link #await} (see {@link #holdAnswers}). */
  private final List<Predicate<Call>> holding = new CopyOnWriteArrayList<>();
  /** Calls applied whose answers are lost, with how many more to lose (see {@link #loseAnswers}). */
  private final Map<Predicate<Call>, AtomicInteger> losing = new ConcurrentHashMap<>();
  private final AtomicInteger lostAnswers = new AtomicInteger();
  /** Calls answered 500 without being applied, with how many more to fail (see {@link #failNext}). */
  private final Map<Predicate<Call>, AtomicInteger> failing = new ConcurrentHashMap<>();
  /** The held calls, by identity, each until {@link #releaseAnswer}. */
  private final Map<Call, CountDownLatch> heldAnswers = java.util.Collections.synchronizedMap(
      new java.util.IdentityHashMap<>());
  private final Map<String, ObjectNode> channels = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<RateLimit> rateLimits = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<RateLimit> emptyBuckets = new ConcurrentLinkedQueue<>();
  private final AtomicInteger heartbeats = new AtomicInteger();
  private final CountDownLatch identified = new CountDownLatch(1);
  private volatile JsonNode identify;
  private volatile boolean messageContentEnabled;

  private record RateLimit(String method, String pathRegex, int retryAfterSeconds) {}

  /** One route's window: when it started and how many requests it has taken. */
  private static final class Window {
    long start;
    int used;
  }

  private volatile int bucketSize;
  private volatile long bucketMillis;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /** How many shards {@code GET gateway/bot} recommends; with more than one, {@link #GUILD_B} exists. */
  private final int shardsTotal;

  public FakeDiscord() throws IOException, InterruptedException {
    this(1);
  }

  /**
   * A fake whose {@code GET gateway/bot} answers {@code total} shards, with a second guild {@link #GUILD_B} (on
   * shard 0 of 2; {@link #GUILD} is on shard 1) whose support channel is {@link #SUPPORT_CHANNEL_B}.
   */
  public static FakeDiscord sharded(int total) throws IOException, InterruptedException {
    return new FakeDiscord(total);
  }

  private FakeDiscord(int shardsTotal) throws IOException, InterruptedException {
    this.shardsTotal = shardsTotal;
    if (shardsTotal > 1) {
      channels.put(SUPPORT_CHANNEL_B, textChannel(SUPPORT_CHANNEL_B, GUILD_B, "beta-support", 0));
    }
    channels.put(SUPPORT_CHANNEL, textChannel(SUPPORT_CHANNEL, "acme-support", 0));
    channels.put(TRIAGE, textChannel(TRIAGE, "triage", 1));
    channels.put(ESCALATIONS, textChannel(ESCALATIONS, "escalations", 2));
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", this::serve);
    // a hung create must not hold the other calls back, as on Discord
    http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-discord");
      t.setDaemon(true);
      return t;
    }));
    http.start();
    gateway = new Gateway();
    gateway.start();
    if (!gateway.started.await(Await.HUNG.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException("the fake gateway did not start");
    }
  }

  public URI restBaseUrl() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/api/v10/");
  }

  public URI gatewayUrl() {
    return URI.create("ws://127.0.0.1:" + gateway.getPort() + "/");
  }

  /** Every REST call so far, in order. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The IDENTIFY payload JDA sent. */
  JsonNode identify() throws InterruptedException {
    if (!identified.await(Await.HUNG.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError("JDA never identified");
    }
    return identify;
  }

  /** Whether the app may use the privileged Message Content intent (off, as for a new app). */
  /** Message Content is allowed, and the bot's role has {@link DiscordAdapter#THREAD_REPLY_PERMISSIONS}. */
  public void enableMessageContent() {
    messageContentEnabled = true;
  }

  /** Waits until JDA has sent a heartbeat (it sends one every 1-second interval); returns how many were answered. */
  int awaitHeartbeat() throws InterruptedException {
    try {
      Await.until(() -> heartbeats.get() > 0, "a heartbeat from JDA");
    } catch (AssertionError hung) {
      // the caller asserts the count and says what was expected
    }
    return heartbeats.get();
  }

  /**
   * The next call matching {@code method} and {@code pathRegex} is answered as usual, announcing that it
   * emptied its bucket ({@code X-RateLimit-Remaining: 0}, reset after 0.2 s).
   */
  void emptyBucketNext(String method, String pathRegex) {
    emptyBuckets.add(new RateLimit(method, pathRegex, 0));
  }

  /** The next call matching {@code method} and {@code pathRegex} is answered 429 with Retry-After. */
  void rateLimitNext(String method, String pathRegex, int retryAfterSeconds) {
    rateLimits.add(new RateLimit(method, pathRegex, retryAfterSeconds));
  }

  /**
   * From now on, message creation and edits are limited per channel the way Discord limits them,
   * {@code size} requests per {@code window}, announced in {@code X-RateLimit-*} headers on every
   * answer; a request over the limit gets a 429.
   */
  void enforceMessageLimits(int size, Duration window) {
    bucketSize = size;
    bucketMillis = window.toMillis();
  }

  private Call record(Call call) {
    synchronized (recorded) {
      calls.add(call);
    }
    return call;
  }

  /**
   * The bot has been sent the answer to {@code call}: only now does {@link #await} return it, so a test
   * acts on a message (clicks it) after Discord told the bot it exists, as a person can only click what
   * Discord shows once created. Recording itself stays in arrival order.
   */
  private void answered(Call call) {
    synchronized (recorded) {
      answered.add(call);
      recorded.notifyAll();
    }
  }

  /**
   * Waits for the first call after {@code from} calls that matches, woken by each recorded call; fails
   * listing every call if none comes within {@link Await#HUNG} (a hung test, not a slow machine).
   */
  public Call await(int from, Predicate<Call> matching, String what) {
    long deadline = System.nanoTime() + Await.HUNG.toNanos();
    synchronized (recorded) {
      while (true) {
        List<Call> now = calls();
        for (int i = from; i < now.size(); i++) {
          if (answered.contains(now.get(i)) && matching.test(now.get(i))) {
            return now.get(i);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          recorded.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
    StringBuilder all = new StringBuilder();
    calls().forEach(c -> all.append("\n  ").append(c));
    throw new AssertionError("no call " + what + " after call #" + from + " within " + Await.HUNG.toSeconds()
        + " s (a hang, not a slow machine; " + threadDump() + "); calls were:" + all);
  }

  /** Writes every thread's stack, virtual ones included, to a file under target/ and names it. */
  private static String threadDump() {
    try {
      java.nio.file.Path file = java.nio.file.Files.createTempFile(java.nio.file.Path.of("target"), "hung-", ".txt");
      java.nio.file.Files.delete(file); // dumpThreads refuses an existing file
      java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
          .dumpThreads(file.toAbsolutePath().toString(),
              com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
      return "threads dumped to " + file.toAbsolutePath();
    } catch (java.io.IOException | RuntimeException e) {
      return "no thread dump: " + e;
    }
  }

  /**
   * Discord archives a thread (after a week without messages), locked or not; it is then left out of
   * the active threads GUILD_CREATE lists. A connected bot is told with THREAD_UPDATE, as Discord does.
   */
  public void archive(String threadId, boolean locked) {
    ObjectNode t = thread(threadId);
    ((ObjectNode) t.get("thread_metadata")).put("archived", true).put("locked", locked);
    if (gateway.connected()) {
      try {
        gateway.dispatch("THREAD_UPDATE", t);
      } catch (org.java_websocket.exceptions.WebsocketNotConnectedException | IllegalStateException e) {
        // the bot was just disconnecting, or no session holds the thread's shard: it learns of the archive
        // from GET channels/{id} later
      }
    }
  }

  /** Someone deletes a thread: Discord answers Unknown Channel (10003) for it from now on. */
  void deleteThread(String threadId) {
    thread(threadId);
    channels.remove(threadId);
  }

  /** Whether the thread is archived now. */
  public boolean archived(String threadId) {
    return thread(threadId).get("thread_metadata").get("archived").asBoolean();
  }

  private ObjectNode thread(String threadId) {
    ObjectNode t = channels.get(threadId);
    if (t == null || t.path("type").asInt() != 11) {
      throw new AssertionError("the bot never created thread " + threadId);
    }
    return t;
  }

  /** Someone deletes a message the bot posted. */
  void delete(String messageId) {
    messages.remove(messageId);
  }

  /** A message the bot posted (or a follow-up), as the fake stored it. */
  ObjectNode message(String id) {
    ObjectNode m = messages.get(id);
    if (m == null) {
      throw new AssertionError("the bot never posted message " + id);
    }
    return m;
  }

  // ---- interactions pushed over the gateway ---------------------------------------------------

  /** A slash command typed by {@code user} in {@code channel}; returns the interaction id. */
  public String slash(String user, String channel, String name, String text) {
    ObjectNode data = JSON.createObjectNode().put("id", next()).put("name", name).put("type", 1)
        .put("guild_id", guildOf(channel));
    ArrayNode options = data.putArray("options");
    if (text != null) {
      options.addObject().put("name", DiscordAdapter.TEXT_OPTION).put("type", 3).put("value", text);
    }
    return push(2, user, channel, data, null);
  }

  /** A click on the button {@code customId} of message {@code messageId}; returns the interaction id. */
  public String click(String user, String messageId, String customId) {
    ObjectNode message = message(messageId);
    ObjectNode data = JSON.createObjectNode().put("custom_id", customId).put("component_type", 2);
    return push(3, user, message.get("channel_id").asText(), data, message);
  }

  /** A modal submitted with one text input per entry; returns the interaction id. */
  String submit(String user, String channel, String modalId, Map<String, String> values) {
    ObjectNode data = JSON.createObjectNode().put("custom_id", modalId);
    ArrayNode components = data.putArray("components");
    int id = 1;
    for (var e : values.entrySet()) {
      ObjectNode label = components.addObject().put("type", 18).put("id", id++);
      label.putObject("component").put("type", 4).put("id", id++).put("custom_id", e.getKey()).put("value", e.getValue());
    }
    return push(5, user, channel, data, null);
  }

  /** A message typed by {@code user} in {@code channel} (a MESSAGE_CREATE); returns the message id. */
  String typed(String user, String channel, String content) {
    ObjectNode m = typedMessage(user, channel, content);
    gateway.dispatch("MESSAGE_CREATE", m);
    return m.get("id").asText();
  }

  /**
   * A message typed by {@code user} in {@code channel} while the bot is not connected: kept in the channel's
   * history ({@code GET channels/{id}/messages}), no MESSAGE_CREATE; returns the message id.
   */
  public String typedWhileAway(String user, String channel, String content) {
    return typedMessage(user, channel, content).get("id").asText();
  }

  /** Sends a stored message's MESSAGE_CREATE (again), as the gateway may after a resume. */
  void redeliver(String messageId) {
    gateway.dispatch("MESSAGE_CREATE", messages.get(messageId));
  }

  /** Answers {@code GET channels/{id}/messages?after=&limit=} as Discord does: the messages after the id, newest first. */
  private Answer history(String channel, String query) {
    long after = 0;
    int limit = 50;
    for (String pair : query == null ? new String[0] : query.split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv[0].equals("after")) {
        after = Long.parseUnsignedLong(kv[1]);
      } else if (kv[0].equals("limit")) {
        limit = Integer.parseInt(kv[1]);
      }
    }
    long from = after;
    ArrayNode out = JSON.createArrayNode();
    messages.values().stream().filter(m -> m.get("channel_id").asText().equals(channel))
        .filter(m -> Long.parseUnsignedLong(m.get("id").asText()) > from)
        .sorted(java.util.Comparator.comparingLong((ObjectNode m) -> Long.parseUnsignedLong(m.get("id").asText())))
        .limit(limit).forEach(out::add);
    ArrayNode newestFirst = JSON.createArrayNode();
    for (int i = out.size() - 1; i >= 0; i--) {
      newestFirst.add(out.get(i));
    }
    return ok(newestFirst);
  }

  private ObjectNode typedMessage(String user, String channel, String content) {
    String id = next();
    ObjectNode m = JSON.createObjectNode().put("id", id).put("channel_id", channel).put("guild_id", guildOf(channel))
        .put("content", content).put("type", 0).put("timestamp", "2026-11-23T17:05:00.000000+00:00")
        .putNull("edited_timestamp").put("tts", false).put("mention_everyone", false).put("pinned", false)
        .put("flags", 0);
    m.set("author", user(user, false));
    ObjectNode member = m.putObject("member");
    member.putArray("roles");
    member.put("joined_at", "2026-01-05T10:00:00.000000+00:00").put("deaf", false).put("mute", false).put("flags", 0)
        .put("pending", false).putNull("nick").putNull("avatar").putNull("premium_since")
        .putNull("communication_disabled_until");
    for (String empty : List.of("mentions", "mention_roles", "attachments", "embeds", "components")) {
      m.putArray(empty);
    }
    messages.put(id, m);
    return m;
  }

  /** Sends a gateway event as given (a corpus shape); returns its sequence number. */
  int event(String type, JsonNode data) {
    return gateway.dispatch(type, data);
  }

  /** A fresh snowflake of the current time, for shapes that need ids. */
  String snowflake() {
    return next();
  }

  /**
   * An INTERACTION_CREATE: {@code shape} laid over the envelope every guild interaction has (id and token,
   * application, guild, the channel object of {@code channel_id} and the acting member), field by field, so a
   * shape that sets {@code guild_id} to null or gives a {@code user} instead of a {@code member} (a direct
   * message) keeps that. Returns the interaction id.
   */
  String interaction(ObjectNode shape, String user) {
    String channel = shape.path("channel_id").asText(SUPPORT_CHANNEL);
    ObjectNode data = shape.path("data") instanceof ObjectNode o ? o : JSON.createObjectNode();
    String id = next();
    ObjectNode d = envelope(id, shape.path("type").asInt(), user, channel, data, null);
    shape.fields().forEachRemaining(f -> {
      if (f.getValue().isNull()) {
        d.remove(f.getKey());
      } else if (!f.getKey().equals("id") && !f.getKey().equals("token")) {
        d.set(f.getKey(), f.getValue());
      }
    });
    if (shape.has("user")) {
      d.remove("member");
    }
    gateway.dispatch("INTERACTION_CREATE", d);
    return id;
  }

  private String push(int type, String user, String channel, ObjectNode data, ObjectNode message) {
    String id = next();
    gateway.dispatch("INTERACTION_CREATE", envelope(id, type, user, channel, data, message));
    return id;
  }

  /** The guild of a channel the fake has (the first guild for one it does not, e.g. a corpus shape's). */
  private String guildOf(String channel) {
    ObjectNode c = channels.get(channel);
    return c == null ? GUILD : c.path("guild_id").asText(GUILD);
  }

  /** The channel of each interaction by its token: its follow-ups are messages in that channel, as on Discord. */
  private final Map<String, String> interactionChannels = new ConcurrentHashMap<>();

  private ObjectNode envelope(String id, int type, String user, String channel, ObjectNode data, ObjectNode message) {
    String guild = guildOf(channel);
    interactionChannels.put("interaction-token-" + id, channel);
    ObjectNode d = JSON.createObjectNode();
    d.put("id", id).put("application_id", APP_ID).put("type", type).put("token", "interaction-token-" + id)
        .put("version", 1).put("guild_id", guild).put("channel_id", channel).put("locale", "en-US")
        .put("guild_locale", "en-US").put("app_permissions", Long.toString(Permission.getRaw(DiscordAdapter.PERMISSIONS)))
        .put("context", 0).put("attachment_size_limit", 10485760);
    d.set("channel", channels.get(channel));
    ObjectNode partialGuild = d.putObject("guild").put("id", guild).put("locale", "en-US");
    partialGuild.putArray("features");
    d.putArray("entitlements");
    d.putObject("authorizing_integration_owners").put("0", guild);
    ObjectNode member = d.putObject("member");
    member.set("user", user(user, false));
    member.putArray("roles");
    member.put("permissions", Long.toString(Permission.getRaw(Permission.VIEW_CHANNEL, Permission.MESSAGE_SEND,
        Permission.USE_APPLICATION_COMMANDS)))
        .put("joined_at", "2026-01-05T10:00:00.000000+00:00").put("deaf", false).put("mute", false).put("flags", 0)
        .put("pending", false).putNull("nick").putNull("avatar").putNull("premium_since")
        .putNull("communication_disabled_until");
    d.set("data", data);
    if (message != null) {
      d.set("message", message);
    }
    return d;
  }

  /**
   * The next {@code n} message creates in {@code channel} are made (the message exists) but answered
   * HTTP 500, as when Discord's answer is lost: a retry with the same nonce gets the message made then.
   */
  void applyThenFail(String channel, int n) {
    applyThenFail.put(channel, new AtomicInteger(n));
  }

  /** Message creates in {@code channel} are refused with Discord's {@code code}: 10003 Unknown Channel, 50001 Missing Access. */
  void refuse(String channel, int code) {
    refusing.put(channel, code);
  }

  /** Lets {@code channel} take messages again. */
  void accept(String channel) {
    refusing.remove(channel);
  }

  /** Message creates in {@code channel} hang, unapplied, until {@link #release}. */
  void hang(String channel) {
    hung.put(channel, new CountDownLatch(1));
  }

  /** Lets the creates hung in {@code channel} go on. */
  void release(String channel) {
    CountDownLatch latch = hung.remove(channel);
    if (latch != null) {
      latch.countDown();
    }
  }

  /** The messages stored in {@code channel}, as made (created once per nonce). */
  List<JsonNode> messagesIn(String channel) {
    return messages.values().stream().filter(m -> m.path("channel_id").asText().equals(channel))
        .map(m -> (JsonNode) m).toList();
  }

  // ---- REST -----------------------------------------------------------------------------------

  private void serve(HttpExchange x) throws IOException {
    try (x) {
      String method = x.getRequestMethod();
      Matcher m = API.matcher(x.getRequestURI().getPath());
      String path = m.matches() ? m.group(1) : x.getRequestURI().getPath();
      String query = x.getRequestURI().getRawQuery();
      byte[] raw = x.getRequestBody().readAllBytes();
      JsonNode body = raw.length == 0 ? null : readBody(x, raw);
      String auth = x.getRequestHeaders().getFirst("Authorization");
      boolean interactionRoute = path.startsWith("interactions/") || path.startsWith("webhooks/");
      if (!interactionRoute && !("Bot " + TOKEN).equals(auth)) {
        Call call = record(new Call(method, path, query, body, 401, null, Instant.now()));
        send(x, 401, JSON.createObjectNode().put("message", "401: Unauthorized").put("code", 0));
        answered(call);
        return;
      }
      for (RateLimit r : rateLimits) {
        if (r.method().equals(method) && path.matches(r.pathRegex()) && rateLimits.remove(r)) {
          Call call = record(new Call(method, path, query, body, 429, null, Instant.now()));
          x.getResponseHeaders().add("Retry-After", Integer.toString(r.retryAfterSeconds()));
          x.getResponseHeaders().add("X-RateLimit-Limit", "5");
          x.getResponseHeaders().add("X-RateLimit-Remaining", "0");
          x.getResponseHeaders().add("X-RateLimit-Reset-After", r.retryAfterSeconds() + ".000");
          x.getResponseHeaders().add("X-RateLimit-Bucket", "fake-bucket-" + Math.abs(r.pathRegex().hashCode()));
          x.getResponseHeaders().add("X-RateLimit-Scope", "user");
          send(x, 429, JSON.createObjectNode().put("message", "You are being rate limited.")
              .put("retry_after", (double) r.retryAfterSeconds()).put("global", false));
          answered(call);
          return;
        }
      }
      String limited = limitedRoute(method, path);
      if (limited != null && bucketSize > 0) {
        Window w = windows.computeIfAbsent(limited, k -> new Window());
        // whole milliseconds of the wall clock, as Discord's headers and JDA's limiter count them
        long now = System.currentTimeMillis();
        int remaining;
        long resetMillis;
        synchronized (w) {
          if (w.used == 0 || now - w.start >= bucketMillis) {
            w.start = now;
            w.used = 0;
          }
          w.used++;
          remaining = bucketSize - w.used;
          resetMillis = w.start + bucketMillis - now;
        }
        String resetAfter = String.format(java.util.Locale.ROOT, "%.3f", resetMillis / 1000.0);
        x.getResponseHeaders().add("X-RateLimit-Limit", Integer.toString(bucketSize));
        x.getResponseHeaders().add("X-RateLimit-Remaining", Integer.toString(Math.max(0, remaining)));
        x.getResponseHeaders().add("X-RateLimit-Reset-After", resetAfter);
        x.getResponseHeaders().add("X-RateLimit-Bucket", limited.startsWith("POST") ? "create-message" : "edit-message");
        if (remaining < 0) {
          Call call = record(new Call(method, path, query, body, 429, null, Instant.now()));
          x.getResponseHeaders().add("Retry-After", "1");
          x.getResponseHeaders().add("X-RateLimit-Scope", "user");
          send(x, 429, JSON.createObjectNode().put("message", "You are being rate limited.")
              .put("retry_after", resetMillis / 1000.0).put("global", false));
          answered(call);
          return;
        }
      }
      for (RateLimit r : emptyBuckets) {
        if (r.method().equals(method) && path.matches(r.pathRegex()) && emptyBuckets.remove(r)) {
          x.getResponseHeaders().add("X-RateLimit-Limit", "5");
          x.getResponseHeaders().add("X-RateLimit-Remaining", "0");
          x.getResponseHeaders().add("X-RateLimit-Reset-After", "0.200");
          x.getResponseHeaders().add("X-RateLimit-Bucket", "fake-empty-" + Math.abs(r.pathRegex().hashCode()));
        }
      }
      String[] parts = path.split("/");
      String created = method.equals("POST") && parts.length == 3 && parts[0].equals("channels")
          && parts[2].equals("messages") ? parts[1] : null;
      CountDownLatch hold = created == null ? null : hung.get(created);
      if (hold != null) {
        answered(record(new Call(method, path, query, body, 0, null, Instant.now()))); // under way
        try {
          hold.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Integer refusal = created == null ? null : refusing.get(created);
      if (refusal != null) {
        JsonNode error = JSON.createObjectNode().put("message", refusal == 10003 ? "Unknown Channel" : "Missing Access")
            .put("code", refusal);
        Call refused = record(new Call(method, path, query, body, refusal == 10003 ? 404 : 403, error, Instant.now()));
        send(x, refusal == 10003 ? 404 : 403, error);
        answered(refused);
        return;
      }
      Call probe = new Call(method, path, query, body, 0, null, Instant.now());
      if (failing.entrySet().stream().anyMatch(f -> f.getKey().test(probe)
          && f.getValue().getAndUpdate(n -> Math.max(0, n - 1)) > 0)) {
        JsonNode error = JSON.createObjectNode().put("message", "500: Internal Server Error").put("code", 0);
        Call failed = record(new Call(method, path, query, body, 500, error, Instant.now()));
        send(x, 500, error);
        answered(failed);
        return;
      }
      String nonceKey = created != null && body != null && body.path("enforce_nonce").asBoolean()
          && body.hasNonNull("nonce") ? created + " " + body.get("nonce").asText() : null;
      Answer a = nonceKey != null && nonces.containsKey(nonceKey)
          ? ok(messages.get(nonces.get(nonceKey)))
          : method.equals("GET") && path.matches("channels/[0-9]+/messages") ? history(path.split("/")[1], query)
          : answer(method, path, body);
      if (nonceKey != null && a.status() == 200) {
        nonces.putIfAbsent(nonceKey, a.body().get("id").asText());
      }
      AtomicInteger failing = created == null ? null : applyThenFail.get(created);
      if (a.status() == 200 && failing != null && failing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        a = new Answer(500, JSON.createObjectNode().put("message", "500: Internal Server Error").put("code", 0));
      }
      Call call = record(new Call(method, path, query, body, a.status(), a.body(), Instant.now()));
      if (losing.entrySet().stream().anyMatch(l -> l.getKey().test(call)
          && l.getValue().getAndUpdate(n -> Math.max(0, n - 1)) > 0)) {
        // applied, but the connection closes before any answer: the bot cannot tell whether it was made
        lostAnswers.incrementAndGet();
        answered(call);
        return;
      }
      if (holding.stream().anyMatch(h -> h.test(call))) {
        // the call is applied and visible (a person sees the message), but the bot has not heard back yet
        CountDownLatch answerHeld = new CountDownLatch(1);
        heldAnswers.put(call, answerHeld);
        answered(call);
        try {
          answerHeld.await(Await.HUNG.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        send(x, a.status(), a.body());
        return;
      }
      send(x, a.status(), a.body());
      answered(call);
    }
  }

  /**
   * Calls {@code matching} are applied and returned by {@link #await} at once, but each one's answer reaches
   * the bot only after {@link #releaseAnswer}: a person can act on a message Discord shows before the bot
   * has the answer to its post.
   */
  void holdAnswers(Predicate<Call> matching) {
    holding.add(matching);
  }

  /**
   * The next {@code times} calls {@code matching} are answered 500 and not applied (JDA retries a 500 a few
   * times, then reports the failure).
   */
  void failNext(Predicate<Call> matching, int times) {
    failing.put(matching, new AtomicInteger(times));
  }

  /**
   * The next {@code times} calls {@code matching} are applied (a person sees the message), then the connection is
   * closed without an answer, as when a response is lost on the way: the bot cannot tell whether the call was made.
   */
  void loseAnswers(Predicate<Call> matching, int times) {
    losing.put(matching, new AtomicInteger(times));
  }

  /** How many answers were lost by {@link #loseAnswers} so far. */
  int lostAnswers() {
    return lostAnswers.get();
  }

  /** Sends the bot the held answer of {@code call}. */
  void releaseAnswer(Call call) {
    CountDownLatch latch = heldAnswers.remove(call);
    if (latch == null) {
      throw new AssertionError("the answer of " + call + " is not held");
    }
    latch.countDown();
  }

  /** The bucket of a message create or edit (per channel), or null for routes the fake does not limit. */
  private static String limitedRoute(String method, String path) {
    String[] p = path.split("/");
    if (p.length >= 3 && p[0].equals("channels") && p[2].equals("messages")
        && (method.equals("POST") && p.length == 3 || method.equals("PATCH") && p.length == 4)) {
      return method + " " + p[1];
    }
    return null;
  }

  private static JsonNode readBody(HttpExchange x, byte[] raw) throws IOException {
    String type = x.getRequestHeaders().getFirst("Content-Type");
    String text = new String(raw, StandardCharsets.UTF_8);
    if (type != null && type.startsWith("multipart/form-data")) {
      // JDA sends messages as multipart with the JSON in the part named payload_json
      int start = text.indexOf('{');
      int end = text.lastIndexOf('}');
      return JSON.readTree(text.substring(start, end + 1));
    }
    return JSON.readTree(text);
  }

  private record Answer(int status, JsonNode body) {}

  private Answer answer(String method, String path, JsonNode body) {
    String[] p = path.split("/");
    if (method.equals("GET") && path.equals("users/@me")) {
      return ok(user(APP_ID, true));
    }
    if (method.equals("GET") && path.equals("gateway/bot")) {
      ObjectNode g = JSON.createObjectNode().put("url", gatewayUrl().toString()).put("shards", shardsTotal);
      g.putObject("session_start_limit").put("total", 1000).put("remaining", 1000).put("reset_after", 0)
          .put("max_concurrency", 1);
      return ok(g);
    }
    if (method.equals("PUT") && path.equals("applications/" + APP_ID + "/commands")) {
      ArrayNode out = JSON.createArrayNode();
      for (JsonNode c : body) {
        ObjectNode copy = ((ObjectNode) c.deepCopy()).put("id", next()).put("application_id", APP_ID).put("version", next());
        if (!copy.has("type")) {
          copy.put("type", 1);
        }
        out.add(copy);
      }
      return ok(out);
    }
    if (method.equals("POST") && p.length == 4 && p[0].equals("interactions") && p[3].equals("callback")) {
      ObjectNode r = JSON.createObjectNode();
      r.putObject("interaction").put("id", p[1]).put("type", 2);
      r.putObject("resource").put("type", body.get("type").asInt());
      return ok(r);
    }
    if (p.length >= 3 && p[0].equals("webhooks") && p[1].equals(APP_ID)) {
      if (method.equals("POST") && p.length == 3) {
        return ok(store(next(), interactionChannels.get(p[2]), body, true));
      }
      if (method.equals("DELETE")) {
        return new Answer(204, null);
      }
      if (method.equals("PATCH")) {
        return ok(store(next(), interactionChannels.get(p[2]), body, true));
      }
    }
    if (p.length == 2 && p[0].equals("channels")) {
      ObjectNode c = channels.get(p[1]);
      if (c == null) {
        return new Answer(404, JSON.createObjectNode().put("message", "Unknown Channel").put("code", 10003));
      }
      if (method.equals("GET")) {
        return ok(c.deepCopy()); // as it is now: recorded calls keep what was answered
      }
      if (method.equals("PATCH") && c.path("type").asInt() == 11 && body.has("archived")) {
        ObjectNode meta = (ObjectNode) c.get("thread_metadata");
        if (meta.get("locked").asBoolean() && !body.get("archived").asBoolean()) {
          // only Manage Threads may unarchive a locked thread, and the bot does not have it
          return new Answer(403, JSON.createObjectNode().put("message", "Missing Permissions").put("code", 50013));
        }
        meta.put("archived", body.get("archived").asBoolean());
        gateway.dispatch("THREAD_UPDATE", c);
        return ok(c.deepCopy());
      }
    }
    ObjectNode archivedThread = p.length >= 3 && p[0].equals("channels") ? channels.get(p[1]) : null;
    if (archivedThread != null && archivedThread.path("thread_metadata").path("archived").asBoolean()
        && p[2].equals("messages")) {
      JsonNode meta = archivedThread.get("thread_metadata");
      if (method.equals("POST") && p.length == 3 && !meta.get("locked").asBoolean()) {
        // a message sent by a member who may send in threads unarchives a thread that is not locked
        ((ObjectNode) meta).put("archived", false);
        gateway.dispatch("THREAD_UPDATE", archivedThread);
      } else {
        return new Answer(400, JSON.createObjectNode().put("message", "Thread is archived").put("code", 50083));
      }
    }
    if (p.length >= 3 && p[0].equals("channels") && p[2].equals("messages") && channels.containsKey(p[1])) {
      if (method.equals("POST") && p.length == 3) {
        return ok(store(next(), p[1], body, false));
      }
      if (method.equals("PATCH") && p.length == 4 && messages.containsKey(p[3])
          && messages.get(p[3]).get("channel_id").asText().equals(p[1])) {
        return ok(store(p[3], p[1], body, false));
      }
      if (method.equals("PATCH") && p.length == 4) {
        return new Answer(404, JSON.createObjectNode().put("message", "Unknown Message").put("code", 10008));
      }
    }
    if (method.equals("POST") && p.length == 3 && p[0].equals("channels") && p[2].equals("threads")
        && channels.containsKey(p[1])) {
      String id = next();
      ObjectNode t = thread(id, channels.get(p[1]).path("guild_id").asText(GUILD), p[1], body.get("name").asText());
      channels.put(id, t);
      return ok(t);
    }
    if (method.equals("POST") && path.equals("users/@me/channels")) {
      ObjectNode dm = JSON.createObjectNode().put("id", next()).put("type", 1).putNull("last_message_id");
      dm.putArray("recipients").add(user(body.get("recipient_id").asText(), false));
      channels.put(dm.get("id").asText(), dm);
      return ok(dm);
    }
    return new Answer(404, JSON.createObjectNode().put("message", "404: Not Found").put("code", 0));
  }

  private static Answer ok(JsonNode body) {
    return new Answer(200, body);
  }

  /** Stores and returns the message as Discord would echo it. */
  private ObjectNode store(String id, String channel, JsonNode body, boolean webhook) {
    ObjectNode m = JSON.createObjectNode();
    m.put("id", id).put("channel_id", channel == null ? SUPPORT_CHANNEL : channel).put("type", webhook ? 20 : 0)
        .put("content", body.path("content").asText("")).put("timestamp", "2026-11-23T17:00:00.000000+00:00")
        .putNull("edited_timestamp").put("tts", false).put("mention_everyone", false).put("pinned", false)
        .put("flags", body.path("flags").asInt(0));
    m.set("author", user(APP_ID, true));
    m.putArray("mentions");
    m.putArray("mention_roles");
    m.putArray("attachments");
    ArrayNode embeds = m.putArray("embeds");
    body.path("embeds").forEach(e -> embeds.add(((ObjectNode) e.deepCopy()).put("type", "rich")));
    m.set("components", body.has("components") ? body.get("components") : JSON.createArrayNode());
    if (webhook) {
      m.put("webhook_id", APP_ID).put("application_id", APP_ID);
    }
    messages.put(id, m);
    return m;
  }

  private static void send(HttpExchange x, int status, JsonNode body) throws IOException {
    // Discord's API answers through Google's front end; JDA takes a 429 without Via for a Cloudflare ban
    x.getResponseHeaders().add("Via", "1.1 google");
    if (body == null) {
      x.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  // ---- Discord objects ------------------------------------------------------------------------

  /**
   * A fresh snowflake from the wall clock, as Discord makes them: JDA reads an interaction's age from
   * its id and refuses to answer one older than 15 minutes.
   */
  private String next() {
    long now = (System.currentTimeMillis() - 1_420_070_400_000L) << 22;
    return Long.toString(snowflakes.updateAndGet(prev -> Math.max(prev + 1, now)));
  }

  static ObjectNode user(String id, boolean bot) {
    ObjectNode u = JSON.createObjectNode().put("id", id).put("username", bot ? "supportbot" : "user" + id.substring(id.length() - 3))
        .put("discriminator", bot ? "0001" : "0").putNull("global_name").putNull("avatar").put("public_flags", 0)
        .put("flags", 0);
    if (bot) {
      u.put("bot", true).put("verified", true).put("mfa_enabled", false);
    }
    return u;
  }

  private static ObjectNode textChannel(String id, String name, int position) {
    return textChannel(id, GUILD, name, position);
  }

  private static ObjectNode textChannel(String id, String guild, String name, int position) {
    ObjectNode c = JSON.createObjectNode().put("id", id).put("type", 0).put("guild_id", guild).put("name", name)
        .put("position", position).putNull("parent_id").putNull("topic").put("nsfw", false)
        .put("rate_limit_per_user", 0).putNull("last_message_id").put("flags", 0);
    c.putArray("permission_overwrites");
    return c;
  }

  private static ObjectNode thread(String id, String guild, String parent, String name) {
    ObjectNode t = JSON.createObjectNode().put("id", id).put("type", 11).put("guild_id", guild).put("parent_id", parent)
        .put("name", name).put("owner_id", APP_ID).put("member_count", 1).put("message_count", 0)
        .put("total_message_sent", 0).put("rate_limit_per_user", 0).put("flags", 0).putNull("last_message_id");
    t.putObject("thread_metadata").put("archived", false).put("auto_archive_duration", 10080)
        .put("archive_timestamp", "2026-11-23T17:00:00.000000+00:00").put("locked", false)
        .put("create_timestamp", "2026-11-23T17:00:00.000000+00:00");
    t.putArray("applied_tags");
    return t;
  }

  private static ObjectNode role(String id, String name, int position, long permissions, boolean mentionable) {
    ObjectNode r = JSON.createObjectNode().put("id", id).put("name", name).put("color", 0).put("position", position)
        .put("permissions", Long.toString(permissions)).put("hoist", false).put("managed", false)
        .put("mentionable", mentionable).put("flags", 0).putNull("icon").putNull("unicode_emoji");
    r.putObject("colors").put("primary_color", 0).putNull("secondary_color").putNull("tertiary_color");
    return r;
  }

  /** The guilds of shard {@code shard} of {@code total}, as Discord assigns them: {@code (guild_id >> 22) % total}. */
  private List<String> guildsOf(int shard, int total) {
    List<String> all = shardsTotal > 1 ? List.of(GUILD, GUILD_B) : List.of(GUILD);
    return all.stream().filter(g -> (Long.parseUnsignedLong(g) >>> 22) % total == shard).toList();
  }

  private ObjectNode guild(String id) {
    boolean first = id.equals(GUILD);
    ObjectNode g = JSON.createObjectNode().put("id", id).put("name", first ? "Acme Support" : "Beta Support")
        .put("owner_id", "1500000000000000999")
        .put("member_count", 4).put("unavailable", false).put("large", false).put("lazy", true)
        .put("joined_at", "2026-01-05T10:00:00.000000+00:00").put("premium_tier", 0).put("preferred_locale", "en-US")
        .put("system_channel_flags", 0).put("verification_level", 0).put("mfa_level", 0).put("explicit_content_filter", 0)
        .put("default_message_notifications", 0).put("nsfw_level", 0).put("premium_progress_bar_enabled", false)
        .putNull("icon").putNull("splash").putNull("banner").putNull("description").putNull("vanity_url_code")
        .putNull("afk_channel_id").put("afk_timeout", 300).putNull("system_channel_id").putNull("rules_channel_id")
        .putNull("public_updates_channel_id").putNull("safety_alerts_channel_id").put("max_members", 500000)
        .put("premium_subscription_count", 0);
    ArrayNode roles = g.putArray("roles");
    roles.add(role(id, "@everyone", 0, 0L, false));
    if (first) {
      roles.add(role(ON_CALL_ROLE, "on-call", 1, 0L, true));
    }
    roles.add(role(first ? BOT_ROLE : BOT_ROLE_B, "supportbot", 2, Permission.getRaw(messageContentEnabled
        ? DiscordAdapter.THREAD_REPLY_PERMISSIONS : DiscordAdapter.PERMISSIONS), false));
    ArrayNode chans = g.putArray("channels");
    for (String c : first ? List.of(SUPPORT_CHANNEL, TRIAGE, ESCALATIONS) : List.of(SUPPORT_CHANNEL_B)) {
      chans.add(channels.get(c));
    }
    ObjectNode self = g.putArray("members").addObject();
    self.set("user", user(APP_ID, true));
    self.putArray("roles").add(first ? BOT_ROLE : BOT_ROLE_B);
    self.put("joined_at", "2026-01-05T10:00:00.000000+00:00").put("deaf", false).put("mute", false).put("flags", 0)
        .put("pending", false).putNull("nick").putNull("avatar").putNull("premium_since")
        .putNull("communication_disabled_until");
    ArrayNode threads = g.putArray("threads"); // active threads, as Discord lists them on (re)connect
    channels.values().stream().filter(c -> c.path("type").asInt() == 11).filter(c -> c.path("guild_id").asText().equals(id))
        .filter(c -> !c.get("thread_metadata").get("archived").asBoolean()).forEach(threads::add);
    for (String empty : List.of("guild_scheduled_events", "emojis", "stickers", "voice_states", "presences",
        "features", "soundboard_sounds", "stage_instances")) {
      g.putArray(empty);
    }
    return g;
  }

  // ---- gateway --------------------------------------------------------------------------------

  /** One gateway session: the shard its IDENTIFY named and its own sequence of events. */
  private static final class Session {
    final WebSocket conn;
    final AtomicInteger seq = new AtomicInteger();
    volatile int shard;
    volatile int total = 1;
    volatile boolean identified;

    Session(WebSocket conn) {
      this.conn = conn;
    }
  }

  /** The shard each IDENTIFY named, in order ({@code [id, total]}; {@code [0, 1]} when it named none). */
  private final List<List<Integer>> identifiedShards = new CopyOnWriteArrayList<>();

  /** The shards sessions identified with so far, in order. */
  public List<List<Integer>> identifiedShards() {
    return List.copyOf(identifiedShards);
  }

  private final class Gateway extends WebSocketServer {
    final CountDownLatch started = new CountDownLatch(1);
    private final Map<WebSocket, Session> sessions = new ConcurrentHashMap<>();

    Gateway() {
      super(new InetSocketAddress("127.0.0.1", 0));
      setReuseAddr(true);
      setDaemon(true);
    }

    @Override
    public void onStart() {
      started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
      sessions.put(conn, new Session(conn));
      ObjectNode hello = JSON.createObjectNode().put("op", 10).putNull("s").putNull("t");
      hello.putObject("d").put("heartbeat_interval", 1000);
      conn.send(hello.toString());
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
      JsonNode m;
      try {
        m = JSON.readTree(message);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      switch (m.path("op").asInt()) {
        case 1 -> {
          heartbeats.incrementAndGet();
          conn.send("{\"op\":11,\"d\":null,\"s\":null,\"t\":null}");
        }
        case 2 -> {
          identify = m.get("d");
          if ((identify.path("intents").asInt() & (1 << 15)) != 0 && !messageContentEnabled) {
            identified.countDown();
            conn.close(4014, "Disallowed intent(s).");
            return;
          }
          Session session = sessions.get(conn);
          JsonNode shard = identify.path("shard");
          int id = shard.isArray() ? shard.get(0).asInt() : 0;
          int total = shard.isArray() ? shard.get(1).asInt() : 1;
          if (total < 1 || id < 0 || id >= total) {
            identified.countDown();
            conn.close(4010, "Invalid shard.");
            return;
          }
          if (total < shardsTotal) {
            identified.countDown();
            conn.close(4011, "Sharding required.");
            return;
          }
          session.shard = id;
          session.total = total;
          identifiedShards.add(List.of(id, total));
          List<String> guilds = guildsOf(id, total);
          ObjectNode ready = JSON.createObjectNode().put("v", 10).put("session_id", "fake-session-" + id)
              .put("resume_gateway_url", gatewayUrl().toString());
          ready.set("user", user(APP_ID, true));
          ArrayNode listed = ready.putArray("guilds");
          guilds.forEach(g -> listed.addObject().put("id", g).put("unavailable", true));
          ready.putArray("private_channels");
          ready.putArray("presences");
          ready.putArray("relationships");
          ready.putArray("guild_join_requests");
          ready.putArray("_trace").add("fake-discord");
          ready.putObject("application").put("id", APP_ID).put("flags", 0);
          if (shard.isArray()) {
            ready.putArray("shard").add(id).add(total);
          }
          send(session, "READY", ready);
          for (String g : guilds) {
            send(session, "GUILD_CREATE", guild(g));
          }
          session.identified = true;
          identified.countDown();
        }
        default -> { }
      }
    }

    boolean connected() {
      return sessions.values().stream().anyMatch(s -> s.identified && s.conn.isOpen());
    }

    /**
     * Sends the event to the session of the shard that owns its guild ({@code guild_id}, or the guild of its
     * {@code channel_id}); an event of no guild goes to shard 0's session.
     */
    int dispatch(String type, JsonNode data) {
      String guild = data.path("guild_id").asText("");
      if (guild.isEmpty() && data.hasNonNull("channel_id") && channels.containsKey(data.get("channel_id").asText())) {
        guild = channels.get(data.get("channel_id").asText()).path("guild_id").asText("");
      }
      long g = guild.isEmpty() ? -1 : Long.parseUnsignedLong(guild);
      for (Session s : sessions.values()) {
        if (s.identified && (g < 0 ? s.shard == 0 : (g >>> 22) % s.total == s.shard)) {
          return send(s, type, data);
        }
      }
      throw new IllegalStateException("JDA is not connected to the fake gateway" + (guild.isEmpty() ? ""
          : " on the shard of guild " + guild));
    }

    private int send(Session session, String type, JsonNode data) {
      int s = session.seq.incrementAndGet();
      ObjectNode event = JSON.createObjectNode().put("op", 0).put("s", s).put("t", type);
      event.set("d", data);
      session.conn.send(event.toString());
      return s;
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
      sessions.remove(conn);
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
      // a closed connection during shutdown; the tests assert on what was exchanged
    }
  }

  @Override
  public void close() throws InterruptedException {
    hung.values().forEach(CountDownLatch::countDown);
    holding.clear();
    List.copyOf(heldAnswers.values()).forEach(CountDownLatch::countDown);
    http.stop(0);
    gateway.stop(1000);
  }

  /** Calls in order from {@code from}, for assertions. */
  public List<Call> since(int from) {
    List<Call> all = calls();
    return new ArrayList<>(all.subList(Math.min(from, all.size()), all.size()));
  }

  Optional<Call> last(Predicate<Call> matching) {
    List<Call> all = calls();
    for (int i = all.size() - 1; i >= 0; i--) {
      if (matching.test(all.get(i))) {
        return Optional.of(all.get(i));
      }
    }
    return Optional.empty();
  }
}
