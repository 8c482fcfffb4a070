package org.supportbot.core.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.supportbot.config.settings.PostgresLocation;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.inbox.InboxStore;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.outbox.OutboxStore;
import org.supportbot.core.testing.DeskFixture;
import org.supportbot.core.testing.MutableClock;
import org.supportbot.core.testing.PostgresCluster;
import org.supportbot.core.timer.Timer;

/**
 * Two desk instances on one real PostgreSQL database, each with its own connection pool and lease name: due
 * timers are fired exactly once when both schedulers fire at the same moment, a timer leased by an instance
 * that died is taken over once its lease lapses, an inbox entry is handled by one instance only, and an outbox
 * lane is delivered from one instance at a time.
 */
class PostgresInstancesTest {
  static final Instant T0 = Instant.parse("2026-12-01T17:00:00Z");

  private final PostgresCluster pg = PostgresCluster.shared();
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

  private DeskFixture instance(String name) {
    DeskFixture f = new DeskFixture(clock -> new PostgresDeskStores(PostgresDatabase.open(desk,
        Optional.of(pg.password()), Optional.of(name)), clock), T0);
    open.add(f);
    return f;
  }

  @Test
  void twoSchedulersFiringAtOnceFireEachDueTimerOnce() throws Exception {
    DeskFixture a = instance("a");
    DeskFixture b = instance("b");
    Organization acme = a.organization("ACME", "atheer");
    for (int i = 0; i < 6; i++) {
      a.file(acme, a.catalogSeverity("atheer"), a.catalogCategory("atheer"));
    }
    Instant later = a.timers.nextDue().orElseThrow().plus(java.time.Duration.ofDays(30));
    a.clock.set(later);
    b.clock.set(later);
    long due = a.timers.dueBy(later);
    assertThat(due).isGreaterThan(6);

    // leased by case: each instance gets whole cases, never one the other holds timers of
    List<Timer> leasedByA = a.timers.due(later, 3);
    List<Timer> leasedByB = b.timers.due(later, 3);
    Set<String> casesA = new HashSet<>(leasedByA.stream().map(Timer::incident).toList());
    Set<String> casesB = new HashSet<>(leasedByB.stream().map(Timer::incident).toList());
    assertThat(casesA).hasSize(3).doesNotContainAnyElementsOf(casesB);
    assertThat(casesB).hasSize(3);
    assertThat(leasedByA.size() + leasedByB.size()).as("all due timers of the six cases").isEqualTo(due);
    assertThat(a.timers.due(later, 3)).as("a keeps its own").containsExactlyInAnyOrderElementsOf(leasedByA);
    assertThat(b.timers.due(later, 10)).as("b never gets a's").containsExactlyInAnyOrderElementsOf(leasedByB);

    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<CompletableFuture<Integer>> runs = new ArrayList<>();
      for (DeskFixture f : List.of(a, b)) {
        runs.add(CompletableFuture.supplyAsync(() -> {
          try {
            together.await(30, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          int fired = 0;
          for (int n; (n = f.desk.fireDue(later, 3)) > 0; ) {
            fired += n;
          }
          return fired;
        }, pool));
      }
      int total = runs.get(0).get(60, TimeUnit.SECONDS) + runs.get(1).get(60, TimeUnit.SECONDS);
      assertThat(total).isEqualTo(due);
    } finally {
      pool.shutdownNow();
    }
    List<Timer> all = new ArrayList<>();
    a.fired.forEach(x -> all.add(x.timer()));
    b.fired.forEach(x -> all.add(x.timer()));
    assertThat(all).hasSize((int) due).doesNotHaveDuplicates();
    assertThat(a.timers.dueBy(later)).isZero();
    assertThat(a.desk.fireDue(later, 100) + b.desk.fireDue(later, 100)).isZero();
  }

  @Test
  void timersLeasedByAnInstanceThatDiedAreFiredByAnotherOnceTheLeaseLapses() {
    DeskFixture b = instance("b");
    Organization acme = b.organization("ACME", "atheer");
    b.file(acme, b.catalogSeverity("atheer"), b.catalogCategory("atheer"));
    Instant due = b.timers.nextDue().orElseThrow();
    MutableClock deadClock = new MutableClock(due);
    PostgresTimerStore dead = new PostgresTimerStore(database("a"), deadClock);
    List<Timer> leased = dead.due(due, 100); // instance a leases the due timers, then dies before firing them
    assertThat(leased).isNotEmpty();

    b.clock.set(due);
    assertThat(b.desk.fireDue(due, 100)).as("the lease holds").isZero();
    b.clock.set(due.plus(PostgresDatabase.LEASE).plusSeconds(1));
    assertThat(b.desk.fireDue(b.clock.instant(), 100)).as("taken over").isEqualTo(leased.size());
    assertThat(b.fired).extracting(DeskFixture.Fired::timer).containsAll(leased);
    deadClock.set(b.clock.instant());
    assertThat(dead.due(b.clock.instant(), 100)).as("nothing left to fire").isEmpty();
  }

  private static Inbound said(String key) {
    return new Inbound(key, new Identity("slack", "T1", "U1"), new ChatPlace("slack", "T1", "C1", ""), false, T0,
        Optional.empty(), new Inbound.Said("hello"));
  }

  @Test
  void anInboxEntryIsHandledByOneInstance() {
    MutableClock clock = new MutableClock(T0);
    InboxStore a = new PostgresInboxStore(database("a"), clock);
    InboxStore b = new PostgresInboxStore(database("b"), clock);
    InboxStore.Added first = a.add(said("Ev1"), Optional.empty(), Optional.empty());
    assertThat(first.pending()).isTrue();
    // Slack retries the event to the other instance while the first one handles it
    InboxStore.Added retry = b.add(said("Ev1"), Optional.empty(), Optional.empty());
    assertThat(retry.id()).isEqualTo(first.id());
    assertThat(retry.pending()).as("another instance holds it").isFalse();
    assertThat(b.pending("slack", 10)).isEmpty();

    // a dies without marking it done; once the lease lapses b takes it, and a coming back does not
    clock.set(T0.plus(PostgresDatabase.LEASE).plusSeconds(1));
    assertThat(b.pending("slack", 10)).extracting(InboxStore.Pending::id).containsExactly(first.id());
    assertThat(a.pending("slack", 10)).isEmpty();
    assertThat(a.add(said("Ev1"), Optional.empty(), Optional.empty()).pending()).isFalse();
    b.done(first.id(), clock.instant());
    clock.set(T0.plus(PostgresDatabase.LEASE.multipliedBy(3)));
    assertThat(a.pending("slack", 10)).isEmpty();
    assertThat(b.pending("slack", 10)).isEmpty();
  }

  @Test
  void anOutboxLaneIsDeliveredFromOneInstanceAtATime() {
    MutableClock clock = new MutableClock(T0);
    OutboxStore a = new PostgresOutboxStore(database("a"), clock);
    OutboxStore b = new PostgresOutboxStore(database("b"), clock);
    Outbound c1 = Outbound.toPlace(new ChatPlace("slack", "T1", "C1", ""), Outbound.Kind.REPLY).text("one").build();
    Outbound c2 = Outbound.toPlace(new ChatPlace("slack", "T1", "C2", ""), Outbound.Kind.REPLY).text("two").build();
    a.record(new OutboxStore.Batch(List.of(c1, c1), OptionalLong.empty(), List.of(), List.of(), Map.of(), T0));
    assertThat(a.pending(10)).extracting(OutboxStore.Pending::lane).containsExactly("slack/T1/C1", "slack/T1/C1");
    b.record(new OutboxStore.Batch(List.of(c2, c1), OptionalLong.empty(), List.of(), List.of(), Map.of(), T0));
    assertThat(b.pending(10)).as("C1 is a's lane; C2 was free").extracting(OutboxStore.Pending::lane)
        .containsExactly("slack/T1/C2");
    assertThat(a.pending(10)).extracting(OutboxStore.Pending::lane)
        .containsExactly("slack/T1/C1", "slack/T1/C1", "slack/T1/C1");
    Set<Long> seen = new HashSet<>();
    a.pending(10).forEach(p -> seen.add(p.id()));
    b.pending(10).forEach(p -> assertThat(seen.add(p.id())).as("never handed to both").isTrue());

    // a stops renewing its lanes (it died); b takes C1 over once the lease lapses, in the order recorded
    clock.set(T0.plus(PostgresDatabase.LEASE).plusSeconds(1));
    assertThat(b.pending(10)).extracting(OutboxStore.Pending::lane)
        .containsExactly("slack/T1/C1", "slack/T1/C1", "slack/T1/C2", "slack/T1/C1");
    assertThat(a.pending(10)).isEmpty();
  }
  private static List<String> texts(List<org.supportbot.core.outbox.Delivery> out) {
    return out.stream().map(d -> d.message().plainText()).toList();
  }

  private static OutboxStore.Batch batch(Outbound... messages) {
    return new OutboxStore.Batch(List.of(messages), OptionalLong.empty(), List.of(), List.of(), Map.of(), T0);
  }

  @Test
  void aFreshMessageIsHandedOutAtOnceOnlyByTheInstanceHoldingItsLane() {
    MutableClock clock = new MutableClock(T0);
    org.supportbot.core.outbox.Outbox a = new org.supportbot.core.outbox.Outbox(new PostgresOutboxStore(database("a"),
        clock), clock, org.supportbot.core.outbox.Backoff.DEFAULT);
    org.supportbot.core.outbox.Outbox b = new org.supportbot.core.outbox.Outbox(new PostgresOutboxStore(database("b"),
        clock), clock, org.supportbot.core.outbox.Backoff.DEFAULT);
    ChatPlace c1 = new ChatPlace("slack", "T1", "C1", "");
    ChatPlace c2 = new ChatPlace("slack", "T1", "C2", "");
    java.util.function.BiFunction<ChatPlace, String, Outbound> msg = (p, t) -> Outbound.toPlace(p,
        Outbound.Kind.REPLY).text(t).build();

    List<org.supportbot.core.outbox.Delivery> one = a.record(batch(msg.apply(c1, "one")));
    assertThat(texts(one)).as("C1 was free: a leases it in the same transaction").containsExactly("one");
    List<org.supportbot.core.outbox.Delivery> byB = b.record(batch(msg.apply(c1, "two"), msg.apply(c2, "three")));
    assertThat(texts(byB)).as("C1 is a's: b leaves it to a").containsExactly("three");
    assertThat(texts(b.due(10))).isEmpty();
    assertThat(texts(a.due(10))).as("a delivers b's message in C1, after its own").containsExactly("two");

    // a dies with "two" in flight; once C1's lease lapses, b records into C1 and takes the lane over: the
    // older message goes first, then the new one, never the new one ahead of it
    one.get(0).sent();
    clock.set(T0.plus(PostgresDatabase.LEASE).plusSeconds(1));
    List<org.supportbot.core.outbox.Delivery> four = b.record(batch(msg.apply(c1, "four")));
    assertThat(texts(four)).as("held behind the older message of its lane").isEmpty();
    List<org.supportbot.core.outbox.Delivery> takenOver = b.due(10);
    assertThat(texts(takenOver)).containsExactly("two", "four");
    assertThat(takenOver.get(0).mayHaveBeenSent()).as("a may have sent it before it died: looked for first").isTrue();
    assertThat(takenOver.get(1).mayHaveBeenSent()).as("recorded by b into its own lane").isFalse();
    assertThat(texts(a.due(10))).as("a coming back holds no lane any more").isEmpty();
  }
  @Test
  void aRunningInstanceTakesOverTheInboxEntriesOfOneThatStoppedRenewingItsLeases() {
    MutableClock clock = new MutableClock(T0);
    InboxStore a = new PostgresInboxStore(database("a"), clock);
    InboxStore b = new PostgresInboxStore(database("b"), clock);
    long id = a.add(said("Ev1"), Optional.empty(), Optional.empty()).id();
    assertThat(b.takeOver("slack", 10)).as("a's lease holds").isEmpty();
    assertThat(a.takeOver("slack", 10)).as("a's own entry is not taken over, only renewed").isEmpty();

    // a renews on its ticks while it lives: 20 s after each renewal the lease still holds
    clock.set(T0.plusSeconds(20));
    a.takeOver("slack", 10);
    clock.set(T0.plusSeconds(40));
    assertThat(b.takeOver("slack", 10)).isEmpty();

    // a dies: 30 s after its last renewal b takes the entry over, once
    clock.set(T0.plusSeconds(20).plus(PostgresDatabase.LEASE).plusMillis(1));
    assertThat(b.takeOver("slack", 10)).extracting(InboxStore.Pending::id).containsExactly(id);
    assertThat(b.takeOver("slack", 10)).as("b holds it now").isEmpty();
    assertThat(a.takeOver("slack", 10)).as("nor does a coming back take it").isEmpty();
    assertThat(a.pending("slack", 10)).isEmpty();
    b.done(id, clock.instant());
    clock.set(clock.instant().plus(PostgresDatabase.LEASE.multipliedBy(2)));
    assertThat(a.takeOver("slack", 10)).isEmpty();
    assertThat(b.takeOver("slack", 10)).isEmpty();
  }
  @Test
  void aStepAnotherInstanceMarkedDoneFirstIsRefusedWithItsMessages() {
    MutableClock clock = new MutableClock(T0);
    OutboxStore a = new PostgresOutboxStore(database("a"), clock);
    OutboxStore b = new PostgresOutboxStore(database("b"), clock);
    Outbound digest = Outbound.toPlace(new ChatPlace("slack", "T1", "C0TRIAGE", ""), Outbound.Kind.NOTICE)
        .text("Daily digest").build();
    a.record(new OutboxStore.Batch(List.of(digest), OptionalLong.empty(), List.of(), List.of(),
        Map.of("digest", "2026-12-01"), T0));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.record(new OutboxStore.Batch(List.of(digest),
        OptionalLong.empty(), List.of(), List.of(), Map.of("digest", "2026-12-01"), T0)))
        .isInstanceOf(org.supportbot.core.store.WrittenElsewhereException.class)
        .hasMessageContaining("mark digest is at 2026-12-01 already");
    assertThat(a.pendingCount()).as("the digest once").isEqualTo(1);
    b.record(new OutboxStore.Batch(List.of(digest), OptionalLong.empty(), List.of(), List.of(),
        Map.of("digest", "2026-12-02"), T0));
    assertThat(a.pendingCount()).as("the next day's").isEqualTo(2);
  }
}
