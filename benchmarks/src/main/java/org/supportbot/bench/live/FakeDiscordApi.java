package org.supportbot.bench.live;

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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A Discord on loopback for {@link DiscordCrashHarness}: the REST API (JDK HttpServer) and the gateway
 * (Java-WebSocket) a real {@code supportbot run} talks to through JDA, shaped as the adapters' test fake
 * {@code FakeDiscord} (whose notes on what JDA needs apply here), with one guild, a support channel per
 * organization and the vendor's triage channel. It outlives the bot processes it serves: messages,
 * threads and nonces stay across kills, a new connection gets READY and a GUILD_CREATE listing the
 * active threads, and {@code GET channels/{id}/messages?after=} serves the history for the bot's
 * downtime backfill.
 *
 * <p>Message creates with {@code enforce_nonce} are made once per channel and nonce, as Discord does for
 * a few minutes: the same nonce again gets the message made before ({@link #nonceReplays()} counts them).
 */
public final class FakeDiscordApi implements AutoCloseable {
  static final String APP_ID = "1100000000000000001";
  static final String GUILD = "1200000000000000001";
  static final String TRIAGE = "1300000000000000000";
  static final String BOT_ROLE = "1400000000000000002";
  static final String ON_CALL_ROLE = "1400000000000000001";
  /**
   * View Channel, Send Messages, Embed Links, Read Message History, Create Public Threads, Send Messages
   * in Threads: what the bot needs with thread replies on.
   */
  static final long PERMISSIONS = 1024L | 2048L | 16384L | 65536L | (1L << 35) | (1L << 38);

  /** A REST call as answered. */
  public record Call(String method, String path, String query, JsonNode body, int status, JsonNode response,
      long at) {
    boolean is(String m, String regex) {
      return method.equals(m) && path.matches(regex);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern API = Pattern.compile("/api/v10/(.*)");

  private final String token;
  private final HttpServer http;
  private final Gateway gateway;
  private final AtomicLong snowflakes = new AtomicLong();
  private final Map<String, ObjectNode> messages = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> channels = new ConcurrentHashMap<>();
  private final List<String> textChannels = new CopyOnWriteArrayList<>();
  private final Map<String, String> nonces = new ConcurrentHashMap<>();
  /** The channel of each interaction, by its token: where its follow-ups appear. */
  private final Map<String, String> interactionChannels = new ConcurrentHashMap<>();
  private final AtomicInteger nonceReplays = new AtomicInteger();
  private final AtomicLong calls = new AtomicLong();
  private final List<Consumer<Call>> listeners = new CopyOnWriteArrayList<>();

  private final java.time.Clock clock;
  private volatile double lose;
  private volatile java.util.Random losing = new java.util.Random(1);
  private final AtomicInteger lostAnswers = new AtomicInteger();

  FakeDiscordApi(String token, List<String> supportChannels, java.time.Clock clock)
      throws IOException, InterruptedException {
    this.token = token;
    this.clock = clock;
    channels.put(TRIAGE, textChannel(TRIAGE, "triage", 0));
    textChannels.add(TRIAGE);
    int position = 1;
    for (String c : supportChannels) {
      channels.put(c, textChannel(c, "support-" + position, position++));
      textChannels.add(c);
    }
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", this::serve);
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    http.start();
    gateway = new Gateway();
    gateway.start();
    if (!gateway.started.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the fake gateway did not start");
    }
  }

  URI restBaseUrl() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/api/v10/");
  }

  URI gatewayUrl() {
    return URI.create("ws://127.0.0.1:" + gateway.getPort() + "/");
  }

  /** Called after each REST call is answered, on the server's thread. */
  void listen(Consumer<Call> listener) {
    listeners.add(listener);
  }

  long calls() {
    return calls.get();
  }

  /** Creates answered from a nonce seen before (a retry after a lost answer or a crash): not made twice. */
  int nonceReplays() {
    return nonceReplays.get();
  }

  /**
   * Loses the answer of this fraction of message creates and interaction follow-ups, chosen with {@code seed}: the
   * call is applied (the message is there), then the connection closes without an answer, as when a response is
   * lost or the bot's request times out after Discord made the message.
   */
  void loseAnswers(double fraction, long seed) {
    if (fraction < 0 || fraction > 1) {
      throw new IllegalArgumentException("lose must be a fraction between 0 and 1, got " + fraction);
    }
    this.lose = fraction;
    this.losing = new java.util.Random(seed);
  }

  /** Answers lost by {@link #loseAnswers}. */
  int lostAnswers() {
    return lostAnswers.get();
  }

  /** The person a direct-message channel is with; null for any other channel. */
  String recipient(String channelId) {
    ObjectNode c = channels.get(channelId);
    return c == null || c.path("type").asInt() != 1 ? null : c.get("recipients").get(0).get("id").asText();
  }

  /** Whether a bot is connected to the gateway and identified. */
  boolean connected() {
    return gateway.identified;
  }

  /** Every message made, bot posts, follow-ups and people's messages alike. */
  List<JsonNode> messages() {
    return List.copyOf(messages.values());
  }

  // ---- what people do ------------------------------------------------------------------------

  /** A slash command; returns the interaction id (its token is {@code itok-ID}). */
  String slash(String user, String channel, String name, String text) {
    ObjectNode data = JSON.createObjectNode().put("id", next()).put("name", name).put("type", 1).put("guild_id", GUILD);
    ArrayNode options = data.putArray("options");
    if (text != null) {
      options.addObject().put("name", "text").put("type", 3).put("value", text);
    }
    return push(2, user, channel, data, null);
  }

  /** A click on a button of a message the fake holds. */
  String click(String user, String messageId, String customId) {
    ObjectNode message = messages.get(messageId);
    if (message == null) {
      throw new IllegalStateException("no message " + messageId);
    }
    ObjectNode data = JSON.createObjectNode().put("custom_id", customId).put("component_type", 2);
    return push(3, user, message.get("channel_id").asText(), data, message);
  }

  /** A modal submitted with one text input. */
  String submit(String user, String channel, String modalId, String inputId, String value) {
    ObjectNode data = JSON.createObjectNode().put("custom_id", modalId);
    ObjectNode label = data.putArray("components").addObject().put("type", 18).put("id", 1);
    label.putObject("component").put("type", 4).put("id", 2).put("custom_id", inputId).put("value", value);
    return push(5, user, channel, data, null);
  }

  /**
   * A message typed in {@code channel}: kept in its history, and sent as MESSAGE_CREATE if a bot is
   * connected; returns its id and whether the gateway carried it.
   */
  String typed(String user, String channel, String content) {
    String id = next();
    ObjectNode m = JSON.createObjectNode().put("id", id).put("channel_id", channel).put("guild_id", GUILD)
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
    gateway.dispatchIfConnected("MESSAGE_CREATE", m);
    return id;
  }

  private String push(int type, String user, String channel, ObjectNode data, ObjectNode message) {
    String id = next();
    ObjectNode d = JSON.createObjectNode();
    interactionChannels.put("itok-" + id, channel);
    d.put("id", id).put("application_id", APP_ID).put("type", type).put("token", "itok-" + id)
        .put("version", 1).put("guild_id", GUILD).put("channel_id", channel).put("locale", "en-US")
        .put("guild_locale", "en-US").put("app_permissions", Long.toString(PERMISSIONS))
        .put("context", 0).put("attachment_size_limit", 10485760);
    d.set("channel", channels.get(channel));
    ObjectNode partialGuild = d.putObject("guild").put("id", GUILD).put("locale", "en-US");
    partialGuild.putArray("features");
    d.putArray("entitlements");
    d.putObject("authorizing_integration_owners").put("0", GUILD);
    ObjectNode member = d.putObject("member");
    member.set("user", user(user, false));
    member.putArray("roles");
    member.put("permissions", Long.toString(1024L | 2048L | (1L << 31)))
        .put("joined_at", "2026-01-05T10:00:00.000000+00:00").put("deaf", false).put("mute", false).put("flags", 0)
        .put("pending", false).putNull("nick").putNull("avatar").putNull("premium_since")
        .putNull("communication_disabled_until");
    d.set("data", data);
    if (message != null) {
      d.set("message", message);
    }
    if (!gateway.dispatchIfConnected("INTERACTION_CREATE", d)) {
      return null; // nobody is connected: Discord tells the person the application did not respond
    }
    return id;
  }

  // ---- REST -------------------------------------------------------------------------------------

  private void serve(HttpExchange x) throws IOException {
    try (x) {
      String method = x.getRequestMethod();
      Matcher m = API.matcher(x.getRequestURI().getPath());
      String path = m.matches() ? m.group(1) : x.getRequestURI().getPath();
      String query = x.getRequestURI().getRawQuery();
      byte[] raw = x.getRequestBody().readAllBytes();
      JsonNode body = raw.length == 0 ? null : readBody(x, raw);
      boolean interactionRoute = path.startsWith("interactions/") || path.startsWith("webhooks/");
      Answer a;
      if (!interactionRoute && !("Bot " + token).equals(x.getRequestHeaders().getFirst("Authorization"))) {
        a = new Answer(401, JSON.createObjectNode().put("message", "401: Unauthorized").put("code", 0));
      } else {
        a = answer(method, path, query, body);
      }
      calls.incrementAndGet();
      boolean create = method.equals("POST") && (path.matches("channels/[0-9]+/messages")
          || path.matches("webhooks/[0-9]+/[^/]+"));
      if (create && a.status() == 200 && lose > 0 && losing.nextDouble() < lose) {
        lostAnswers.incrementAndGet();
        // applied, and the exchange closes without an answer: the bot's call fails with the connection broken
        tell(new Call(method, path, query, body, a.status(), a.body(), System.nanoTime()));
        return;
      }
      send(x, a.status(), a.body());
      tell(new Call(method, path, query, body, a.status(), a.body(), System.nanoTime()));
    }
  }

  private void tell(Call call) {
    for (Consumer<Call> l : listeners) {
      try {
        l.accept(call);
      } catch (RuntimeException e) {
        System.err.println("harness listener failed on " + call.method() + " " + call.path() + ": " + e);
      }
    }
  }

  private record Answer(int status, JsonNode body) {}

  private synchronized Answer answer(String method, String path, String query, JsonNode body) {
    String[] p = path.split("/");
    if (method.equals("GET") && path.equals("users/@me")) {
      return ok(user(APP_ID, true));
    }
    if (method.equals("GET") && path.equals("gateway/bot")) {
      ObjectNode g = JSON.createObjectNode().put("url", gatewayUrl().toString()).put("shards", 1);
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
        return ok(store(next(), interactionChannels.get(p[2]), body, true, p[2]));
      }
      if (method.equals("DELETE")) {
        return new Answer(204, null);
      }
      if (method.equals("PATCH")) {
        return ok(store(next(), null, body, true, p[2]));
      }
    }
    if (p.length == 2 && p[0].equals("channels")) {
      ObjectNode c = channels.get(p[1]);
      if (c == null) {
        return new Answer(404, JSON.createObjectNode().put("message", "Unknown Channel").put("code", 10003));
      }
      if (method.equals("GET")) {
        return ok(c.deepCopy());
      }
      if (method.equals("PATCH") && body.has("archived")) {
        ((ObjectNode) c.get("thread_metadata")).put("archived", body.get("archived").asBoolean());
        return ok(c.deepCopy());
      }
    }
    if (p.length >= 3 && p[0].equals("channels") && p[2].equals("messages") && channels.containsKey(p[1])) {
      if (method.equals("GET") && p.length == 3) {
        return history(p[1], query);
      }
      if (method.equals("POST") && p.length == 3) {
        String nonceKey = body.path("enforce_nonce").asBoolean() && body.hasNonNull("nonce")
            ? p[1] + " " + body.get("nonce").asText() : null;
        if (nonceKey != null && nonces.containsKey(nonceKey)) {
          nonceReplays.incrementAndGet();
          return ok(messages.get(nonces.get(nonceKey)));
        }
        ObjectNode made = store(next(), p[1], body, false, null);
        if (nonceKey != null) {
          nonces.put(nonceKey, made.get("id").asText());
        }
        return ok(made);
      }
      if (method.equals("PATCH") && p.length == 4 && messages.containsKey(p[3])) {
        ObjectNode edited = store(p[3], p[1], body, false, null);
        return ok(edited);
      }
      if (method.equals("PATCH") && p.length == 4) {
        return new Answer(404, JSON.createObjectNode().put("message", "Unknown Message").put("code", 10008));
      }
    }
    if (method.equals("POST") && p.length == 3 && p[0].equals("channels") && p[2].equals("threads")
        && channels.containsKey(p[1])) {
      String id = next();
      ObjectNode t = thread(id, p[1], body.get("name").asText());
      channels.put(id, t);
      gateway.dispatchIfConnected("THREAD_CREATE", t);
      return ok(t);
    }
    if (method.equals("POST") && path.equals("users/@me/channels")) {
      String recipient = body.get("recipient_id").asText();
      String existing = channels.values().stream().filter(c -> c.path("type").asInt() == 1
          && c.get("recipients").get(0).get("id").asText().equals(recipient)).map(c -> c.get("id").asText())
          .findFirst().orElse(null);
      if (existing != null) {
        return ok(channels.get(existing));
      }
      ObjectNode dm = JSON.createObjectNode().put("id", next()).put("type", 1).putNull("last_message_id");
      dm.putArray("recipients").add(user(recipient, false));
      channels.put(dm.get("id").asText(), dm);
      return ok(dm);
    }
    return new Answer(404, JSON.createObjectNode().put("message", "404: Not Found").put("code", 0));
  }

  /** {@code GET channels/{id}/messages?after=&limit=}: the messages after the id, newest first. */
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
    List<ObjectNode> found = messages.values().stream().filter(m -> m.get("channel_id").asText().equals(channel))
        .filter(m -> Long.parseUnsignedLong(m.get("id").asText()) > from)
        .sorted(Comparator.comparingLong((ObjectNode m) -> Long.parseUnsignedLong(m.get("id").asText())))
        .limit(limit).toList();
    ArrayNode newestFirst = JSON.createArrayNode();
    for (int i = found.size() - 1; i >= 0; i--) {
      newestFirst.add(found.get(i));
    }
    return ok(newestFirst);
  }

  private static Answer ok(JsonNode body) {
    return new Answer(200, body);
  }

  private ObjectNode store(String id, String channel, JsonNode body, boolean webhook, String token) {
    ObjectNode m = JSON.createObjectNode();
    ObjectNode before = messages.get(id);
    String where = channel != null ? channel : before != null ? before.get("channel_id").asText() : "webhook";
    m.put("id", id).put("channel_id", where).put("type", webhook ? 20 : 0)
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
      m.put("webhook_id", APP_ID).put("application_id", APP_ID).put("interaction_token", token);
    }
    if (body.hasNonNull("nonce")) {
      m.put("nonce", body.get("nonce").asText());
    } else if (before != null && before.has("nonce")) {
      m.put("nonce", before.get("nonce").asText()); // an edit keeps the nonce the message was made with
    }
    messages.put(id, m);
    return m;
  }

  private static void send(HttpExchange x, int status, JsonNode body) throws IOException {
    x.getResponseHeaders().add("Via", "1.1 google"); // JDA takes a 429 without it for a Cloudflare ban
    if (body == null) {
      x.sendResponseHeaders(status, -1);
      return;
    }
    ObjectNode out = body.isObject() ? ((ObjectNode) body).deepCopy() : null;
    if (out != null) {
      out.remove("interaction_token");
    }
    byte[] bytes = JSON.writeValueAsBytes(out != null ? out : body);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(bytes);
    }
  }

  private static JsonNode readBody(HttpExchange x, byte[] raw) throws IOException {
    String type = x.getRequestHeaders().getFirst("Content-Type");
    String text = new String(raw, StandardCharsets.UTF_8);
    if (type != null && type.startsWith("multipart/form-data")) {
      return JSON.readTree(text.substring(text.indexOf('{'), text.lastIndexOf('}') + 1));
    }
    return JSON.readTree(text);
  }

  // ---- Discord objects --------------------------------------------------------------------------

  /** A snowflake of the clock's time (the real one against a real bot): JDA reads an interaction's age from its id. */
  String next() {
    long now = (clock.millis() - 1_420_070_400_000L) << 22;
    return Long.toString(snowflakes.updateAndGet(prev -> Math.max(prev + 1, now)));
  }

  static ObjectNode user(String id, boolean bot) {
    ObjectNode u = JSON.createObjectNode().put("id", id).put("username", bot ? "supportbot" : "user" + id)
        .put("discriminator", bot ? "0001" : "0").putNull("global_name").putNull("avatar").put("public_flags", 0)
        .put("flags", 0);
    if (bot) {
      u.put("bot", true).put("verified", true).put("mfa_enabled", false);
    }
    return u;
  }

  private static ObjectNode textChannel(String id, String name, int position) {
    ObjectNode c = JSON.createObjectNode().put("id", id).put("type", 0).put("guild_id", GUILD).put("name", name)
        .put("position", position).putNull("parent_id").putNull("topic").put("nsfw", false)
        .put("rate_limit_per_user", 0).putNull("last_message_id").put("flags", 0);
    c.putArray("permission_overwrites");
    return c;
  }

  private static ObjectNode thread(String id, String parent, String name) {
    ObjectNode t = JSON.createObjectNode().put("id", id).put("type", 11).put("guild_id", GUILD).put("parent_id", parent)
        .put("name", name).put("owner_id", APP_ID).put("member_count", 1).put("message_count", 0)
        .put("total_message_sent", 0).put("rate_limit_per_user", 0).put("flags", 0).putNull("last_message_id");
    t.putObject("thread_metadata").put("archived", false).put("auto_archive_duration", 10080)
        .put("archive_timestamp", "2026-11-23T17:00:00.000000+00:00").put("locked", false)
        .put("create_timestamp", "2026-11-23T17:00:00.000000+00:00");
    t.putArray("applied_tags");
    return t;
  }

  private static ObjectNode role(String id, String name, int position, long permissions) {
    ObjectNode r = JSON.createObjectNode().put("id", id).put("name", name).put("color", 0).put("position", position)
        .put("permissions", Long.toString(permissions)).put("hoist", false).put("managed", false)
        .put("mentionable", true).put("flags", 0).putNull("icon").putNull("unicode_emoji");
    r.putObject("colors").put("primary_color", 0).putNull("secondary_color").putNull("tertiary_color");
    return r;
  }

  private ObjectNode guild() {
    ObjectNode g = JSON.createObjectNode().put("id", GUILD).put("name", "Vendor Support").put("owner_id", "1500000000000000999")
        .put("member_count", 4).put("unavailable", false).put("large", false).put("lazy", true)
        .put("joined_at", "2026-01-05T10:00:00.000000+00:00").put("premium_tier", 0).put("preferred_locale", "en-US")
        .put("system_channel_flags", 0).put("verification_level", 0).put("mfa_level", 0).put("explicit_content_filter", 0)
        .put("default_message_notifications", 0).put("nsfw_level", 0).put("premium_progress_bar_enabled", false)
        .putNull("icon").putNull("splash").putNull("banner").putNull("description").putNull("vanity_url_code")
        .putNull("afk_channel_id").put("afk_timeout", 300).putNull("system_channel_id").putNull("rules_channel_id")
        .putNull("public_updates_channel_id").putNull("safety_alerts_channel_id").put("max_members", 500000)
        .put("premium_subscription_count", 0);
    ArrayNode roles = g.putArray("roles");
    roles.add(role(GUILD, "@everyone", 0, 0L));
    roles.add(role(ON_CALL_ROLE, "on-call", 1, 0L));
    roles.add(role(BOT_ROLE, "supportbot", 2, PERMISSIONS));
    ArrayNode chans = g.putArray("channels");
    textChannels.forEach(c -> chans.add(channels.get(c)));
    ObjectNode self = g.putArray("members").addObject();
    self.set("user", user(APP_ID, true));
    self.putArray("roles").add(BOT_ROLE);
    self.put("joined_at", "2026-01-05T10:00:00.000000+00:00").put("deaf", false).put("mute", false).put("flags", 0)
        .put("pending", false).putNull("nick").putNull("avatar").putNull("premium_since")
        .putNull("communication_disabled_until");
    ArrayNode threads = g.putArray("threads");
    channels.values().stream().filter(c -> c.path("type").asInt() == 11)
        .filter(c -> !c.get("thread_metadata").get("archived").asBoolean()).forEach(threads::add);
    for (String empty : List.of("guild_scheduled_events", "emojis", "stickers", "voice_states", "presences",
        "features", "soundboard_sounds", "stage_instances")) {
      g.putArray(empty);
    }
    return g;
  }

  // ---- gateway -----------------------------------------------------------------------------------

  private final class Gateway extends WebSocketServer {
    final CountDownLatch started = new CountDownLatch(1);
    private final AtomicInteger seq = new AtomicInteger();
    private volatile WebSocket client;
    private volatile boolean identified;

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
        return;
      }
      switch (m.path("op").asInt()) {
        case 1 -> conn.send("{\"op\":11,\"d\":null,\"s\":null,\"t\":null}");
        case 2, 6 -> { // IDENTIFY, or a RESUME answered as a new session
          synchronized (this) {
            client = conn;
            ObjectNode ready = JSON.createObjectNode().put("v", 10).put("session_id", "fake-" + next())
                .put("resume_gateway_url", gatewayUrl().toString());
            ready.set("user", user(APP_ID, true));
            ready.putArray("guilds").addObject().put("id", GUILD).put("unavailable", true);
            for (String empty : List.of("private_channels", "presences", "relationships", "guild_join_requests")) {
              ready.putArray(empty);
            }
            ready.putArray("_trace").add("fake-discord");
            ready.putObject("application").put("id", APP_ID).put("flags", 0);
            send(conn, "READY", ready);
            synchronized (FakeDiscordApi.this) {
              send(conn, "GUILD_CREATE", guild());
            }
            identified = true;
          }
        }
        default -> { }
      }
    }

    private void send(WebSocket conn, String type, JsonNode data) {
      ObjectNode event = JSON.createObjectNode().put("op", 0).put("s", seq.incrementAndGet()).put("t", type);
      event.set("d", data);
      conn.send(event.toString());
    }

    /** Sends an event to the connected bot; false when none is connected (the event is not delivered). */
    synchronized boolean dispatchIfConnected(String type, JsonNode data) {
      WebSocket c = client;
      if (c == null || !c.isOpen() || !identified) {
        return false;
      }
      try {
        send(c, type, data);
        return true;
      } catch (org.java_websocket.exceptions.WebsocketNotConnectedException e) {
        return false;
      }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
      synchronized (this) {
        if (conn == client) {
          client = null;
          identified = false;
        }
      }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
      // a killed bot drops its connection; the harness counts what was delivered
    }
  }

  @Override
  public void close() throws InterruptedException {
    http.stop(0);
    gateway.stop(1000);
  }

  List<String> supportChannels() {
    return new ArrayList<>(textChannels.subList(1, textChannels.size()));
  }
}
