package org.supportbot.core.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.supportbot.config.settings.PostgresLocation;
import org.supportbot.core.chatstate.ConversationStore;
import org.supportbot.core.directory.DirectoryStore;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.inbox.InboxStore;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.outbox.OutboxStore;
import org.supportbot.core.store.ChangeSet;
import org.supportbot.core.store.DeskStores;
import org.supportbot.core.store.IncidentStore;
import org.supportbot.core.testing.DeskFixture;
import org.supportbot.core.testing.PostgresCluster;
import org.supportbot.core.timer.TimerStore;

/**
 * Two incident desks (two instances, each with its own pool, lease name and cache) on one real PostgreSQL
 * database: incident numbers are never given twice, a command decided from a read another instance
 * overtook is decided again instead of failing, a cached case another instance changed is read again, and a
 * command delivered to both instances has one effect. The interleavings are made exact by running the other
 * instance's command inside this one's commit, just before it writes; the concurrent test below only adds
 * load. Its waits only stop a hung test; nothing is timed.
 */
class PostgresSharedDeskTest {
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

  /** Runs once, inside the next commit of the instance it is set on, before that commit writes. */
  private static final class BeforeCommit {
    final AtomicReference<Runnable> next = new AtomicReference<>();
  }

  private DeskFixture instance(String name) {
    return instance(name, new BeforeCommit());
  }

  private DeskFixture instance(String name, BeforeCommit hook) {
    DeskFixture f = new DeskFixture(clock -> hooked(new PostgresDeskStores(PostgresDatabase.open(desk,
        Optional.of(pg.password()), Optional.of(name)), clock), hook), T0);
    open.add(f);
    return f;
  }

  /** {@code stores} whose incident store first runs the hook's pending work on commit. */
  private static DeskStores hooked(PostgresDeskStores stores, BeforeCommit hook) {
    IncidentStore real = stores.incidents();
    IncidentStore incidents = new IncidentStore() {
      @Override
      public Optional<IncidentSnapshot> snapshot(IncidentNumber number) {
        return real.snapshot(number);
      }

      @Override
      public List<IncidentSnapshot> openAt(ChatPlace place) {
        return real.openAt(place);
      }

      @Override
      public List<IncidentSnapshot> openFor(String organizationId) {
        return real.openFor(organizationId);
      }

      @Override
      public List<IncidentSnapshot> queue(int limit) {
        return real.queue(limit);
      }

      @Override
      public List<IncidentSnapshot> claimedBy(org.supportbot.core.directory.Identity engineer) {
        return real.claimedBy(engineer);
      }

      @Override
      public int freeTasksUsed(String organizationId) {
        return real.freeTasksUsed(organizationId);
      }

      @Override
      public List<IncidentEvent> events(IncidentNumber number) {
        return real.events(number);
      }

      @Override
      public List<Logged> eventsAfter(long afterId, int limit) {
        return real.eventsAfter(afterId, limit);
      }

      @Override
      public Optional<IncidentOutcome> outcome(String idempotencyKey) {
        return real.outcome(idempotencyKey);
      }

      @Override
      public int lastNumber(String orgKey) {
        return real.lastNumber(orgKey);
      }

      @Override
      public long eventCount(IncidentNumber number) {
        return real.eventCount(number);
      }

      @Override
      public boolean shared() {
        return real.shared();
      }

      @Override
      public void commit(ChangeSet changes) {
        Runnable first = hook.next.getAndSet(null);
        if (first != null) {
          first.run();
        }
        real.commit(changes);
      }
    };
    return new DeskStores() {
      @Override
      public IncidentStore incidents() {
        return incidents;
      }

      @Override
      public TimerStore timers() {
        return stores.timers();
      }

      @Override
      public OutboxStore outbox() {
        return stores.outbox();
      }

      @Override
      public InboxStore inbox() {
        return stores.inbox();
      }

      @Override
      public ConversationStore conversations() {
        return stores.conversations();
      }

      @Override
      public DirectoryStore directory() {
        return stores.directory();
      }

      @Override
      public String where() {
        return stores.where();
      }

      @Override
      public void close() {
        stores.close();
      }
    };
  }

  @Test
  void aFilingThatAnotherInstanceOvertookGetsTheNextNumberInsteadOfFailing() {
    BeforeCommit hook = new BeforeCommit();
    DeskFixture a = instance("a", hook);
    DeskFixture b = instance("b");
    Organization acme = a.organization("ACME", "atheer");
    IncidentNumber first = a.file(acme, a.catalogSeverity("atheer"), a.catalogCategory("atheer"));
    assertThat(first.toString()).isEqualTo("ACME-1");

    // a decides its filing as ACME-2; before it commits, b files ACME-2
    List<IncidentNumber> byB = new ArrayList<>();
    hook.next.set(() -> byB.add(b.file(acme, b.catalogSeverity("atheer"), b.catalogCategory("atheer"))));
    IncidentNumber byA = a.file(acme, a.catalogSeverity("atheer"), a.catalogCategory("atheer"));

    assertThat(byB).extracting(IncidentNumber::toString).containsExactly("ACME-2");
    assertThat(byA.toString()).isEqualTo("ACME-3");
    assertThat(a.desk.retriedAfterConflict()).as("decided once more").isEqualTo(1);
    assertThat(a.store.events(byA)).hasSize(1);
    assertThat(a.store.events(byB.get(0))).hasSize(1);
    // and the next filing on either instance reads the number from the database, not from memory
    assertThat(b.file(acme, b.catalogSeverity("atheer"), b.catalogCategory("atheer")).toString()).isEqualTo("ACME-4");
    assertThat(a.file(acme, a.catalogSeverity("atheer"), a.catalogCategory("atheer")).toString()).isEqualTo("ACME-5");
  }

