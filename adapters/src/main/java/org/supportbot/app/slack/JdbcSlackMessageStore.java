package org.supportbot.app.slack;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.core.store.JdbcDatabase;

/**
 * {@link SlackMessageStore} in the desk's database, SQLite or PostgreSQL (table {@code slack_messages}: migration
 * V30 in {@code db/migration} and {@code db/postgresql}).
 */
public final class JdbcSlackMessageStore implements SlackMessageStore {
  static final String THREAD = "thread:";

  private final JdbcDatabase db;

  public JdbcSlackMessageStore(JdbcDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public Optional<Posted> find(String workspace, String name) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT channel, ts FROM slack_messages WHERE workspace = ? AND name = ?")) {
        s.setString(1, workspace);
        s.setString(2, name);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? Optional.of(new Posted(r.getString(1), r.getString(2))) : Optional.empty();
        }
      }
    });
  }

  @Override
  public void remember(String workspace, String name, Posted posted) {
    db.write(c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO slack_messages (workspace, name, channel, ts) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (workspace, name) DO UPDATE SET channel = excluded.channel, ts = excluded.ts")) {
        s.setString(1, workspace);
        s.setString(2, name);
        s.setString(3, posted.channel());
        s.setString(4, posted.ts());
        return s.executeUpdate();
      }
    });
  }

  @Override
  public Optional<String> threadAt(String workspace, String channel, String ts) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT name FROM slack_messages WHERE workspace = ? AND channel = ?"
          + " AND ts = ? AND name LIKE 'thread:%'")) {
        s.setString(1, workspace);
        s.setString(2, channel);
        s.setString(3, ts);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? Optional.of(r.getString(1).substring(THREAD.length())) : Optional.empty();
        }
      }
    });
  }
}
