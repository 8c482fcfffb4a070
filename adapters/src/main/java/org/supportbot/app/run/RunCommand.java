package org.supportbot.app.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.util.http.SlackHttpClient;
import org.supportbot.app.ops.HealthCheck;
import org.supportbot.app.ops.OpsMetrics;
import org.supportbot.app.ops.OpsServer;
import org.supportbot.app.ops.RefusalWatch;
import org.supportbot.app.web.WebServer;
import org.supportbot.core.store.sqlite.DatabaseOpenException;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.config.settings.PostgresLocation;
import org.supportbot.core.store.postgres.DatabaseUnavailableException;
import org.supportbot.core.store.postgres.PostgresDatabase;
import org.supportbot.app.platform.DeskLink;
import org.supportbot.app.platform.LaneWorkers;
import org.supportbot.app.platform.OutboundRouter;
import org.supportbot.app.slack.SlackChatGateway;
import org.supportbot.app.discord.DiscordAdapter;
import org.supportbot.app.discord.DiscordSettings;
import org.supportbot.app.discord.DiscordStartException;
import org.supportbot.app.slack.SlackRunner;
import org.supportbot.app.slack.SlackSettings;
import org.supportbot.app.slack.SlackSetupException;
import org.supportbot.app.Main;
import org.supportbot.config.load.ConfigException;
import org.supportbot.config.load.ConfigProblem;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.config.load.SettingsLoader;
import org.supportbot.config.settings.BotSettings;
import org.supportbot.kb.KbException;
import org.supportbot.kb.LuceneKnowledgeBase;
import org.supportbot.kb.forum.DiscourseSync;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.live.LiveSources;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code supportbot run --config FILE}: checks the settings and connects the configured chat platforms. */
@Command(name = "run", mixinStandardHelpOptions = true,
    header = "Run the desk on the chat platforms the settings file configures.",
    description = {"Checks the settings file and runs the desk on the configured chat platforms (Slack, Discord or",
        "both on one desk); with ops: in the settings, serves GET /health and GET /metrics (Prometheus).",
        "Secrets come from the environment only: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET (HTTP mode),",
        "SLACK_APP_TOKEN (Socket Mode), DISCORD_TOKEN.",
        "Example settings: config/supportbot.example.yaml."})