  @Test
  void aCommandDecidedFromACaseAnotherInstanceChangedIsDecidedAgainInOrder() {
    BeforeCommit hook = new BeforeCommit();
    DeskFixture a = instance("a", hook);
    DeskFixture b = instance("b");
    Organization acme = a.organization("ACME", "atheer");
    IncidentNumber n = a.file(acme, a.catalogSeverity("atheer"), a.catalogCategory("atheer"));

    // a decides an acknowledgement at position 2 of the log; b writes a customer reply there first
    List<IncidentOutcome> byB = new ArrayList<>();
    hook.next.set(() -> byB.add(b.desk.handle(new IncidentCommand.CustomerReply(b.customer(), n, "any news?"))));
    IncidentOutcome byA = a.desk.handle(new IncidentCommand.Acknowledge(a.vendor(), n, "looking at it"));

    assertThat(byB).singleElement().isInstanceOf(IncidentOutcome.Changed.class);
    assertThat(byA).isInstanceOf(IncidentOutcome.Changed.class);
    assertThat(a.desk.retriedAfterConflict()).isEqualTo(1);
    assertThat(a.store.events(n)).extracting(e -> e.getClass().getSimpleName())
        .containsExactly("Filed", "CustomerReplied", "Acknowledged");
    assertThat(a.desk.rebuild(n).orElseThrow().snapshot()).isEqualTo(a.store.snapshot(n).orElseThrow());
  }

  @Test
  void aCachedCaseThatAnotherInstanceChangedIsReadAgainBeforeDeciding() {
    DeskFixture a = instance("a");
    DeskFixture b = instance("b");
    Organization acme = a.organization("ACME", "atheer");
    IncidentNumber n = a.file(acme, a.catalogSeverity("atheer"), a.catalogCategory("atheer"));
    assertThat(a.desk.handle(new IncidentCommand.Claim(a.vendor(), n))).isInstanceOf(IncidentOutcome.Claimed.class);

    // b releases the claim; a's cache still holds the case as claimed by the first engineer
    assertThat(b.desk.handle(new IncidentCommand.Unclaim(b.vendor(), n))).isInstanceOf(IncidentOutcome.Changed.class);
    IncidentOutcome second = a.desk.handle(new IncidentCommand.Claim(a.origin(
        org.supportbot.core.incident.Actor.engineer(a.engineer2)), n));

    assertThat(second).as("not refused as held from a stale cache").isEqualTo(new IncidentOutcome.Claimed(n,
        a.engineer2));
    assertThat(a.desk.retriedAfterConflict()).as("the fresh read made a retry unnecessary").isZero();
  }

  @Test
  void aCommandDeliveredToTwoInstancesAtOnceHasOneEffect() {
    BeforeCommit hook = new BeforeCommit();
    DeskFixture a = instance("a", hook);
    DeskFixture b = instance("b");
    Organization acme = a.organization("ACME", "atheer");
    IncidentNumber n = a.file(acme, a.catalogSeverity("atheer"), a.catalogCategory("atheer"));

    // Slack retried the same event to b while a was deciding it
    IncidentCommand reply = new IncidentCommand.CustomerReply(a.customer(), n, "it fails again");
    List<IncidentOutcome> byB = new ArrayList<>();
    hook.next.set(() -> byB.add(b.desk.handle(reply)));
    IncidentOutcome byA = a.desk.handle(reply);

    assertThat(byA).isEqualTo(byB.get(0));
    assertThat(a.store.events(n)).extracting(e -> e.getClass().getSimpleName())
        .containsExactly("Filed", "CustomerReplied");
  }

