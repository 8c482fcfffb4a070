package org.supportbot.app.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.config.settings.PostgresLocation;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.outbox.OutboxStore;
import org.supportbot.core.store.DeskStores;
import org.supportbot.core.store.postgres.PostgresDatabase;
import org.supportbot.core.store.postgres.PostgresDeskStores;
import org.supportbot.core.store.sqlite.SqliteDeskStores;
import org.supportbot.core.testing.DeskFixture;
import org.supportbot.core.testing.PostgresCluster;
import picocli.CommandLine;

/** {@code supportbot db copy} from a real SQLite desk into a real PostgreSQL database, verified, then read back. */
class DbCopyCommandTest {
  static final Instant T0 = Instant.parse("2026-12-01T17:00:00Z");

  @TempDir Path dir;
  private final PostgresCluster pg = PostgresCluster.shared();

  private record Run(int code, String out, String err) {}

  private Run copy(String from, String to, Map<String, String> env) {
    CommandLine cli = new CommandLine(new DbCommand.CopyCommand(env));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("--from", from, "--to", to);
    return new Run(code, out.toString(), err.toString());
  }

  private static String url(PostgresLocation l) {
    return "postgresql://" + l.host() + ":" + l.port() + "/" + l.database() + "?user=" + l.user();
  }

  @Test
  void aDeskIsCopiedVerifiedAndReadsTheSameOnPostgresql() throws Exception {
    Path file = dir.resolve("desk.db");
    IncidentNumber one;
    IncidentNumber two;
    List<Long> outboxIds;
    try (DeskFixture f = new DeskFixture(file, T0)) {
      Organization acme = f.organization("ACME", "atheer");
      one = f.file(acme, f.catalogSeverity("atheer"), f.catalogCategory("atheer"));
      two = f.file(acme, f.catalogSeverity("atheer"), f.catalogCategory("atheer"));
      f.desk.handle(new IncidentCommand.Claim(f.vendor(), two));
      f.clock.set(f.timers.nextDue().orElseThrow());
      assertThat(f.desk.fireDue(f.clock.instant(), 100)).isPositive();
      SqliteDeskStores side = new SqliteDeskStores(f.db, f.clock);
      outboxIds = side.outbox().record(new OutboxStore.Batch(List.of(Outbound.toPlace(new ChatPlace("slack", "T1",
          "C1", ""), Outbound.Kind.REPLY).text("hello").build()), OptionalLong.of(3), List.of(), List.of(),
          Map.of("digest", "2026-12-01"), T0));
      side.inbox().add(new Inbound("e1", new Identity("slack", "T1", "U1"), new ChatPlace("slack", "T1", "C1", ""),
          false, T0, Optional.empty(), new Inbound.Said("hi")), Optional.empty(), Optional.empty());
    }

    PostgresLocation target = pg.newDatabase();
    Run run = copy(file.toString(), url(target), pg.env());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("copied " + file + " to " + target + ":").contains("2 incidents")
        .contains("1 outbox").contains("1 inbox")
        .contains("verified: row counts of 19 tables, event logs of 2 incidents (SHA-256)");

    try (DeskFixture before = new DeskFixture(file, T0);
        DeskStores after = new PostgresDeskStores(PostgresDatabase.open(target, Optional.of(pg.password()),
            Optional.of("check")), before.clock)) {
      for (IncidentNumber n : List.of(one, two)) {
        assertThat(after.incidents().snapshot(n)).isEqualTo(before.store.snapshot(n));
        assertThat(after.incidents().events(n)).isEqualTo(before.store.events(n));
      }
      assertThat(after.incidents().eventsAfter(0, 1000)).isEqualTo(before.store.eventsAfter(0, 1000));
      assertThat(after.timers().pending()).isEqualTo(before.timers.pending());
      assertThat(after.timers().nextDue()).isEqualTo(before.timers.nextDue());
      assertThat(after.incidents().lastNumber("ACME")).isEqualTo(2);
      assertThat(after.outbox().eventCursor()).isEqualTo(3);
      assertThat(after.conversations().mark("digest")).contains("2026-12-01");
      assertThat(after.directory().organizationByChannel("slack", before.place.workspace(), "none")).isEmpty();
      assertThat(after.inbox().pendingCount("slack")).isEqualTo(1);
      // ids go on past the copied ones: no outbox id is given twice, the log grows after its last event
      List<Long> next = after.outbox().record(new OutboxStore.Batch(List.of(Outbound.toPlace(new ChatPlace("slack",
          "T1", "C1", ""), Outbound.Kind.REPLY).text("again").build()), OptionalLong.empty(), List.of(), List.of(),
          Map.of(), T0));
      assertThat(next.get(0)).isGreaterThan(outboxIds.get(0));
      assertThat(after.inbox().add(new Inbound("e2", new Identity("slack", "T1", "U1"), new ChatPlace("slack", "T1",
          "C1", ""), false, T0, Optional.empty(), new Inbound.Said("hi")), Optional.empty(), Optional.empty()).id())
          .isGreaterThan(after.inbox().pending("slack", 10).get(0).id());
    }

    Run again = copy(file.toString(), url(target), pg.env());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).startsWith("error: --to: " + target + " is not empty (")
        .contains("2 incidents").contains("copy into a new, empty database, e.g. createdb -O supportbot "
            + target.database() + "_new");
  }

  @Test
  void aChangedCopyFailsVerification() throws Exception {
    Path file = dir.resolve("desk.db");
    try (DeskFixture f = new DeskFixture(file, T0)) {
      f.file(f.organization("ACME", "atheer"), f.catalogSeverity("atheer"), f.catalogCategory("atheer"));
    }
    PostgresLocation target = pg.newDatabase();
    assertThat(copy(file.toString(), url(target), pg.env()).code()).isZero();
    try (DeskFixture f = new DeskFixture(file, T0);
        PostgresDatabase dest = PostgresDatabase.open(target, Optional.of(pg.password()), Optional.of("check"))) {
      try (Connection c = pg.connect(target.database()); Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE incident_events SET body = body || ' ' WHERE seq = 1");
      }
      DbCommand.Verification v = DbCommand.verify(f.db, dest);
      assertThat(v.problems()).singleElement().asString().startsWith("the event log of ACME-1 differs (SHA-256 ");
    }
  }

  @Test
  void badArgumentsAreRefusedWithTheFix() {
    PostgresLocation target = pg.newDatabase();
    Run password = copy(dir.resolve("x.db").toString(), "postgresql://supportbot:s3cret@127.0.0.1/x", Map.of());
    assertThat(password.code()).isEqualTo(2);
    assertThat(password.err()).contains("error: --to: the PostgreSQL URL holds a password")
        .doesNotContain("s3cret");
    Run missing = copy(dir.resolve("x.db").toString(), url(target), pg.env());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("error: --from: " + dir.resolve("x.db") + " is not a file");
    Run wrong = copy(dir.resolve("x.db").toString(), url(target), Map.of("SUPPORTBOT_DB_PASSWORD", "nope"));
    assertThat(wrong.code()).isEqualTo(2);
  }
}
