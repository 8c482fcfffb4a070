package org.supportbot.core.store.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.core.timer.Timer;
import org.supportbot.core.timer.TimerStore;

/**
 * {@link TimerStore} on PostgreSQL, for one or several instances. {@link #due} leases the due timers it returns
 * to this instance, by case ({@code FOR UPDATE SKIP LOCKED} on the cases, so two schedulers asking at once get
 * the timers of different cases, and one case's timers all go to one instance) for
 * {@link PostgresDatabase#LEASE}; a timer whose lease lapsed unfired (its instance died) is leased again by
 * whichever instance asks next. Firing stays exactly once even if a lease lapses mid-firing: the commit marks
 * a timer fired only if it is still unfired, and rolls back otherwise.
 */
public final class PostgresTimerStore implements TimerStore {
  /**
   * How many of the earliest due timers are looked at per case asked for: enough that cases whose timers
   * another instance holds (skipped) leave others to take, bounded so the scan does not grow with the backlog.
   */
  static final int CANDIDATES_PER_CASE = 8;

  private final PostgresDatabase db;
  private final Clock clock;

  public PostgresTimerStore(PostgresDatabase db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Leases and returns the unfired timers due at or before {@code now} of at most {@code limit} cases that no
   * other instance holds timers of, earliest first (a case's due timers come together, so there may be more
   * timers than {@code limit}). Asked about the future (a peek at what comes next), it reads without leasing.
   */
  @Override
  public List<Timer> due(Instant now, int limit) {
    Instant clockNow = clock.instant();
    if (now.isAfter(clockNow)) {
      return peek(now, limit);
    }
    long nowMs = clockNow.toEpochMilli();
    List<Timer> out = db.write(c -> {
      // Leased by case: the incidents are locked (SKIP LOCKED) while their due timers are leased, and a case
      // another instance holds timers of is skipped, so all of one case's due timers fire from one instance and
      // two instances never append to one case's log at once.
      // The candidates are the earliest due timers only (read in the order of the due index, a bounded number),
      // so a lease costs the same with 100 or 100,000 timers due.
      try (PreparedStatement ps = c.prepareStatement("WITH cand AS (SELECT incident, MIN(due_ms) AS first FROM"
          + " (SELECT incident, due_ms FROM timers WHERE fired_ms IS NULL AND due_ms <= ?"
          + " AND (claimed_by IS NULL OR claimed_by = ? OR lease_until_ms < ?) ORDER BY due_ms LIMIT ?) early"
          + " GROUP BY incident),"
          + " locked AS (SELECT i.number FROM incidents i JOIN cand ON cand.incident = i.number"
          + " WHERE NOT EXISTS (SELECT 1 FROM timers o WHERE o.incident = i.number AND o.fired_ms IS NULL"
          + " AND o.claimed_by <> ? AND o.lease_until_ms >= ?)"
          + " ORDER BY cand.first, i.number LIMIT ? FOR UPDATE OF i SKIP LOCKED)"
          + " UPDATE timers t SET claimed_by = ?, lease_until_ms = ? FROM locked WHERE t.incident = locked.number"
          + " AND t.fired_ms IS NULL AND t.due_ms <= ? AND (t.claimed_by IS NULL OR t.claimed_by = ? OR t.lease_until_ms < ?)"
          + " RETURNING t.incident, t.kind, t.version, t.due_ms")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setString(2, db.instance());
        ps.setLong(3, nowMs);
        ps.setInt(4, CANDIDATES_PER_CASE * Math.max(1, Math.min(limit, 100_000)));
        ps.setString(5, db.instance());
        ps.setLong(6, nowMs);
        ps.setInt(7, limit);
        ps.setString(8, db.instance());
        ps.setLong(9, nowMs + PostgresDatabase.LEASE.toMillis());
        ps.setLong(10, now.toEpochMilli());
        ps.setString(11, db.instance());
        ps.setLong(12, nowMs);
        return timers(ps);
      }
    });
    out.sort(Comparator.comparing(Timer::dueAt).thenComparing(Timer::key));
    return out;
  }

  private List<Timer> peek(Instant by, int limit) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT incident, kind, version, due_ms FROM timers"
          + " WHERE fired_ms IS NULL AND due_ms <= ? ORDER BY due_ms LIMIT ?")) {
        ps.setLong(1, by.toEpochMilli());
        ps.setInt(2, limit);
        return timers(ps);
      }
    });
  }

  private static List<Timer> timers(PreparedStatement ps) throws java.sql.SQLException {
    List<Timer> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new Timer(rs.getString(1), rs.getString(2), rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4))));
      }
    }
    return out;
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
    return dueBy(Instant.ofEpochMilli(Long.MAX_VALUE));
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
