package org.supportbot.app.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.config.settings.PostgresLocation;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.outbox.Backoff;
import org.supportbot.core.outbox.Delivery;
import org.supportbot.core.outbox.Outbox;
import org.supportbot.core.outbox.OutboxStore;
import org.supportbot.core.store.postgres.PostgresDatabase;
import org.supportbot.core.store.postgres.PostgresDeskStores;
import org.supportbot.core.testing.PostgresCluster;
import org.supportbot.core.time.ManualClock;
import picocli.CommandLine;

/** {@code supportbot outbox list|resend} on a desk whose {@code database:} is a real PostgreSQL server. */
class OutboxCommandOnPostgresTest {
  private static final Instant T0 = Instant.parse("2026-11-23T17:00:00Z");

  @TempDir Path dir;
  private final PostgresCluster pg = PostgresCluster.shared();

  private record Run(int code, String out, String err) {}

  private static Run run(Callable<Integer> command, String... args) {
    CommandLine cli = new CommandLine(command);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  private Path settings(PostgresLocation desk) throws Exception {
    Path f = dir.resolve("bot.yaml");
    Files.writeString(f, """
        database: "postgresql://127.0.0.1:%d/%s?user=%s"
        triage: slack/T1/C0
        organizations:
          - { id: acme, key: ACME, policy: atheer, channels: [slack/T1/C1] }
        slack: { mode: socket }
        """.formatted(pg.port(), desk.database(), PostgresCluster.USER));
    return f;
  }

  @Test
  void listAndResendWorkOnPostgresql() throws Exception {
    PostgresLocation desk = pg.newDatabase();
    Path config = settings(desk);
    List<Long> ids;
    try (PostgresDeskStores stores = new PostgresDeskStores(PostgresDatabase.open(desk, Optional.of(pg.password()),
        Optional.of("desk")), new ManualClock(T0))) {
      Outbox outbox = new Outbox(stores.outbox(), new ManualClock(T0), Backoff.DEFAULT);
      List<Delivery> out = outbox.record(new OutboxStore.Batch(List.of(
          Outbound.toPlace(new ChatPlace("slack", "T1", "C1", ""), Outbound.Kind.STATUS).text("private words").build(),
          Outbound.toPlace(new ChatPlace("slack", "T1", "C2", ""), Outbound.Kind.NOTICE).text("more").build()),
          OptionalLong.empty(), List.of(), List.of(), Map.of(), T0));
      out.get(0).refused("channel_not_found");
      out.get(1).refused("not_in_channel");
      ids = out.stream().map(Delivery::id).toList();
    }

    OutboxCommand.ListCommand list = new OutboxCommand.ListCommand();
    list.options.env = pg.env();
    Run listed = run(list, "--config", config.toString());
    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.out()).contains(ids.get(0) + "\tslack/T1/C1\tSTATUS\t1\t2026-11-23T17:00:00Z\tchannel_not_found")
        .contains(ids.get(1) + "\tslack/T1/C2\tNOTICE").doesNotContain("words");

    OutboxCommand.ResendCommand resend = new OutboxCommand.ResendCommand();
    resend.options.env = pg.env();
    Run resent = run(resend, "--config", config.toString(), "--lane", "slack/T1/C2");
    assertThat(resent.code()).as(resent.err()).isZero();
    assertThat(resent.out()).startsWith("1 message(s) put back in the outbox");
    try (PostgresDeskStores stores = new PostgresDeskStores(PostgresDatabase.open(desk, Optional.of(pg.password()),
        Optional.of("check")), new ManualClock(T0))) {
      assertThat(stores.outbox().pendingCount()).isEqualTo(1);
      assertThat(stores.outbox().setAsideList()).extracting(OutboxStore.SetAside::id).containsExactly(ids.get(0));
    }

    OutboxCommand.ListCommand refused = new OutboxCommand.ListCommand();
    refused.options.env = Map.of("SUPPORTBOT_DB_PASSWORD", "wrong");
    Run denied = run(refused, "--config", config.toString());
    assertThat(denied.code()).isEqualTo(1);
    assertThat(denied.err().strip()).isEqualTo(config + ":1: database: PostgreSQL refused the password of user"
        + " supportbot at " + desk + "; set the right one in SUPPORTBOT_DB_PASSWORD (or PGPASSWORD)");
  }
}
