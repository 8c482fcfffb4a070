package org.supportbot.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.slack.RecordingSlackApi;
import org.supportbot.config.settings.PostgresLocation;
import org.supportbot.core.testing.Await;
import org.supportbot.core.testing.PostgresCluster;
import org.supportbot.core.time.ManualClock;
import picocli.CommandLine;

/**
 * {@code supportbot run} on a real PostgreSQL server ({@code database: postgresql://...}, the password in
 * SUPPORTBOT_DB_PASSWORD): Ana files a case in Slack with {@code /support} and the modal, the case is a row in
 * PostgreSQL, the bot stops, the clock passes the case's first pre-breach warning while it is down, and the
 * warning goes out once after the next start. {@code run --check} says whether the server answers.
 */
@Timeout(300) // only stops a hung test: every wait inside is on a condition, bounded by Await.HUNG
class RunOnPostgresTest {
  static final String SLACK_TOKEN = "xoxb-pg-test-token";
  static final String SECRET = "pg-test-signing-secret-0123456789";
  /** Monday 23 November 2026, 09:00 in Los Angeles: Atheer's business hours. */
  static final Instant START = Instant.parse("2026-11-23T17:00:00Z");

  @TempDir Path dir;
  private RecordingSlackApi slack;
  private final ManualClock clock = new ManualClock(START);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Await.HUNG).build();
  private final ObjectMapper json = new ObjectMapper();
  private final PostgresCluster pg = PostgresCluster.shared();
  private PostgresLocation desk;
  private Path settings;

  private Map<String, String> env(String password) {
    Map<String, String> env = new HashMap<>(Map.of("SLACK_BOT_TOKEN", SLACK_TOKEN, "SLACK_SIGNING_SECRET", SECRET));
    env.put("SUPPORTBOT_DB_PASSWORD", password);
    return env;
  }

  /** One run of the command on its own thread. */
  private final class Bot implements AutoCloseable {
    final RunCommand command = new RunCommand(env(pg.password()), clock);
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final Thread thread;
    volatile int exitCode = -1;
    final RunCommand.Started started;

    Bot() throws Exception {
      CommandLine cli = new CommandLine(command);
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      thread = Thread.ofPlatform().name("supportbot-run-pg").start(() -> exitCode = cli.execute("--config",
          settings.toString()));
      started = command.started().get(Await.HUNG.toSeconds(), TimeUnit.SECONDS);
    }

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
    desk = pg.newDatabase();
    settings = dir.resolve("bot.yaml");
    Files.writeString(settings, """
        database: "postgresql://127.0.0.1:%1$d/%2$s?user=%3$s"
        triage: slack/T0VENDOR/C0TRIAGE
        managers: [slack/T0VENDOR/U0MAX]
        organizations:
          - id: acme
            key: ACME
            policy: atheer
            purchased_contacts: 1
            channels: [slack/T0VENDOR/C0ACME]
            contacts: [slack/T0VENDOR/U0ANA]
        engineers:
          - { id: slack/T0VENDOR/U0EVE, role: engineer }
          - { id: slack/T0VENDOR/U0MAX, role: manager }
        slack: { mode: http, port: 0, path: /slack/events, api_url: "%4$s" }
        """.formatted(pg.port(), desk.database(), PostgresCluster.USER, slack.prefix()));
  }

  @AfterEach
  void close() throws Exception {
    slack.close();
  }

  @Test
  void aCaseFiledInSlackLivesInPostgresqlAndItsTimerFiresOnceAfterARestart() throws Exception {
    try (Bot bot = new Bot()) {
      assertThat(postToSlack(bot, "application/x-www-form-urlencoded", SignedSlackRequests.slashCommand("/support", "1001.2002.pg"))
          .statusCode()).isEqualTo(200);
      Await.until(() -> !slack.calls("views.open").isEmpty(), "views.open");
      String metadata = json.readTree(slack.calls("views.open").getFirst().param("view")).path("private_metadata")
          .asText();
      assertThat(postToSlack(bot, "application/x-www-form-urlencoded", SignedSlackRequests.viewSubmission(metadata)).statusCode())
          .isEqualTo(200);
      Await.until(() -> slack.calls("chat.postMessage").stream().anyMatch(c -> c.param("text").contains("is filed")),
          "the confirmation of ACME-1");
      assertThat(bot.stop()).as(bot.err.toString()).isZero();
    }
    try (Connection c = pg.connect(desk.database()); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT number, state, (SELECT COUNT(*) FROM timers WHERE fired_ms IS NULL),"
            + " (SELECT COUNT(*) FROM inbox WHERE done_ms IS NULL) FROM incidents")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("ACME-1");
      assertThat(rs.getLong(3)).as("the case's timers are in PostgreSQL").isPositive();
      assertThat(rs.getLong(4)).as("every acknowledged request was handled").isZero();
      assertThat(rs.next()).as("one case").isFalse();
    }

    // down from 09:00 to 11:30; the 50 % warning was due at 11:00
    int postsBefore = slack.calls("chat.postMessage").size();
    clock.set(START.plus(Duration.ofMinutes(150)));
    try (Bot bot = new Bot()) {
      Await.until(() -> slack.calls("chat.postMessage").stream().skip(postsBefore)
          .anyMatch(c -> c.param("channel").equals("C0TRIAGE") && c.param("text").contains("has used 50% of its")),
          "the 50 % warning to triage");
      assertThat(bot.stop()).isZero();
    }
    assertThat(slack.calls("chat.postMessage").stream().skip(postsBefore)
        .filter(c -> c.param("text").contains("has used 50% of its")).count()).as("sent once").isEqualTo(1);
  }

  private int check(Map<String, String> env, StringWriter out, StringWriter err) {
    CommandLine cli = new CommandLine(new RunCommand(env, clock));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute("--config", settings.toString(), "--check");
  }

  @Test
  void checkSaysWhetherTheServerAnswersAndNamesTheFix() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(check(env(pg.password()), out, err)).as(err.toString()).isZero();
    assertThat(out.toString()).contains("; database: postgresql://supportbot@127.0.0.1:" + pg.port() + "/"
        + desk.database() + " (reachable)");

    StringWriter badOut = new StringWriter();
    StringWriter badErr = new StringWriter();
    assertThat(check(env("not-the-password"), badOut, badErr)).isEqualTo(1);
    assertThat(badErr.toString().strip()).isEqualTo(settings + ":1: database: PostgreSQL refused the password of user"
        + " supportbot at postgresql://supportbot@127.0.0.1:" + pg.port() + "/" + desk.database() + "; set the right"
        + " one in SUPPORTBOT_DB_PASSWORD (or PGPASSWORD)").doesNotContain("not-the-password");

    Map<String, String> noPassword = env("x");
    noPassword.remove("SUPPORTBOT_DB_PASSWORD");
    StringWriter noneErr = new StringWriter();
    assertThat(check(noPassword, new StringWriter(), noneErr)).isEqualTo(1);
    assertThat(noneErr.toString().strip()).isEqualTo(settings + ":1: database: PostgreSQL at 127.0.0.1:" + pg.port()
        + " asks for the password of user supportbot and none is set; set SUPPORTBOT_DB_PASSWORD (or PGPASSWORD) in"
        + " the environment");

    Files.writeString(settings, Files.readString(settings).replace("127.0.0.1:" + pg.port(), "127.0.0.1:1"));
    StringWriter downErr = new StringWriter();
    assertThat(check(env(pg.password()), new StringWriter(), downErr)).isEqualTo(1);
    assertThat(downErr.toString()).contains(":1: database: cannot reach PostgreSQL at 127.0.0.1:1")
        .contains("start the server, or fix the host and port of the URL (database: in the settings)");

    Files.writeString(settings, Files.readString(settings).replace("postgresql://127.0.0.1:1/",
        "postgresql://supportbot:pw@127.0.0.1:1/"));
    StringWriter pwErr = new StringWriter();
    assertThat(check(env(pg.password()), new StringWriter(), pwErr)).isEqualTo(1);
    assertThat(pwErr.toString()).contains("holds a password").doesNotContain(":pw@");
  }

  // ---- helpers --------------------------------------------------------------------------------

  private HttpResponse<String> postToSlack(Bot bot, String contentType, String body) throws Exception {
    return new SignedSlackRequests(http, SECRET, clock).post(bot.started.slackHttp().orElseThrow(), contentType, body);
  }
}
