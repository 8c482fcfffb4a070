package org.supportbot.core.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.inbox.InboxStore;
import org.supportbot.core.redact.Redactor;
import org.supportbot.core.store.sqlite.JsonCodec;

/**
 * {@link InboxStore} on PostgreSQL, for one or several instances. The instance that adds an entry leases it
 * for {@link PostgresDatabase#LEASE}; {@link #pending} leases the entries nobody holds (or whose lease lapsed)
 * with {@code FOR UPDATE SKIP LOCKED}, so two instances never get the same entry; and a retried delivery of
 * a key another instance holds comes back not {@link Added#pending() pending} here, so only the holder handles it.
 * What people typed is redacted before it is stored, as on SQLite.
 */
public final class PostgresInboxStore implements InboxStore {
  private final PostgresDatabase db;
  private final Clock clock;
  private final JsonCodec json = new JsonCodec();
  private final Redactor redactor = new Redactor();

  public PostgresInboxStore(PostgresDatabase db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Added add(Inbound in, Optional<String> extra, Optional<Seen> seen) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(extra, "extra");
    Objects.requireNonNull(seen, "seen");
    String body = json.write(redacted(in));
    long now = clock.instant().toEpochMilli();
    long leaseUntil = now + PostgresDatabase.LEASE.toMillis();
    return db.write(c -> {
      Optional<Long> inserted;
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO inbox (idem_key, platform, body, extra, received_ms,"
          + " attempts, claimed_by, lease_until_ms) VALUES (?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT (idem_key) DO NOTHING"
          + " RETURNING id")) {
        insert.setString(1, in.key());
        insert.setString(2, in.place().platform());
        insert.setString(3, body);
        insert.setString(4, extra.orElse(null));
        insert.setLong(5, now);
        insert.setString(6, db.instance());
        insert.setLong(7, leaseUntil);
        try (ResultSet rs = insert.executeQuery()) {
          inserted = rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
        }
      }
      if (seen.isPresent()) {
        mark(c, seen.get());
      }
      if (inserted.isPresent()) {
        return new Added(inserted.get(), true, true);
      }
      // a retried or replayed key: pending here only if it is not done and this instance holds or takes its lease
      try (PreparedStatement take = c.prepareStatement("UPDATE inbox SET claimed_by = ?, lease_until_ms = ?"
          + " WHERE idem_key = ? AND done_ms IS NULL AND (claimed_by IS NULL OR claimed_by = ? OR lease_until_ms < ?)"
          + " RETURNING id");
          PreparedStatement find = c.prepareStatement("SELECT id FROM inbox WHERE idem_key = ?")) {
        take.setString(1, db.instance());
        take.setLong(2, leaseUntil);
        take.setString(3, in.key());
        take.setString(4, db.instance());
        take.setLong(5, now);
        try (ResultSet rs = take.executeQuery()) {
          if (rs.next()) {
            return new Added(rs.getLong(1), false, true);
          }
        }
        find.setString(1, in.key());
        try (ResultSet rs = find.executeQuery()) {
          rs.next();
          return new Added(rs.getLong(1), false, false);
        }
      }
    });
  }

  @Override
  public List<Pending> pending(String platform, int limit) {
    return lease(platform, limit, false, "claimed_by IS NULL OR claimed_by = ? OR lease_until_ms < ?");
  }

  @Override
  public List<Pending> takeOver(String platform, int limit) {
    return lease(platform, limit, true, "claimed_by IS NULL OR (claimed_by <> ? AND lease_until_ms < ?)");
  }

  /**
   * Leases to this instance, oldest first, at most {@code limit} pending entries of {@code platform} that
   * {@code whose} selects (a condition on this instance's name and now, in that order); with
   * {@code renewOwn}, first renews the leases this instance holds, in the same transaction.
   */
  private List<Pending> lease(String platform, int limit, boolean renewOwn, String whose) {
    Objects.requireNonNull(platform, "platform");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    long now = clock.instant().toEpochMilli();
    List<Pending> out = db.write(c -> {
      if (renewOwn) {
        try (PreparedStatement renew = c.prepareStatement("UPDATE inbox SET lease_until_ms = ? WHERE claimed_by = ?"
            + " AND platform = ? AND done_ms IS NULL")) {
          renew.setLong(1, now + PostgresDatabase.LEASE.toMillis());
          renew.setString(2, db.instance());
          renew.setString(3, platform);
          renew.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE inbox i SET claimed_by = ?, lease_until_ms = ?"
          + " FROM (SELECT id FROM inbox WHERE platform = ? AND done_ms IS NULL AND (" + whose + ") ORDER BY id LIMIT ?"
          + " FOR UPDATE SKIP LOCKED) p WHERE i.id = p.id RETURNING i.id, i.body, i.extra, i.attempts")) {
        ps.setString(1, db.instance());
        ps.setLong(2, now + PostgresDatabase.LEASE.toMillis());
        ps.setString(3, platform);
        ps.setString(4, db.instance());
        ps.setLong(5, now);
        ps.setInt(6, limit);
        List<Pending> taken = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            taken.add(new Pending(rs.getLong(1), json.read(rs.getString(2), Inbound.class),
                Optional.ofNullable(rs.getString(3)), rs.getInt(4)));
          }
        }
        return taken;
      }
    });
    out.sort(Comparator.comparingLong(Pending::id));
    return out;
  }

  @Override
  public void done(long id, Instant at) {
    Objects.requireNonNull(at, "at");
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE inbox SET done_ms = ?, claimed_by = NULL,"
          + " lease_until_ms = NULL WHERE id = ? AND done_ms IS NULL")) {
        ps.setLong(1, at.toEpochMilli());
        ps.setLong(2, id);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public int failed(long id) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE inbox SET attempts = attempts + 1 WHERE id = ?"
          + " RETURNING attempts")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getInt(1) : 0;
        }
      }
    });
  }

  @Override
  public long pendingCount(String platform) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM inbox WHERE platform = ? AND done_ms IS NULL")) {
        ps.setString(1, platform);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  @Override
  public void seen(Seen mark) {
    Objects.requireNonNull(mark, "mark");
    db.write(c -> {
      mark(c, mark);
      return null;
    });
  }

  /** Upserts a mark, keeping the later of the stored and the new position (longer ids are later). */
  private static void mark(Connection c, Seen mark) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO inbox_seen (platform, place, position) VALUES (?, ?, ?)"
        + " ON CONFLICT (platform, place) DO UPDATE SET position = excluded.position"
        + " WHERE length(excluded.position) > length(inbox_seen.position)"
        + " OR (length(excluded.position) = length(inbox_seen.position)"
        + " AND excluded.position COLLATE \"C\" > inbox_seen.position COLLATE \"C\")")) {
      ps.setString(1, mark.platform());
      ps.setString(2, mark.place());
      ps.setString(3, mark.position());
      ps.executeUpdate();
    }
  }

  @Override
  public Optional<String> lastSeen(String platform, String place) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT position FROM inbox_seen WHERE platform = ? AND place = ?")) {
        ps.setString(1, platform);
        ps.setString(2, place);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<OpenCase> openCases(String platform) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT number, workspace, channel, thread FROM incidents"
          + " WHERE platform = ? AND is_open = 1 ORDER BY org_key, seq")) {
        ps.setString(1, platform);
        List<OpenCase> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String thread = rs.getString(4);
            out.add(new OpenCase(rs.getString(1), rs.getString(2), rs.getString(3),
                thread == null || thread.isEmpty() ? rs.getString(1) : thread));
          }
        }
        return out;
      }
    });
  }

  @Override
  public List<Bound> boundChannels(String platform) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT workspace, channel FROM channel_bindings WHERE platform = ?"
          + " ORDER BY workspace COLLATE \"C\", channel COLLATE \"C\"")) {
        ps.setString(1, platform);
        List<Bound> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Bound(rs.getString(1), rs.getString(2)));
          }
        }
        return out;
      }
    });
  }

  @Override
  public int prune(Instant before) {
    Objects.requireNonNull(before, "before");
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM inbox WHERE done_ms IS NOT NULL AND done_ms < ?")) {
        ps.setLong(1, before.toEpochMilli());
        return ps.executeUpdate();
      }
    });
  }

  /** The inbound as it may be kept: what people typed passes the desk's redaction (see the SQLite store). */
  private Inbound redacted(Inbound in) {
    Inbound.Input input = switch (in.input()) {
      case Inbound.Said s -> new Inbound.Said(redactor.clean(s.text()));
      case Inbound.FileMessage m -> new Inbound.FileMessage(m.author(), redactor.clean(m.text()));
      case Inbound.Command cmd -> new Inbound.Command(cmd.name(), redactor.clean(cmd.args()));
      case Inbound.Picked p -> p;
      case Inbound.Submitted f -> {
        java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
        f.values().forEach((k, v) -> values.put(k, redactor.clean(v)));
        yield new Inbound.Submitted(f.form(), values);
      }
    };
    return new Inbound(in.key(), in.person(), in.place(), in.direct(), in.at(), in.message(), input);
  }
}