  @Test
  void twoInstancesFilingAndChangingOneOrganizationsCasesAtOnceLoseNothing() throws Exception {
    DeskFixture a = instance("a");
    DeskFixture b = instance("b");
    Organization acme = a.organization("ACME", "atheer");
    IncidentNumber shared = a.file(acme, a.catalogSeverity("atheer"), a.catalogCategory("atheer"));
    int each = 30;
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<CompletableFuture<List<IncidentOutcome>>> runs = new ArrayList<>();
      for (DeskFixture f : List.of(a, b)) {
        runs.add(CompletableFuture.supplyAsync(() -> {
          try {
            together.await(60, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          List<IncidentOutcome> out = new ArrayList<>();
          for (int i = 0; i < each; i++) {
            out.add(f.desk.handle(f.fileCommand(acme, f.catalogSeverity("atheer"), f.catalogCategory("atheer"))));
            out.add(f.desk.handle(new IncidentCommand.CustomerReply(f.customer(), shared, "update " + i)));
          }
          return out;
        }, pool));
      }
      List<IncidentOutcome> all = new ArrayList<>(runs.get(0).get(120, TimeUnit.SECONDS));
      all.addAll(runs.get(1).get(120, TimeUnit.SECONDS));

      Set<String> numbers = new HashSet<>();
      all.stream().filter(o -> o instanceof IncidentOutcome.Filed).forEach(o ->
          assertThat(numbers.add(((IncidentOutcome.Filed) o).incident().toString())).as("never given twice").isTrue());
      assertThat(numbers).hasSize(2 * each);
      Set<String> expected = new HashSet<>();
      for (int i = 2; i <= 2 * each + 1; i++) {
        expected.add("ACME-" + i);
      }
      assertThat(numbers).isEqualTo(expected);
      assertThat(all).filteredOn(o -> o instanceof IncidentOutcome.Changed).hasSize(2 * each);
      List<IncidentEvent> log = a.store.events(shared);
      assertThat(log).hasSize(1 + 2 * each);
      assertThat(a.desk.rebuild(shared).orElseThrow().snapshot()).isEqualTo(b.store.snapshot(shared).orElseThrow());
    } finally {
      pool.shutdownNow();
    }
  }

  private DeskFixture plain(String name) {
    DeskFixture f = new DeskFixture(clock -> new PostgresDeskStores(PostgresDatabase.open(desk,
        Optional.of(pg.password()), Optional.of(name)), clock), T0);
    open.add(f);
    return f;
  }

  @Test
  void aFilingWaitsWhileAnotherInstanceNumbersItsFilings() throws Exception {
    DeskFixture a = plain("a");
    DeskFixture b = plain("b");
    Organization acme = a.organization("ACME", "atheer");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      CompletableFuture<IncidentNumber> byA = b.store.exclusive("incident-numbers", () -> {
        CompletableFuture<IncidentNumber> filing = CompletableFuture.supplyAsync(
            () -> a.file(acme, a.catalogSeverity("atheer"), a.catalogCategory("atheer")), pool);
        // a's filing waits for the numbering lock b holds (seen in pg_locks), and has not been written
        while (advisoryWaits() == 0 && !filing.isDone()) {
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        }
        assertThat(filing).isNotDone();
        assertThat(a.store.lastNumber("ACME")).isZero();
        return filing;
      });
      assertThat(byA.get(60, TimeUnit.SECONDS).toString()).isEqualTo("ACME-1");
      assertThat(a.desk.retriedAfterConflict()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  private int advisoryWaits() {
    try (var c = pg.connect(desk.database()); var s = c.createStatement();
        var r = s.executeQuery("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) {
      r.next();
      return r.getInt(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void threeInstancesFilingForOneOrganizationAtOnceNeverDecideAFilingAgain() throws Exception {
    List<DeskFixture> instances = List.of(plain("a"), plain("b"), plain("c"));
    Organization acme = instances.get(0).organization("ACME", "atheer");
    int callers = 3;
    int each = 15;
    CyclicBarrier together = new CyclicBarrier(instances.size() * callers);
    ExecutorService pool = Executors.newFixedThreadPool(instances.size() * callers);
    try {
      List<CompletableFuture<List<IncidentOutcome>>> runs = new ArrayList<>();
      for (DeskFixture f : instances) {
        for (int c = 0; c < callers; c++) {
          runs.add(CompletableFuture.supplyAsync(() -> {
            try {
              together.await(60, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            List<IncidentOutcome> out = new ArrayList<>();
            for (int i = 0; i < each; i++) {
              out.add(f.desk.handle(f.fileCommand(acme, f.catalogSeverity("atheer"), f.catalogCategory("atheer"))));
            }
            return out;
          }, pool));
        }
      }
      Set<String> numbers = new HashSet<>();
      for (CompletableFuture<List<IncidentOutcome>> run : runs) {
        for (IncidentOutcome o : run.get(120, TimeUnit.SECONDS)) {
          assertThat(o).isInstanceOf(IncidentOutcome.Filed.class);
          assertThat(numbers.add(((IncidentOutcome.Filed) o).incident().toString())).as("never given twice").isTrue();
        }
      }
      Set<String> expected = new HashSet<>();
      for (int i = 1; i <= instances.size() * callers * each; i++) {
        expected.add("ACME-" + i);
      }
      assertThat(numbers).isEqualTo(expected);
      assertThat(instances).as("numbered one instance at a time: no filing decided again")
          .allSatisfy(f -> assertThat(f.desk.retriedAfterConflict()).isZero());
    } finally {
      pool.shutdownNow();
    }
  }
}
