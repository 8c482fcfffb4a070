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
 *
 * <p>One conversation's entries are handled one at a time and in inbox order across instances ({@link #takeTurn},
 * {@link #handOn}): each entry names its conversation, an instance holds the conversation's turn (a row of
 * {@code inbox_turns}, leased and renewed like the entries) while it handles one, and the checks and hand-overs of
 * one conversation run under a transaction-scoped advisory lock on its name, so they never interleave. Nothing is
 * held across transactions but the leased turn: an instance that dies loses it when the lease lapses.
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
          + " attempts, claimed_by, lease_until_ms, conversation) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)"
          + " ON CONFLICT (idem_key) DO NOTHING RETURNING id")) {
        insert.setString(1, in.key());
        insert.setString(2, in.place().platform());
        insert.setString(3, body);
        insert.setString(4, extra.orElse(null));
        insert.setLong(5, now);
        insert.setString(6, db.instance());
        insert.setLong(7, leaseUntil);
        insert.setString(8, in.conversation());
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

  /**
   * Also renews the conversation turns this instance holds. Of a conversation it takes only the first pending
   * entry: the later ones are handed on by whoever handles it ({@link #handOn}).
   */
  @Override
  public List<Pending> takeOver(String platform, int limit) {
    return lease(platform, limit, true, "(claimed_by IS NULL OR (claimed_by <> ? AND lease_until_ms < ?))"
        + " AND NOT EXISTS (SELECT 1 FROM inbox e WHERE e.conversation = inbox.conversation AND e.done_ms IS NULL"
        + " AND e.attempts = 0 AND e.id < inbox.id)");
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
        // rows another transaction is changing right now are skipped (renewed at the next tick): a renewal never
        // waits on a hand-over, so the two cannot deadlock
        try (PreparedStatement renew = c.prepareStatement("UPDATE inbox SET lease_until_ms = ? WHERE id IN (SELECT id"
            + " FROM inbox WHERE claimed_by = ? AND platform = ? AND done_ms IS NULL FOR UPDATE SKIP LOCKED)")) {
          renew.setLong(1, now + PostgresDatabase.LEASE.toMillis());
          renew.setString(2, db.instance());
          renew.setString(3, platform);
          renew.executeUpdate();
        }
        try (PreparedStatement renew = c.prepareStatement("UPDATE inbox_turns SET lease_until_ms = ? WHERE conversation IN"
            + " (SELECT conversation FROM inbox_turns WHERE holder = ? FOR UPDATE SKIP LOCKED)")) {
          renew.setLong(1, now + PostgresDatabase.LEASE.toMillis());
          renew.setString(2, db.instance());
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
  public boolean takeTurn(Pending entry) {
    Objects.requireNonNull(entry, "entry");
    String conversation = entry.inbound().conversation();
    long now = clock.instant().toEpochMilli();
    return db.write(c -> {
      lockConversation(c, conversation);
      try (PreparedStatement name = c.prepareStatement("UPDATE inbox SET conversation = ? WHERE id = ?"
          + " AND conversation IS NULL")) {
        name.setString(1, conversation); // an entry written before conversations were kept: named now
        name.setLong(2, entry.id());
        name.executeUpdate();
      }
      boolean earlier;
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM inbox WHERE conversation = ? AND id < ?"
          + " AND done_ms IS NULL AND attempts = 0 LIMIT 1")) {
        ps.setString(1, conversation);
        ps.setLong(2, entry.id());
        try (ResultSet rs = ps.executeQuery()) {
          earlier = rs.next();
        }
      }
      if (!earlier && turnFree(c, conversation, now)) {
        try (PreparedStatement mine = c.prepareStatement("UPDATE inbox SET lease_until_ms = ? WHERE id = ?"
            + " AND done_ms IS NULL AND claimed_by = ?")) {
          mine.setLong(1, now + PostgresDatabase.LEASE.toMillis());
          mine.setLong(2, entry.id());
          mine.setString(3, db.instance());
          if (mine.executeUpdate() == 0) {
            return false; // done meanwhile, or taken over by another instance after this one's lease lapsed
          }
        }
        holdTurn(c, conversation, now);
        return true;
      }
      // not this entry's turn yet: leave it to the instance whose turn it is, which hands it on
      try (PreparedStatement release = c.prepareStatement("UPDATE inbox SET claimed_by = NULL, lease_until_ms = NULL"
          + " WHERE id = ? AND claimed_by = ? AND done_ms IS NULL")) {
        release.setLong(1, entry.id());
        release.setString(2, db.instance());
        release.executeUpdate();
      }
      return false;
    });
  }

  @Override
  public List<Pending> handOn(long id, Instant at) {
    Objects.requireNonNull(at, "at");
    long now = clock.instant().toEpochMilli();
    return db.write(c -> {
      Optional<String> conversation = conversationOf(c, id);
      conversation.ifPresent(conv -> lockConversation(c, conv));
      markDone(c, id, at);
      if (conversation.isEmpty()) {
        return List.<Pending>of();
      }
      String conv = conversation.get();
      if (!turnFree(c, conv, now)) {
        // another instance took the turn over meanwhile (this one's lease lapsed while it handled): it hands on
        return List.<Pending>of();
      }
      try (PreparedStatement next = c.prepareStatement("UPDATE inbox SET claimed_by = ?, lease_until_ms = ?"
          + " WHERE id = (SELECT id FROM inbox WHERE conversation = ? AND done_ms IS NULL AND attempts = 0"
          + " ORDER BY id LIMIT 1) AND (claimed_by IS NULL OR claimed_by = ? OR lease_until_ms < ?)"
          + " RETURNING id, body, extra, attempts")) {
        next.setString(1, db.instance());
        next.setLong(2, now + PostgresDatabase.LEASE.toMillis());
        next.setString(3, conv);
        next.setString(4, db.instance());
        next.setLong(5, now);
        try (ResultSet rs = next.executeQuery()) {
          if (rs.next()) {
            Pending p = new Pending(rs.getLong(1), json.read(rs.getString(2), Inbound.class),
                Optional.ofNullable(rs.getString(3)), rs.getInt(4));
            holdTurn(c, conv, now);
            return List.of(p);
          }
        }
      }
      releaseTurn(c, conv);
      return List.<Pending>of();
    });
  }

  @Override
  public void done(long id, Instant at) {
    Objects.requireNonNull(at, "at");
    db.write(c -> {
      Optional<String> conversation = conversationOf(c, id);
      if (conversation.isPresent()) {
        lockConversation(c, conversation.get());
        releaseTurn(c, conversation.get());
      }
      return markDone(c, id, at);
    });
  }

  private static int markDone(Connection c, long id, Instant at) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE inbox SET done_ms = ?, claimed_by = NULL,"
        + " lease_until_ms = NULL WHERE id = ? AND done_ms IS NULL")) {
      ps.setLong(1, at.toEpochMilli());
      ps.setLong(2, id);
      return ps.executeUpdate();
    }
  }

  @Override
  public int failed(long id) {
    return db.write(c -> {
      Optional<String> conversation = conversationOf(c, id);
      if (conversation.isPresent()) {
        lockConversation(c, conversation.get());
        releaseTurn(c, conversation.get());
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE inbox SET attempts = attempts + 1 WHERE id = ?"
          + " RETURNING attempts")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getInt(1) : 0;
        }
      }
    });
  }

  /** The conversation an entry belongs to; empty for an unknown id or an entry written before conversations were kept. */
  private static Optional<String> conversationOf(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT conversation FROM inbox WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** The key space of the conversation locks ("Inbx"), apart from the other advisory locks' 64-bit keys. */
  private static final int CONVERSATION_LOCKS = 0x496e_6278;

  /**
   * Serializes this transaction with every other check or hand-over of {@code conversation} (on any instance)
   * until it ends. Each transaction takes one such lock, before any row lock, so they cannot deadlock.
   */
  private static void lockConversation(Connection c, String conversation) {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
      ps.setInt(1, CONVERSATION_LOCKS);
      ps.setString(2, conversation);
      ps.executeQuery().close();
    } catch (SQLException e) {
      throw new IllegalStateException("locking a conversation of the inbox failed (" + e.getSQLState() + ")", e);
    }
  }

  /** Whether nobody, this instance, or an instance whose lease lapsed holds the conversation's turn. */
  private boolean turnFree(Connection c, String conversation, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT holder, lease_until_ms FROM inbox_turns WHERE conversation = ?")) {
      ps.setString(1, conversation);
      try (ResultSet rs = ps.executeQuery()) {
        return !rs.next() || rs.getString(1).equals(db.instance()) || rs.getLong(2) < now;
      }
    }
  }

  private void holdTurn(Connection c, String conversation, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO inbox_turns (conversation, holder, lease_until_ms)"
        + " VALUES (?, ?, ?) ON CONFLICT (conversation) DO UPDATE SET holder = excluded.holder,"
        + " lease_until_ms = excluded.lease_until_ms")) {
      ps.setString(1, conversation);
      ps.setString(2, db.instance());
      ps.setLong(3, now + PostgresDatabase.LEASE.toMillis());
      ps.executeUpdate();
    }
  }

  private void releaseTurn(Connection c, String conversation) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM inbox_turns WHERE conversation = ? AND holder = ?")) {
      ps.setString(1, conversation);
      ps.setString(2, db.instance());
      ps.executeUpdate();
    }
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
