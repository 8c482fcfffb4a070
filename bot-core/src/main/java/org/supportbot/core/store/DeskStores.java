package org.supportbot.core.store;

import org.supportbot.core.chatstate.ConversationStore;
import org.supportbot.core.directory.DirectoryStore;
import org.supportbot.core.inbox.InboxStore;
import org.supportbot.core.outbox.OutboxStore;
import org.supportbot.core.timer.TimerStore;

/**
 * Every store port of one desk on one database (a SQLite file, or PostgreSQL), each made once: the desk and
 * its adapters share them. Closing closes the database.
 */
public interface DeskStores extends AutoCloseable {
  IncidentStore incidents();

  TimerStore timers();

  OutboxStore outbox();

  InboxStore inbox();

  ConversationStore conversations();

  DirectoryStore directory();

  /** Where the desk lives, as an operator reads it (a file path, or a PostgreSQL URL without password). */
  String where();

  @Override
  void close();
}
