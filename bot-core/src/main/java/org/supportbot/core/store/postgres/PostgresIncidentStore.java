package org.supportbot.core.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.store.ChangeSet;
import org.supportbot.core.store.IncidentStore;
import org.supportbot.core.store.WrittenElsewhereException;
import org.supportbot.core.store.sqlite.JsonCodec;
import org.supportbot.core.timer.Timer;

/**
 * {@link IncidentStore} on PostgreSQL. Nothing is cached: another instance may change any row, so every read
 * goes to the database and sees every committed write. A commit that appends events first takes a
 * transaction-scoped advisory lock, so that event ids (from a sequence) become visible in their order and
 * a reader of {@link #eventsAfter} never skips an event committed late with a smaller id.
 */
public final class PostgresIncidentStore implements IncidentStore {
  /** The advisory lock key that orders appends to the event log across instances. */
  static final long EVENT_LOG_LOCK = 0x5375_7070_6f72_7401L;

  private final PostgresDatabase db;
  private final JsonCodec json = new JsonCodec();

  public PostgresIncidentStore(PostgresDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public Optional<IncidentSnapshot> snapshot(IncidentNumber number) {
    List<IncidentSnapshot> one = snapshots("SELECT snapshot FROM incidents WHERE number = ?", number.toString());
    return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
  }

  @Override
  public List<IncidentSnapshot> openAt(ChatPlace p) {
    return snapshots("SELECT snapshot FROM incidents WHERE platform = ? AND workspace = ? AND channel = ? AND thread = ?"
        + " AND is_open = 1 ORDER BY org_key, seq", p.platform(), p.workspace(), p.channel(), p.thread());
  }

  @Override
  public List<IncidentSnapshot> openFor(String organizationId) {
    return snapshots("SELECT snapshot FROM incidents WHERE organization_id = ? AND is_open = 1 ORDER BY org_key, seq",
        organizationId);
  }

  @Override
  public List<IncidentSnapshot> queue(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("a queue shows at least one incident, got limit " + limit);
    }
    return snapshots("SELECT snapshot FROM incidents WHERE is_active = 1"
        + " ORDER BY next_deadline_ms ASC NULLS LAST, org_key, seq LIMIT " + limit);
  }

  @Override
  public List<IncidentSnapshot> claimedBy(Identity engineer) {
    return snapshots("SELECT snapshot FROM incidents WHERE claimed_by = ? AND is_active = 1 ORDER BY org_key, seq",
        engineer.toString());
  }

  @Override
  public int freeTasksUsed(String organizationId) {
    return (int) count("SELECT COUNT(*) FROM incidents WHERE organization_id = ? AND free_task = 1", organizationId);
  }

