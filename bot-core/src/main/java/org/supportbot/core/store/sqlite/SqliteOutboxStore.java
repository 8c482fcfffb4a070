package org.supportbot.core.store.sqlite;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

/**
 * {@link OutboxStore} on SQLite: one row per undelivered message (deleted once delivered) and the
 * event cursor. A batch also writes the deferred pings and desk marks of the conversation tables,
 * so that a message, the cursor that says it was rendered and the deferral it replaces commit together.
 */
public final class SqliteOutboxStore implements OutboxStore {
  private final SqliteDatabase db;
  private final JsonCodec json = new JsonCodec();
  /**
   * Messages this process recorded, by id, so that handing them out does not decode their body again. A
   * row's body never changes and ids are never given twice, so an entry is right for as long as its row
   * exists; entries are added once their transaction committed.
   */
  private final Cache<Long, Outbound> recorded = Caffeine.newBuilder().maximumSize(20_000).build();

  public SqliteOutboxStore(SqliteDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
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
  public List<Long> record(Batch batch) {
    List<Long> ids = recordRows(batch);
    for (int i = 0; i < ids.size(); i++) {
      recorded.put(ids.get(i), batch.messages().get(i));
    }
    return ids;
  }

  private List<Long> recordRows(Batch batch) {
    return db.write(c -> {
      if (batch.eventCursor().isPresent() && batch.renderedFrom().isPresent()) {
        try (PreparedStatement ps = c.prepareStatement("SELECT last_event_id FROM outbox_cursor WHERE name = 'events'")) {
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
      List<Long> ids = new ArrayList<>(batch.messages().size());
      long at = batch.at().toEpochMilli();
      if (!batch.messages().isEmpty()) {
        long id = takeIds(c, batch.messages().size());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (id, lane, kind, body, recorded_ms, attempts,"
            + " next_attempt_ms) VALUES (?, ?, ?, ?, ?, 0, ?)")) {
          for (Outbound o : batch.messages()) {
            ps.setLong(1, id);
            ps.setString(2, Outbox.lane(o));
            ps.setString(3, o.kind().name());
            ps.setString(4, json.write(o));
            ps.setLong(5, at);
            ps.setLong(6, at);
            ps.executeUpdate();
            ids.add(id++);
          }
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
            ps.executeUpdate();
          }
        }
      }
      if (!batch.released().isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM deferred_pings WHERE id = ?")) {
          for (long id : batch.released()) {
            ps.setLong(1, id);
            ps.executeUpdate();
          }
        }
      }
      for (Map.Entry<String, String> m : batch.marks().entrySet()) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO desk_marks (name, value) VALUES (?, ?)"
            + " ON CONFLICT (name) DO UPDATE SET value = excluded.value")) {
          ps.setString(1, m.getKey());
          ps.setString(2, m.getValue());
          ps.executeUpdate();
        }
      }
      return List.copyOf(ids);
    });
  }

  /**
   * Takes {@code n} ids from the counter (V43) in the caller's transaction and returns the first: ids
   * are never given twice, even after the outbox emptied, since adapters send them to the platforms.
   */
  private static long takeIds(java.sql.Connection c, int n) throws java.sql.SQLException {
    try (PreparedStatement up = c.prepareStatement("UPDATE outbox_sequence SET last_id = last_id + ? WHERE name = 'outbox'");
        PreparedStatement read = c.prepareStatement("SELECT last_id FROM outbox_sequence WHERE name = 'outbox'")) {
      up.setInt(1, n);
      up.executeUpdate();
      try (ResultSet rs = read.executeQuery()) {
        rs.next();
        return rs.getLong(1) - n + 1;
      }
    }
  }

  @Override
  public List<Pending> pending(int limit) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT id, lane, body, attempts, next_attempt_ms, recorded_ms FROM outbox"
          + " ORDER BY id LIMIT ?")) {
        ps.setInt(1, limit);
        List<Pending> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long id = rs.getLong(1);
            Outbound cached = recorded.getIfPresent(id);
            out.add(new Pending(id, rs.getString(2), cached != null ? cached : json.read(rs.getString(3), Outbound.class),
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
      PreparedStatement ps = db.prepared(c, "SELECT id, lane FROM outbox WHERE id < ? ORDER BY id");
      ps.setLong(1, id);
      List<Queued> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Queued(rs.getLong(1), rs.getString(2)));
        }
      }
      return out;
    });
  }

  @Override
  public void setAside(long id, int attempts, Instant at, String reason) {
    db.write(c -> {
      try (PreparedStatement copy = c.prepareStatement(
          "INSERT INTO outbox_set_aside (id, lane, kind, body, recorded_ms, attempts, set_aside_ms, reason)"
              + " SELECT id, lane, kind, body, recorded_ms, ?, ?, ? FROM outbox WHERE id = ?");
          PreparedStatement delete = c.prepareStatement("DELETE FROM outbox WHERE id = ?")) {
        copy.setInt(1, attempts);
        copy.setLong(2, at.toEpochMilli());
        copy.setString(3, reason == null ? "" : reason);
        copy.setLong(4, id);
        copy.executeUpdate();
        delete.setLong(1, id);
        delete.executeUpdate();
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
      try (PreparedStatement copy = c.prepareStatement("INSERT INTO outbox (id, lane, kind, body, recorded_ms, attempts,"
          + " next_attempt_ms) SELECT ?, lane, kind, body, recorded_ms, 0, ? FROM outbox_set_aside WHERE id = ?");
          PreparedStatement delete = c.prepareStatement("DELETE FROM outbox_set_aside WHERE id = ?")) {
        for (long id : ordered) {
          copy.setLong(1, takeIds(c, 1));
          copy.setLong(2, at.toEpochMilli());
          copy.setLong(3, id);
          if (copy.executeUpdate() == 1) {
            delete.setLong(1, id);
            delete.executeUpdate();
            moved++;
          }
        }
      }
      return moved;
    });
  }

  @Override
  public long setAsideCount() {
    return rows("outbox_set_aside");
  }

  @Override
  public void delivered(long id) {
    recorded.invalidate(id);
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM outbox WHERE id = ?")) {
        ps.setLong(1, id);
        ps.executeUpdate();
      }
      return null;
    });
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

  @Override
  public long newestPendingId() {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM outbox");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  @Override
  public long pendingCount() {
    return rows("outbox");
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

  /** The number of rows of one of this store's tables (a constant name, never input). */
  private long rows(String table) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table); ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }
}
