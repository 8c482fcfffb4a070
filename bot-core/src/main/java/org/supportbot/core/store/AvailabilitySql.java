package org.supportbot.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.supportbot.core.chatstate.ConversationStore.Maintenance;
import org.supportbot.core.chatstate.ConversationStore.Outage;

/**
 * The availability tables ({@code availability_outages}, {@code availability_maintenance}) in
 * portable SQL, shared by the SQLite and PostgreSQL conversation stores; each method runs on a
 * connection of the store's read or write work.
 */
public final class AvailabilitySql {
  private AvailabilitySql() {}

  private static final String OUTAGE = "SELECT id, started_ms, ended_ms, note, end_note FROM availability_outages";
  private static final String MAINTENANCE = "SELECT id, starts_ms, ends_ms, scheduled_ms, note, emergency,"
      + " cancelled_ms, cancel_note FROM availability_maintenance";

  public static long startOutage(Connection c, Instant at, String by, String note) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO availability_outages (started_ms, started_by, note)"
        + " VALUES (?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      ps.setLong(1, at.toEpochMilli());
      ps.setString(2, by);
      ps.setString(3, note);
      ps.executeUpdate();
      return generated(ps);
    }
  }

  public static boolean endOutage(Connection c, Instant at, String note) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE availability_outages SET ended_ms = ?, end_note = ? WHERE ended_ms IS NULL")) {
      ps.setLong(1, at.toEpochMilli());
      if (note.isEmpty()) {
        ps.setNull(2, Types.VARCHAR);
      } else {
        ps.setString(2, note);
      }
      return ps.executeUpdate() > 0;
    }
  }

  public static Optional<Outage> openOutage(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(OUTAGE + " WHERE ended_ms IS NULL ORDER BY started_ms LIMIT 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(outage(rs)) : Optional.empty();
    }
  }

  public static List<Outage> outages(Connection c, Instant from, Instant to) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(OUTAGE
        + " WHERE started_ms < ? AND (ended_ms IS NULL OR ended_ms > ?) ORDER BY started_ms, id")) {
      ps.setLong(1, to.toEpochMilli());
      ps.setLong(2, from.toEpochMilli());
      List<Outage> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(outage(rs));
        }
      }
      return out;
    }
  }

  public static long scheduleMaintenance(Connection c, Instant start, Instant end, Instant at, String by, String note,
      boolean emergency) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO availability_maintenance (starts_ms, ends_ms,"
        + " scheduled_ms, scheduled_by, note, emergency) VALUES (?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      ps.setLong(1, start.toEpochMilli());
      ps.setLong(2, end.toEpochMilli());
      ps.setLong(3, at.toEpochMilli());
      ps.setString(4, by);
      ps.setString(5, note);
      ps.setBoolean(6, emergency);
      ps.executeUpdate();
      return generated(ps);
    }
  }

  public static List<Maintenance> maintenance(Connection c, Instant from, Instant to) throws SQLException {
    return maintenance(c, from, to, false);
  }

  public static List<Maintenance> cancelledMaintenance(Connection c, Instant from, Instant to) throws SQLException {
    return maintenance(c, from, to, true);
  }

  public static boolean cancelMaintenance(Connection c, long id, Instant at, String by, String note)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE availability_maintenance SET cancelled_ms = ?,"
        + " cancelled_by = ?, cancel_note = ? WHERE id = ? AND cancelled_ms IS NULL")) {
      ps.setLong(1, at.toEpochMilli());
      ps.setString(2, by);
      ps.setString(3, note);
      ps.setLong(4, id);
      return ps.executeUpdate() > 0;
    }
  }

  private static List<Maintenance> maintenance(Connection c, Instant from, Instant to, boolean cancelled)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(MAINTENANCE + " WHERE starts_ms < ? AND ends_ms > ? AND cancelled_ms IS "
        + (cancelled ? "NOT NULL" : "NULL") + " ORDER BY starts_ms, id")) {
      ps.setLong(1, to.toEpochMilli());
      ps.setLong(2, from.toEpochMilli());
      List<Maintenance> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long cancelledMs = rs.getLong(7);
          Optional<Instant> cancelledAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(cancelledMs));
          out.add(new Maintenance(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), Instant.ofEpochMilli(rs.getLong(3)),
              Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5), rs.getBoolean(6), cancelledAt,
              Optional.ofNullable(rs.getString(8)).orElse("")));
        }
      }
      return out;
    }
  }

  private static Outage outage(ResultSet rs) throws SQLException {
    long ended = rs.getLong(3);
    Optional<Instant> end = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ended));
    return new Outage(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), end, rs.getString(4),
        Optional.ofNullable(rs.getString(5)));
  }

  private static long generated(PreparedStatement ps) throws SQLException {
    try (ResultSet keys = ps.getGeneratedKeys()) {
      if (!keys.next()) {
        throw new SQLException("the database returned no id for the new availability record");
      }
      return keys.getLong(1);
    }
  }
}
