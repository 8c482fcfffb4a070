package org.supportbot.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.CliRun;

class RunCommandTest {

  @TempDir Path dir;

  private Path settings(String text) throws Exception {
    Path f = dir.resolve("bot.yaml");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void checkSummarizesAValidFileAndTouchesNoDatabase() throws Exception {
    Path f = settings("""
        database: data/bot.db
        triage: slack/T1/C0
        organizations:
          - { id: acme, key: ACME, policy: atheer, purchased_contacts: 1, channels: [slack/T1/C1],
              contacts: [slack/T2/U1, slack/T2/U2] }
        engineers: [{ id: slack/T1/U9, role: manager }]
        slack: { mode: socket }
        """);
    CliRun run = CliRun.of("run", "--config", f.toString(), "--check");
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("OK " + f + ": 1 organizations, 1 channels, 2 contacts, 1 engineers;")
        .contains("slack: socket mode; discord: off");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void aContactOverThePolicysLimitIsRefusedWithTheReason() throws Exception {
    Path f = settings("""
        triage: slack/T1/C0
        organizations:
          - { id: acme, key: ACME, name: Acme, policy: atheer, channels: [slack/T1/C1],
              contacts: [slack/T2/U1, slack/T2/U2] }
        """);
    CliRun run = CliRun.of("run", "--config", f.toString(), "--check");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith(f + ": organization acme, contact slack/T2/U2: Acme already has 1 contact, the"
        + " limit under the atheer policy");
  }

  @Test
  void anUnknownPolicyAndBadLinesAreAllReported() throws Exception {
    Path f = settings("""
        triage: slack/T1/C0
        organizations:
          - { id: acme, key: ACME, policy: athear, channels: [slack/T1/C1] }
        """);
    CliRun run = CliRun.of("run", "--config", f.toString(), "--check");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("policy \"athear\" is not loaded; did you mean \"atheer\"?");
    Path bad = settings("triage: nowhere\norganizations: []\nslack: { port: zero }\n");
    CliRun twice = CliRun.of("run", "--config", bad.toString(), "--check");
    assertThat(twice.exitCode()).isEqualTo(1);
    assertThat(twice.err()).contains(bad + ":1: triage: \"nowhere\" is not an address")
        .contains(bad + ":3: slack.port: \"zero\" is not a whole number");
  }

  @Test
  void checkReportsDiscordShardsAndEveryWrongShardSetting() throws Exception {
    String base = """
        database: data/bot.db
        triage: discord/1200000000000000001/1300000000000000002
        organizations:
          - { id: acme, key: ACME, policy: atheer, channels: [discord/1200000000000000001/1300000000000000001] }
        """;
    CliRun good = CliRun.of("run", "--config", settings(base + "discord: { shards: { total: 4, this_instance: [2, 0] } }\n")
        .toString(), "--check");
    assertThat(good.err()).isEmpty();
    assertThat(good.exitCode()).isZero();
    assertThat(good.out()).contains("discord: on, shards [0, 2] of 4;");
    Path bad = settings(base + """
        discord:
          shards:
            total: 2
            this_instance: [1, 2, 1]
        """);
    CliRun refused = CliRun.of("run", "--config", bad.toString(), "--check");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains(bad + ":8: discord.shards.this_instance[1]: shard 2 is not below total (2);"
        + " shards are numbered 0 to 1")
        .contains(bad + ":8: discord.shards.this_instance[2]: shard 1 is listed twice; list each shard once");
    CliRun none = CliRun.of("run", "--config", settings(base + "discord: { shards: { total: 0, this_instance: [] } }\n")
        .toString(), "--check");
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.err()).contains("discord.shards.total: 0 is too small; it must be at least 1")
        .contains("discord.shards.this_instance: is empty; list at least one shard this instance connects");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void aMissingFileSaysSo() {
    CliRun run = CliRun.of("run", "--config", dir.resolve("none.yaml").toString(), "--check");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("none.yaml").contains("cannot be read");
  }

  @Test
  void withoutTokensRunStopsWithOneLineNamingTheVariable() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("SLACK_BOT_TOKEN") == null
        && System.getenv("DISCORD_TOKEN") == null, "tokens are set in this environment");
    String base = """
        database: data/bot.db
        triage: slack/T1/C0
        organizations:
          - { id: acme, key: ACME, policy: atheer, channels: [slack/T1/C1] }
        """;
    CliRun slack = CliRun.of("run", "--config", settings(base + "slack: { mode: http, port: 38127 }\n").toString());
    assertThat(slack.exitCode()).isEqualTo(1);
    assertThat(slack.err()).startsWith("error: SLACK_BOT_TOKEN is not set;");
    CliRun discord = CliRun.of("run", "--config", settings(base + "discord: {}\n").toString());
    assertThat(discord.exitCode()).isEqualTo(1);
    assertThat(discord.err()).startsWith("error: DISCORD_TOKEN is not set;");
    CliRun both = CliRun.of("run", "--config", settings(base + "discord: {}\nslack: {}\n").toString());
    assertThat(both.exitCode()).as("both platforms start in one process; every missing secret is named").isEqualTo(1);
    assertThat(both.err()).startsWith("error: SLACK_BOT_TOKEN is not set;")
        .contains("; SLACK_SIGNING_SECRET is not set;").contains("; DISCORD_TOKEN is not set;");
    assertThat(both.err().lines().count()).isEqualTo(1);
    assertThat(dir.resolve("data/bot.db")).as("nothing is opened before the secrets are there").doesNotExist();
    CliRun none = CliRun.of("run", "--config", settings(base).toString());
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("configures no chat platform; add a slack: or a discord: section (or both)");
  }
}
