package org.supportbot.bench.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A stand-in for Slack's Web API for load runs: every call waits {@code latency} (a real API's
 * round trip) and then answers as Slack does; calls to a channel marked {@linkplain #hang hung}
 * never answer until released. It records each post (channel, thread, text, blocks, metadata) and
 * tells a listener about every call, so the harness can time replies and count duplicates. It keeps
 * what was posted per channel to answer {@code conversations.history} and {@code conversations.replies}
 * (with metadata), and answers {@code users.info} with the team a user id was registered under.
 */
final class FakeSlackWebApi implements AutoCloseable {
  static final String TEAM = "T0VENDOR";
  static final String BOT_USER = "U0BOT";

  /** One Web API call as received, with the instant (nanoTime) it arrived. */
  record Call(String method, Map<String, String> params, long at) {
    String param(String name) {
      return params.getOrDefault(name, "");
    }
  }

  /** A message posted with chat.postMessage. */
  record Post(String channel, String threadTs, String ts, String text, String blocks, String metadata) {}

  private final HttpServer server;
  private final Duration latency;
  private final String token;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicLong sequence = new AtomicLong();
  private final List<Post> posts = new CopyOnWriteArrayList<>();
  private final Map<String, String> userTeams = new ConcurrentHashMap<>();
  private final Set<String> hung = ConcurrentHashMap.newKeySet();
  private volatile CountDownLatch release = new CountDownLatch(1);
  private final AtomicLong calls = new AtomicLong();
  private volatile Consumer<Call> listener = c -> { };

  private final java.time.Clock clock;

  /** A Web API answering after {@code latency}; message ts are made from {@code clock}'s time, as Slack's are. */
  FakeSlackWebApi(String token, Duration latency, java.time.Clock clock) throws IOException {
    this.clock = clock;
    this.token = token;
    this.latency = latency;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/api/", this::handle);
    server.start();
  }

  String prefix() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
  }

  void listen(Consumer<Call> listener) {
    this.listener = listener;
  }

  void registerUser(String userId, String team) {
    userTeams.put(userId, team);
  }

  /** Calls for {@code channel} (or with that {@code trigger_id}, e.g. views.open) wait until {@link #releaseHung()}. */
  void hang(String channel) {
    hung.add(channel);
  }

  void releaseHung() {
    hung.clear();
    release.countDown();
    release = new CountDownLatch(1);
  }

  List<Post> posts() {
    return List.copyOf(posts);
  }

  long calls() {
    return calls.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestURI().getPath().substring("/api/".length());
      Map<String, String> params = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      String given = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : params.getOrDefault("token", "");
      calls.incrementAndGet();
      String channel = params.getOrDefault("channel", "");
      String trigger = params.getOrDefault("trigger_id", "");
      if (!channel.isEmpty() && hung.contains(channel) || !trigger.isEmpty() && hung.contains(trigger)) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      sleep(latency);
      String body = given.equals(token) ? answer(method, params) : "{\"ok\":false,\"error\":\"invalid_auth\"}";
      listener.accept(new Call(method, params, System.nanoTime()));
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      if (method.equals("auth.test")) {
        exchange.getResponseHeaders().set("X-OAuth-Scopes",
            "commands,chat:write,chat:write.public,channels:history,groups:history,im:history,users:read");
      }
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private String answer(String method, Map<String, String> params) {
    return switch (method) {
      case "auth.test" -> "{\"ok\":true,\"url\":\"https://vendor.slack.com/\",\"team\":\"Vendor\",\"user\":\"supportbot\","
          + "\"team_id\":\"" + TEAM + "\",\"user_id\":\"" + BOT_USER + "\",\"bot_id\":\"B0BOT\"}";
      case "chat.postMessage" -> {
        String ts = nextTs();
        posts.add(new Post(im(params.getOrDefault("channel", "")), params.getOrDefault("thread_ts", ""), ts,
            params.getOrDefault("text", ""), params.getOrDefault("blocks", ""), params.getOrDefault("metadata", "")));
        yield "{\"ok\":true,\"channel\":\"" + params.get("channel") + "\",\"ts\":\"" + ts
            + "\",\"message\":{\"type\":\"message\",\"user\":\"" + BOT_USER + "\",\"text\":\"\"}}";
      }
      case "chat.postEphemeral" -> "{\"ok\":true,\"message_ts\":\"" + nextTs() + "\"}";
      case "chat.update" -> "{\"ok\":true,\"channel\":\"" + params.get("channel") + "\",\"ts\":\"" + params.get("ts")
          + "\",\"text\":\"\"}";
      case "views.open" -> "{\"ok\":true,\"view\":{\"id\":\"V" + sequence.incrementAndGet() + "\",\"type\":\"modal\"}}";
      case "users.info" -> {
        String user = params.getOrDefault("user", "");
        String team = userTeams.getOrDefault(user, TEAM);
        yield "{\"ok\":true,\"user\":{\"id\":\"" + user + "\",\"team_id\":\"" + team + "\",\"name\":\"" + user.toLowerCase()
            + "\"}}";
      }
      case "conversations.open" -> "{\"ok\":true,\"channel\":{\"id\":\"" + im(params.getOrDefault("users", ""))
              + "\"}}";
          case "conversations.history", "conversations.replies" -> history(method, params);
      default -> "{\"ok\":true}";
    };
  }

  /** The bot's own posts in a channel (or a thread), newest first, with their metadata. */
  private String history(String method, Map<String, String> params) {
    String channel = params.getOrDefault("channel", "");
    String thread = method.equals("conversations.replies") ? params.getOrDefault("ts", "") : null;
    double oldest = params.containsKey("oldest") ? Double.parseDouble(params.get("oldest")) : 0;
    List<Map<String, Object>> messages = new ArrayList<>();
    for (Post p : posts) {
      if (!p.channel().equals(channel) || Double.parseDouble(p.ts()) < oldest) {
        continue;
      }
      if (thread != null && !(p.ts().equals(thread) || p.threadTs().equals(thread))) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", "message");
      m.put("user", BOT_USER);
      m.put("bot_id", "B0BOT");
      m.put("ts", p.ts());
      m.put("text", p.text());
      if (!p.threadTs().isEmpty()) {
        m.put("thread_ts", p.threadTs());
      }
      if (!p.metadata().isEmpty()) {
        try {
          m.put("metadata", json.readTree(p.metadata()));
        } catch (IOException e) {
          m.put("metadata", p.metadata());
        }
      }
      messages.add(0, m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ok", true);
    out.put("messages", messages);
    out.put("has_more", false);
    try {
      return json.writeValueAsString(out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The value and action id of the first button whose action id starts with {@code action}. */
  static String[] button(ObjectMapper json, String blocks, String action) {
    try {
      for (JsonNode block : json.readTree(blocks)) {
        for (JsonNode e : block.path("elements")) {
          if (e.path("action_id").asText("").startsWith(action)) {
            return new String[] {e.path("action_id").asText(), e.path("value").asText()};
          }
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  /** A message ts as Slack makes them: the epoch second now, and a sequence that keeps each one unique. */
  private String nextTs() {
    return clock.instant().getEpochSecond() + "." + String.format("%06d", sequence.incrementAndGet() % 1_000_000);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    if (body.isEmpty()) {
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
    releaseHung();
    server.stop(0);
  }

  /** Where Slack puts a post made to a user id: the app's direct-message channel with them (D + the id here). */
  static String im(String channel) {
    return channel.startsWith("U") || channel.startsWith("W") ? "D" + channel : channel;
  }
}
