package org.supportbot.bench.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.MessageRef;
import org.supportbot.core.incident.Origin;
import org.supportbot.core.incident.TimerPlan;
import org.supportbot.core.store.postgres.PostgresDatabase;
import org.supportbot.core.store.postgres.PostgresDeskStores;
import org.supportbot.core.timer.Timer;

/**
 * Lateness of many pending timers fired by several instances on one PostgreSQL database, on the real clock.
 *
 * <p>Three incident desks in this one JVM, each with its own connection pool and lease name (as three
 * {@code supportbot run} processes would have; what is not here is the rendering of the fired events into the
 * outbox and the HTTP serving of a {@code run} process). Each desk fires its due timers the way
 * {@code supportbot run}'s ticker does: everything due, 500 timers per transaction, then it pauses until the next
 * timer is due, at least 100 ms and at most 1 s.
 *
 * <ol>
 *   <li><b>seed</b>: {@code timers / 4} S1 cases of the Atomrock policy with its first-response target shortened
 *       to {@code target} minutes (each case has 4 timers: warnings at 50, 75, 90% and the breach), filed by 8
 *       callers on the first desk, back-dated so that the first timer falls due {@code lead} seconds after
 *       the seeding starts and the last {@code lead + spread + target / 2} later;
 *   <li><b>fire</b>: the three desks fire while the timers fall due; lateness = the instant the firing's commit
 *       returned (seen by the desk's listener) minus the timer's due instant, p50/p99/max; every timer must fire
 *       exactly once (per key, across the desks) and none may be left unfired;
 *   <li><b>kill</b> ({@code kill=true}): halfway through, desk 3 leases the due timers of 50 cases and then
 *       stops without firing them or releasing anything (its pool is closed), as a {@code kill -9}ed instance
 *       leaves its leases; takeover = the instant another desk fired one of them minus the later of its due
 *       instant and the death. Lateness is then printed without these timers too.
 * </ol>
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar org.supportbot.bench.store.TimerLatenessHarness
 * pg=postgresql://127.0.0.1:55491/bench?user=bench [timers=100000] [instances=3] [target=12] [lead=210]
 * [spread=120] [kill=false]} (password, if any, from {@code SUPPORTBOT_DB_PASSWORD}); the harness works in a
 * schema {@code lateness} it creates and drops.
 */
public final class TimerLatenessHarness {
  private static final Identity REPORTER = new Identity("slack", "T1", "U1");

  private TimerLatenessHarness() {}

  private record Desk(String name, PostgresDeskStores stores, IncidentDesk desk) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (String a : args) {
      String[] kv = a.split("=", 2);
      if (kv.length != 2 || !Set.of("pg", "timers", "instances", "target", "lead", "spread", "kill").contains(kv[0])) {
        throw new IllegalArgumentException("unknown argument " + a + "; use pg=postgresql://host:port/db?user=NAME,"
            + " timers=N, instances=N, target=MINUTES, lead=SECONDS, spread=SECONDS, kill=true|false");
      }
      o.put(kv[0], kv[1]);
    }
    if (!o.containsKey("pg")) {
      throw new IllegalArgumentException("pg=postgresql://host:port/db?user=NAME is required");
    }
    PostgresLocation base = PostgresLocation.parse(o.get("pg"));
    Optional<String> password = PostgresLocation.password(System.getenv());
    int timers = Integer.parseInt(o.getOrDefault("timers", "100000"));
    int instances = Integer.parseInt(o.getOrDefault("instances", "3"));
    int targetMinutes = Integer.parseInt(o.getOrDefault("target", "12"));
    Duration lead = Duration.ofSeconds(Long.parseLong(o.getOrDefault("lead", "210")));
    Duration spread = Duration.ofSeconds(Long.parseLong(o.getOrDefault("spread", "120")));
    boolean kill = Boolean.parseBoolean(o.getOrDefault("kill", "false"));
    Duration target = Duration.ofMinutes(targetMinutes);
    if (lead.plus(spread).compareTo(target.dividedBy(2)) >= 0) {
      throw new IllegalArgumentException("lead + spread must be below half the target (the cases are back-dated so"
          + " their first timer falls due after the lead), got lead " + lead + ", spread " + spread + ", target " + target);
    }

