package org.supportbot.core.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.outbox.Outbox;
import org.supportbot.core.outbox.OutboxStore;
import org.supportbot.core.store.WrittenElsewhereException;
import org.supportbot.core.store.sqlite.JsonCodec;

/**
 * {@link OutboxStore} on PostgreSQL. Ids come from the sequence {@code outbox_ids} (never given twice). The
 * pending messages handed out by {@link #pending} are those of the lanes this instance leases: a lane (a
 * channel or a person) is leased to one instance at a time for {@link PostgresDatabase#LEASE}, renewed on every
 * call, and taken over by another instance once it lapses, so that one lane's messages go out from one place
 * in their order.
 */
public final class PostgresOutboxStore implements OutboxStore {
  private final PostgresDatabase db;
  private final Clock clock;
  private final JsonCodec json = new JsonCodec();

  public PostgresOutboxStore(PostgresDatabase db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public long eventCursor() {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT last_event_id FROM outbox_cursor WHERE name = 'events'");
          ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    });
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public List<Long> record(Batch batch) {
    return recordLeasing(batch).ids();
  }

  /**
   * Records the batch and, in the same transaction, leases its lanes to this instance where they are free,
   * already this instance's, or their lease lapsed; a lane another instance holds is left to it. Lanes are
   * locked in name order, so two instances recording into the same lanes never deadlock.
   */
  @Override
  public Recorded recordLeasing(Batch batch) {
    long now = clock.instant().toEpochMilli();
    return db.write(c -> {
      List<Long> ids = write(c, batch);
      java.util.SortedSet<String> lanes = new java.util.TreeSet<>();
      batch.messages().forEach(o -> lanes.add(Outbox.lane(o)));
      java.util.Set<String> elsewhere = new java.util.HashSet<>();
      Map<String, List<Long>> before = new java.util.HashMap<>();
      try (PreparedStatement lease = c.prepareStatement("INSERT INTO outbox_lanes (lane, claimed_by, lease_until_ms)"
          + " VALUES (?, ?, ?) ON CONFLICT (lane) DO UPDATE SET claimed_by = excluded.claimed_by,"
          + " lease_until_ms = excluded.lease_until_ms WHERE outbox_lanes.claimed_by = excluded.claimed_by"
          + " OR outbox_lanes.lease_until_ms < ? RETURNING lane");
          PreparedStatement older = c.prepareStatement("SELECT id FROM outbox WHERE lane = ? AND id < ? ORDER BY id"
              + " LIMIT " + BEFORE_LIMIT)) {
        for (String lane : lanes) {
          lease.setString(1, lane);
          lease.setString(2, db.instance());
          lease.setLong(3, now + PostgresDatabase.LEASE.toMillis());
          lease.setLong(4, now);
          boolean mine;
          try (ResultSet rs = lease.executeQuery()) {
            mine = rs.next();
          }
          if (!mine) {
            elsewhere.add(lane);
            continue;
          }
          older.setString(1, lane);
          older.setLong(2, ids.get(0));
          List<Long> found = new ArrayList<>();
          try (ResultSet rs = older.executeQuery()) {
            while (rs.next()) {
              found.add(rs.getLong(1));
            }
          }
          before.put(lane, found);
        }
      }
      return new Recorded(ids, elsewhere, before);
    });
  }