  private long count(String sql, String param) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, param);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  private List<IncidentSnapshot> snapshots(String sql, String... params) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < params.length; i++) {
          ps.setString(i + 1, params[i]);
        }
        List<IncidentSnapshot> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(json.read(rs.getString(1), IncidentSnapshot.class));
          }
        }
        return List.copyOf(out);
      }
    });
  }

  @Override
  public List<IncidentEvent> events(IncidentNumber number) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT body FROM incident_events WHERE incident = ? ORDER BY seq")) {
        ps.setString(1, number.toString());
        List<IncidentEvent> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(json.read(rs.getString(1), IncidentEvent.class));
          }
        }
        return out;
      }
    });
  }

  @Override
  public List<Logged> eventsAfter(long afterId, int limit) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT id, body FROM incident_events WHERE id > ? ORDER BY id"
          + " LIMIT ?")) {
        ps.setLong(1, afterId);
        ps.setInt(2, limit);
        List<Logged> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Logged(rs.getLong(1), json.read(rs.getString(2), IncidentEvent.class)));
          }
        }
        return out;
      }
    });
  }

  @Override
  public Optional<IncidentOutcome> outcome(String idempotencyKey) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT outcome FROM command_outcomes WHERE idempotency_key = ?")) {
        ps.setString(1, idempotencyKey);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(json.read(rs.getString(1), IncidentOutcome.class)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public int lastNumber(String orgKey) {
    return (int) count("SELECT COALESCE(MAX(seq), 0) FROM incidents WHERE org_key = ?", orgKey);
  }

  @Override
  public long eventCount(IncidentNumber number) {
    return count("SELECT COALESCE(MAX(event_count), 0) FROM incidents WHERE number = ?", number.toString());
  }

  @Override
  public boolean shared() {
    return true;
  }

  /** Holds a session advisory lock named {@code name} (released when the work ends or the instance dies). */
  @Override
  public <T> T exclusive(String name, java.util.function.Supplier<T> work) {
    return db.holding(0x5375_7070_0000_0000L | (name.hashCode() & 0xffff_ffffL), work);
  }

  /**
   * Writes the change set in one transaction. Another instance may have written first what this one decided
   * from an older read: the unique {@code (incident, seq)} of the log, the unique incident number and the
   * primary key of the outcomes refuse it (SQLSTATE 23505), as does a timer that is no longer unfired; the
   * transaction is rolled back and {@link WrittenElsewhereException} tells the desk to read again and decide
   * again.
   */
  @Override
  public void commit(ChangeSet changes) {
    if (changes.isEmpty()) {
      return;
    }
    db.write(c -> {
      if (!changes.events().isEmpty()) {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
          lock.setLong(1, EVENT_LOG_LOCK);
          lock.executeQuery().close();
        }
      }
      try {
        appendEvents(c, changes.events());
        saveSnapshots(c, changes.snapshots());
        markFired(c, changes.fired(), changes.at().toEpochMilli());
        syncTimers(c, changes.timers());
        saveOutcomes(c, changes.outcomes(), changes.at().toEpochMilli());
      } catch (SQLException e) {
        if (uniqueViolation(e)) {
          throw new WrittenElsewhereException("another instance wrote first to "
              + changes.events().stream().map(a -> a.incident().toString()).distinct().limit(5).toList()
              + " or the same command (" + firstLine(e) + ")", e);
        }
        throw e;
      }
      return null;
    });
  }

  /** Whether {@code e} (or the batch error it chains) is PostgreSQL's unique_violation. */
  static boolean uniqueViolation(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      if ("23505".equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(SQLException e) {
    SQLException first = e.getNextException() != null ? e.getNextException() : e;
    String m = String.valueOf(first.getMessage());
    return m.lines().findFirst().orElse("").trim();
  }

  private void appendEvents(Connection c, List<ChangeSet.Appended> events) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO incident_events (incident, seq, type, at_ms, actor,"
        + " idempotency_key, message_id, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (ChangeSet.Appended a : events) {
        IncidentEvent e = a.event();
        ps.setString(1, a.incident().toString());
        ps.setLong(2, a.seq());
        ps.setString(3, e.getClass().getSimpleName());
        ps.setLong(4, e.origin().at().toEpochMilli());
        ps.setString(5, e.origin().actor().identity().toString());
        ps.setString(6, e.origin().key());
        ps.setString(7, e.origin().message().map(m -> m.messageId()).orElse(null));
        ps.setString(8, json.write(e));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void saveSnapshots(Connection c, List<IncidentSnapshot> snapshots) throws SQLException {
    if (snapshots.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO incidents (number, org_key, seq, organization_id, state,"
        + " is_open, platform, workspace, channel, thread, event_count, snapshot, is_active, claimed_by,"
        + " next_deadline_ms, free_task) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (number) DO UPDATE SET state = excluded.state, is_open = excluded.is_open,"
        + " is_active = excluded.is_active, claimed_by = excluded.claimed_by,"
        + " next_deadline_ms = excluded.next_deadline_ms, free_task = excluded.free_task,"
        + " platform = excluded.platform, workspace = excluded.workspace, channel = excluded.channel,"
        + " thread = excluded.thread, event_count = excluded.event_count, snapshot = excluded.snapshot")) {
      for (IncidentSnapshot s : snapshots) {
        ps.setString(1, s.number().toString());
        ps.setString(2, s.number().orgKey());
        ps.setInt(3, s.number().seq());
        ps.setString(4, s.organizationId());
        ps.setString(5, s.state().name());
        ps.setInt(6, s.state().terminal() ? 0 : 1);
        ps.setString(7, s.place().platform());
        ps.setString(8, s.place().workspace());
        ps.setString(9, s.place().channel());
        ps.setString(10, s.place().thread());
        ps.setLong(11, s.eventCount());
        ps.setString(12, json.write(s));
        ps.setInt(13, s.state().active() ? 1 : 0);
        ps.setString(14, s.claimedBy().map(Identity::toString).orElse(null));
        if (s.nextDeadline().isPresent()) {
          ps.setLong(15, s.nextDeadline().get().toEpochMilli());
        } else {
          ps.setNull(15, java.sql.Types.BIGINT);
        }
        ps.setInt(16, s.freeTaskUsed() ? 1 : 0);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void syncTimers(Connection c, Map<IncidentNumber, List<Timer>> timers) throws SQLException {
    if (timers.isEmpty()) {
      return;
    }
    try (PreparedStatement cancel = c.prepareStatement("DELETE FROM timers WHERE incident = ? AND fired_ms IS NULL");
        PreparedStatement insert = c.prepareStatement("INSERT INTO timers (incident, kind, version, due_ms, fired_ms)"
            + " VALUES (?, ?, ?, ?, NULL) ON CONFLICT (incident, kind, version) DO NOTHING")) {
      for (Map.Entry<IncidentNumber, List<Timer>> e : timers.entrySet()) {
        cancel.setString(1, e.getKey().toString());
        cancel.addBatch();
        for (Timer t : e.getValue()) {
          insert.setString(1, t.incident());
          insert.setString(2, t.kind());
          insert.setLong(3, t.version());
          insert.setLong(4, t.dueAt().toEpochMilli());
          insert.addBatch();
        }
      }
      cancel.executeBatch();
      insert.executeBatch();
    }
  }

  private static void markFired(Connection c, List<Timer> fired, long atMs) throws SQLException {
    if (fired.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE timers SET fired_ms = ? WHERE incident = ? AND kind = ?"
        + " AND version = ? AND fired_ms IS NULL")) {
      for (Timer t : fired) {
        ps.setLong(1, atMs);
        ps.setString(2, t.incident());
        ps.setString(3, t.kind());
        ps.setLong(4, t.version());
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) {
          throw new WrittenElsewhereException("timer " + fired.get(i).key() + " was already fired or cancelled"
              + " (by another instance); the firing is rolled back so its effect is not applied twice");
        }
      }
    }
  }

  private void saveOutcomes(Connection c, Map<String, IncidentOutcome> outcomes, long atMs) throws SQLException {
    if (outcomes.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO command_outcomes (idempotency_key, outcome, recorded_ms)"
        + " VALUES (?, ?, ?)")) {
      for (Map.Entry<String, IncidentOutcome> e : outcomes.entrySet()) {
        ps.setString(1, e.getKey());
        ps.setString(2, json.write(e.getValue()));
        ps.setLong(3, atMs);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
