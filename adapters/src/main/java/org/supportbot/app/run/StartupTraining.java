package org.supportbot.app.run;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.IndexReport;
import org.supportbot.kb.index.KbIndexing;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code supportbot train-startup} (hidden): the training run the launcher records a JDK 25 AOT cache
 * from ({@code -XX:AOTCacheOutput}). It starts the real {@code run} path on a scratch folder (a fresh SQLite
 * file with its migrations, a small Lucene index, the ops endpoint, Slack in HTTP mode against a loopback
 * stand-in for the Web API), sends it signed requests of the kinds a restarted desk meets first (a slash
 * command, a filing that opens a modal, a message in a channel, a health probe), waits until each was
 * handled and stops it gracefully. Then it indexes {@code --index-articles} generated articles ({@link
 * TrainingArticles}) as {@code kb index --rebuild} does, so that the cache holds that command's profiles too
 * (a cold {@code kb index} of 100,000 articles spends about 2 CPU-seconds less with them), and deletes the
 * folder. Nothing leaves the machine; no setting of the operator's is read.
 */
@Command(name = "train-startup", hidden = true, mixinStandardHelpOptions = true,
    description = "Exercise the start path on scratch data (used by the launcher to make its AOT cache).")
public final class StartupTraining implements Callable<Integer> {
  private static final String TOKEN = "xoxb-startup-training";
  private static final String SECRET = "startup-training-signing-secret";
  private static final String TEAM = "T0TRAIN";
  /** The longest the whole training may take; a machine this slow gets no cache rather than a hung launcher. */
  static final Duration LIMIT = Duration.ofSeconds(120);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--native-dir", paramLabel = "DIR", description = "Also put SQLite's native library for"
      + " this machine in DIR, to be loaded from there (-Dorg.sqlite.lib.path) instead of being unpacked into the"
      + " temporary folder at every start.")
  Path nativeDir;

  @CommandLine.Option(names = "--index-articles", paramLabel = "N", defaultValue = "20000", description = "Generated"
      + " articles to index after the run path (default: ${DEFAULT-VALUE}); enough for the indexing code to get hot.")
  int indexArticles;

  private final Clock clock;

  public StartupTraining() {
    this(Clock.systemUTC());
  }

  StartupTraining(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (indexArticles < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--index-articles must be 0 or more, got " + indexArticles + " (0 skips the indexing)");
    }
    Path scratch = Files.createTempDirectory("supportbot-training");
    try (WebApi api = new WebApi()) {
      Path settings = settings(scratch, api);
      RunCommand run = new RunCommand(Map.of("SLACK_BOT_TOKEN", TOKEN, "SLACK_SIGNING_SECRET", SECRET), clock);
      CommandLine cli = new CommandLine(run);
      java.io.StringWriter out = new java.io.StringWriter();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(out, true));
      Thread runner = Thread.ofPlatform().name("training-run").start(
          () -> cli.execute("--config", settings.toString()));
      RunCommand.Started started;
      try {
        started = run.started().get(LIMIT.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        err.println("error: the training run did not start: " + out.toString().lines().findFirst().orElse(
            e.getClass().getSimpleName()));
        run.stop();
        return 1;
      }
      java.util.Optional<String> missed = exercise(started, api);
      run.stop();
      runner.join(LIMIT.toMillis());
      if (missed.isPresent()) {
        err.println("error: the training run did not answer: " + missed.get());
        return 1;
      }
      if (indexArticles > 0) {
        Path articles = scratch.resolve("training-articles");
        new TrainingArticles(42).write(articles, indexArticles);
        IndexReport r = KbIndexing.indexFolders(scratch.resolve("kb-training"), articles, null, "", true,
            KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
        spec.commandLine().getOut().println("indexed " + r.added() + " generated articles");
      }
      if (nativeDir != null) {
        unpackSqlite(nativeDir);
      }
      return 0;
    } finally {
      try (var files = Files.walk(scratch)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /**
   * SQLite's native library for this operating system and processor, as sqlite-jdbc would unpack it: written to
   * a temporary file in {@code dir} and then moved into place, so a start never sees half a library.
   */
  static Path unpackSqlite(Path dir) throws IOException {
    String name = System.mapLibraryName("sqlitejdbc");
    String resource = "/org/sqlite/native/" + org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + name;
    Files.createDirectories(dir);
    Path target = dir.resolve(name);
    Path partial = Files.createTempFile(dir, name, ".partial");
    try (var in = org.sqlite.JDBC.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("sqlite-jdbc holds no native library at " + resource);
      }
      Files.copy(in, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
    return target;
  }

  private static Path settings(Path scratch, WebApi api) throws IOException {
    Path articles = Files.createDirectories(scratch.resolve("articles"));
    Files.writeString(articles.resolve("sync-timeout.md"), "---\nid: sync-timeout\ntitle: The sync job stops with a timeout\n---\n\n"
        + "Raise the sync timeout in the agent settings and restart the agent.\n");
    KbIndexing.indexFolders(scratch.resolve("kb"), articles, null, "", false, KbIndexing.Mode.LEXICAL,
        IndexProgress.NONE);
    String yaml = "database: bot.db\nknowledge_base: kb\ntriage: slack/" + TEAM + "/C0TRIAGE\n"
        + "managers: [slack/" + TEAM + "/UMGR]\n"
        + "organizations:\n  - id: acme\n    key: ACME\n    policy: atomrock\n    commercial_licences: 10\n"
        + "    channels: [slack/" + TEAM + "/C0ACME]\n    contacts: [slack/" + TEAM + "/UCUST]\n"
        + "engineers:\n  - { id: slack/" + TEAM + "/UMGR, name: Max, role: manager }\n"
        + "  - { id: slack/" + TEAM + "/UENG, name: Eve, role: engineer }\n"
        + "slack:\n  mode: http\n  port: " + freePort() + "\n  path: /slack/events\n  api_url: " + api.prefix() + "\n"
        + "ops: { address: 127.0.0.1, port: " + freePort() + " }\n";
    Path file = scratch.resolve("bot.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  /**
   * Sends what a desk meets first after a start and waits until the Web API saw each answer; empty when all
   * were answered, else the first that was not.
   */
  private java.util.Optional<String> exercise(RunCommand.Started started, WebApi api) throws InterruptedException {
    InetSocketAddress slack = started.slackHttp().orElseThrow();
    URI endpoint = URI.create("http://127.0.0.1:" + slack.getPort() + "/slack/events");
    try (HttpClient http = HttpClient.newHttpClient()) {
      started.ops().ifPresent(ops -> send(http, HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + ops.getPort() + "/health")).build()));
      send(http, slash(endpoint, api, "UCUST", "C0ACME", "/help", "", "help1"));
      if (!api.await("chat.postEphemeral", 1)) {
        return java.util.Optional.of("/help");
      }
      send(http, slash(endpoint, api, "UENG", "C0TRIAGE", "/queue", "", "queue1"));
      if (!api.await("chat.postEphemeral", 2)) {
        return java.util.Optional.of("/queue");
      }
      send(http, slash(endpoint, api, "UCUST", "C0ACME", "/support", "", "support1"));
      if (!api.await("views.open", 1)) {
        return java.util.Optional.of("/support");
      }
      send(http, signed(endpoint, "application/json", "{\"token\":\"x\",\"team_id\":\"" + TEAM + "\",\"api_app_id\":"
          + "\"A0APP\",\"type\":\"event_callback\",\"event_id\":\"Ev1\",\"event_time\":" + clock.instant().getEpochSecond()
          + ",\"event\":{\"type\":\"message\",\"channel\":\"C0ACME\",\"user\":\"UCUST\",\"team\":\"" + TEAM + "\","
          + "\"text\":\"the sync job stops\",\"ts\":\"" + clock.instant().getEpochSecond() + ".000100\","
          + "\"channel_type\":\"channel\"}}"));
    }
    return java.util.Optional.empty();
  }

  private static void send(HttpClient http, HttpRequest request) {
    try {
      http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private HttpRequest slash(URI endpoint, WebApi api, String user, String channel, String command, String text,
      String trigger) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("team_id", TEAM);
    f.put("channel_id", channel);
    f.put("user_id", user);
    f.put("command", command);
    f.put("text", text);
    f.put("api_app_id", "A0APP");
    f.put("response_url", api.prefix() + "respond");
    f.put("trigger_id", trigger);
    String body = f.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
        StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    return signed(endpoint, "application/x-www-form-urlencoded", body);
  }

  private HttpRequest signed(URI endpoint, String type, String body) {
    String ts = Long.toString(clock.instant().getEpochSecond());
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String sig = "v0=" + HexFormat.of().formatHex(mac.doFinal(("v0:" + ts + ":" + body)
          .getBytes(StandardCharsets.UTF_8)));
      return HttpRequest.newBuilder(endpoint).header("Content-Type", type).header("X-Slack-Request-Timestamp", ts)
          .header("X-Slack-Signature", sig).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * A loopback stand-in for Slack's Web API: {@code auth.test} names the training workspace, posts get a
   * ts, everything else is ok. It remembers which methods and response URLs were called.
   */
  private static final class WebApi implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, Integer> seen = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong ts = new java.util.concurrent.atomic.AtomicLong();

    WebApi() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext("/api/", this::handle);
      server.start();
    }

    String prefix() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        String method = exchange.getRequestURI().getPath().substring("/api/".length());
        String body = switch (method) {
          case "auth.test" -> "{\"ok\":true,\"team\":\"Training\",\"team_id\":\"" + TEAM + "\",\"user_id\":\"U0BOT\","
              + "\"bot_id\":\"B0BOT\",\"user\":\"supportbot\",\"url\":\"https://training.slack.com/\"}";
          case "chat.postMessage" -> "{\"ok\":true,\"channel\":\"C0ACME\",\"ts\":\"1765000000."
              + String.format("%06d", ts.incrementAndGet()) + "\"}";
          case "users.info" -> "{\"ok\":true,\"user\":{\"id\":\"UCUST\",\"team_id\":\"" + TEAM + "\"}}";
          case "conversations.history", "conversations.replies" -> "{\"ok\":true,\"messages\":[],\"has_more\":false}";
          case "views.open" -> "{\"ok\":true,\"view\":{\"id\":\"V1\",\"type\":\"modal\"}}";
          default -> "{\"ok\":true}";
        };
        seen.merge(method, 1, Integer::sum);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream o = exchange.getResponseBody()) {
          o.write(bytes);
        }
      }
    }

    /** Waits until {@code method} was called {@code times} times, at most {@link #LIMIT}; whether it was. */
    boolean await(String method, int times) throws InterruptedException {
      long deadline = System.nanoTime() + LIMIT.toNanos();
      while (seen.getOrDefault(method, 0) < times && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      return seen.getOrDefault(method, 0) >= times;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