public final class RunCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The settings file.")
  Path config;

  @Option(names = "--check", description = "Validate the settings, policies and contact limits and that the database"
      + " path can be created and written (or the PostgreSQL server answers), print a summary, and exit without connecting or changing the database.")
  boolean check;

  @Option(names = "--verbose", description = "On a start-up failure, print the stack trace after the one-line error.")
  boolean verbose;

  /** The settings and policies, loaded and cross-checked; null after printing the problems. */
  record Loaded(BotSettings settings, PolicyCatalog catalog) {}

  Loaded load(PrintWriter err) {
    BotSettings settings;
    PolicyCatalog catalog;
    try {
      settings = new SettingsLoader().load(config);
      catalog = settings.policies().isPresent() ? PolicyCatalog.of(settings.policies().get()) : PolicyCatalog.bundled();
    } catch (ConfigException e) {
      for (ConfigProblem p : e.problems()) {
        err.println(p);
      }
      return null;
    }
    List<String> unknown = SettingsLoader.checkPolicies(settings, new HashSet<>(catalog.ids()));
    if (!unknown.isEmpty()) {
      unknown.forEach(u -> err.println(config + ": " + u));
      return null;
    }
    return new Loaded(settings, catalog);
  }

  private final Map<String, String> env;
  private final Clock clock;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CompletableFuture<Started> started = new CompletableFuture<>();

  /** The command as the launcher runs it: secrets from the process environment, the system clock. */
  public RunCommand() {
    this(System.getenv(), Clock.systemUTC());
  }

  /** For tests: secrets from {@code env}, time from {@code clock}. */
  RunCommand(Map<String, String> env, Clock clock) {
    this.env = Map.copyOf(env);
    this.clock = clock;
  }

  /**
   * Where the running bot listens, once everything is connected.
   *
   * @param ops the operators' endpoint, if configured
   * @param slackHttp Slack's Request URL endpoint in HTTP mode
   */
  record Started(Optional<InetSocketAddress> ops, Optional<InetSocketAddress> slackHttp) {}

  /** Completes once the bot is connected and serving; fails if it stopped with an error first. */
  CompletableFuture<Started> started() {
    return started;
  }

  /** Starts the graceful shutdown, as SIGTERM or Ctrl-C does. */
  void stop() {
    stop.countDown();
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      int code = run(out, err);
      started.completeExceptionally(new IllegalStateException("run ended with exit code " + code));
      return code;
    } catch (IOException | RuntimeException e) {
      started.completeExceptionally(e);
      String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
      failed(err, "run stopped: " + e.getClass().getSimpleName() + message, e);
      return 1;
    }
  }

  /**
   * Prints a start-up failure as one line; with {@code --verbose} the stack trace follows, otherwise the
   * line says how to get it.
   */
  private void failed(PrintWriter err, String line, Throwable e) {
    if (verbose) {
      err.println("error: " + line);
      e.printStackTrace(err);
    } else {
      err.println("error: " + line + " (run again with --verbose for the stack trace)");
    }
  }

  private int run(PrintWriter out, PrintWriter err) throws IOException {
    StartSteps steps = new StartSteps();
    Loaded loaded = load(err);
    if (loaded == null) {
      return 1;
    }
    if (check) {
      return check(loaded, out, err);
    }
    BotSettings s = loaded.settings();
    if (s.slack().isEmpty() && s.discord().isEmpty()) {
      err.println("error: " + config + " configures no chat platform; add a slack: or a discord: section (or both),"
          + " see config/supportbot.example.yaml");
      return Main.EXIT_USAGE;
    }
    List<String> missing = missingSecrets(s);
    if (!missing.isEmpty()) {
      err.println("error: " + String.join("; ", missing));
      return 1;
    }
    Optional<String> unusable = s.postgres().isPresent() ? Optional.empty() : SqliteDatabase.unusable(s.database());
    if (unusable.isPresent()) {
      err.println(SettingsLoader.problemAt(config, "database", unusable.get()));
      return 1;
    }
    Optional<String> kbProblem = prepareKnowledgeBase(s);
    if (kbProblem.isPresent()) {
      err.println(SettingsLoader.problemAt(config, "knowledge_base", kbProblem.get()));
      return 1;
    }
    steps.done("settings");
    // Slack's client, the token check (a round trip) and Bolt's app need neither the database nor the desk:
    // made beside them, they are ready (or refused) by the time the desk is
    CompletableFuture<SlackStart> slackStart = s.slack().map(this::prepareSlack).orElse(null);
    OpsMetrics metrics = new OpsMetrics();
    OutboundRouter router = new OutboundRouter();
    DeskWiring wiring;
    try {
      org.supportbot.core.store.DeskStores stores = DeskWiring.open(s, env, clock);
      steps.done("database");
      wiring = DeskWiring.build(s, loaded.catalog(), stores, clock, metrics::timersFired);
    } catch (DeskWiring.Refused e) {
      e.reasons().forEach(r -> err.println(config + ": " + r));
      return 1;
    } catch (DatabaseOpenException | DatabaseUnavailableException e) {
      err.println(SettingsLoader.problemAt(config, "database", e.getMessage()));
      if (verbose) {
        e.printStackTrace(err);
      }
      return 1;
    }
    steps.done("desk");
    HealthCheck health = new HealthCheck(wiring.incidents::timerCounts, clock)
        .outbox(wiring.stores.outbox()::oldestPendingRecordedAt,
            s.ops().map(BotSettings.Ops::maxOutboxAge).orElse(BotSettings.Ops.MAX_OUTBOX_AGE));
    Duration maxFailing = s.ops().map(BotSettings.Ops::maxFailing).orElse(BotSettings.Ops.MAX_FAILING);
    metrics.bindTimers(() -> wiring.incidents.timerCounts(clock.instant().minus(HealthCheck.LATE_AFTER)));
    metrics.bindDecidedAgain(wiring.incidents::retriedAfterConflict);
    metrics.bindDropped(router::dropped);
    metrics.bindOutbox(wiring.outbox::pendingCount, wiring.outbox::setAsideCount);
    DeskLink link = new DeskLink(metrics, router, false);
    // closed in this order: the platforms (each finishes what is in flight), then the operators' endpoint
    Deque<AutoCloseable> running = new ArrayDeque<>();
    Optional<InetSocketAddress> slackHttp = Optional.empty();
    Optional<InetSocketAddress> opsAddress = Optional.empty();
    DeskTicker ticker = null;
    ScheduledExecutorService sampler = null;
    Thread hook = null;
    CountDownLatch stopped = new CountDownLatch(1);
    try {
      if (s.web().isPresent() && !startWeb(s, wiring, clock, running, out, err)) {
        return 1;
      }
      try {
        if (s.slack().isPresent()) {
          slackHttp = startSlack(s.slack().get(), slackStart, wiring, link, metrics, health, maxFailing, running, out);
          steps.done("slack");
        }
        if (s.discord().isPresent()) {
          startDiscord(s.discord().get(), wiring, link, metrics, health, maxFailing, running, out);
          steps.done("discord");
        }
      } catch (IllegalArgumentException | SlackSetupException | DiscordStartException e) {
        err.println("error: " + e.getMessage());
        if (verbose) {
          e.printStackTrace(err);
        }
        return 1;
      }
      if (s.knowledgeSync().isPresent() && wiring.knowledgeBase().isPresent()) {
        BotSettings.KnowledgeSync ks = s.knowledgeSync().get();
        LiveSources live = liveSources(s, ks, wiring.knowledgeBase().get());
        running.addLast(live); // its round in progress ends before the knowledge base closes with the wiring
        health.knowledgeBase(live::status, ks.maxAge(), ks.maxFullAge());
        out.println("supportbot: knowledge base synced every " + ks.every().toSeconds() + " s from "
            + String.join(", ", live.status().sources().keySet())
            + (ks.forums().isEmpty() ? "" : "; forums synced in full every " + ks.fullEvery().toSeconds() + " s ("
            + ks.fullChecks() + " topic checks a round at least, more to finish before the next is due, health"
            + " degraded past " + ks.maxFullAge().toSeconds()
            + " s without a complete one)"));
      }
      ticker = new DeskTicker(wiring.desk, router, TICK, clock);
      sampler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("health-sample").daemon()
          .factory());
      sampler.scheduleWithFixedDelay(health::sample, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
      if (s.ops().isPresent()) {
        BotSettings.Ops o = s.ops().get();
        InetSocketAddress bind = new InetSocketAddress(InetAddress.getByName(o.address()), o.port());
        try {
          OpsServer ops = OpsServer.start(bind, metrics, health);
          running.addLast(ops);
          opsAddress = Optional.of(ops.address());
          out.println("supportbot: health on http://" + hostPort(ops.address()) + "/health, metrics on http://"
              + hostPort(ops.address()) + "/metrics");
        } catch (IOException e) {
          err.println("error: cannot listen on " + o.address() + ":" + o.port() + " for the ops endpoint ("
              + e.getClass().getSimpleName() + "); choose another ops.port or stop what uses it");
          return 1;
        }
      }
      hook = new Thread(() -> {
        stop.countDown();
        try {
          stopped.await(60, TimeUnit.SECONDS); // the JVM waits for the graceful close below
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "supportbot-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      steps.done("ticker and ops");
      out.println("supportbot: started " + steps);
      started.complete(new Started(opsAddress, slackHttp));
      stop.await();
      out.println("supportbot: stopping; commands in flight finish, timers stay in the database");
      health.stopping();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      if (sampler != null) {
        sampler.shutdownNow();
      }
      if (ticker != null) {
        ticker.close();
      }
      for (AutoCloseable c : running) {
        try {
          c.close();
        } catch (Exception e) {
          err.println("warning: shutting down: " + e.getClass().getSimpleName());
        }
      }
      wiring.close();
      stopped.countDown();
      if (hook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
          // the hook is running: it waits for `stopped`, released above
        }
      }
    }
  }

  /**
   * How long each step of the start took, for the one line a start prints ("started in 640 ms: settings 35,
   * database and desk 210, ..."). Elapsed time of this process, not a time of day: it reads the monotonic
   * counter, not the desk's clock.
   */
  static final class StartSteps {
    private final long began = System.nanoTime();
    private long last = began;
    private final StringBuilder steps = new StringBuilder();

    void done(String step) {
      long now = System.nanoTime();
      steps.append(steps.isEmpty() ? "" : ", ").append(step).append(' ').append((now - last) / 1_000_000);
      last = now;
    }

    @Override
    public String toString() {
      return "in " + (last - began) / 1_000_000 + " ms: " + steps + " (ms, from reading the settings)";
    }
  }

  /** How long a scheduled forum sync waits for each answer. */
  static final Duration FORUM_TIMEOUT = Duration.ofSeconds(20);

  /**
   * With live sources configured, makes an empty index where there is none yet (the first round fills
   * it in the background); empty when fine, else the problem.
   */
  private static Optional<String> prepareKnowledgeBase(BotSettings s) {
    if (s.knowledgeSync().isEmpty() || s.knowledgeBase().isEmpty()) {
      return Optional.empty();
    }
    Path dir = s.knowledgeBase().get();
    if (Files.isDirectory(KbIndexing.luceneDir(dir))) {
      return Optional.empty();
    }
    try {
      KbIndexing.index(dir, null, null, false, KbIndexing.Mode.AUTO, IndexProgress.NONE);
      return Optional.empty();
    } catch (KbException e) {
      return Optional.of("cannot create the index in " + dir + ": " + e.getMessage()
          + "; fix the folder's permissions or build it with supportbot kb index");
    }
  }

  private LiveSources liveSources(BotSettings s, BotSettings.KnowledgeSync ks, LuceneKnowledgeBase kb) {
    List<DiscourseSync> forums = new ArrayList<>();
    for (java.net.URI u : ks.forums()) {
      forums.add(new DiscourseSync(DiscourseSync.Config.fromEnvironment(u.toString(), env, FORUM_TIMEOUT), clock));
    }
    return new LiveSources(s.knowledgeBase().orElseThrow(), ks.articles(), forums, kb, clock, ks.fullEvery(),
        ks.fullChecks(), ks.every()).start(ks.every());
  }

  /**
   * Every secret the configured platforms need and the environment lacks, each with where to find it,
   * so one start names them all before anything connects or the database is opened.
   */
  private List<String> missingSecrets(BotSettings s) {
    List<String> missing = new ArrayList<>();
    s.slack().ifPresent(slack -> {
      try {
        SlackSettings.fromEnvironment(env, slack.socketMode());
      } catch (IllegalArgumentException e) {
        missing.add(e.getMessage());
      }
    });
    if (s.discord().isPresent() && env.getOrDefault("DISCORD_TOKEN", "").isBlank()) {
      missing.add(DiscordAdapter.MISSING_TOKEN);
    }
    return missing;
  }

  /** How often the one timer scheduler fires the desk's due timers. */
  static final Duration TICK = Duration.ofSeconds(1);

  private static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** Serves the web board where the settings say and answers {@code /board} with its links. */
  private static boolean startWeb(BotSettings s, DeskWiring wiring, Clock clock, Deque<AutoCloseable> running,
      PrintWriter out, PrintWriter err) throws IOException {
    BotSettings.Web w = s.web().orElseThrow();
    try {
      WebServer web = WebServer.start(new InetSocketAddress(InetAddress.getByName(w.address()), w.port()),
          w.publicUrl(), w.idle(), new WebServer.Parts(wiring.incidents, wiring.directory.store(),
              wiring.policies(), WebServer.deflection(s.knowledgeBase()), clock, wiring.stores.conversations()::ratings));
      running.addLast(web);
      wiring.desk.boardLinks(web);
      out.println("supportbot: web board on http://" + hostPort(web.address()) + "/ (links point at " + web.publicUrl()
          + "); type /board in chat for a sign-in link");
      return true;
    } catch (IOException e) {
      err.println("error: cannot listen on " + w.address() + ":" + w.port() + " for the web board ("
          + e.getClass().getSimpleName() + "); choose another web.port or stop what uses it");
      return false;
    }
  }

  /** What {@link #prepareSlack} makes: the settings and, once ready, the checked token and Bolt's app. */
  private record SlackStart(SlackSettings settings, SlackRunner.Prepared prepared) {}

  /** Starts making Slack's side ready on a thread of its own; its failure surfaces when the desk joins it. */
  private CompletableFuture<SlackStart> prepareSlack(BotSettings.Slack slack) {
    CompletableFuture<SlackStart> ready = new CompletableFuture<>();
    Thread.ofPlatform().name("slack-prepare").daemon().start(() -> {
      try {
        SlackSettings settings = SlackSettings.fromEnvironment(env, slack.socketMode())
            .withFileOnReaction(slack.fileOnReaction());
        ready.complete(new SlackStart(settings, SlackRunner.prepare(settings, slackClient(slack))));
      } catch (RuntimeException e) {
        ready.completeExceptionally(e);
      }
    });
    return ready;
  }

  private Optional<InetSocketAddress> startSlack(BotSettings.Slack slack, CompletableFuture<SlackStart> start,
      DeskWiring w, DeskLink link, OpsMetrics metrics, HealthCheck health, Duration maxFailing,
      Deque<AutoCloseable> running, PrintWriter out) throws IOException {
    SlackStart ready;
    try {
      ready = start.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    SlackSettings settings = ready.settings();
    SlackRunner.Prepared prepared = ready.prepared();
    SlackChatGateway gateway;
    BooleanSupplier connected;
    Optional<InetSocketAddress> bound = Optional.empty();
    if (slack.socketMode()) {
      SlackRunner.SocketRunning r;
      try {
        r = SlackRunner.startSocketMode(settings, prepared, w.desk, w.directory.store(), w.policies(),
            w.slackMessages(), w.stores.inbox(), clock, link);
      } catch (IOException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new SlackSetupException("socket_mode", List.of(), "Socket Mode did not start: "
            + e.getClass().getSimpleName());
      }
      running.addLast(r);
      gateway = r.adapter().gateway();
      connected = r::connected;
      out.println("supportbot: connected to Slack in Socket Mode");
    } else {
      SlackRunner.Running r = SlackRunner.startHttp(settings, prepared, new InetSocketAddress(slack.port()),
          slack.path(), w.desk, w.directory.store(), w.policies(), w.slackMessages(), w.stores.inbox(), clock, link);
      running.addLast(r);
      gateway = r.adapter().gateway();
      connected = r::connected;
      bound = Optional.of(r.endpoint().address());
      out.println("supportbot: serving Slack requests on :" + r.endpoint().address().getPort() + slack.path());
    }
    health.platform("slack", connected).refusals("slack", new RefusalWatch(
        () -> gateway.calls() - gateway.errors() - gateway.rateLimited(), gateway::errors, clock), maxFailing);
    metrics.bindPlatform("slack", connected, gateway::errors, gateway::rateLimited);
    metrics.bindSlack(gateway::calls, gateway::held, gateway::coalesced);
    metrics.bindSlackPosts(gateway::postsHeld, gateway::postsRetried, gateway::postsDelayed);
    return bound;
  }

  /** The Slack client the run uses: Web API calls with a deadline, and a connection kept per call in flight. */
  private static Slack slackClient(BotSettings.Slack slack) {
    SlackConfig config = new SlackConfig();
    slack.apiUrl().ifPresent(url -> config.setMethodsEndpointUrlPrefix(url.toString()));
    // every Web API call ends within this, answered or not: a hung call holds only its own lane this long
    config.setHttpClientCallTimeoutMillis((int) SlackChatGateway.CALL_TIMEOUT.toMillis());
    // one kept-alive connection per call that may be under way, instead of OkHttp's default of 5: with more calls
    // at once than idle connections kept, each burst opened and closed connections
    OkHttpClient http = SlackHttpClient.buildOkHttpClient(config).newBuilder()
        .connectionPool(new ConnectionPool(LaneWorkers.DEFAULT_MAX_CALLS, 5, TimeUnit.MINUTES)).build();
    SlackHttpClient slackHttp = new SlackHttpClient(http);
    slackHttp.setConfig(config);
    return Slack.getInstance(config, slackHttp);
  }

  private void startDiscord(BotSettings.Discord discord, DeskWiring w, DeskLink link, OpsMetrics metrics,
      HealthCheck health, Duration maxFailing, Deque<AutoCloseable> running, PrintWriter out)
      throws DiscordStartException {
    DiscordSettings settings = new DiscordSettings(discord.messageContent(), DiscordSettings.defaults().tickEvery(),
        discord.restUrl(), discord.gatewayUrl(), discord.fileOnReaction(), discord.shards());
    DiscordAdapter adapter = DiscordAdapter.start(env.get("DISCORD_TOKEN"), w.desk, w.discordRefs(), clock,
        settings, link);
    running.addLast(adapter);
    health.platform("discord", adapter::connected).refusals("discord", new RefusalWatch(
        () -> metrics.answeredCount("discord", true), () -> metrics.answeredCount("discord", false), clock), maxFailing);
    metrics.bindPlatform("discord", adapter::connected, adapter::platformErrors, () -> 0);
    out.println("supportbot: connected to Discord" + discord.shards().map(s -> " (shards " + s.thisInstance()
        + " of " + s.total() + ")").orElse(""));
  }

  /** Builds the whole desk on a scratch copy of nothing (a temporary database) to prove the settings hold. */
  private int check(Loaded loaded, PrintWriter out, PrintWriter err) throws IOException {
    Optional<PostgresLocation> postgres = loaded.settings().postgres();
    Optional<String> unusable = postgres.isPresent()
        ? PostgresDatabase.probe(postgres.get(), PostgresLocation.password(env))
        : SqliteDatabase.unusable(loaded.settings().database());
    unusable.ifPresent(problem -> err.println(SettingsLoader.problemAt(config, "database", problem)));
    Path scratch = Files.createTempDirectory("supportbot-check");
    try (DeskWiring wiring = DeskWiring.build(loaded.settings(), loaded.catalog(), scratch.resolve("check.db"),
        Clock.systemUTC())) {
      if (unusable.isPresent()) {
        return 1;
      }
      BotSettings s = loaded.settings();
      out.println("OK " + config + ": " + wiring.organizations + " organizations, " + wiring.channels + " channels, "
          + wiring.contacts + " contacts, " + s.engineers().size() + " engineers; policies: "
          + String.join(", ", loaded.catalog().ids()) + "; knowledge base: "
          + (wiring.hasKnowledgeBase() ? s.knowledgeBase().orElseThrow() : "none (no suggestions)")
          + "; slack: " + s.slack().map(sl -> sl.socketMode() ? "socket mode" : "http on :" + sl.port() + sl.path())
              .orElse("off")
          + "; discord: " + s.discord().map(d -> (d.messageContent() ? "on (message content)" : "on")
              + d.shards().map(sh -> ", shards " + sh.thisInstance() + " of " + sh.total()).orElse("")).orElse("off")
          + "; ops: " + s.ops().map(o -> o.address() + ":" + o.port()).orElse("off")
          + postgres.map(p -> "; database: " + p + " (reachable)").orElse(""));
      return 0;
    } catch (DeskWiring.Refused e) {
      e.reasons().forEach(r -> err.println(config + ": " + r));
      return 1;
    } finally {
      try (var files = Files.walk(scratch)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
