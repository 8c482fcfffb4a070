package org.supportbot.app.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.supportbot.core.testing.Await;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.discord.FakeDiscord;
import org.supportbot.app.slack.RecordingSlackApi;
import org.supportbot.core.time.ManualClock;
import picocli.CommandLine;

/**
 * {@code supportbot run --config FILE} for real, in-process through picocli, with a settings file that
 * points the Slack Web API at {@link RecordingSlackApi} and Discord's REST API and gateway at
 * {@link FakeDiscord}: both platforms on one desk, one SQLite file and one timer scheduler. Ana files
 * a case with {@code /support} and the modal in Slack, Dan asks for {@code /help} on Discord; the
 * operators' endpoint is scraped; the bot stops gracefully, the clock moves past the case's first
 * pre-breach warning while it is down, and the warning is sent once after the next start.
 */
@Timeout(300) // only stops a hung test: every wait inside is on a condition, bounded by Await.HUNG
class RunAgainstLocalServersTest {
  static final String SLACK_TOKEN = "xoxb-run-test-token";
  static final String SECRET = "run-test-signing-secret-0123456789";
  /** Monday 23 November 2026, 09:00 in Los Angeles: Atheer's business hours. */
  static final Instant START = Instant.parse("2026-11-23T17:00:00Z");
  static final String DAN = "1600000000000000009";

