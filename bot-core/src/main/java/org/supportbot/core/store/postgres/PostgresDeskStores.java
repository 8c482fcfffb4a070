package org.supportbot.core.store.postgres;

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

/** The store ports of a desk on PostgreSQL, for one instance of several. */
public final class PostgresDeskStores implements DeskStores {
  private final PostgresDatabase db;
  private final PostgresIncidentStore incidents;
  private final PostgresTimerStore timers;
  private final PostgresOutboxStore outbox;
  private final PostgresInboxStore inbox;
  private final JdbcConversationStore conversations;
  private final JdbcDirectoryStore directory;

  public PostgresDeskStores(PostgresDatabase db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.incidents = new PostgresIncidentStore(db);
    this.timers = new PostgresTimerStore(db, clock);
    this.outbox = new PostgresOutboxStore(db, clock);
    this.inbox = new PostgresInboxStore(db, clock);
    this.conversations = new JdbcConversationStore(db);
    this.directory = JdbcDirectoryStore.shared(db);
  }

  /** The database these stores live in. */
  public PostgresDatabase database() {
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
    return db.location().toString();
  }

  @Override
  public void close() {
    db.close();
  }
}
