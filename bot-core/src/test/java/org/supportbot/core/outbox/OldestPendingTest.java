package org.supportbot.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.sqlite.SqliteOutboxStore;

/** {@link OutboxStore#oldestPendingRecordedAt()} on SQLite: the recording instant of the oldest message still waiting. */
class OldestPendingTest {
  private static final Instant T0 = Instant.parse("2026-11-23T17:00:00Z");
  private static final ChatPlace C1 = new ChatPlace("slack", "T1", "C1", "");
  private static final ChatPlace C2 = new ChatPlace("slack", "T1", "C2", "");

  @TempDir Path dir;

  @Test
  void theOldestUndeliveredMessageIsReportedUntilItIsDeliveredOrSetAside() {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("o.db"), SqliteDatabase.Durability.NORMAL)) {
      SqliteOutboxStore store = new SqliteOutboxStore(db);
      assertThat(store.oldestPendingRecordedAt()).isEmpty();
      long first = record(store, C1, T0).getFirst();
      long second = record(store, C2, T0.plus(Duration.ofSeconds(30))).getFirst();
      record(store, C1, T0.plus(Duration.ofMinutes(1)));
      store.failed(first, 3, T0.plus(Duration.ofMinutes(10)));
      assertThat(store.oldestPendingRecordedAt()).as("a failed attempt keeps its recording instant").contains(T0);
      store.delivered(first);
      assertThat(store.oldestPendingRecordedAt()).contains(T0.plus(Duration.ofSeconds(30)));
      store.setAside(second, 36, T0.plus(Duration.ofHours(5)), "channel_not_found");
      assertThat(store.oldestPendingRecordedAt()).as("set aside is not pending").contains(T0.plus(Duration.ofMinutes(1)));
    }
  }

  private static List<Long> record(SqliteOutboxStore store, ChatPlace where, Instant at) {
    Outbound o = Outbound.toPlace(where, Outbound.Kind.NOTICE).text("n").build();
    return store.record(new OutboxStore.Batch(List.of(o), OptionalLong.empty(), List.of(), List.of(), Map.of(), at));
  }
}
