package org.supportbot.bench.incident;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.Directory;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.Actor;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.MessageRef;
import org.supportbot.core.incident.Origin;
import org.supportbot.core.incident.TimerPlan;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.JdbcDirectoryStore;
import org.supportbot.core.store.sqlite.SqliteIncidentStore;
import org.supportbot.core.store.sqlite.SqliteTimerStore;
import org.supportbot.core.timer.TimerScheduler;
import org.supportbot.core.time.ManualClock;

/**
 * Load harness of the incident desk on a real SQLite file (not JMH: each phase is a one-shot
 * measurement of a durable system, where JMH's repeated invocations would measure a growing file).
 *
 * <ol>
 *   <li><b>filings</b>: {@code N} Atomrock S1 filings through {@link IncidentDesk#handle} from one
 *       caller, each its own committed transaction (idempotency check, event, snapshot, 4 timers,
 *       outcome); then {@code N} more from 8 concurrent callers, which the desk group-commits;
 *       filings per second.
 *   <li><b>firings</b>: the clock jumps 5 hours so all {@code 8 N} warning and breach timers are
 *       due; the scheduler fires them in batches of 500 per transaction; firings per second.
 *   <li><b>restart</b>: a database with 100,000 pending timers (25,000 cases) is closed and
 *       reopened; time from open (with Flyway validation) to the first due batch fired.
 *   <li><b>lateness</b>: on the system clock, 2,000 cases are back-dated so their breaches fall due
 *       over 10 s starting 20 s later (their earlier warnings are overdue and fired first); the
 *       background scheduler fires the breaches; lateness = when the listener saw the breach minus
 *       its deadline, p50/p99/max.
 * </ol>
 *
 * <p>Run: {@code ./mvnw -B -ntp -Pbenchmarks -pl benchmarks -am package -DskipTests &&
 * $JAVA_HOME/bin/java -cp benchmarks/target/benchmarks.jar org.supportbot.bench.incident.IncidentLoadHarness
 * [filings=20000] [durability=NORMAL|FULL] [dir=target/load]}
 */
public final class IncidentLoadHarness {
  private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");
  private static final PolicyCatalog CATALOG = catalog();

  private IncidentLoadHarness() {}

