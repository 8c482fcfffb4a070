package org.supportbot.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.supportbot.core.chatstate.ConversationStore.Rating;
import org.supportbot.core.directory.Identity;

/**
 * The {@code satisfaction} table in portable SQL (an upsert both SQLite and PostgreSQL read), shared
 * by the SQLite and PostgreSQL conversation stores; each method runs on a connection of the store's
 * read or write work.
 */
public final class SatisfactionSql {
  private SatisfactionSql() {}

  private static final String SELECT =
      "SELECT incident, organization_id, engineer, score, comment, rated_by, rated_ms FROM satisfaction";

  /** Keeps {@code r} as the case's rating, replacing an earlier one. */
  public static void rate(Connection c, Rating r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO satisfaction (incident, organization_id, engineer,"
        + " score, comment, rated_by, rated_ms) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (incident) DO UPDATE SET"
        + " organization_id = excluded.organization_id, engineer = excluded.engineer, score = excluded.score,"
        + " comment = excluded.comment, rated_by = excluded.rated_by, rated_ms = excluded.rated_ms")) {
      ps.setString(1, r.incident());
      ps.setString(2, r.organizationId());
      if (r.engineer().isPresent()) {
        ps.setString(3, r.engineer().get().toString());
      } else {
        ps.setNull(3, Types.VARCHAR);
      }
      ps.setInt(4, r.score());
      ps.setString(5, r.comment());
      ps.setString(6, r.ratedBy().toString());
      ps.setLong(7, r.at().toEpochMilli());
      ps.executeUpdate();
    }
  }

  public static Optional<Rating> rating(Connection c, String incident) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE incident = ?")) {
      ps.setString(1, incident);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rating(rs)) : Optional.empty();
      }
    }
  }

  public static List<Rating> ratings(Connection c, Instant from, Instant to) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE rated_ms >= ? AND rated_ms < ?"
        + " ORDER BY rated_ms, incident")) {
      ps.setLong(1, from.toEpochMilli());
      ps.setLong(2, to.toEpochMilli());
      List<Rating> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rating(rs));
        }
      }
      return out;
    }
  }

  private static Rating rating(ResultSet rs) throws SQLException {
    return new Rating(rs.getString(1), rs.getString(2), Optional.ofNullable(rs.getString(3)).map(Identity::parse),
        rs.getInt(4), rs.getString(5), Identity.parse(rs.getString(6)), Instant.ofEpochMilli(rs.getLong(7)));
  }
}