  @TempDir Path dir;
  private RecordingSlackApi slack;
  private FakeDiscord discord;
  private final ManualClock clock = new ManualClock(START);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Await.HUNG).build();
  private final ObjectMapper json = new ObjectMapper();
  private Path settings;

  /** One run of the command on its own thread. */
  private final class Bot implements AutoCloseable {
    final RunCommand command = new RunCommand(Map.of("SLACK_BOT_TOKEN", SLACK_TOKEN, "SLACK_SIGNING_SECRET", SECRET,
        "DISCORD_TOKEN", FakeDiscord.TOKEN), clock);
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final Thread thread;
    volatile int exitCode = -1;
    final RunCommand.Started started;

    Bot() throws Exception {
      CommandLine cli = new CommandLine(command);
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      thread = Thread.ofPlatform().name("supportbot-run").start(() -> exitCode = cli.execute("--config",
          settings.toString()));
      started = command.started().get(Await.HUNG.toSeconds(), TimeUnit.SECONDS);
    }

    String ops(String path) {
      InetSocketAddress a = started.ops().orElseThrow();
      return "http://127.0.0.1:" + a.getPort() + path;
    }

    /** Stops as SIGTERM would and waits for the graceful end. */
    int stop() throws InterruptedException {
      command.stop();
      thread.join(Await.HUNG.toMillis());
      assertThat(thread.isAlive()).as("run ended").isFalse();
      return exitCode;
    }

    @Override
    public void close() throws InterruptedException {
      if (thread.isAlive()) {
        stop();
      }
    }
  }

  @BeforeEach
  void servers() throws Exception {
    slack = new RecordingSlackApi(SLACK_TOKEN);
    discord = new FakeDiscord();
    settings = dir.resolve("bot.yaml");
    Files.writeString(settings, """
        database: data/bot.db
        triage: slack/T0VENDOR/C0TRIAGE
        managers: [slack/T0VENDOR/U0MAX]
        digest: { at: "08:00", zone: America/Los_Angeles }
        organizations:
          - id: acme
            key: ACME
            policy: atheer
            purchased_contacts: 1
            channels: [slack/T0VENDOR/C0ACME]
            contacts: [slack/T0VENDOR/U0ANA]
            escalation: { channel: slack/T0VENDOR/C0ESC, on_call_role: S0ONCALL }
          - id: initech
            key: INI
            policy: atomrock
            commercial_licences: 1
            channels: [discord/%1$s/%2$s]
            contacts: [discord/%1$s/%3$s]
        engineers:
          - { id: slack/T0VENDOR/U0EVE, role: engineer }
          - { id: slack/T0VENDOR/U0MAX, role: manager }
        slack: { mode: http, port: 0, path: /slack/events, api_url: "%4$s" }
        discord: { rest_url: "%5$s", gateway_url: "%6$s" }
        ops: { address: 127.0.0.1, port: 0 }
        """.formatted(FakeDiscord.GUILD, FakeDiscord.SUPPORT_CHANNEL, DAN, slack.prefix(), discord.restBaseUrl(),
        discord.gatewayUrl()));
  }

  @AfterEach
  void close() throws Exception {
    slack.close();
    discord.close();
  }

  @Test
  void bothPlatformsRunOnOneDeskWithMetricsHealthAGracefulStopAndDurableTimers() throws Exception {
    String metadata;
    try (Bot bot = new Bot()) {
      assertThat(bot.out.toString()).contains("supportbot: serving Slack requests on :")
          .contains("supportbot: connected to Discord").contains("supportbot: health on http://127.0.0.1:");
      HttpResponse<String> health = get(bot.ops("/health"));
      assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
      JsonNode h = json.readTree(health.body());
      assertThat(h.path("status").asText()).isEqualTo("ok");
      assertThat(h.path("platforms").path("slack").path("connected").asBoolean()).isTrue();
      assertThat(h.path("platforms").path("discord").path("connected").asBoolean()).isTrue();
      assertThat(h.path("database").path("reachable").asBoolean()).isTrue();
      assertThat(h.path("timers").path("pending").asLong()).isZero();

      // Slack: /support opens the modal; its submission files ACME-1 (Atheer P1, first response in 4 business hours)
      assertThat(postToSlack(bot, "application/x-www-form-urlencoded", SignedSlackRequests.slashCommand("/support", "1001.2002.run"))
          .statusCode()).isEqualTo(200);
      Await.until(() -> !slack.calls("views.open").isEmpty(), "views.open");
      assertThat(slack.calls("views.open").getFirst().param("trigger_id")).isEqualTo("1001.2002.run");
      metadata = json.readTree(slack.calls("views.open").getFirst().param("view")).path("private_metadata").asText();
      assertThat(postToSlack(bot, "application/x-www-form-urlencoded", SignedSlackRequests.viewSubmission(metadata)).statusCode())
          .isEqualTo(200);
      Await.until(() -> slack.calls("chat.postMessage").stream().anyMatch(c -> c.param("text").contains("is filed")),
          "the confirmation of ACME-1");
      // its on-call ping went to Slack's escalation channel: the desk's messages go to the platform of their place
      Await.until(() -> slack.calls("chat.postMessage").stream().anyMatch(c -> c.param("channel").equals("C0ESC")),
          "the on-call ping");

      // Discord: /help from Initech's channel, answered through the interaction hook
      int from = discord.calls().size();
      discord.slash(DAN, FakeDiscord.SUPPORT_CHANNEL, "help", null);
      discord.await(from, c -> c.is("POST", "webhooks/" + FakeDiscord.APP_ID + "/.+"), "the /help answer");

      Await.until(() -> metric(bot, "supportbot_commands_handled_total", "command=\"help\",kind=\"command\","
          + "outcome=\"ok\",platform=\"discord\"") == 1, "the /help counted");
      String metrics = get(bot.ops("/metrics")).body();
      assertThat(value(metrics, "supportbot_commands_handled_total",
          "command=\"support\",kind=\"command\",outcome=\"ok\",platform=\"slack\"")).isEqualTo(1);
      assertThat(value(metrics, "supportbot_commands_handled_total",
          "command=\"form\",kind=\"form\",outcome=\"ok\",platform=\"slack\"")).isEqualTo(1);
      assertThat(value(metrics, "supportbot_command_duration_seconds_count", "kind=\"command\",platform=\"slack\""))
          .isEqualTo(1);
      assertThat(value(metrics, "supportbot_command_duration_seconds_bucket",
          "kind=\"command\",platform=\"discord\",le=\"+Inf\"")).isEqualTo(1);
      // Atheer P1 filed at 09:00: warnings at 50/75/90 %, the breach, and Slack's 15-minute status refresh
      double pending = value(metrics, "supportbot_timers_pending", "");
      assertThat(pending).isEqualTo(5);
      assertThat(value(metrics, "supportbot_timers_late", "")).isZero();
      assertThat(value(metrics, "supportbot_platform_connected", "platform=\"discord\"")).isEqualTo(1);
      assertThat(value(metrics, "supportbot_platform_connected", "platform=\"slack\"")).isEqualTo(1);
      assertThat(value(metrics, "supportbot_rate_limited_total", "platform=\"discord\"")).isZero();
      assertThat(value(metrics, "supportbot_platform_errors_total", "platform=\"slack\"")).isZero();
      // filing posted three messages in Acme's channel at once, within the channel's burst: none waits
      assertThat(value(metrics, "supportbot_slack_posts_held", "")).isZero();
      assertThat(value(metrics, "supportbot_slack_posts_retried_total", "")).isZero();
      assertThat(value(metrics, "supportbot_slack_posts_delayed_total", "")).isZero();
      assertThat(metrics).doesNotContain(SLACK_TOKEN).doesNotContain(FakeDiscord.TOKEN).doesNotContain("U0ANA")
          .doesNotContain("C0ACME").doesNotContain("ACME-1");
      Await.until(() -> metric(bot, "supportbot_slack_api_calls_total", "") == slack.calls().size(),
          "every Web API call counted");
      JsonNode afterFiling = json.readTree(get(bot.ops("/health")).body());
      assertThat(afterFiling.path("timers").path("pending").asLong()).isEqualTo((long) pending);

      // bad requests to the ops endpoint get a clear answer and change nothing
      HttpResponse<String> unknown = get(bot.ops("/metricz"));
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.body()).contains("\"paths\":[\"/health\",\"/metrics\"]");
      HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(bot.ops("/metrics")))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
      assertThat(value(get(bot.ops("/metrics")).body(), "supportbot_commands_handled_total",
          "command=\"support\",kind=\"command\",outcome=\"ok\",platform=\"slack\"")).isEqualTo(1);

      String opsUrl = bot.ops("/health");
      assertThat(bot.stop()).as(bot.err.toString()).isZero();
      assertThat(bot.out.toString()).contains("supportbot: stopping;");
      assertThatThrownBy(() -> get(opsUrl)).isInstanceOf(ConnectException.class);
    }

    // down from 09:00 to 11:30; the 50 % warning was due at 11:00 and the first status refresh at 09:15
    int postsBefore = slack.calls("chat.postMessage").size();
    clock.set(START.plus(Duration.ofMinutes(150)));
    try (Bot bot = new Bot()) {
      Await.until(() -> metric(bot, "supportbot_timers_fired_total", "") == 2, "the overdue timers fired");
      String metrics = get(bot.ops("/metrics")).body();
      assertThat(value(metrics, "supportbot_timer_lateness_seconds_count", "")).isEqualTo(2);
      // 30 minutes late for the warning, 2 h 15 min for the refresh: 1,800 s + 8,100 s
      assertThat(value(metrics, "supportbot_timer_lateness_seconds_sum", "")).isEqualTo(9_900);
      assertThat(value(metrics, "supportbot_timer_lateness_seconds_bucket", "le=\"900.0\"")).isZero();
      assertThat(value(metrics, "supportbot_timer_lateness_seconds_bucket", "le=\"3600.0\"")).isEqualTo(1);
      assertThat(value(metrics, "supportbot_timer_lateness_seconds_bucket", "le=\"21600.0\"")).isEqualTo(2);
      Await.until(() -> slack.calls("chat.postMessage").stream().skip(postsBefore)
          .anyMatch(c -> c.param("channel").equals("C0TRIAGE") && c.param("text").contains("has used 50% of its")),
          "the 50 % warning to triage");
      assertThat(bot.stop()).isZero();
    }
    assertThat(slack.calls("chat.postMessage").stream().skip(postsBefore)
        .filter(c -> c.param("text").contains("has used 50% of its")).count()).as("sent once").isEqualTo(1);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Await.HUNG).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** One series scraped now; NaN while it does not exist yet. */
  private double metric(Bot bot, String name, String labels) {
    try {
      return value(get(bot.ops("/metrics")).body(), name, labels);
    } catch (AssertionError | IOException e) {
      return Double.NaN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    }
  }

  /** The value of one series in Prometheus' text format; labels in the registry's (alphabetical) order. */
  static double value(String scrape, String name, String labels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + (labels.isEmpty() ? "" : Pattern.quote("{" + labels
        + "}")) + " (\\S+)$").matcher(scrape);
    if (!m.find()) {
      throw new AssertionError("no series " + name + "{" + labels + "} in:\n" + scrape);
    }
    return Double.parseDouble(m.group(1));
  }

  private HttpResponse<String> postToSlack(Bot bot, String contentType, String body) throws Exception {
    return new SignedSlackRequests(http, SECRET, clock).post(bot.started.slackHttp().orElseThrow(), contentType, body);
  }
}
