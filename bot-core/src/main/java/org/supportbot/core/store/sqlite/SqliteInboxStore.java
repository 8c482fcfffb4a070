package org.supportbot.core.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.inbox.InboxStore;

/**
 * {@link InboxStore} on SQLite (migration V42): one row per inbound, unique by idempotency key, kept
 * after it is done so that a late replay still finds it (until {@link #prune}); and one mark per place
 * in {@code inbox_seen}. Each {@link #add} is one committed transaction, so an acknowledged inbound is
 * in the WAL file before the platform hears back.
 */
public final class SqliteInboxStore implements InboxStore {
  private final SqliteDatabase db;
  private final Clock clock;
  private final JsonCodec json = new JsonCodec();
  private final org.supportbot.core.redact.Redactor redactor = new org.supportbot.core.redact.Redactor();

  public SqliteInboxStore(SqliteDatabase db, Clock clock) {
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
    return db.write(c -> {
      PreparedStatement insert = db.prepared(c, "INSERT INTO inbox (idem_key, platform, body, extra, received_ms,"
          + " attempts) VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (idem_key) DO NOTHING");
      insert.setString(1, in.key());
      insert.setString(2, in.place().platform());
      insert.setString(3, body);
      insert.setString(4, extra.orElse(null));
      insert.setLong(5, now);
      boolean fresh = insert.executeUpdate() == 1;
      if (seen.isPresent()) {
        mark(c, seen.get());
      }
      PreparedStatement find = db.prepared(c, "SELECT id, done_ms FROM inbox WHERE idem_key = ?");
      find.setString(1, in.key());
      try (ResultSet rs = find.executeQuery()) {
        rs.next();
        long id = rs.getLong(1);
        rs.getLong(2);
        return new Added(id, fresh, rs.wasNull());
      }
    });
  }

  @Override
  public List<Pending> pending(String platform, int limit) {
    Objects.requireNonNull(platform, "platform");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT id, body, extra, attempts FROM inbox"
          + " WHERE platform = ? AND done_ms IS NULL ORDER BY id LIMIT ?")) {
        ps.setString(1, platform);
        ps.setInt(2, limit);
        List<Pending> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Pending(rs.getLong(1), json.read(rs.getString(2), Inbound.class),
                Optional.ofNullable(rs.getString(3)), rs.getInt(4)));
          }
        }
        return out;
      }
    });
  }

  @Override
  public void done(long id, Instant at) {
    Objects.requireNonNull(at, "at");
    db.write(c -> {
      PreparedStatement ps = db.prepared(c, "UPDATE inbox SET done_ms = ? WHERE id = ? AND done_ms IS NULL");
      ps.setLong(1, at.toEpochMilli());
      ps.setLong(2, id);
      ps.executeUpdate();
      return null;
    });
  }

  @Override
  public int failed(long id) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE inbox SET attempts = attempts + 1 WHERE id = ?");
          PreparedStatement read = c.prepareStatement("SELECT attempts FROM inbox WHERE id = ?")) {
        ps.setLong(1, id);
        ps.executeUpdate();
        read.setLong(1, id);
        try (ResultSet rs = read.executeQuery()) {
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
  private void mark(java.sql.Connection c, Seen mark) throws java.sql.SQLException {
    PreparedStatement ps = db.prepared(c, "INSERT INTO inbox_seen (platform, place, position) VALUES (?, ?, ?)"
        + " ON CONFLICT (platform, place) DO UPDATE SET position = excluded.position"
        + " WHERE length(excluded.position) > length(inbox_seen.position)"
        + " OR (length(excluded.position) = length(inbox_seen.position) AND excluded.position > inbox_seen.position)");
    ps.setString(1, mark.platform());
    ps.setString(2, mark.place());
    ps.setString(3, mark.position());
    ps.executeUpdate();
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
          + " ORDER BY workspace, channel")) {
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

  /**
   * The inbound as it may be kept on disk: what people typed passes the redaction the desk applies to
   * stored text, so a secret pasted in a message or a command never reaches the database file. The
   * live handling works on the inbound as received; one handled from the inbox after a restart sees
   * the redacted text (the customer is then not told what was removed).
   */
  private Inbound redacted(Inbound in) {
    Inbound.Input input = switch (in.input()) {
      case Inbound.Said s -> new Inbound.Said(redactor.clean(s.text()));
      case Inbound.FileMessage m -> new Inbound.FileMessage(m.author(), redactor.clean(m.text()));
      case Inbound.Command c -> new Inbound.Command(c.name(), redactor.clean(c.args()));
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
