package org.supportbot.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.discord.FakeDiscord;
import org.supportbot.app.discord.IntakeDriver;
import org.supportbot.config.settings.PostgresLocation;
import org.supportbot.core.testing.Await;
import org.supportbot.core.testing.PostgresCluster;
import org.supportbot.core.time.ManualClock;
import picocli.CommandLine;

/**
 * Two {@code supportbot run} instances on one PostgreSQL database, each connecting one of the 2 shards of the
 * bot's Discord gateway ({@code discord.shards}) through JDA's shard manager, against a fake Discord that splits
 * its guilds over shards as Discord does: Acme's server is on shard 1, Beta's on shard 0. A customer files a case
 * in each server; each intake is handled by the instance holding its server's shard and by no other, each case
 * is filed once, in the shared database; the instance that handled Beta's case tells the triage channel, on the
 * other instance's server, through the REST API; an engineer claims Beta's case from triage (on instance 1) and
 * Beta's case thread (on instance 0's server), archived meanwhile, is told and its status message edited in
 * place, by instance 1. Both
 * instances stop; a message is typed in each case thread meanwhile; after the restart each thread is read back
 * once, by the instance holding its server's shard, and each message reaches the desk once.
 */
@Timeout(300) // only stops a hung test: every wait inside is on a condition, bounded by Await.HUNG
class RunDiscordShardsOnPostgresTest {
  static final Instant START = Instant.parse("2026-11-23T17:00:00Z");
  static final String ANA = "1600000000000000001";
  static final String EVE = "1600000000000000002";
  static final String MAX = "1600000000000000003";
  static final String BEN = "1600000000000000004";

