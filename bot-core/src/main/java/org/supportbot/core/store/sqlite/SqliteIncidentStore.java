package org.supportbot.core.store.sqlite;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.store.ChangeSet;
import org.supportbot.core.store.IncidentStore;
import org.supportbot.core.timer.Timer;

/**
 * {@link IncidentStore} on SQLite. Snapshots by number and open incidents by chat place are
 * cached; a commit invalidates the entries it touched after the transaction commits (a load that
 * raced with the commit is discarded by the invalidation), so a cached read is never older than
 * the last completed commit.
 */
public final class SqliteIncidentStore implements IncidentStore {
  private final SqliteDatabase db;
  private final JsonCodec json = new JsonCodec();
  private final Cache<IncidentNumber, Optional<IncidentSnapshot>> byNumber;
  private final Cache<ChatPlace, List<IncidentSnapshot>> byPlace;
  /**
   * Snapshots decoded by list reads ({@code /queue}, an organization's or an engineer's cases), with the text
   * they were decoded from: a row whose text is the same is not decoded again. Keyed on the text itself, so
   * it can never serve a snapshot other than the one just read.
   */
  private final Cache<String, Decoded> decoded;

  private record Decoded(String text, IncidentSnapshot snapshot) {}

  public SqliteIncidentStore(SqliteDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
    this.byNumber = Caffeine.newBuilder().maximumSize(20_000).build();
    this.byPlace = Caffeine.newBuilder().maximumSize(5_000).build();
    this.decoded = Caffeine.newBuilder().maximumSize(5_000).build();
  }

  @Override
  public Optional<IncidentSnapshot> snapshot(IncidentNumber number) {
    return byNumber.get(number, this::loadSnapshot);
  }

