package org.supportbot.core.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.core.timer.Timer;
import org.supportbot.core.timer.TimerStore;

/** {@link TimerStore} on SQLite: due timers come from the partial index on unfired due times. */
public final class SqliteTimerStore implements TimerStore {
  private final SqliteDatabase db;

  public SqliteTimerStore(SqliteDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public List<Timer> due(Instant now, int limit) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT incident, kind, version, due_ms FROM timers"
          + " WHERE fired_ms IS NULL AND due_ms <= ? ORDER BY due_ms LIMIT ?")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setInt(2, limit);
        List<Timer> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Timer(rs.getString(1), rs.getString(2), rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4))));
          }
        }
        return out;
      }
    });
  }

  @Override
  public Optional<Instant> nextDue() {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT MIN(due_ms) FROM timers WHERE fired_ms IS NULL");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        long v = rs.getLong(1);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
      }
    });
  }

  @Override
  public long pending() {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM timers WHERE fired_ms IS NULL");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  @Override
  public long dueBy(Instant instant) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM timers WHERE fired_ms IS NULL AND due_ms <= ?")) {
        ps.setLong(1, instant.toEpochMilli());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }
}