  /** Writes the batch (see {@link #record}); returns the ids given to its messages. */
  private List<Long> write(Connection c, Batch batch) throws SQLException {
    if (batch.eventCursor().isPresent() && batch.renderedFrom().isPresent()) {
      try (PreparedStatement ps = c.prepareStatement("SELECT last_event_id FROM outbox_cursor WHERE name = 'events'"
          + " FOR UPDATE")) {
        try (ResultSet rs = ps.executeQuery()) {
          long stored = rs.next() ? rs.getLong(1) : 0L;
          if (stored != batch.renderedFrom().getAsLong()) {
            throw new WrittenElsewhereException("the outbox's event cursor is at " + stored + ", not at "
                + batch.renderedFrom().getAsLong() + " where this rendering started: another instance recorded the"
                + " messages of these events first");
          }
        }
      }
    }
    List<Long> ids = takeIds(c, batch.messages().size());
    long at = batch.at().toEpochMilli();
    if (!batch.messages().isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (id, lane, kind, body, recorded_ms, attempts,"
          + " next_attempt_ms) VALUES (?, ?, ?, ?, ?, 0, ?)")) {
        for (int i = 0; i < ids.size(); i++) {
          Outbound o = batch.messages().get(i);
          ps.setLong(1, ids.get(i));
          ps.setString(2, Outbox.lane(o));
          ps.setString(3, o.kind().name());
          ps.setString(4, json.write(o));
          ps.setLong(5, at);
          ps.setLong(6, at);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    if (batch.eventCursor().isPresent()) {
      try (PreparedStatement ps = c.prepareStatement("UPDATE outbox_cursor SET last_event_id = ? WHERE name = 'events'"
          + " AND last_event_id < ?")) {
        ps.setLong(1, batch.eventCursor().getAsLong());
        ps.setLong(2, batch.eventCursor().getAsLong());
        ps.executeUpdate();
      }
    }
    if (!batch.deferrals().isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO deferred_pings (release_at, body) VALUES (?, ?)")) {
        for (Deferral d : batch.deferrals()) {
          ps.setLong(1, d.releaseAt().toEpochMilli());
          ps.setString(2, json.write(d.event()));
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    if (!batch.released().isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM deferred_pings WHERE id = ?")) {
        for (long id : batch.released()) {
          ps.setLong(1, id);
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        for (int i = 0; i < counts.length; i++) {
          if (counts[i] == 0) {
            throw new WrittenElsewhereException("deferred ping " + batch.released().get(i) + " was released by another"
                + " instance first");
          }
        }
      }
    }
    if (!batch.marks().isEmpty()) {
      // a mark says a step was done (the day's digest, a maintenance notice): set to the value it already has,
      // another instance did the same step first, and this batch would post it a second time
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO desk_marks (name, value) VALUES (?, ?)"
          + " ON CONFLICT (name) DO UPDATE SET value = excluded.value WHERE desk_marks.value <> excluded.value")) {
        List<Map.Entry<String, String>> marks = List.copyOf(new java.util.TreeMap<>(batch.marks()).entrySet());
        for (Map.Entry<String, String> m : marks) {
          ps.setString(1, m.getKey());
          ps.setString(2, m.getValue());
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        for (int i = 0; i < counts.length; i++) {
          if (counts[i] == 0) {
            throw new WrittenElsewhereException("the desk's mark " + marks.get(i).getKey() + " is at "
                + marks.get(i).getValue() + " already: another instance did this step first");
          }
        }
      }
    }
    return List.copyOf(ids);
  }

  /** {@code n} fresh ids from the sequence, ascending. */
  private static List<Long> takeIds(Connection c, int n) throws SQLException {
    List<Long> ids = new ArrayList<>(n);
    if (n == 0) {
      return ids;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT nextval('outbox_ids') FROM generate_series(1, ?)")) {
      ps.setInt(1, n);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    ids.sort(null);
    return ids;
  }

  /**
   * Renews this instance's lanes and leases every lane with pending messages that is free or whose lease
   * lapsed; then returns the pending messages of the lanes it holds, in the order they were recorded.
   */
  @Override
  public List<Pending> pending(int limit) {
    long now = clock.instant().toEpochMilli();
    return db.write(c -> {
      try (PreparedStatement lease = c.prepareStatement("INSERT INTO outbox_lanes (lane, claimed_by, lease_until_ms)"
          + " SELECT DISTINCT lane, ?, ? FROM outbox ORDER BY lane"
          + " ON CONFLICT (lane) DO UPDATE SET claimed_by = excluded.claimed_by, lease_until_ms = excluded.lease_until_ms"
          + " WHERE outbox_lanes.claimed_by = excluded.claimed_by OR outbox_lanes.lease_until_ms < ?");
          PreparedStatement drop = c.prepareStatement("DELETE FROM outbox_lanes l WHERE l.lease_until_ms < ?"
              + " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.lane = l.lane)")) {
        lease.setString(1, db.instance());
        lease.setLong(2, now + PostgresDatabase.LEASE.toMillis());
        lease.setLong(3, now);
        lease.executeUpdate();
        drop.setLong(1, now);
        drop.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT o.id, o.lane, o.body, o.attempts, o.next_attempt_ms,"
          + " o.recorded_ms FROM outbox o JOIN outbox_lanes l ON l.lane = o.lane AND l.claimed_by = ?"
          + " ORDER BY o.id LIMIT ?")) {
        ps.setString(1, db.instance());
        ps.setInt(2, limit);
        List<Pending> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Pending(rs.getLong(1), rs.getString(2), json.read(rs.getString(3), Outbound.class),
                rs.getInt(4), Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6))));
          }
        }
        return out;
      }
    });
  }

  @Override
  public List<Queued> queuedBefore(long id) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT id, lane FROM outbox WHERE id < ? ORDER BY id")) {
        ps.setLong(1, id);
        List<Queued> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Queued(rs.getLong(1), rs.getString(2)));
          }
        }
        return out;
      }
    });
  }

  @Override
  public void setAside(long id, int attempts, Instant at, String reason) {
    db.write(c -> {
      try (PreparedStatement move = c.prepareStatement("WITH gone AS (DELETE FROM outbox WHERE id = ? RETURNING *)"
          + " INSERT INTO outbox_set_aside (id, lane, kind, body, recorded_ms, attempts, set_aside_ms, reason)"
          + " SELECT id, lane, kind, body, recorded_ms, ?, ?, ? FROM gone")) {
        move.setLong(1, id);
        move.setInt(2, attempts);
        move.setLong(3, at.toEpochMilli());
        move.setString(4, reason == null ? "" : reason);
        move.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public List<SetAside> setAsideList() {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT id, lane, kind, attempts, recorded_ms, set_aside_ms, reason"
          + " FROM outbox_set_aside ORDER BY id"); ResultSet rs = ps.executeQuery()) {
        List<SetAside> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new SetAside(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
              Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6)), rs.getString(7)));
        }
        return out;
      }
    });
  }

  @Override
  public int resend(List<Long> ids, Instant at) {
    List<Long> ordered = ids.stream().distinct().sorted().toList();
    return db.write(c -> {
      int moved = 0;
      try (PreparedStatement move = c.prepareStatement("WITH back AS (DELETE FROM outbox_set_aside WHERE id = ?"
          + " RETURNING lane, kind, body, recorded_ms) INSERT INTO outbox (id, lane, kind, body, recorded_ms, attempts,"
          + " next_attempt_ms) SELECT ?, lane, kind, body, recorded_ms, 0, ? FROM back")) {
        for (long id : ordered) {
          move.setLong(1, id);
          move.setLong(2, takeIds(c, 1).get(0));
          move.setLong(3, at.toEpochMilli());
          moved += move.executeUpdate();
        }
      }
      return moved;
    });
  }

  @Override
  public long setAsideCount() {
    return number("SELECT COUNT(*) FROM outbox_set_aside");
  }

  @Override
  public void delivered(long id) {
    update("DELETE FROM outbox WHERE id = ?", id);
  }

  @Override
  public void failed(long id, int attempts, Instant nextAttempt) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET attempts = ?, next_attempt_ms = ? WHERE id = ?")) {
        ps.setInt(1, attempts);
        ps.setLong(2, nextAttempt.toEpochMilli());
        ps.setLong(3, id);
        ps.executeUpdate();
      }
      return null;
    });
  }

  private void update(String sql, long id) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setLong(1, id);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public long newestPendingId() {
    return number("SELECT COALESCE(MAX(id), 0) FROM outbox");
  }

  @Override
  public long pendingCount() {
    return number("SELECT COUNT(*) FROM outbox");
  }

  @Override
  public Optional<Instant> oldestPendingRecordedAt() {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT MIN(recorded_ms) FROM outbox");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        long ms = rs.getLong(1);
        return rs.wasNull() ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochMilli(ms));
      }
    });
  }

  /** The single number a constant query (never input) answers. */
  private long number(String sql) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }
}
