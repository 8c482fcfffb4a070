package org.supportbot.core.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.supportbot.config.settings.PostgresLocation;
import org.supportbot.core.chat.ConversationLanes;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.inbox.InboxStore;
import org.supportbot.core.inbox.InboxStore.Pending;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.testing.Await;
import org.supportbot.core.testing.MutableClock;
import org.supportbot.core.testing.PostgresCluster;

/**
 * One conversation's inbox entries on several instances of one real PostgreSQL database: handled one at a time
 * and in inbox order ({@link InboxStore#takeTurn}, {@link InboxStore#handOn}), whichever instance each reached;
 * other conversations not held up; a dead instance's turn lapses with its lease.
 */
class PostgresConversationOrderTest {
  static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
  static final Identity ANA = new Identity("slack", "T1", "U0ANA");
  static final Identity CARL = new Identity("slack", "T1", "U0CARL");

  private final PostgresCluster pg = PostgresCluster.shared();
  private final MutableClock clock = new MutableClock(T0);
  private PostgresLocation desk;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void database() {
    desk = pg.newDatabase();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private PostgresDatabase database(String instance) {
    PostgresDatabase db = PostgresDatabase.open(desk, Optional.of(pg.password()), Optional.of(instance));
    open.add(db);
    return db;
  }

  private PostgresInboxStore inbox(String instance) {
    return new PostgresInboxStore(database(instance), clock);
  }

  /** {@code who} said {@code text} in channel C1 (not in a thread): the conversation is the person there. */
  private static Inbound said(String key, Identity who, String text) {
    return new Inbound(key, who, new ChatPlace("slack", "T1", "C1", ""), false, T0, Optional.empty(),
        new Inbound.Said(text));
  }

  /** Adds {@code in} on {@code store}'s instance; the entry as that instance queues it. */
  private static Pending add(InboxStore store, Inbound in) {
    return new Pending(store.add(in, Optional.empty(), Optional.empty()).id(), in, Optional.empty(), 0);
  }

  @Test
  void anEntryWaitsForAnEarlierOneOfItsConversationOnAnotherInstanceWhichHandsItOn() {
    PostgresInboxStore a = inbox("a");
    PostgresInboxStore b = inbox("b");
    Pending one = add(a, said("Ev1", ANA, "one"));
    Pending two = add(b, said("Ev2", ANA, "two"));

    assertThat(b.takeTurn(two)).as("Ev1 of the same conversation is pending on a").isFalse();
    assertThat(a.takeTurn(one)).isTrue();
    assertThat(b.takeTurn(two)).as("still: a holds the turn").isFalse();

    List<Pending> next = a.handOn(one.id(), clock.instant());
    assertThat(next).extracting(Pending::id).as("a hands Ev2 on to itself").containsExactly(two.id());
    assertThat(next.getFirst().inbound().key()).isEqualTo("Ev2");
    assertThat(b.takeTurn(two)).as("b left it; a holds it now").isFalse();
    assertThat(a.takeTurn(next.getFirst())).isTrue();
    assertThat(a.handOn(two.id(), clock.instant())).isEmpty();
    assertThat(a.pendingCount("slack")).isZero();
    assertThat(turns()).as("no turn is left held").isZero();
  }

  @Test
  void anotherConversationIsNotHeldUp() {
    PostgresInboxStore a = inbox("a");
    PostgresInboxStore b = inbox("b");
    Inbound inThread = new Inbound("Ev3", ANA, new ChatPlace("slack", "T1", "C1", "ACME-1"), false, T0,
        Optional.empty(), new Inbound.Said("any news?"));
    Pending one = add(a, said("Ev1", ANA, "my agent is down"));
    Pending two = add(b, said("Ev2", CARL, "and mine"));
    Pending three = add(b, inThread);

    assertThat(a.takeTurn(one)).isTrue();
    assertThat(b.takeTurn(two)).as("Carl in the same channel is another conversation").isTrue();
    assertThat(b.takeTurn(three)).as("Ana in a case thread is another conversation").isTrue();
  }

  @Test
  void aDeadInstancesTurnLapsesAndItsEntriesAreTakenOverOneAfterTheOtherInOrder() {
    PostgresInboxStore a = inbox("a");
    PostgresInboxStore b = inbox("b");
    List<Pending> added = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      added.add(add(a, said("Ev" + i, ANA, "message " + i)));
    }
    assertThat(a.takeTurn(added.get(0))).isTrue();
    // a dies here: it renews nothing any more
    assertThat(b.takeOver("slack", 10)).as("a's leases hold").isEmpty();

    clock.advance(PostgresDatabase.LEASE.plusSeconds(1));
    List<Pending> taken = b.takeOver("slack", 10);
    assertThat(taken).extracting(Pending::id).as("only the first of the conversation; it hands the others on")
        .containsExactly(added.get(0).id());
    List<String> handled = new ArrayList<>();
    for (Pending p = taken.getFirst(); p != null; ) {
      assertThat(b.takeTurn(p)).as(p.inbound().key()).isTrue();
      handled.add(p.inbound().key());
      List<Pending> next = b.handOn(p.id(), clock.instant());
      p = next.isEmpty() ? null : next.getFirst();
    }
    assertThat(handled).containsExactly("Ev1", "Ev2", "Ev3");
  }

