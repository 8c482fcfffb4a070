package org.supportbot.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.sqlite.SqliteOutboxStore;
import org.supportbot.core.testing.Await;
import org.supportbot.core.time.ManualClock;

/**
 * A message is handed out once while it is in flight, even when its report races the ticker's
 * {@link Outbox#due}: the duplicate posts seen in Slack (the same confirmation twice, one pacing
 * interval apart) and Discord (the first triage notice twice, 10 ms apart) came from this race.
 */
class OutboxHandOutTest {
  private static final Instant T0 = Instant.parse("2026-11-23T17:00:00Z");
  private static final ChatPlace SUPPORT = new ChatPlace("slack", "T1", "C1", "");

  @TempDir Path dir;
  private SqliteDatabase db;

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }

  /** The real store, with a hook that runs right after {@link #pending} read its rows. */
  private static final class PausingStore implements OutboxStore {
    private final OutboxStore real;
    volatile Runnable afterPendingRead = () -> { };

    PausingStore(OutboxStore real) {
      this.real = real;
    }

    @Override
    public long eventCursor() {
      return real.eventCursor();
    }

    @Override
    public List<Long> record(Batch batch) {
      return real.record(batch);
    }

    @Override
    public List<Pending> pending(int limit) {
      List<Pending> rows = real.pending(limit);
      afterPendingRead.run();
      return rows;
    }

    @Override
    public List<Queued> queuedBefore(long id) {
      return real.queuedBefore(id);
    }

    @Override
    public void delivered(long id) {
      real.delivered(id);
    }

    @Override
    public void failed(long id, int attempts, Instant nextAttempt) {
      real.failed(id, attempts, nextAttempt);
    }

    @Override
    public void setAside(long id, int attempts, Instant at, String reason) {
      real.setAside(id, attempts, at, reason);
    }

    @Override
    public List<SetAside> setAsideList() {
      return real.setAsideList();
    }

    @Override
    public int resend(List<Long> ids, Instant at) {
      return real.resend(ids, at);
    }

    @Override
    public long newestPendingId() {
      return real.newestPendingId();
    }

    @Override
    public java.util.Optional<java.time.Instant> oldestPendingRecordedAt() {
      return real.oldestPendingRecordedAt();
    }

    @Override
    public long pendingCount() {
      return real.pendingCount();
    }

    @Override
    public long setAsideCount() {
      return real.setAsideCount();
    }
  }

  @Test
  void aMessageReportedSentWhileTheTickerReadsThePendingRowsIsNotHandedOutAgain() throws Exception {
    db = SqliteDatabase.open(dir.resolve("outbox.db"), SqliteDatabase.Durability.NORMAL);
    ManualClock clock = new ManualClock(T0);
    PausingStore store = new PausingStore(new SqliteOutboxStore(db));
    Outbox outbox = new Outbox(store, clock, Backoff.DEFAULT);
    List<Delivery> first = outbox.record(new OutboxStore.Batch(
        List.of(Outbound.toPlace(SUPPORT, Outbound.Kind.NOTICE).text("filed").build()), OptionalLong.empty(),
        List.of(), List.of(), Map.of(), T0));
    assertThat(first).hasSize(1);

    // the adapter reports the message sent just after the ticker read the pending rows, before it
    // looked at what is in flight: the report must either wait for the hand-out or be seen by it
    AtomicReference<Thread> reporter = new AtomicReference<>();
    store.afterPendingRead = () -> {
      store.afterPendingRead = () -> { };
      Thread t = Thread.ofPlatform().start(() -> first.getFirst().sent());
      reporter.set(t);
      try {
        Await.until(() -> !t.isAlive() || t.getState() == Thread.State.BLOCKED
            || t.getState() == Thread.State.WAITING, "the report to finish or wait for the hand-out");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    List<Delivery> again = outbox.due(10);
    reporter.get().join();

    assertThat(again).as("handed out while in flight").isEmpty();
    assertThat(outbox.pendingCount()).isZero();
    assertThat(outbox.due(10)).isEmpty();
  }
}
