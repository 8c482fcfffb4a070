package org.supportbot.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.core.chatstate.ConversationStore;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.intake.IntakeState;
import org.supportbot.core.store.sqlite.JsonCodec;

/**
 * {@link ConversationStore} on either database (the SQL is the same on SQLite and PostgreSQL): intakes as JSON
 * rows keyed by channel and person, the handled keys, availability records and satisfaction ratings.
 */
public final class JdbcConversationStore implements ConversationStore {
  private final JdbcDatabase db;
  private final JsonCodec json = new JsonCodec();

  public JdbcConversationStore(JdbcDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public boolean seen(String key) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM inbound_handled WHERE idem_key = ?")) {
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  @Override
  public void handled(String key, Instant at, Optional<IntakeState> save, Optional<IntakeState> end) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO inbound_handled (idem_key, handled_at) VALUES (?, ?) ON CONFLICT (idem_key) DO NOTHING")) {
        ps.setString(1, key);
        ps.setLong(2, at.toEpochMilli());
        ps.executeUpdate();
      }
      if (end.isPresent()) {
        delete(c, end.get());
      }
      if (save.isPresent()) {
        IntakeState s = save.get();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO intakes (platform, workspace, channel, person,"
            + " last_activity, body) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, workspace, channel, person)"
            + " DO UPDATE SET last_activity = excluded.last_activity, body = excluded.body")) {
          bindKey(ps, s);
          ps.setLong(5, s.lastActivity().toEpochMilli());
          ps.setString(6, json.write(s));
          ps.executeUpdate();
        }
      }
      return null;
    });
  }

  private static void delete(Connection c, IntakeState s) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "DELETE FROM intakes WHERE platform = ? AND workspace = ? AND channel = ? AND person = ?")) {
      bindKey(ps, s);
      ps.executeUpdate();
    }
  }

  private static void bindKey(PreparedStatement ps, IntakeState s) throws SQLException {
    ps.setString(1, s.place().platform());
    ps.setString(2, s.place().workspace());
    ps.setString(3, s.place().channel());
    ps.setString(4, s.reporter().toString());
  }

  @Override
  public Optional<IntakeState> intake(String platform, String workspace, String channel, Identity person) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT body FROM intakes WHERE platform = ? AND workspace = ? AND channel = ? AND person = ?")) {
        ps.setString(1, platform);
        ps.setString(2, workspace);
        ps.setString(3, channel);
        ps.setString(4, person.toString());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(json.read(rs.getString(1), IntakeState.class)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<IntakeState> intakes() {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT body FROM intakes ORDER BY last_activity");
          ResultSet rs = ps.executeQuery()) {
        List<IntakeState> out = new ArrayList<>();
        while (rs.next()) {
          out.add(json.read(rs.getString(1), IntakeState.class));
        }
        return out;
      }
    });
  }

  @Override
  public List<Deferred> deferredDue(Instant now) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id, release_at, body FROM deferred_pings WHERE release_at <= ? ORDER BY release_at, id")) {
        ps.setLong(1, now.toEpochMilli());
        List<Deferred> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Deferred(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)),
                json.read(rs.getString(3), IncidentEvent.class)));
          }
        }
        return out;
      }
    });
  }

  @Override
  public Optional<String> mark(String name) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT value FROM desk_marks WHERE name = ?")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public long startOutage(Instant at, String by, String note) {
    return db.write(c -> AvailabilitySql.startOutage(c, at, by, note));
  }

  @Override
  public boolean endOutage(Instant at, String note) {
    return db.write(c -> AvailabilitySql.endOutage(c, at, note));
  }

  @Override
  public Optional<Outage> openOutage() {
    return db.read(AvailabilitySql::openOutage);
  }

  @Override
  public List<Outage> outages(Instant from, Instant to) {
    return db.read(c -> AvailabilitySql.outages(c, from, to));
  }

  @Override
  public long scheduleMaintenance(Instant start, Instant end, Instant at, String by, String note, boolean emergency) {
    return db.write(c -> AvailabilitySql.scheduleMaintenance(c, start, end, at, by, note, emergency));
  }

  @Override
  public boolean cancelMaintenance(long id, Instant at, String by, String note) {
    return db.write(c -> AvailabilitySql.cancelMaintenance(c, id, at, by, note));
  }

  @Override
  public List<Maintenance> cancelledMaintenance(Instant from, Instant to) {
    return db.read(c -> AvailabilitySql.cancelledMaintenance(c, from, to));
  }

  @Override
  public List<Maintenance> maintenance(Instant from, Instant to) {
    return db.read(c -> AvailabilitySql.maintenance(c, from, to));
  }

  @Override
  public void rate(Rating rating) {
    db.write(c -> {
      SatisfactionSql.rate(c, rating);
      return null;
    });
  }

  @Override
  public Optional<Rating> rating(String incident) {
    return db.read(c -> SatisfactionSql.rating(c, incident));
  }

  @Override
  public List<Rating> ratings(Instant from, Instant to) {
    return db.read(c -> SatisfactionSql.ratings(c, from, to));
  }
}