  @Test
  void aTurnHeldByALiveInstanceHoldsEvenWithoutAnEarlierEntryAndLapsesWithItsLease() {
    PostgresInboxStore a = inbox("a");
    PostgresInboxStore b = inbox("b");
    Pending one = add(a, said("Ev1", ANA, "one"));
    assertThat(a.takeTurn(one)).isTrue();
    // as when Ev1 failed on a (it no longer holds up the others) but a is still at it: here, a's turn is held on
    database("sql").write(c -> c.createStatement().executeUpdate("UPDATE inbox SET attempts = 1 WHERE id = " + one.id()));
    Pending two = add(b, said("Ev2", ANA, "two"));
    assertThat(b.takeTurn(two)).as("a holds the conversation's turn").isFalse();

    clock.advance(Duration.ofSeconds(10));
    assertThat(a.takeOver("slack", 10)).extracting(Pending::id).as("a's tick renews its turn and takes the entry b left")
        .containsExactly(two.id());
    clock.advance(Duration.ofSeconds(15));
    assertThat(b.takeOver("slack", 10)).as("a renewed its leases 15 s ago").isEmpty();
    // a dies before handling Ev2
    clock.advance(PostgresDatabase.LEASE);
    assertThat(b.takeOver("slack", 10)).extracting(Pending::id).as("Ev1 failed once: it is tried again, not first")
        .containsExactly(one.id(), two.id());
    assertThat(b.takeTurn(two)).as("a's turn lapsed").isTrue();
  }

  @Test
  void aFailedEntryEndsItsTurnAndNoLongerHoldsUpItsConversation() {
    PostgresInboxStore a = inbox("a");
    PostgresInboxStore b = inbox("b");
    Pending one = add(a, said("Ev1", ANA, "one"));
    Pending two = add(b, said("Ev2", ANA, "two"));
    assertThat(a.takeTurn(one)).isTrue();
    assertThat(b.takeTurn(two)).isFalse();
    assertThat(a.failed(one.id())).isEqualTo(1);
    assertThat(b.takeOver("slack", 10)).as("b left Ev2 to the turn's holder; free now, and first")
        .extracting(Pending::id).containsExactly(two.id());
    assertThat(b.takeTurn(two)).isTrue();
  }

  @Test
  void aHolderWhoseTurnWasTakenOverMeanwhileHandsNothingOn() {
    PostgresInboxStore a = inbox("a");
    PostgresInboxStore b = inbox("b");
    Pending one = add(a, said("Ev1", ANA, "one"));
    Pending two = add(a, said("Ev2", ANA, "two"));
    assertThat(a.takeTurn(one)).isTrue();
    // a stalls for longer than its lease; b takes the conversation's first entry over and gets the turn
    clock.advance(PostgresDatabase.LEASE.plusSeconds(1));
    assertThat(b.takeOver("slack", 10)).extracting(Pending::id).containsExactly(one.id());
    assertThat(b.takeTurn(one)).isTrue();

    assertThat(a.handOn(one.id(), clock.instant())).as("a finishes late: the turn is b's").isEmpty();
    assertThat(b.handOn(one.id(), clock.instant())).extracting(Pending::id).as("b hands on").containsExactly(two.id());
    assertThat(b.takeTurn(two)).isTrue();
  }

  @Test
  void anEntryWrittenBeforeConversationsWereKeptIsNamedAtItsTurnAndHoldsUpTheNextFromThen() {
    PostgresInboxStore a = inbox("a");
    PostgresInboxStore b = inbox("b");
    Pending one = add(a, said("Ev1", ANA, "one"));
    database("sql").write(c -> c.createStatement().executeUpdate("UPDATE inbox SET conversation = NULL WHERE id = "
        + one.id()));
    assertThat(a.takeTurn(one)).isTrue();
    Pending two = add(b, said("Ev2", ANA, "two"));
    assertThat(b.takeTurn(two)).as("Ev1 is named now, pending, and a holds the turn").isFalse();
    assertThat(a.handOn(one.id(), clock.instant())).extracting(Pending::id).containsExactly(two.id());
  }