  /** One desk on one file. */
  record Rig(SqliteDatabase db, SqliteTimerStore timers, IncidentDesk desk, Organization org, Identity reporter,
      AutoCloseable closer) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      closer.close();
    }
  }

  static Rig rig(Path file, SqliteDatabase.Durability durability, Clock clock, IncidentDesk.Listener listener) {
    SqliteDatabase db = SqliteDatabase.open(file, durability);
    SqliteTimerStore timers = new SqliteTimerStore(db);
    Directory directory = new Directory(JdbcDirectoryStore.owned(db), CATALOG::get);
    Organization org = Organization.of("acme", "ACME", "Acme", "atomrock").withLicences(10, 0);
    Identity reporter = new Identity("slack", "T1", "U1");
    directory.register(org);
    directory.addContact(new Contact(org.id(), reporter, "Reporter"));
    IncidentDesk desk = new IncidentDesk(new SqliteIncidentStore(db), timers, directory, CATALOG::get,
        new TimerPlan(List.of(50, 75, 90)), clock, listener);
    return new Rig(db, timers, desk, org, reporter, db::close);
  }

  static IncidentCommand.File filing(Rig rig, String key, Instant at) {
    Origin o = new Origin(key, Actor.customer(rig.reporter()), at, Optional.of(new MessageRef("slack", "C1", key)));
    return new IncidentCommand.File(o, rig.org().id(), new ChatPlace("slack", "T1", "C1", key), "S1", "defect",
        "Edge", "2.1.0", "load " + key, Map.of("description", "d", "expected_result", "e", "steps_to_reproduce", "s",
            "error_messages", "none", "reproducible", "yes"));
  }

  public static void main(String[] args) throws Exception {
    int filings = 20_000;
    SqliteDatabase.Durability durability = SqliteDatabase.Durability.NORMAL;
    Path dir = Path.of("target", "load");
    for (String a : args) {
      String[] kv = a.split("=", 2);
      switch (kv[0]) {
        case "filings" -> filings = Integer.parseInt(kv[1]);
        case "durability" -> durability = SqliteDatabase.Durability.valueOf(kv[1]);
        case "dir" -> dir = Path.of(kv[1]);
        default -> throw new IllegalArgumentException("unknown argument " + a + "; use filings=N, durability=NORMAL|FULL,"
            + " dir=PATH");
      }
    }
    Files.createDirectories(dir);
    System.out.printf("machine: %d cores, JDK %s, durability %s%n", Runtime.getRuntime().availableProcessors(),
        Runtime.version(), durability);
    filingsAndFirings(dir.resolve("filings.db"), filings, durability);
    restart(dir.resolve("restart.db"), durability);
    // lateness is measured against real time: the one place the harness reads the wall clock
    lateness(dir.resolve("lateness.db"), durability, Clock.systemUTC());
  }

  private static void filingsAndFirings(Path file, int n, SqliteDatabase.Durability durability) throws Exception {
    delete(file);
    ManualClock clock = new ManualClock(T0);
    AtomicInteger fired = new AtomicInteger();
    try (Rig rig = rig(file, durability, clock, events -> fired.addAndGet(events.size()))) {
      for (int i = 0; i < 500; i++) {
        rig.desk().handle(filing(rig, "warm-" + i, T0));
      }
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        IncidentOutcome out = rig.desk().handle(filing(rig, "load-" + i, T0));
        if (!(out instanceof IncidentOutcome.Filed)) {
          throw new IllegalStateException("filing refused: " + out);
        }
      }
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf("filings, 1 caller: %d durable filings in %.2f s = %.0f filings/s (one transaction each)%n",
          n, secs, n / secs);
      int callers = 8;
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(callers);
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      start = System.nanoTime();
      for (int c = 0; c < callers; c++) {
        int from = c;
        done.add(pool.submit(() -> {
          for (int i = from; i < n; i += callers) {
            IncidentOutcome out = rig.desk().handle(filing(rig, "conc-" + i, T0));
            if (!(out instanceof IncidentOutcome.Filed)) {
              throw new IllegalStateException("filing refused: " + out);
            }
          }
        }));
      }
      for (java.util.concurrent.Future<?> d : done) {
        d.get();
      }
      pool.shutdown();
      secs = (System.nanoTime() - start) / 1e9;
      System.out.printf("filings, %d concurrent callers: %d durable filings in %.2f s = %.0f filings/s (group commit)%n",
          callers, n, secs, n / secs);
      long pending = rig.timers().pending();
      clock.set(T0.plus(Duration.ofHours(5)));
      TimerScheduler scheduler = new TimerScheduler(rig.desk(), clock, Duration.ofSeconds(1), 500);
      fired.set(0);
      start = System.nanoTime();
      int count = scheduler.runDue();
      secs = (System.nanoTime() - start) / 1e9;
      System.out.printf("firings: %d of %d pending timers (%d cases) fired in %.2f s = %.0f firings/s (batches of 500)%n", count,
          pending, 2 * n + 500, secs, count / secs);
    }
  }

  private static void restart(Path file, SqliteDatabase.Durability durability) throws Exception {
    delete(file);
    ManualClock clock = new ManualClock(T0);
    try (Rig rig = rig(file, durability, clock, events -> { })) {
      for (int i = 0; i < 25_000; i++) {
        rig.desk().handle(filing(rig, "r-" + i, T0.plusSeconds(i)));
      }
      System.out.printf("restart: %d pending timers written%n", rig.timers().pending());
    }
    clock.set(T0.plus(Duration.ofHours(2)).plusSeconds(10));
    long start = System.nanoTime();
    try (Rig rig = rig(file, durability, clock, events -> { })) {
      TimerScheduler scheduler = new TimerScheduler(rig.desk(), clock, Duration.ofSeconds(1), 500);
      Optional<Instant> next = rig.desk().nextDue();
      int fired = rig.desk().fireDue(clock.instant(), 500);
      double ms = (System.nanoTime() - start) / 1e6;
      System.out.printf("restart: open + migrate check + next due (%s) + first batch (%d fired) in %.0f ms;"
          + " %d timers pending%n", next.orElseThrow(), fired, ms, rig.timers().pending());
      scheduler.close();
    }
  }

  private static void lateness(Path file, SqliteDatabase.Durability durability, Clock system) throws Exception {
    delete(file);
    int n = 2_000;
    List<Long> lateMs = java.util.Collections.synchronizedList(new ArrayList<>());
    Instant[] window = new Instant[1];
    try (Rig rig = rig(file, durability, system, events -> {
      Instant seen = system.instant();
      for (IncidentEvent e : events) {
        if (e instanceof IncidentEvent.SlaBreached b && window[0] != null && b.deadline().isAfter(window[0])) {
          lateMs.add(Duration.between(b.deadline(), seen).toMillis());
        }
      }
    })) {
      // S1 is 4 hours on a 24/7 calendar: a case filed 4 h - x ago breaches x from now. The breaches
      // fall due over 10 s starting 20 s from now, after the filing and the overdue warnings are done.
      Instant base = system.instant().plusSeconds(20).minus(Duration.ofHours(4));
      for (int i = 0; i < n; i++) {
        rig.desk().handle(filing(rig, "late-" + i, base.plusMillis(i * 5L)));
      }
      try (TimerScheduler scheduler = new TimerScheduler(rig.desk(), system, Duration.ofSeconds(1), 500)) {
        int overdue = scheduler.runDue();
        window[0] = system.instant();
        System.out.printf("lateness: %d overdue warnings fired first; breaches due from %s%n", overdue,
            base.plus(Duration.ofHours(4)));
        scheduler.start();
        Instant until = base.plus(Duration.ofHours(4)).plusMillis(n * 5L).plusSeconds(3);
        while (system.instant().isBefore(until)) {
          Thread.sleep(100);
        }
      }
    }
    long[] late = lateMs.stream().mapToLong(Long::longValue).sorted().toArray();
    if (late.length == 0) {
      System.out.println("lateness: no breach fell due after the scheduler started; raise the lead time");
      return;
    }
    System.out.printf("lateness: %d breaches fired by the background scheduler; p50 %d ms, p99 %d ms, max %d ms,"
        + " min %d ms (never early: %s)%n", late.length, late[late.length / 2], late[(int) (late.length * 0.99)],
        late[late.length - 1], late[0], late[0] >= 0);
    if (Arrays.stream(late).anyMatch(l -> l < 0)) {
      throw new IllegalStateException("a timer fired early");
    }
  }

  private static void delete(Path file) throws Exception {
    for (String suffix : List.of("", "-wal", "-shm")) {
      Files.deleteIfExists(Path.of(file + suffix));
    }
  }

  private static PolicyCatalog catalog() {
    try {
      return PolicyCatalog.bundled();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
