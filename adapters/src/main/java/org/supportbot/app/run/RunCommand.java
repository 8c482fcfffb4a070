package org.supportbot.app.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.net.InetSocketAddress;
import com.slack.api.Slack;
import org.supportbot.app.discord.DiscordAdapter;
import org.supportbot.app.discord.DiscordRefs;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code supportbot run --config FILE}: checks the settings and connects the configured chat platforms. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Checks the settings file and runs the desk on the configured chat platforms.",
        "Secrets come from the environment only: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET (HTTP mode),",
        "SLACK_APP_TOKEN (Socket Mode), DISCORD_TOKEN.",
        "Example settings: config/supportbot.example.yaml."})
public final class RunCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The settings file.")
  Path config;

  @Option(names = "--check", description = "Validate the settings, policies and contact limits, print a summary, and"
      + " exit without connecting or changing the database.")
  boolean check;

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

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Loaded loaded = load(err);
    if (loaded == null) {
      return 1;
    }
    if (check) {
      return check(loaded, out, err);
    }
    BotSettings s = loaded.settings();
    if (s.slack().isPresent() == s.discord().isPresent()) {
      err.println("error: " + config + " must configure exactly one of slack: and discord: (one platform per process;"
          + " run a second process with its own settings file for the other)");
      return Main.EXIT_USAGE;
    }
    Clock clock = Clock.systemUTC();
    DeskWiring wiring;
    try {
      wiring = DeskWiring.build(s, loaded.catalog(), s.database(), clock);
    } catch (DeskWiring.Refused e) {
      e.reasons().forEach(r -> err.println(config + ": " + r));
      return 1;
    }
    CountDownLatch stop = new CountDownLatch(1);
    try (wiring) {
      AutoCloseable running;
      try {
        running = s.slack().isPresent() ? startSlack(s.slack().get(), wiring, clock, out) : startDiscord(s, wiring, clock,
            out);
      } catch (IllegalArgumentException | SlackSetupException | DiscordStartException e) {
        err.println("error: " + e.getMessage());
        return 1;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          running.close(); // in-flight commands finish; timers stay in the database
        } catch (Exception e) {
          err.println("warning: shutting down: " + e.getClass().getSimpleName());
        }
        stop.countDown();
      }, "supportbot-shutdown"));
      stop.await();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private static AutoCloseable startSlack(BotSettings.Slack slack, DeskWiring w, Clock clock, PrintWriter out)
      throws IOException {
    SlackSettings settings = SlackSettings.fromEnvironment(System.getenv(), slack.socketMode());
    Slack client = Slack.getInstance();
    try {
      if (slack.socketMode()) {
        AutoCloseable r = SlackRunner.startSocketMode(settings, client, w.desk, w.directory.store(), w.policies(),
            w.db, clock);
        out.println("supportbot: connected to Slack in Socket Mode");
        return r;
      }
      AutoCloseable r = SlackRunner.startHttp(settings, client, new InetSocketAddress(slack.port()), slack.path(),
          w.desk, w.directory.store(), w.policies(), w.db, clock);
      out.println("supportbot: serving Slack requests on :" + slack.port() + slack.path());
      return r;
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new SlackSetupException("socket_mode", List.of(), "Socket Mode did not start: " + e.getClass().getSimpleName());
    }
  }

  private static AutoCloseable startDiscord(BotSettings s, DeskWiring w, Clock clock, PrintWriter out)
      throws DiscordStartException {
    DiscordSettings defaults = DiscordSettings.defaults();
    DiscordSettings settings = new DiscordSettings(s.discord().orElseThrow().messageContent(), defaults.tickEvery(),
        defaults.restBaseUrl(), defaults.gatewayUrl());
    DiscordAdapter adapter = DiscordAdapter.start(System.getenv("DISCORD_TOKEN"), w.desk, new DiscordRefs(w.db), clock,
        settings);
    out.println("supportbot: connected to Discord");
    return adapter;
  }

  /** Builds the whole desk on a scratch copy of nothing (a temporary database) to prove the settings hold. */
  private int check(Loaded loaded, PrintWriter out, PrintWriter err) throws IOException {
    Path scratch = Files.createTempDirectory("supportbot-check");
    try (DeskWiring wiring = DeskWiring.build(loaded.settings(), loaded.catalog(), scratch.resolve("check.db"),
        Clock.systemUTC())) {
      BotSettings s = loaded.settings();
      out.println("OK " + config + ": " + wiring.organizations + " organizations, " + wiring.channels + " channels, "
          + wiring.contacts + " contacts, " + s.engineers().size() + " engineers; policies: "
          + String.join(", ", loaded.catalog().ids()) + "; knowledge base: "
          + (wiring.hasKnowledgeBase() ? s.knowledgeBase().orElseThrow() : "none (no suggestions)")
          + "; slack: " + s.slack().map(sl -> sl.socketMode() ? "socket mode" : "http on :" + sl.port() + sl.path())
              .orElse("off")
          + "; discord: " + s.discord().map(d -> d.messageContent() ? "on (message content)" : "on").orElse("off"));
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
