package org.supportbot.app.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.CliRun;
import org.supportbot.config.load.SettingsLoader;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.outbox.Backoff;
import org.supportbot.core.outbox.Delivery;
import org.supportbot.core.outbox.Outbox;
import org.supportbot.core.outbox.OutboxStore;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.sqlite.SqliteOutboxStore;
import org.supportbot.core.time.ManualClock;

/** {@code supportbot outbox list|resend} on a real SQLite file: what it shows, what it moves, what it refuses. */
class OutboxCommandTest {
  private static final ChatPlace GONE = new ChatPlace("slack", "T1", "C1", "");
  private static final ChatPlace OTHER = new ChatPlace("slack", "T1", "C2", "");

  @TempDir Path dir;

  private Path settings() throws Exception {
    Path f = dir.resolve("bot.yaml");
    Files.writeString(f, """
        database: data/bot.db
        triage: slack/T1/C0
        organizations:
          - { id: acme, key: ACME, policy: atheer, purchased_contacts: 1, channels: [slack/T1/C1],
              contacts: [slack/T2/U1] }
        slack: { mode: socket }
        """);
    return f;
  }

  /** Two messages refused for good, in two lanes, and one still pending; returns the refused ids. */
  private List<Long> refuseTwo(Path config) throws Exception {
    Path file = new SettingsLoader().load(config).database();
    try (SqliteDatabase db = SqliteDatabase.open(file, SqliteDatabase.Durability.NORMAL)) {
      Outbox outbox = new Outbox(new SqliteOutboxStore(db), new ManualClock(Instant.parse("2026-11-23T17:00:00Z")),
          Backoff.DEFAULT);
      List<Delivery> out = outbox.record(new OutboxStore.Batch(List.of(
          Outbound.toPlace(GONE, Outbound.Kind.STATUS).text("private words").build(),
          Outbound.toPlace(OTHER, Outbound.Kind.NOTICE).text("more words").build()), OptionalLong.empty(), List.of(),
          List.of(), Map.of(), Instant.parse("2026-11-23T17:00:00Z")));
      out.get(0).refused("channel_not_found");
      out.get(1).refused("not_in_channel");
      return out.stream().map(Delivery::id).toList();
    }
  }

  private static long pending(Path config) throws Exception {
    try (SqliteDatabase db = SqliteDatabase.open(new SettingsLoader().load(config).database(),
        SqliteDatabase.Durability.NORMAL)) {
      return new SqliteOutboxStore(db).pendingCount();
    }
  }

  @Test
  void listShowsIdsLanesKindsAndReasonsButNeverTheText() throws Exception {
    Path config = settings();
    List<Long> ids = refuseTwo(config);
    CliRun run = CliRun.of("outbox", "list", "--config", config.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains(ids.get(0) + "\tslack/T1/C1\tSTATUS\t1\t2026-11-23T17:00:00Z\tchannel_not_found")
        .contains(ids.get(1) + "\tslack/T1/C2\tNOTICE\t1\t2026-11-23T17:00:00Z\tnot_in_channel")
        .doesNotContain("words");
  }

  @Test
  void resendByIdThenByLaneMovesExactlyThoseMessagesBack() throws Exception {
    Path config = settings();
    List<Long> ids = refuseTwo(config);
    CliRun one = CliRun.of("outbox", "resend", "--config", config.toString(), "--id", ids.get(0).toString());
    assertThat(one.exitCode()).isZero();
    assertThat(one.out()).startsWith("1 message(s) put back in the outbox");
    assertThat(pending(config)).isEqualTo(1);
    assertThat(CliRun.of("outbox", "list", "--config", config.toString()).out()).doesNotContain("slack/T1/C1\t")
        .contains("slack/T1/C2\t");

    CliRun lane = CliRun.of("outbox", "resend", "--config", config.toString(), "--lane", "slack/T1/C2");
    assertThat(lane.exitCode()).isZero();
    assertThat(pending(config)).isEqualTo(2);
    assertThat(CliRun.of("outbox", "list", "--config", config.toString()).out()).isEqualTo("No message is set aside."
        + System.lineSeparator());
  }

  @Test
  void badOperatorInputGetsOneClearLine() throws Exception {
    Path config = settings();
    CliRun noDb = CliRun.of("outbox", "list", "--config", config.toString());
    assertThat(noDb.exitCode()).isEqualTo(1);
    assertThat(noDb.err()).isEqualTo("error: the database " + dir.resolve("data/bot.db") + " named in " + config
        + " does not exist; run `supportbot run --config " + config + "` first, or fix database: in the settings"
        + System.lineSeparator());

    refuseTwo(config);
    CliRun unknown = CliRun.of("outbox", "resend", "--config", config.toString(), "--id", "999");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).isEqualTo("error: no set-aside message has id 999; `supportbot outbox list --config "
        + config + "` shows them" + System.lineSeparator());
    CliRun both = CliRun.of("outbox", "resend", "--config", config.toString(), "--all", "--id", "1");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
    assertThat(pending(config)).isZero();
  }
}
