package org.supportbot.core.desk;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.store.sqlite.SqliteDatabase;

/** Reads the timers table directly, to check what a transaction left there. */
final class TimerRows {
  record Row(String kind, long version, Instant due, boolean fired) {}

  private TimerRows() {}

  static List<Row> unfired(SqliteDatabase db, IncidentNumber n) {
    return all(db, n).stream().filter(r -> !r.fired()).toList();
  }

  static List<Row> all(SqliteDatabase db, IncidentNumber n) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT kind, version, due_ms, fired_ms FROM timers"
          + " WHERE incident = ? ORDER BY due_ms, kind")) {
        ps.setString(1, n.toString());
        List<Row> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rs.getLong(4);
            boolean fired = !rs.wasNull();
            out.add(new Row(rs.getString(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)), fired));
          }
        }
        return out;
      }
    });
  }
}
