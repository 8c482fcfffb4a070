package org.supportbot.core.store.sqlite;

import java.time.Clock;
import java.util.Objects;
import org.supportbot.core.chatstate.ConversationStore;
import org.supportbot.core.directory.DirectoryStore;
import org.supportbot.core.inbox.InboxStore;
import org.supportbot.core.outbox.OutboxStore;
import org.supportbot.core.store.DeskStores;
import org.supportbot.core.store.IncidentStore;
import org.supportbot.core.store.JdbcConversationStore;
import org.supportbot.core.store.JdbcDirectoryStore;
import org.supportbot.core.timer.TimerStore;

/** The store ports of a desk on its SQLite file. */
public final class SqliteDeskStores implements DeskStores {
  private final SqliteDatabase db;
  private final SqliteIncidentStore incidents;
  private final SqliteTimerStore timers;
  private final SqliteOutboxStore outbox;
  private final SqliteInboxStore inbox;
  private final JdbcConversationStore conversations;
  private final JdbcDirectoryStore directory;

  public SqliteDeskStores(SqliteDatabase db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.incidents = new SqliteIncidentStore(db);
    this.timers = new SqliteTimerStore(db);
    this.outbox = new SqliteOutboxStore(db);
    this.inbox = new SqliteInboxStore(db, clock);
    this.conversations = new JdbcConversationStore(db);
    this.directory = JdbcDirectoryStore.owned(db);
  }

  /** The database file these stores live in. */
  public SqliteDatabase database() {
    return db;
  }

  @Override
  public IncidentStore incidents() {
    return incidents;
  }

  @Override
  public TimerStore timers() {
    return timers;
  }

  @Override
  public OutboxStore outbox() {
    return outbox;
  }

  @Override
  public InboxStore inbox() {
    return inbox;
  }

  @Override
  public ConversationStore conversations() {
    return conversations;
  }

  @Override
  public DirectoryStore directory() {
    return directory;
  }

  @Override
  public String where() {
    return db.file().toString();
  }

  @Override
  public void close() {
    db.close();
  }
}