  private Optional<IncidentSnapshot> loadSnapshot(IncidentNumber number) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT snapshot FROM incidents WHERE number = ?")) {
        ps.setString(1, number.toString());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(json.read(rs.getString(1), IncidentSnapshot.class)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<IncidentSnapshot> openAt(ChatPlace place) {
    return byPlace.get(place, p -> db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT snapshot FROM incidents WHERE platform = ? AND workspace = ?"
          + " AND channel = ? AND thread = ? AND is_open = 1 ORDER BY org_key, seq")) {
        ps.setString(1, p.platform());
        ps.setString(2, p.workspace());
        ps.setString(3, p.channel());
        ps.setString(4, p.thread());
        List<IncidentSnapshot> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(json.read(rs.getString(1), IncidentSnapshot.class));
          }
        }
        return List.copyOf(out);
      }
    }));
  }

  @Override
  public List<IncidentSnapshot> openFor(String organizationId) {
    return snapshots("SELECT number, snapshot FROM incidents WHERE organization_id = ? AND is_open = 1 ORDER BY org_key, seq",
        organizationId);
  }

  @Override
  public List<IncidentSnapshot> queue(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("a queue shows at least one incident, got limit " + limit);
    }
    return snapshots("SELECT number, snapshot FROM incidents WHERE is_active = 1"
        + " ORDER BY CASE WHEN next_deadline_ms IS NULL THEN 1 ELSE 0 END, next_deadline_ms, org_key, seq LIMIT "
        + limit);
  }

  @Override
  public List<IncidentSnapshot> claimedBy(Identity engineer) {
    return snapshots("SELECT number, snapshot FROM incidents WHERE claimed_by = ? AND is_active = 1 ORDER BY org_key, seq",
        engineer.toString());
  }

  @Override
  public int freeTasksUsed(String organizationId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM incidents WHERE organization_id = ?"
          + " AND free_task = 1")) {
        ps.setString(1, organizationId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }

  /** The snapshot stored as {@code text}, decoded again only when the text differs from the last one decoded. */
  private IncidentSnapshot decode(String number, String text) {
    Decoded d = decoded.getIfPresent(number);
    if (d != null && d.text().equals(text)) {
      return d.snapshot();
    }
    IncidentSnapshot s = json.read(text, IncidentSnapshot.class);
    decoded.put(number, new Decoded(text, s));
    return s;
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
            out.add(decode(rs.getString(1), rs.getString(2)));
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
      PreparedStatement ps = db.prepared(c, "SELECT id, body FROM incident_events WHERE id > ? ORDER BY id LIMIT ?");
      ps.setLong(1, afterId);
      ps.setInt(2, limit);
      List<Logged> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Logged(rs.getLong(1), json.read(rs.getString(2), IncidentEvent.class)));
        }
      }
      return out;
    });
  }

  @Override
  public Optional<IncidentOutcome> outcome(String idempotencyKey) {
    return db.read(c -> {
      PreparedStatement ps = db.prepared(c, "SELECT outcome FROM command_outcomes WHERE idempotency_key = ?");
      ps.setString(1, idempotencyKey);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(json.read(rs.getString(1), IncidentOutcome.class)) : Optional.empty();
      }
    });
  }

  @Override
  public int lastNumber(String orgKey) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM incidents WHERE org_key = ?")) {
        ps.setString(1, orgKey);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }

  @Override
  public void commit(ChangeSet changes) {
    if (changes.isEmpty()) {
      return;
    }
    Set<ChatPlace> places = new HashSet<>();
    for (IncidentSnapshot s : changes.snapshots()) {
      places.add(s.place());
    }
    try {
      db.write(c -> {
        appendEvents(c, changes.events());
        saveSnapshots(c, changes.snapshots(), places);
        markFired(c, changes.fired(), changes.at().toEpochMilli());
        syncTimers(c, changes.timers());
        saveOutcomes(c, changes.outcomes(), changes.at().toEpochMilli());
        return null;
      });
    } finally {
      for (IncidentSnapshot s : changes.snapshots()) {
        byNumber.invalidate(s.number());
      }
      byPlace.invalidateAll(places);
    }
  }

  private void appendEvents(Connection c, List<ChangeSet.Appended> events) throws SQLException {
    PreparedStatement ps = db.prepared(c, "INSERT INTO incident_events (incident, seq, type, at_ms, actor,"
        + " idempotency_key, message_id, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
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

  private void saveSnapshots(Connection c, List<IncidentSnapshot> snapshots, Set<ChatPlace> places) throws SQLException {
    for (IncidentSnapshot s : snapshots) {
      Optional<IncidentSnapshot> cached = byNumber.getIfPresent(s.number());
      if (cached != null) {
        cached.ifPresent(old -> places.add(old.place()));
      }
    }
    PreparedStatement ps = db.prepared(c, "INSERT INTO incidents (number, org_key, seq, organization_id, state,"
      + " is_open, platform, workspace, channel, thread, event_count, snapshot, is_active, claimed_by, next_deadline_ms,"
      + " free_task) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      + " ON CONFLICT (number) DO UPDATE SET state = excluded.state, is_open = excluded.is_open,"
      + " is_active = excluded.is_active, claimed_by = excluded.claimed_by,"
      + " next_deadline_ms = excluded.next_deadline_ms, free_task = excluded.free_task,"
      + " platform = excluded.platform, workspace = excluded.workspace, channel = excluded.channel,"
      + " thread = excluded.thread, event_count = excluded.event_count, snapshot = excluded.snapshot");
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

  private void syncTimers(Connection c, Map<IncidentNumber, List<Timer>> timers) throws SQLException {
    if (timers.isEmpty()) {
      return;
    }
    PreparedStatement cancel = db.prepared(c, "DELETE FROM timers WHERE incident = ? AND fired_ms IS NULL");
    PreparedStatement insert = db.prepared(c, "INSERT INTO timers (incident, kind, version, due_ms, fired_ms)"
        + " VALUES (?, ?, ?, ?, NULL) ON CONFLICT (incident, kind, version) DO NOTHING");
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

  private void markFired(Connection c, List<Timer> fired, long atMs) throws SQLException {
    if (fired.isEmpty()) {
      return;
    }
    PreparedStatement ps = db.prepared(c, "UPDATE timers SET fired_ms = ? WHERE incident = ? AND kind = ?"
        + " AND version = ? AND fired_ms IS NULL");
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
        throw new IllegalStateException("timer " + fired.get(i).key() + " was already fired or cancelled;"
            + " the firing is rolled back so its effect is not applied twice");
      }
    }
  }

  private void saveOutcomes(Connection c, Map<String, IncidentOutcome> outcomes, long atMs) throws SQLException {
    if (outcomes.isEmpty()) {
      return;
    }
    PreparedStatement ps = db.prepared(c, "INSERT INTO command_outcomes (idempotency_key, outcome, recorded_ms)"
        + " VALUES (?, ?, ?)");
    for (Map.Entry<String, IncidentOutcome> e : outcomes.entrySet()) {
      ps.setString(1, e.getKey());
      ps.setString(2, json.write(e.getValue()));
      ps.setLong(3, atMs);
      ps.addBatch();
    }
    ps.executeBatch();
  }
}
