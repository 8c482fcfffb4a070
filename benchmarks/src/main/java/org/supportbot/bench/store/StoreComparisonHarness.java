package org.supportbot.bench.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.config.settings.PostgresLocation;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.Directory;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.Actor;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.MessageRef;
import org.supportbot.core.incident.Origin;
import org.supportbot.core.incident.TimerPlan;
import org.supportbot.core.store.DeskStores;
import org.supportbot.core.store.postgres.PostgresDatabase;
import org.supportbot.core.store.postgres.PostgresDeskStores;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.sqlite.SqliteDeskStores;
import org.supportbot.core.time.ManualClock;

/**
 * The incident desk on SQLite and on PostgreSQL, side by side (not JMH: one-shot measurements of a durable
 * store that grows): durable filings per second from 1 caller on one instance and from 8 callers spread
 * over the instances (one organization, so their numbers contend), commands per second (customer replies
 * to those cases from 8 callers spread over the instances, so cases contend), then the timer firings per
 * second of one instance, and, on PostgreSQL, of three instances (three connection pools, three lease
 * names) firing one database's due timers at once (timers are leased by case, so they never fire a timer
 * twice; the test {@code PostgresInstancesTest} checks that). Prints how often a batch was decided again
 * because another instance wrote its case or number first.
 *
 * <p>The PostgreSQL database must be empty; the harness works in schemas {@code bench_*} it creates and
 * drops. Run: {@code ./mvnw -B -ntp -Pbenchmarks -pl benchmarks -am package -DskipTests &&
 * SUPPORTBOT_DB_PASSWORD=... $JAVA_HOME/bin/java -cp benchmarks/target/benchmarks.jar
 * org.supportbot.bench.store.StoreComparisonHarness pg=postgresql://127.0.0.1:5432/bench?user=bench
 * [filings=5000] [dir=target/store-compare]}
 */
public final class StoreComparisonHarness {
  private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");

  private StoreComparisonHarness() {}

  private record Desk(DeskStores stores, IncidentDesk desk, Organization org, Identity reporter) implements
      AutoCloseable {
    @Override
    public void close() {
      stores.close();
    }
  }

  private static Desk desk(DeskStores stores, Clock clock, PolicyCatalog catalog, boolean register) {
    Directory directory = new Directory(stores.directory(), catalog::get);
    Organization org = Organization.of("acme", "ACME", "Acme", "atomrock").withLicences(10, 0);
    Identity reporter = new Identity("slack", "T1", "U1");
    if (register) {
      directory.register(org);
      directory.addContact(new Contact(org.id(), reporter, "Reporter"));
    }
    IncidentDesk desk = new IncidentDesk(stores.incidents(), stores.timers(), directory, catalog::get,
        new TimerPlan(List.of(50, 75, 90)), clock, events -> { });
    return new Desk(stores, desk, org, reporter);
  }

  private static IncidentCommand.File filing(Desk d, String key) {
    Origin o = new Origin(key, Actor.customer(d.reporter()), T0, Optional.of(new MessageRef("slack", "C1", key)));
    return new IncidentCommand.File(o, d.org().id(), new ChatPlace("slack", "T1", "C1", key), "S1", "defect",
        "Edge", "2.1.0", "load " + key, Map.of("description", "d", "expected_result", "e", "steps_to_reproduce", "s",
            "error_messages", "none", "reproducible", "yes"));
  }