  /**
   * Two instances, each handling on its own lanes as the Slack adapter does, get the entries of 6 conversations
   * alternately (the first of a conversation on a, the second on b, ...), while handling: every entry is handled
   * once, each conversation's in the order added, never two of one conversation at once. A handling that starts
   * on a waits, inside the handler, until b tried the next entry of its conversation, so the interleaving the
   * order guards against happens in every conversation.
   */
  @Test
  void twoInstancesHandleEachConversationOneAtATimeInInboxOrder() throws Exception {
    List<Instance> instances = List.of(new Instance("a"), new Instance("b"));
    instances.forEach(open::add);
    int conversations = 6;
    int perConversation = 8;
    List<Thread> producers = new ArrayList<>();
    Map<String, List<String>> added = new ConcurrentHashMap<>();
    for (int c = 0; c < conversations; c++) {
      Identity who = new Identity("slack", "T1", "U" + c);
      producers.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < perConversation; i++) {
          Inbound in = said(who.userId() + "-" + i, who, "message " + i);
          added.computeIfAbsent(in.conversation(), k -> new CopyOnWriteArrayList<>()).add(in.key());
          instances.get(i % 2).accept(in);
        }
      }));
    }
    for (Thread t : producers) {
      t.join();
    }
    Await.until(() -> instances.getFirst().store.pendingCount("slack") == 0
        && instances.stream().allMatch(i -> i.lanes.pending() == 0), "every entry handled");

    assertThat(overlaps.get()).as("two entries of one conversation handled at once").isZero();
    assertThat(handled.values().stream().mapToInt(List::size).sum()).isEqualTo(conversations * perConversation);
    assertThat(handled).isEqualTo(added);
    assertThat(deferred.get()).as("b tried entries while a handled their conversation's earlier one")
        .isPositive();
    assertThat(turns()).isZero();
  }

  private final Map<String, List<String>> handled = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger overlaps = new AtomicInteger();
  private final AtomicInteger deferred = new AtomicInteger();
  /** Per conversation: released once b tried an entry of it and was told to wait. */
  private final Map<String, CountDownLatch> triedOnB = new ConcurrentHashMap<>();

  /** An instance: its own pool and lease name, lanes as the adapter's, and a handler that records the order. */
  private final class Instance implements AutoCloseable {
    final String name;
    final PostgresInboxStore store;
    final ConversationLanes lanes;
    final Set<Long> queued = ConcurrentHashMap.newKeySet();

    Instance(String name) {
      this.name = name;
      this.store = inbox(name);
      this.lanes = new ConversationLanes(3, "order-" + name);
    }

    void accept(Inbound in) {
      InboxStore.Added a = store.add(in, Optional.empty(), Optional.empty());
      queue(new Pending(a.id(), in, Optional.empty(), 0));
    }

    void queue(Pending p) {
      if (queued.add(p.id())) {
        lanes.execute(p.inbound().conversation(), () -> process(p));
      }
    }

    /** As {@code SlackAdapter.process}: the turn, the handling, the hand-on. */
    void process(Pending p) {
      List<Pending> next = List.of();
      try {
        String conversation = p.inbound().conversation();
        if (!store.takeTurn(p)) {
          deferred.incrementAndGet();
          if (name.equals("b")) {
            triedOnB.computeIfAbsent(conversation, k -> new CountDownLatch(1)).countDown();
          }
          return;
        }
        if (inFlight.computeIfAbsent(conversation, k -> new AtomicInteger()).incrementAndGet() > 1) {
          overlaps.incrementAndGet();
        }
        if (name.equals("a") && p.inbound().key().endsWith("-0")) {
          // hold the conversation's first entry until b tried the second one (b gets it right after)
          try {
            triedOnB.computeIfAbsent(conversation, k -> new CountDownLatch(1)).await(Await.HUNG.toSeconds(),
                TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        handled.computeIfAbsent(conversation, k -> new CopyOnWriteArrayList<>()).add(p.inbound().key());
        inFlight.get(conversation).decrementAndGet();
        next = store.handOn(p.id(), clock.instant());
      } finally {
        queued.remove(p.id());
      }
      next.forEach(this::queue);
    }

    @Override
    public void close() {
      lanes.close(Duration.ofSeconds(5));
    }
  }

  private long turns() {
    return database("count").read(c -> {
      try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM inbox_turns")) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }
}
