package org.supportbot.app.discord;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.supportbot.core.inbox.InboxStore;
import org.supportbot.core.store.JdbcDatabase;
import org.supportbot.core.store.postgres.PostgresDatabase;
import org.supportbot.core.store.postgres.PostgresInboxStore;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.sqlite.SqliteInboxStore;

/**
 * What the adapter must remember across restarts, kept in the desk's database (SQLite or PostgreSQL): the Discord
 * thread of each case ({@code ACME-1} in channel 200 is thread 900) and the message id of each
 * status message, so that it is edited in place rather than posted again.
 */
public final class DiscordRefs {

  /** A case's thread: its parent channel and the case key the desk uses as the thread name. */
  public record CaseThread(String channel, String caseKey) {
    public CaseThread {
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(caseKey, "caseKey");
    }
  }

  /** The table {@code discord_refs} of one database. */
  private interface Table {
    Optional<String> get(String name);

    void put(String name, String value);
  }

  private final Table table;
  private final java.util.function.Function<java.time.Clock, InboxStore> inbox;
  private final Map<String, String> cache = new ConcurrentHashMap<>();

  public DiscordRefs(SqliteDatabase db) {
    Objects.requireNonNull(db, "db");
    db.write(c -> {
      try (Statement s = c.createStatement()) {
        s.executeUpdate("CREATE TABLE IF NOT EXISTS discord_refs (name TEXT PRIMARY KEY, value TEXT NOT NULL)");
      }
      return null;
    });
    this.table = table(db);
    this.inbox = clock -> new SqliteInboxStore(db, clock);
  }

  /** The references in a PostgreSQL desk (table created by db/postgresql V30). */
  public DiscordRefs(PostgresDatabase db) {
    Objects.requireNonNull(db, "db");
    this.table = table(db);
    this.inbox = clock -> new PostgresInboxStore(db, clock);
  }

  private static Table table(JdbcDatabase db) {
    return new Table() {
      @Override
      public Optional<String> get(String name) {
        return db.read(c -> select(c, name));
      }

      @Override
      public void put(String name, String value) {
        db.write(c -> upsert(c, name, value));
      }
    };
  }

  private static Optional<String> select(java.sql.Connection c, String name) throws java.sql.SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT value FROM discord_refs WHERE name = ?")) {
      s.setString(1, name);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(r.getString(1)) : Optional.<String>empty();
      }
    }
  }

  private static Void upsert(java.sql.Connection c, String name, String value) throws java.sql.SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO discord_refs (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value")) {
      s.setString(1, name);
      s.setString(2, value);
      s.executeUpdate();
    }
    return null;
  }

  /** The inbox in the same database as these references. */
  InboxStore inbox(java.time.Clock clock) {
    return inbox.apply(clock);
  }

  /** The thread id of a case's thread in a channel, once created. */
  public Optional<String> thread(String guild, String channel, String caseKey) {
    return get("thread:" + guild + ":" + channel + ":" + caseKey);
  }

  /** Which case a thread belongs to, when it is one of the case threads the adapter created. */
  public Optional<CaseThread> caseOf(String threadId) {
    return get("case-of:" + threadId).map(v -> {
      int tab = v.indexOf('\t');
      return new CaseThread(v.substring(0, tab), v.substring(tab + 1));
    });
  }

  public void saveThread(String guild, String channel, String caseKey, String threadId) {
    put("thread:" + guild + ":" + channel + ":" + caseKey, threadId);
    put("case-of:" + threadId, channel + "\t" + caseKey);
  }

  /** The channel and message id of the message sent under a replace key, e.g. "status:ACME-1". */
  public Optional<String> message(String guild, String replaceKey) {
    return get("message:" + guild + ":" + replaceKey);
  }

  public void saveMessage(String guild, String replaceKey, String messageId) {
    put("message:" + guild + ":" + replaceKey, messageId);
  }

  private Optional<String> get(String name) {
    String cached = cache.get(name);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<String> stored = table.get(name);
    stored.ifPresent(v -> cache.put(name, v));
    return stored;
  }

  private void put(String name, String value) {
    table.put(name, value);
    cache.put(name, value);
  }
}