  public static void main(String[] args) throws Exception {
    int filings = 5_000;
    Optional<PostgresLocation> pg = Optional.empty();
    Path dir = Path.of("target", "store-compare");
    for (String a : args) {
      String[] kv = a.split("=", 2);
      switch (kv[0]) {
        case "filings" -> filings = Integer.parseInt(kv[1]);
        case "pg" -> pg = Optional.of(PostgresLocation.parse(kv[1]));
        case "dir" -> dir = Path.of(kv[1]);
        default -> throw new IllegalArgumentException("unknown argument " + a + "; use filings=N,"
            + " pg=postgresql://host:port/db?user=NAME, dir=PATH");
      }
    }
    PolicyCatalog catalog = PolicyCatalog.bundled();
    Files.createDirectories(dir);
    System.out.printf("machine: %d cores, JDK %s; %d filings per phase%n", Runtime.getRuntime().availableProcessors(),
        Runtime.version(), filings);
    Path file = dir.resolve("compare.db");
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir.resolve("compare.db-wal"));
    Files.deleteIfExists(dir.resolve("compare.db-shm"));
    run("SQLite (WAL, synchronous=NORMAL)", filings, 1, catalog,
        clock -> new SqliteDeskStores(SqliteDatabase.open(file, SqliteDatabase.Durability.NORMAL), clock));
    if (pg.isPresent()) {
      PostgresLocation base = pg.get();
      Optional<String> password = PostgresLocation.password(System.getenv());
      for (int instances : new int[] {1, 3}) {
        String schema = "bench_" + instances;
        sql(base, password, "DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
        Map<String, String> options = new HashMap<>(base.options());
        options.put("currentSchema", schema);
        PostgresLocation in = new PostgresLocation(base.host(), base.port(), base.database(), base.user(), options);
        int[] n = {0};
        run("PostgreSQL " + in.host() + ":" + in.port() + ", " + instances + " instance(s)", filings, instances, catalog,
            clock -> new PostgresDeskStores(PostgresDatabase.open(in, password, Optional.of("bench-" + (n[0]++))),
                clock));
        sql(base, password, "DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  private static void sql(PostgresLocation l, Optional<String> password, String sql) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", l.user());
    password.ifPresent(pw -> p.setProperty("password", pw));
    try (Connection c = DriverManager.getConnection(l.jdbcUrl(), p); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Filings from 1 and 8 callers on the first instance, then firings by {@code instances} instances at once. */
  private static void run(String name, int n, int instances, PolicyCatalog catalog,
      Function<Clock, DeskStores> open) throws Exception {
    ManualClock clock = new ManualClock(T0);
    List<Desk> desks = new ArrayList<>();
    try {
      for (int i = 0; i < instances; i++) {
        desks.add(desk(open.apply(clock), clock, catalog, i == 0));
      }
      Desk first = desks.getFirst();
      if (instances == 1) {
        for (int i = 0; i < 200; i++) {
          first.desk().handle(filing(first, "warm-" + i));
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          expectFiled(first.desk().handle(filing(first, "one-" + i)));
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s: filings, 1 caller: %d in %.2f s = %.0f filings/s%n", name, n, secs, n / secs);
      }
      int callers = 8;
      ExecutorService pool = Executors.newFixedThreadPool(callers);
      List<Future<?>> done = new ArrayList<>();
      List<IncidentNumber> filed = java.util.Collections.synchronizedList(new ArrayList<>());
      long start = System.nanoTime();
      for (int c = 0; c < callers; c++) {
        int from = c;
        Desk at = desks.get(c % instances); // the callers spread over the instances, as a load balancer would
        done.add(pool.submit(() -> {
          for (int i = from; i < n; i += callers) {
            filed.add(expectFiled(at.desk().handle(filing(at, "conc-" + i))));
          }
        }));
      }
      for (Future<?> d : done) {
        d.get();
      }
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf("%s: filings, %d callers over %d instance(s), one organization: %d in %.2f s = %.0f filings/s;"
          + " decided again after another instance wrote first: %d%n", name, callers, instances, n, secs, n / secs,
          retries(desks));

      // commands: customer replies to the cases just filed, each case from several callers (and instances)
      long retriedBefore = retries(desks);
      done.clear();
      start = System.nanoTime();
      for (int c = 0; c < callers; c++) {
        int from = c;
        Desk at = desks.get(c % instances);
        done.add(pool.submit(() -> {
          for (int i = from; i < n; i += callers) {
            IncidentNumber on = filed.get((i * 7) % filed.size());
            Origin o = new Origin("reply-" + i, Actor.customer(at.reporter()), T0, Optional.empty());
            IncidentOutcome out = at.desk().handle(new IncidentCommand.CustomerReply(o, on, "still failing " + i));
            if (!(out instanceof IncidentOutcome.Changed)) {
              throw new IllegalStateException("reply refused: " + out);
            }
          }
        }));
      }
      for (Future<?> d : done) {
        d.get();
      }
      secs = (System.nanoTime() - start) / 1e9;
      System.out.printf("%s: commands (customer replies), %d callers over %d instance(s): %d in %.2f s = %.0f"
          + " commands/s; decided again: %d%n", name, callers, instances, n, secs, n / secs,
          retries(desks) - retriedBefore);
      long pending = first.stores().timers().pending();
      clock.set(T0.plus(Duration.ofHours(5)));
      long due = first.stores().timers().dueBy(clock.instant());
      List<Future<Integer>> firing = new ArrayList<>();
      start = System.nanoTime();
      for (Desk d : desks) {
        firing.add(pool.submit(() -> {
          int fired = 0;
          for (int f; (f = d.desk().fireDue(clock.instant(), 500)) > 0; ) {
            fired += f;
          }
          return fired;
        }));
      }
      int fired = 0;
      List<Integer> each = new ArrayList<>();
      for (Future<Integer> f : firing) {
        each.add(f.get());
        fired += each.getLast();
      }
      secs = (System.nanoTime() - start) / 1e9;
      pool.shutdown();
      long left = first.stores().timers().dueBy(clock.instant());
      System.out.printf("%s: firings, %d instance(s): %d of %d due (%d pending) in %.2f s = %.0f firings/s;"
          + " per instance %s; %d left unfired%n", name, instances, fired, due, pending, secs, fired / secs, each, left);
    } finally {
      for (Desk d : desks) {
        d.close();
      }
    }
  }

  private static IncidentNumber expectFiled(IncidentOutcome out) {
    if (!(out instanceof IncidentOutcome.Filed f)) {
      throw new IllegalStateException("filing refused: " + out);
    }
    return f.incident();
  }

  private static long retries(List<Desk> desks) {
    return desks.stream().mapToLong(d -> d.desk().retriedAfterConflict()).sum();
  }
}
