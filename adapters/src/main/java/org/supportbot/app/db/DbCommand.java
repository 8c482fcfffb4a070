package org.supportbot.app.db;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.supportbot.app.Main;
import org.supportbot.config.settings.PostgresLocation;
import org.supportbot.core.store.postgres.DatabaseUnavailableException;
import org.supportbot.core.store.postgres.PostgresDatabase;
import org.supportbot.core.store.sqlite.DatabaseOpenException;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code supportbot db}: the desk's database. */
@Command(name = "db", mixinStandardHelpOptions = true, header = "Move a desk's database.",
    subcommands = {DbCommand.CopyCommand.class})
public final class DbCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: copy");
  }

  /**
   * The tables of a desk, parents first, with the columns both schemas have; {@code ids} names the identity
   * column whose sequence must start past the copied ids.
   */
  record Table(String name, List<String> columns, Optional<String> ids) {}

  static final List<Table> TABLES = List.of(
      new Table("organizations", List.of("id", "org_key", "body"), Optional.empty()),
      new Table("channel_bindings", List.of("platform", "workspace", "channel", "organization_id"), Optional.empty()),
      new Table("contacts", List.of("organization_id", "identity", "name"), Optional.empty()),
      new Table("engineers", List.of("identity", "name", "role"), Optional.empty()),
      new Table("incidents", List.of("number", "org_key", "seq", "organization_id", "state", "is_open", "is_active",
          "claimed_by", "next_deadline_ms", "free_task", "platform", "workspace", "channel", "thread", "event_count",
          "snapshot"), Optional.empty()),
      new Table("incident_events", List.of("id", "incident", "seq", "type", "at_ms", "actor", "idempotency_key",
          "message_id", "body"), Optional.of("id")),
      new Table("timers", List.of("incident", "kind", "version", "due_ms", "fired_ms"), Optional.empty()),
      new Table("command_outcomes", List.of("idempotency_key", "outcome", "recorded_ms"), Optional.empty()),
      new Table("intakes", List.of("platform", "workspace", "channel", "person", "last_activity", "body"),
          Optional.empty()),
      new Table("inbound_handled", List.of("idem_key", "handled_at"), Optional.empty()),
      new Table("deferred_pings", List.of("id", "release_at", "body"), Optional.of("id")),
      new Table("desk_marks", List.of("name", "value"), Optional.empty()),
      new Table("outbox", List.of("id", "lane", "kind", "body", "recorded_ms", "attempts", "next_attempt_ms"),
          Optional.empty()),
      new Table("outbox_cursor", List.of("name", "last_event_id"), Optional.empty()),
      new Table("outbox_set_aside", List.of("id", "lane", "kind", "body", "recorded_ms", "attempts", "set_aside_ms",
          "reason"), Optional.empty()),
      new Table("inbox", List.of("id", "idem_key", "platform", "body", "extra", "received_ms", "attempts", "done_ms"),
          Optional.of("id")),
      new Table("inbox_seen", List.of("platform", "place", "position"), Optional.empty()),
      new Table("slack_messages", List.of("workspace", "name", "channel", "ts"), Optional.empty()),
      new Table("discord_refs", List.of("name", "value"), Optional.empty()));

  /** {@code supportbot db copy --from FILE.db --to postgresql://...}. */
  @Command(name = "copy", mixinStandardHelpOptions = true,
      header = "Copy a SQLite desk into an empty PostgreSQL database and verify the copy.",
      description = {"Copies every table of the desk in one consistent read of the SQLite file (the bot may keep",
          "running on it; stop it before switching database: to the copy), then checks the row count of every",
          "table and a SHA-256 checksum of each incident's event log on both sides. The target must be empty.",
          "The password comes from SUPPORTBOT_DB_PASSWORD or PGPASSWORD, never from the URL."})
  public static final class CopyCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "FILE.db", description = "The desk's SQLite file.")
    Path from;

    @Option(names = "--to", required = true, paramLabel = "URL",
        description = "postgresql://host:5432/database?user=NAME (an empty database).")
    String to;

    private final Map<String, String> env;

    public CopyCommand() {
      this(System.getenv());
    }

    /** For tests: the password from {@code env}. */
    CopyCommand(Map<String, String> env) {
      this.env = Map.copyOf(env);
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      PostgresLocation target;
      try {
        target = PostgresLocation.parse(to);
      } catch (IllegalArgumentException e) {
        err.println("error: --to: the PostgreSQL URL " + e.getMessage());
        return Main.EXIT_USAGE;
      }
      if (!Files.isRegularFile(from)) {
        err.println("error: --from: " + from + " is not a file; name the desk's SQLite file (database: in the"
            + " settings, data/supportbot.db by default)");
        return Main.EXIT_USAGE;
      }
      Optional<String> unusable = SqliteDatabase.unusable(from);
      if (unusable.isPresent()) {
        err.println("error: --from: " + unusable.get());
        return 1;
      }
      try (SqliteDatabase source = SqliteDatabase.open(from, SqliteDatabase.Durability.NORMAL);
          PostgresDatabase dest = PostgresDatabase.open(target, PostgresLocation.password(env), Optional.empty())) {
        Map<String, Long> existing = dest.read(DbCommand::counts);
        existing.remove("outbox_cursor"); // the schema starts it at 0
        Map<String, Long> nonEmpty = new TreeMap<>();
        existing.forEach((t, n) -> {
          if (n > 0) {
            nonEmpty.put(t, n);
          }
        });
        if (!nonEmpty.isEmpty()) {
          err.println("error: --to: " + target + " is not empty (" + describe(nonEmpty) + "); copy into a new, empty"
              + " database, e.g. createdb -O " + target.user() + " " + target.database() + "_new");
          return 1;
        }
        Map<String, Long> copied = source.read(c -> {
          try (Statement s = c.createStatement()) {
            s.execute("BEGIN"); // one snapshot of the live file
          }
          try {
            return dest.write(p -> copy(c, p));
          } finally {
            try (Statement s = c.createStatement()) {
              s.execute("COMMIT");
            }
          }
        });
        Verification v = verify(source, dest);
        if (!v.problems().isEmpty()) {
          v.problems().forEach(p -> err.println("error: verify: " + p));
          err.println("error: the copy in " + target + " differs from " + from + " (the bot wrote to the file"
              + " meanwhile?); drop and recreate the database, stop the bot, and copy again");
          return 1;
        }
        out.println("copied " + from + " to " + target + ": " + describe(copied));
        out.println("verified: row counts of " + copied.size() + " tables, event logs of " + v.incidents()
            + " incidents (SHA-256)");
        return 0;
      } catch (DatabaseUnavailableException | DatabaseOpenException e) {
        err.println("error: " + e.getMessage());
        return 1;
      }
    }
  }

  private static String describe(Map<String, Long> counts) {
    List<String> parts = new ArrayList<>();
    counts.forEach((t, n) -> parts.add(n + " " + t));
    return String.join(", ", parts);
  }

  /** Rows per desk table present in the database of {@code c}. */
  static Map<String, Long> counts(Connection c) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Table t : TABLES) {
      if (!exists(c, t.name())) {
        continue;
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + t.name())) {
        rs.next();
        out.put(t.name(), rs.getLong(1));
      }
    }
    return out;
  }

  private static boolean exists(Connection c, String table) throws SQLException {
    try (ResultSet rs = c.getMetaData().getTables(null, null, table, new String[] {"TABLE"})) {
      return rs.next();
    }
  }

  /** Copies every table of the SQLite connection {@code from} into PostgreSQL {@code to}; returns rows per table. */
  static Map<String, Long> copy(Connection from, Connection to) throws SQLException {
    Map<String, Long> copied = new LinkedHashMap<>();
    try (Statement s = to.createStatement()) {
      s.execute("DELETE FROM outbox_cursor");
    }
    for (Table t : TABLES) {
      if (!exists(from, t.name())) {
        copied.put(t.name(), 0L);
        continue;
      }
      String cols = String.join(", ", t.columns());
      String marks = String.join(", ", t.columns().stream().map(x -> "?").toList());
      long n = 0;
      try (Statement read = from.createStatement();
          ResultSet rs = read.executeQuery("SELECT " + cols + " FROM " + t.name());
          PreparedStatement write = to.prepareStatement("INSERT INTO " + t.name() + " (" + cols + ") VALUES ("
              + marks + ")")) {
        while (rs.next()) {
          for (int i = 1; i <= t.columns().size(); i++) {
            write.setObject(i, rs.getObject(i));
          }
          write.addBatch();
          if (++n % 1000 == 0) {
            write.executeBatch();
          }
        }
        write.executeBatch();
      }
      copied.put(t.name(), n);
      if (t.ids().isPresent()) {
        try (Statement s = to.createStatement()) {
          s.executeQuery("SELECT setval(pg_get_serial_sequence('" + t.name() + "', '" + t.ids().get() + "'),"
              + " COALESCE((SELECT MAX(" + t.ids().get() + ") FROM " + t.name() + "), 0) + 1, false)").close();
        }
      }
    }
    long lastOutboxId = 0;
    if (exists(from, "outbox_sequence")) {
      try (Statement s = from.createStatement();
          ResultSet rs = s.executeQuery("SELECT last_id FROM outbox_sequence WHERE name = 'outbox'")) {
        lastOutboxId = rs.next() ? rs.getLong(1) : 0;
      }
    }
    try (PreparedStatement ps = to.prepareStatement("SELECT setval('outbox_ids', GREATEST(?, (SELECT COALESCE(MAX(id),"
        + " 0) FROM outbox), (SELECT COALESCE(MAX(id), 0) FROM outbox_set_aside)) + 1, false)")) {
      ps.setLong(1, lastOutboxId);
      ps.executeQuery().close();
    }
    return copied;
  }

  record Verification(int incidents, List<String> problems) {}

  /** Compares row counts per table and each incident's event-log checksum on both sides. */
  static Verification verify(SqliteDatabase source, PostgresDatabase dest) {
    List<String> problems = new ArrayList<>();
    Map<String, Long> a = source.read(DbCommand::counts);
    Map<String, Long> b = dest.read(DbCommand::counts);
    a.forEach((t, n) -> {
      if (!n.equals(b.get(t))) {
        problems.add(t + ": " + n + " rows in SQLite, " + b.get(t) + " in PostgreSQL");
      }
    });
    Map<String, String> logsA = source.read(DbCommand::eventLogChecksums);
    Map<String, String> logsB = dest.read(DbCommand::eventLogChecksums);
    logsA.forEach((incident, sum) -> {
      if (!sum.equals(logsB.get(incident))) {
        problems.add("the event log of " + incident + " differs (SHA-256 " + sum.substring(0, 12) + " in SQLite, "
            + Optional.ofNullable(logsB.get(incident)).map(x -> x.substring(0, 12)).orElse("none") + " in PostgreSQL)");
      }
    });
    if (!logsB.keySet().equals(logsA.keySet())) {
      problems.add("PostgreSQL holds event logs of other incidents than SQLite");
    }
    return new Verification(logsA.size(), problems);
  }

  /** SHA-256 of every field of each incident's events, in log order, by incident number. */
  static Map<String, String> eventLogChecksums(Connection c) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT incident, id, seq, type, at_ms,"
        + " actor, idempotency_key, message_id, body FROM incident_events ORDER BY incident, seq")) {
      String current = null;
      MessageDigest digest = sha256();
      while (rs.next()) {
        String incident = rs.getString(1);
        if (!incident.equals(current)) {
          if (current != null) {
            out.put(current, HexFormat.of().formatHex(digest.digest()));
          }
          current = incident;
        }
        for (int i = 2; i <= 9; i++) {
          String v = rs.getString(i);
          digest.update((v == null ? "\u0000null" : v).getBytes(StandardCharsets.UTF_8));
          digest.update((byte) 0x1f);
        }
        digest.update((byte) 0x1e);
      }
      if (current != null) {
        out.put(current, HexFormat.of().formatHex(digest.digest()));
      }
    }
    return out;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