  @TempDir Path dir;
  private FakeDiscord discord;
  private final ManualClock clock = new ManualClock(START);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Await.HUNG).build();
  private final PostgresCluster pg = PostgresCluster.shared();
  private PostgresLocation desk;

  /** One instance: {@code run} on its own thread, connecting the shard {@code shard} of 2. */
  private final class Instance implements AutoCloseable {
    final RunCommand command;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final Thread thread;
    volatile int exitCode = -1;
    final RunCommand.Started started;

    Instance(int shard) throws Exception {
      Map<String, String> env = new HashMap<>(Map.of("DISCORD_TOKEN", FakeDiscord.TOKEN));
      env.put("SUPPORTBOT_DB_PASSWORD", pg.password());
      command = new RunCommand(env, clock);
      Path settings = dir.resolve("instance-" + shard + ".yaml");
      Files.writeString(settings, settings(shard));
      CommandLine cli = new CommandLine(command);
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      thread = Thread.ofPlatform().name("supportbot-run-shard-" + shard).start(() -> exitCode = cli.execute("--config",
          settings.toString()));
      started = command.started().get(Await.HUNG.toSeconds(), TimeUnit.SECONDS);
    }

    /** The count of a series on this instance's {@code /metrics}; 0 while it does not exist. */
    double metric(String name, String labels) throws IOException, InterruptedException {
      InetSocketAddress a = started.ops().orElseThrow();
      String scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + "/metrics"))
          .timeout(Await.HUNG).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
      String series = name + "{" + labels + "} ";
      for (String line : scrape.split("\n")) {
        if (line.startsWith(series)) {
          return Double.parseDouble(line.substring(series.length()).strip());
        }
      }
      return 0;
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

  private String settings(int shard) {
    return """
        database: "postgresql://127.0.0.1:%1$d/%2$s?user=%3$s"
        triage: discord/%4$s/%5$s
        managers: [discord/%4$s/%6$s]
        organizations:
          - id: acme
            key: ACME
            policy: atheer
            channels: [discord/%4$s/%7$s]
            contacts: [discord/%4$s/%8$s]
          - id: beta
            key: BETA
            policy: atheer
            channels: [discord/%9$s/%10$s]
            contacts: [discord/%9$s/%11$s]
        engineers:
          - { id: discord/%4$s/%12$s, role: engineer }
          - { id: discord/%4$s/%6$s, role: manager }
        discord:
          rest_url: "%13$s"
          gateway_url: "%14$s"
          message_content: true
          shards: { total: 2, this_instance: [%15$d] }
        ops: { address: 127.0.0.1, port: 0 }
        """.formatted(pg.port(), desk.database(), PostgresCluster.USER, FakeDiscord.GUILD, FakeDiscord.TRIAGE, MAX,
        FakeDiscord.SUPPORT_CHANNEL, ANA, FakeDiscord.GUILD_B, FakeDiscord.SUPPORT_CHANNEL_B, BEN, EVE,
        discord.restBaseUrl(), discord.gatewayUrl(), shard);
  }

  @BeforeEach
  void servers() throws Exception {
    discord = FakeDiscord.sharded(2);
    discord.enableMessageContent();
    desk = pg.newDatabase();
  }

  @AfterEach
  void close() throws Exception {
    discord.close();
  }

  private static final String SUPPORT = "command=\"support\",kind=\"command\",outcome=\"ok\",platform=\"discord\"";

  @Test
  void eachServersCasesAreHandledOnceByTheInstanceHoldingItsShardAndReadBackByIt() throws Exception {
    String threadA;
    String threadB;
    try (Instance zero = new Instance(0); Instance one = new Instance(1)) {
      assertThat(zero.out.toString()).contains("supportbot: connected to Discord (shards [0] of 2)");
      assertThat(one.out.toString()).contains("supportbot: connected to Discord (shards [1] of 2)");
      assertThat(discord.identifiedShards()).as("each instance identified its own shard, once")
          .containsExactlyInAnyOrder(List.of(0, 2), List.of(1, 2));
      assertThat(discord.calls()).filteredOn(c -> c.is("GET", "gateway/bot")).as("the shard manager asked")
          .isNotEmpty();

      // Ana in Acme's server (shard 1), then Ben in Beta's server (shard 0)
      int acmeFrom = IntakeDriver.fileCase(discord, ANA, FakeDiscord.SUPPORT_CHANNEL);
      threadA = discord.await(acmeFrom, c -> c.is("POST", "channels/" + FakeDiscord.SUPPORT_CHANNEL + "/threads"),
          "ACME-1's thread").response().get("id").asText();
      FakeDiscord.Call acmeTriage = discord.await(acmeFrom, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE
          + "/messages") && c.body().path("content").asText().startsWith("New case **ACME-1**"), "ACME-1 in triage");
      int betaFrom = IntakeDriver.fileCase(discord, BEN, FakeDiscord.SUPPORT_CHANNEL_B);
      FakeDiscord.Call betaThread = discord.await(betaFrom, c -> c.is("POST", "channels/"
          + FakeDiscord.SUPPORT_CHANNEL_B + "/threads"), "BETA-1's thread in Beta's server");
      assertThat(betaThread.body().get("name").asText()).isEqualTo("BETA-1");
      threadB = betaThread.response().get("id").asText();
      FakeDiscord.Call betaStatus = discord.await(betaFrom, c -> c.is("POST", "channels/" + threadB + "/messages")
          && c.body().path("embeds").size() == 1, "BETA-1's status in its thread");
      // instance 0 holds only Beta's server: triage, on Acme's server, is reached through the REST API
      FakeDiscord.Call betaTriage = discord.await(betaFrom, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE
          + "/messages") && c.body().path("content").asText().startsWith("New case **BETA-1**"), "BETA-1 in triage");
      assertThat(betaTriage.status()).isEqualTo(200);

      // each /support was handled by the instance holding its server's shard, and by no other
      Await.until(() -> count(one, SUPPORT) == 1 && count(zero, SUPPORT) == 1, "each /support counted once");
      assertThat(one.metric("supportbot_commands_handled_total", SUPPORT)).as("Acme's /support on instance 1")
          .isEqualTo(1);
      assertThat(zero.metric("supportbot_commands_handled_total", SUPPORT)).as("Beta's /support on instance 0")
          .isEqualTo(1);

      // Discord archives Beta's case thread (a week without messages); Eve claims BETA-1 from triage (Acme's
      // server, instance 1): instance 1 tells the thread and edits its status. Which unarchives the thread
      // depends on whether instance 1 had already checked it (its lane may have carried BETA-1's first posts):
      // a PATCH of the thread before the post, or the post itself (a message unarchives an unlocked thread)
      discord.archive(threadB, false);
      int before = discord.calls().size();
      discord.click(EVE, betaTriage.response().get("id").asText(), "case.claim:BETA-1");
      FakeDiscord.Call notice = discord.await(before, c -> c.is("POST", "channels/" + threadB + "/messages"),
          "announcing BETA-1's owner in its thread");
      assertThat(notice.body().get("content").asText()).isEqualTo("<@" + EVE + "> is now handling BETA-1.");
      discord.await(before, c -> c.is("PATCH", "channels/" + threadB + "/messages/"
          + betaStatus.response().get("id").asText()), "editing BETA-1's status in place");
      assertThat(discord.archived(threadB)).as("BETA-1's thread is open again").isFalse();
      assertThat(discord.since(before)).filteredOn(c -> c.is("PATCH", "channels/" + threadB))
          .allSatisfy(c -> assertThat(c.body().get("archived").asBoolean()).isFalse());
      Await.until(() -> count(one, "command=\"case.claim\",kind=\"button\",outcome=\"ok\",platform=\"discord\"") == 1,
          "the claim counted on instance 1");
      assertThat(zero.metric("supportbot_commands_handled_total",
          "command=\"case.claim\",kind=\"button\",outcome=\"ok\",platform=\"discord\"")).as("not on instance 0").isZero();

      List<FakeDiscord.Call> all = discord.calls();
      assertThat(all).filteredOn(c -> c.path().endsWith("/threads")).as("one thread per case").hasSize(2);
      // an outbox message may be handed out by both instances (a lane changing hands); Discord answers the second
      // create with the message made for the first, by the outbox message's nonce: one message either way
      assertThat(all).filteredOn(c -> c.is("POST", "channels/.*/messages")).as("every create carries its nonce")
          .allSatisfy(c -> assertThat(c.body().path("enforce_nonce").asBoolean()).isTrue());
      assertThat(messageIds(all, c -> c.body().path("content").asText().contains("your case **")))
          .as("one confirmation per case").hasSize(2);
      assertThat(messageIds(all, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages")
          && c.body().path("content").asText().startsWith("New case"))).as("one triage notice per case")
          .containsExactlyInAnyOrder(acmeTriage.response().get("id").asText(),
              betaTriage.response().get("id").asText());
      assertThat(all).filteredOn(c -> c.status() >= 400).as("no call refused").isEmpty();
      assertThat(zero.stop()).as(zero.err.toString()).isZero();
      assertThat(one.stop()).as(one.err.toString()).isZero();
    }
    String awayA = discord.typedWhileAway(ANA, threadA, "restarting the agent did not help");
    String awayB = discord.typedWhileAway(BEN, threadB, "our dashboards are down too");
    int restart = discord.calls().size();
    try (Instance zero = new Instance(0); Instance one = new Instance(1)) {
      // each start reads back its own servers' open case threads, beside serving: wait until both are handled
      Await.until(() -> handled(awayA) && handled(awayB), "the messages typed while away read back and handled");
      assertThat(discord.since(restart)).filteredOn(c -> c.is("GET", "channels/" + threadA + "/messages"))
          .as("Acme's thread read back once (by instance 1)").hasSize(1);
      assertThat(discord.since(restart)).filteredOn(c -> c.is("GET", "channels/" + threadB + "/messages"))
          .as("Beta's thread read back once (by instance 0)").hasSize(1);
      assertThat(zero.stop()).as(zero.err.toString()).isZero();
      assertThat(one.stop()).as(one.err.toString()).isZero();
    }
    try (Connection c = pg.connect(desk.database()); Statement s = c.createStatement()) {
      for (String away : List.of(awayA, awayB)) {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(done_ms) FROM inbox WHERE idem_key LIKE '%" + away
            + "'")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong(1)).as("message " + away + " taken in once").isEqualTo(1);
          assertThat(rs.getLong(2)).as("and handled").isEqualTo(1);
        }
      }
    }
    List<String> cases = new ArrayList<>();
    try (Connection c = pg.connect(desk.database()); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT number, workspace, claimed_by, (SELECT COUNT(*) FROM inbox WHERE done_ms"
            + " IS NULL) FROM incidents ORDER BY number")) {
      while (rs.next()) {
        String claimed = rs.getString(3);
        cases.add(rs.getString(1) + " " + rs.getString(2) + " " + (claimed != null && claimed.contains(EVE) ? "Eve" : claimed));
        assertThat(rs.getLong(4)).as("every acknowledged interaction was handled").isZero();
      }
    }
    assertThat(cases).as("one case per intake, in the shared database; BETA-1 claimed by Eve")
        .containsExactly("ACME-1 " + FakeDiscord.GUILD + " null", "BETA-1 " + FakeDiscord.GUILD_B + " Eve");
  }

  /** The distinct messages made by the message creates {@code matching}. */
  private static java.util.Set<String> messageIds(List<FakeDiscord.Call> calls,
      java.util.function.Predicate<FakeDiscord.Call> matching) {
    return calls.stream().filter(c -> c.is("POST", "channels/.*/messages") && matching.test(c))
        .map(c -> c.response().get("id").asText()).collect(java.util.stream.Collectors.toSet());
  }

  private static double count(Instance instance, String labels) {
    try {
      return instance.metric("supportbot_commands_handled_total", labels);
    } catch (IOException e) {
      return Double.NaN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    }
  }

  /** Whether the message {@code id} typed while the instances were away is in the inbox and handled. */
  private boolean handled(String id) {
    try (Connection c = pg.connect(desk.database()); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(done_ms) FROM inbox WHERE idem_key LIKE '%" + id + "'")) {
      return rs.next() && rs.getLong(1) > 0;
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