    // the harness measures lateness against real time: the one place it reads the wall clock
    Clock clock = Clock.systemUTC();
    PolicyCatalog catalog = shortened(targetMinutes);
    sql(base, password, "DROP SCHEMA IF EXISTS lateness CASCADE; CREATE SCHEMA lateness");
    Map<String, String> options = new HashMap<>(base.options());
    options.put("currentSchema", "lateness");
    PostgresLocation in = new PostgresLocation(base.host(), base.port(), base.database(), base.user(), options);

    Map<String, AtomicInteger> firedCount = new ConcurrentHashMap<>();
    Map<String, Instant> firedAt = new ConcurrentHashMap<>();
    Map<String, Instant> dueOf = new ConcurrentHashMap<>();
    Map<String, AtomicLong> perDesk = new ConcurrentHashMap<>();
    List<Desk> desks = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      String name = "i" + i;
      PostgresDeskStores stores = new PostgresDeskStores(PostgresDatabase.open(in, password, Optional.of(name)), clock);
      Directory directory = new Directory(stores.directory(), catalog::get);
      if (i == 0) {
        directory.register(Organization.of("acme", "ACME", "Acme", "atomrock").withLicences(10, 0));
        directory.addContact(new Contact("acme", REPORTER, "Reporter"));
      }
      perDesk.put(name, new AtomicLong());
      IncidentDesk desk = new IncidentDesk(stores.incidents(), stores.timers(), directory, catalog::get,
          new TimerPlan(List.of(50, 75, 90)), clock, new IncidentDesk.Listener() {
            @Override
            public void committed(List<org.supportbot.core.incident.IncidentEvent> events) {}

            @Override
            public void timersFired(List<Timer> fired, Instant at) {
              Instant seen = clock.instant();
              for (Timer t : fired) {
                firedCount.computeIfAbsent(t.key(), k -> new AtomicInteger()).incrementAndGet();
                firedAt.putIfAbsent(t.key(), seen);
                dueOf.put(t.key(), t.dueAt());
              }
              perDesk.get(name).addAndGet(fired.size());
            }
          });
      desks.add(new Desk(name, stores, desk));
    }
    System.out.printf("machine: %d cores, JDK %s, load average %s; %d instances (one JVM, own pools and lease"
        + " names); PostgreSQL %s:%d%n", Runtime.getRuntime().availableProcessors(), Runtime.version(), load(),
        instances, in.host(), in.port());

    // ---- seed -------------------------------------------------------------------------------------
    Instant t0 = clock.instant();
    Instant firstDue = t0.plus(lead);
    Instant firstFiled = firstDue.minus(target.dividedBy(2));
    Desk d0 = desks.getFirst();
    expectFiled(d0.desk().handle(filing("probe", firstFiled)));
    long perCase = d0.stores().timers().pending();
    int cases = (int) Math.ceil(timers / (double) perCase);
    int callers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    List<Future<?>> done = new ArrayList<>();
    long seedStart = System.nanoTime();
    for (int c = 0; c < callers; c++) {
      int from = c;
      // seeding is not what is measured: on one instance, so that the filings of the one organization do not
      // contend for its next numbers across instances
      Desk at = d0;
      done.add(pool.submit(() -> {
        for (int i = from + 1; i < cases; i += callers) {
          expectFiled(at.desk().handle(filing("seed-" + i, firstFiled.plusMillis(spread.toMillis() * i / cases))));
        }
      }));
    }
    for (Future<?> d : done) {
      d.get();
    }
    pool.shutdown();
    double seedSecs = (System.nanoTime() - seedStart) / 1e9;
    long pending = d0.stores().timers().pending();
    Instant lastDue = firstFiled.plusMillis(spread.toMillis()).plus(target);
    System.out.printf("seeded %d cases (%d timers each) = %d pending timers in %.1f s (load average %s); due from %s"
        + " to %s%n", cases, perCase, pending, seedSecs, load(), firstDue, lastDue);
    if (!clock.instant().isBefore(firstDue)) {
      throw new IllegalStateException("seeding took longer than the lead (" + lead.toSeconds() + " s): timers were"
          + " already due before the instances started; raise lead= (and target=)");
    }

    // ---- fire -------------------------------------------------------------------------------------
    List<Thread> tickers = new ArrayList<>();
    Map<String, Boolean> alive = new ConcurrentHashMap<>();
    List<String> errors = Collections.synchronizedList(new ArrayList<>());
    for (Desk d : desks) {
      alive.put(d.name(), true);
      tickers.add(Thread.ofPlatform().name("ticker-" + d.name()).start(() -> {
        while (alive.get(d.name())) {
          try {
            Instant now = clock.instant();
            while (alive.get(d.name()) && d.desk().fireDue(now, 500) > 0) {
              // as SupportDesk.tickTracked: everything due at the tick's instant, 500 per transaction
            }
          } catch (RuntimeException e) {
            errors.add(d.name() + ": " + e);
          }
          try {
            // as supportbot run's DeskTicker: until the next timer is due, at least 100 ms and at most 1 s
            long pause = d.desk().nextDue().map(n -> Duration.between(clock.instant(), n).toMillis()).orElse(1000L);
            Thread.sleep(Math.clamp(pause, 100L, 1000L));
          } catch (InterruptedException e) {
            return;
          } catch (RuntimeException e) {
            errors.add(d.name() + ": " + e);
          }
        }
      }));
    }
    Set<String> orphaned = ConcurrentHashMap.newKeySet();
    Instant[] death = new Instant[1];
    if (kill && instances > 1) {
      Desk victim = desks.getLast();
      Instant half = firstDue.plus(Duration.between(firstDue, lastDue).dividedBy(2));
      sleepUntil(clock, half);
      alive.put(victim.name(), false);
      tickers.getLast().join();
      // as a process killed right after it leased: its leases stay in the database until they lapse
      List<Timer> held = victim.stores().timers().due(clock.instant(), 50);
      death[0] = clock.instant();
      held.forEach(t -> orphaned.add(t.key()));
      victim.stores().close();
      System.out.printf("killed %s at %s holding the leases of %d due timers%n", victim.name(), death[0], held.size());
    }
    while (true) {
      Thread.sleep(2000);
      long unfired = d0.stores().timers().pending();
      if (unfired == 0 || clock.instant().isAfter(lastDue.plus(Duration.ofMinutes(5)))) {
        break;
      }
    }
    for (Desk d : desks) {
      alive.put(d.name(), false);
    }
    for (Thread t : tickers) {
      t.join();
    }

    // ---- figures ----------------------------------------------------------------------------------
    long left = d0.stores().timers().pending();
    long twice = firedCount.values().stream().filter(n -> n.get() > 1).count();
    long events;
    try (Connection c = connect(in, password); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM lateness.incident_events WHERE type IN ('SlaWarningIssued',"
            + " 'SlaBreached')")) {
      r.next();
      events = r.getLong(1);
    }
    List<Long> all = new ArrayList<>();
    List<Long> unaffected = new ArrayList<>();
    List<Long> takeover = new ArrayList<>();
    for (Map.Entry<String, Instant> e : firedAt.entrySet()) {
      if (e.getKey().startsWith("ACME-1/")) {
        continue; // the probe case: filed before the others, fired like them
      }
      long late = Duration.between(dueOf.get(e.getKey()), e.getValue()).toMillis();
      all.add(late);
      if (orphaned.contains(e.getKey())) {
        Instant from = dueOf.get(e.getKey()).isAfter(death[0]) ? dueOf.get(e.getKey()) : death[0];
        takeover.add(Duration.between(from, e.getValue()).toMillis());
      } else {
        unaffected.add(late);
      }
    }
    System.out.printf("fired %d timers (%d distinct), %d fired more than once, %d left unfired; %d SLA events in the"
        + " log; per instance %s; errors %d%s%n", firedCount.values().stream().mapToInt(AtomicInteger::get).sum(),
        firedCount.size(), twice, left, events, perDesk, errors.size(), errors.isEmpty() ? "" : " e.g. " + errors.get(0));
    System.out.println("lateness ms (fired - due), all: " + percentiles(all));
    if (!orphaned.isEmpty()) {
      System.out.println("lateness ms, without the killed instance's leased timers: " + percentiles(unaffected));
      System.out.println("takeover ms (fired by another instance - max(due, death)), " + orphaned.size()
          + " timers: " + percentiles(takeover));
    }
    System.out.printf("decided again after another instance wrote first: %d; load average at the end %s%n",
        desks.stream().mapToLong(d -> d.desk().retriedAfterConflict()).sum(), load());
    for (Desk d : desks) {
      if (!d.name().equals(desks.getLast().name()) || !kill) {
        d.stores().close();
      }
    }
    sql(base, password, "DROP SCHEMA lateness CASCADE");
  }

  private static void sleepUntil(Clock clock, Instant at) throws InterruptedException {
    long ms = Duration.between(clock.instant(), at).toMillis();
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }

  /** The bundled policies, with Atomrock's S1 first-response target of 4 business hours shortened. */
  private static PolicyCatalog shortened(int minutes) throws Exception {
    Path bundled = Path.of("config/policies/atomrock.yaml");
    if (!Files.isRegularFile(bundled)) {
      throw new IllegalStateException("run the harness from the repository's top folder: " + bundled + " is missing");
    }
    String policy = Files.readString(bundled);
    String s1 = "targets: { first_response: 4 business hours }";
    if (!policy.contains(s1)) {
      throw new IllegalStateException(bundled + " no longer says \"" + s1 + "\"; update the harness");
    }
    Path dir = Files.createTempDirectory("lateness-policies");
    Files.writeString(dir.resolve("atomrock.yaml"), policy.replace(s1, "targets: { first_response: " + minutes
        + " minutes }"));
    return PolicyCatalog.of(dir);
  }

  private static IncidentCommand.File filing(String key, Instant at) {
    Origin o = new Origin(key, Actor.customer(REPORTER), at, Optional.of(new MessageRef("slack", "C1", key)));
    return new IncidentCommand.File(o, "acme", new ChatPlace("slack", "T1", "C1", key), "S1", "defect", "Edge",
        "2.1.0", "timer " + key, Map.of("description", "d", "expected_result", "e", "steps_to_reproduce", "s",
            "error_messages", "none", "reproducible", "yes"));
  }

  private static void expectFiled(IncidentOutcome out) {
    if (!(out instanceof IncidentOutcome.Filed)) {
      throw new IllegalStateException("filing refused: " + out);
    }
  }

  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static String percentiles(List<Long> ms) {
    long[] v = ms.stream().mapToLong(Long::longValue).sorted().toArray();
    if (v.length == 0) {
      return "none";
    }
    return String.format("n=%d p50 %d p90 %d p99 %d max %d min %d", v.length, v[v.length / 2], v[(int) (v.length * 0.9)],
        v[Math.min(v.length - 1, (int) (v.length * 0.99))], v[v.length - 1], v[0]);
  }

  private static Connection connect(PostgresLocation l, Optional<String> password) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", l.user());
    password.ifPresent(pw -> p.setProperty("password", pw));
    return DriverManager.getConnection(l.jdbcUrl(), p);
  }

  private static void sql(PostgresLocation l, Optional<String> password, String sql) throws Exception {
    try (Connection c = connect(l, password); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
