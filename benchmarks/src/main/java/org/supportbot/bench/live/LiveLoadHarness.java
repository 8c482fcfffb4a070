package org.supportbot.bench.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.supportbot.config.settings.PostgresLocation;

/**
 * Load and crash harness of the live path: a real {@code supportbot run} process (the application
 * jar) in Slack HTTP mode, its Web API pointed at {@link FakeSlackWebApi} (which answers every call
 * after {@code latency}), driven with correctly signed Slack requests through its real endpoint.
 *
 * <p>Load is offered open loop: request {@code i} is due at {@code start + i / rate} whatever the
 * answers to earlier ones, and every latency is measured from that due instant, so queueing in the
 * bot shows up instead of slowing the load down. The offered rate is printed next to the achieved
 * one.
 *
 * <ul>
 *   <li>{@code mode=load}: after seeding cases, {@code seconds} of a mix at {@code rate} requests/s:
 *       {@code filings} filings/s ({@code /support}, then the modal's submission once the bot opened
 *       it), replies in case threads (40% of the rest), {@code /queue}, {@code /mine} and {@code /help}
 *       answered ephemerally (35%; by 50 engineers and the organizations' contacts), {@code /update CASE text} (15%), Claim clicks (10%). Prints
 *       acknowledgement latency (p50/p99/max), ephemeral reply latency (from the request's due instant
 *       to the fake receiving its {@code chat.postEphemeral}), filings achieved per second and
 *       duplicate posts. {@code hang=true} makes every Web API call for one organization's channel
 *       hang for the whole run; reply latency is then reported for the other channels.
 *   <li>{@code mode=crash}: the same kind of traffic at {@code rate}, while the bot process is killed
 *       with SIGKILL {@code kills} times at random moments (2-8 s apart) and restarted on the same
 *       database; at the end every request that was answered 2xx must have been handled exactly once
 *       (its idempotency key in {@code inbound_handled}), every acknowledged filing must be a case, and
 *       no message may have been posted twice.
 *   <li>{@code mode=timers}: timer firings per second of the running instances (see {@link #timers()}).
 *   <li>{@code mode=takeover}: the time from {@code kill -9} of an instance holding leases to another instance
 *       doing its work (see {@link #takeover()}).
 * </ul>
 *
 * <p>Several instances: {@code instances=3 database=postgresql pg=postgresql://127.0.0.1:5432/live?user=NAME} starts
 * three {@code run} processes (each its own ports and {@code SUPPORTBOT_INSTANCE}) on one PostgreSQL database, which
 * the harness drops and creates; requests go to the instances in turn, as a round-robin load balancer sends them.
 * {@code database=postgresql} with {@code instances=1} is one process on PostgreSQL. In load mode on PostgreSQL the
 * harness samples {@code pg_stat_activity} every 500 ms and prints what the active connections waited for.
 *
 * <p>Run: {@code ./mvnw -B -ntp -Pbenchmarks -pl benchmarks -am package -DskipTests && ./mvnw -B -ntp -q
 * package -DskipTests -pl adapters -am && $JAVA_HOME/bin/java -cp benchmarks/target/benchmarks.jar
 * org.supportbot.bench.live.LiveLoadHarness mode=load rate=500 seconds=60 filings=10}; other options:
 * {@code latency=20} (ms), {@code warmup=20} (s of the same load first, not measured; mode=load), {@code orgs=20}, {@code hang=false}, {@code kills=20}, {@code seed=1}, {@code kb=DIR}
 * (a knowledge-base index, e.g. from {@code supportbot kb index}: filings then get suggestions, which the
 * harness answers "still need help"),
 * {@code jar=adapters/target/supportbot.jar}, {@code dir=target/live}.
 */
public final class LiveLoadHarness {
  private static final String TOKEN = "xoxb-live-harness-token";
  private static final String SECRET = "live-harness-signing-secret-0123456789";
  private static final Pattern CASE = Pattern.compile("\\b([A-Z]{2,10}-\\d+)\\b");
  private static final String TRIAGE = "C0TRIAGE";
  /** Engineers 0-9 update and claim cases; the others ask for their queue. */
  private static final int ENGINEERS = 60;

  private final Map<String, String> opts;
  private final java.time.Clock clock;
  private final int orgs;
  private final Path dir;
  private final Path jar;
  private final Random random;
  private final FakeSlackWebApi fake;
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
      .connectTimeout(Duration.ofSeconds(5)).build();
  /** How many {@code run} processes serve the desk; requests go to them in turn (a load balancer's round robin). */
  private final int instances;
  /** Empty: SQLite ({@code bot.db}); else the PostgreSQL database all instances use (created afresh). */
  private final Optional<PostgresLocation> postgres;
  private final int[] slackPorts;
  private final int[] opsPorts;
  private final Process[] bots;
  private final AtomicLong nextInstance = new AtomicLong();
  /** When not negative, every request goes to this instance (the takeover run aims at one). */
  private volatile int aim = -1;
  private SignedSlack slack;
  private int starts;
  /** From starting each bot process to its first answer on /health (the endpoint serves by then), ms. */
  private final List<Long> startMillis = new CopyOnWriteArrayList<>();

  /** A case as the bot posted it: its channel, status message ts and Claim button. */
  private record Case(String number, String channel, String ts, String claimAction) {}

  private final List<Case> cases = new CopyOnWriteArrayList<>();
  private final Set<String> caseNumbers = ConcurrentHashMap.newKeySet();
  private final Map<String, SignedSlack.Person> modalFor = new ConcurrentHashMap<>();
  /** Filers by user id: they answer the knowledge base's suggestions with "still need help". */
  private final Map<String, SignedSlack.Person> filerByUser = new ConcurrentHashMap<>();
  private final Map<String, Queue<Long>> awaitingEphemeral = new ConcurrentHashMap<>();
  /** Ephemeral messages the fake received, by user. */
  private final Map<String, AtomicInteger> ephemeralTo = new ConcurrentHashMap<>();
  private final Map<String, List<String>> ephemeralTexts = new ConcurrentHashMap<>();
  private final List<Long> replyLatencies = Collections.synchronizedList(new ArrayList<>());
  private final List<Long> ackLatencies = Collections.synchronizedList(new ArrayList<>());
  private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
  private final Set<String> ackedKeys = ConcurrentHashMap.newKeySet();
  private final Set<String> ackedFilers = ConcurrentHashMap.newKeySet();
  private final AtomicInteger filers = new AtomicInteger();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicInteger filed = new AtomicInteger();
  private volatile String hungChannel = "";
  private volatile boolean measuring;

  private LiveLoadHarness(Map<String, String> opts, java.time.Clock clock) throws IOException {
    this.clock = clock;
    this.opts = opts;
    this.orgs = Integer.parseInt(opts.getOrDefault("orgs", "20"));
    this.dir = Path.of(opts.getOrDefault("dir", "target/live")).toAbsolutePath();
    this.jar = Path.of(opts.getOrDefault("jar", "adapters/target/supportbot.jar")).toAbsolutePath();
    this.random = new Random(Long.parseLong(opts.getOrDefault("seed", "1")));
    this.fake = new FakeSlackWebApi(TOKEN, Duration.ofMillis(Long.parseLong(opts.getOrDefault("latency", "20"))),
        clock);
    this.instances = Integer.parseInt(opts.getOrDefault("instances", "1"));
    String database = opts.getOrDefault("database", "sqlite");
    if (database.equals("postgresql")) {
      if (!opts.containsKey("pg")) {
        throw new IllegalArgumentException("database=postgresql needs pg=postgresql://HOST:PORT/DB?user=NAME (a"
            + " server the harness may drop and create database DB on; the password, if any, in SUPPORTBOT_DB_PASSWORD)");
      }
      this.postgres = Optional.of(PostgresLocation.parse(opts.get("pg")));
    } else if (database.equals("sqlite")) {
      if (instances != 1) {
        throw new IllegalArgumentException("several instances need database=postgresql (a SQLite file has one writer)");
      }
      this.postgres = Optional.empty();
    } else {
      throw new IllegalArgumentException("database is sqlite or postgresql, got " + database);
    }
    this.slackPorts = new int[instances];
    this.opsPorts = new int[instances];
    this.bots = new Process[instances];
    for (int i = 0; i < instances; i++) {
      slackPorts[i] = freePort();
      opsPorts[i] = freePort();
    }
    fake.listen(this::seen);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq < 1) {
        System.err.println("error: arguments are name=value, got \"" + a + "\"");
        System.exit(2);
      }
      opts.put(a.substring(0, eq), a.substring(eq + 1));
    }
    // the harness talks to a real process on the real clock: the one place it reads the wall clock
    LiveLoadHarness h = new LiveLoadHarness(opts, java.time.Clock.systemUTC());
    try {
      switch (opts.getOrDefault("mode", "load")) {
        case "load" -> h.load();
        case "crash" -> h.crash();
        case "timers" -> h.timers();
        case "takeover" -> h.takeover();
        default -> {
          System.err.println("error: mode is load, crash, timers or takeover");
          System.exit(2);
        }
      }
    } finally {
      h.close();
    }
  }

  // ---- the runs -------------------------------------------------------------------------------

  private void load() throws Exception {
    double rate = Double.parseDouble(opts.getOrDefault("rate", "500"));
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "60"));
    double filings = Double.parseDouble(opts.getOrDefault("filings", "10"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "20"));
    setUp((int) Math.ceil((filings * (seconds + warmup) * 1.2 + orgs * 2) / orgs) + 5);
    startAll();
    seed(orgs * 2);
    if (Boolean.parseBoolean(opts.getOrDefault("hang", "false"))) {
      hungChannel = channel(orgs - 1);
      fake.hang(hungChannel);
    }
    if (warmup > 0) {
      // the same load first, unmeasured: the JIT compiles the hot paths (a third of the CPU in the first 30 s)
      measuring = true;
      drive(rate, warmup, filings);
      awaitQuiet(Duration.ofSeconds(10));
      measuring = false;
      ackLatencies.clear();
      replyLatencies.clear();
      statuses.clear();
      awaitingEphemeral.clear();
      System.out.printf("warmed up: %d s of the same load, not measured%n", warmup);
    }
    int before = filed.get();
    measuring = true;
    Duration cpuBefore = botCpu();
    Duration ownBefore = ownCpu();
    DatabaseSampler sampler = postgres.map(DatabaseSampler::new).orElse(null);
    long sent = drive(rate, seconds, filings);
    long driven = System.nanoTime();
    String contention = sampler == null ? "" : sampler.stop();
    awaitQuiet(Duration.ofSeconds(30));
    // handled = the bot did what the request asked (acknowledged requests' keys in inbound_handled)
    double drainSecs = (System.nanoTime() - driven) / 1e9;
    Duration cpu = botCpu().minus(cpuBefore);
    Duration own = ownCpu().minus(ownBefore);
    measuring = false;
    int achievedFilings = filed.get() - before;
    fake.releaseHung();
    long handled = handledCount();
    stopAll();
    System.out.printf("%d instance(s) on %s, load average %s%n", instances, postgres.isPresent() ? "PostgreSQL" : "SQLite",
        loadAverage());
    System.out.printf("offered %.0f requests/s for %d s (%d sent), %.1f filings/s offered%n", rate, seconds, sent, filings);
    System.out.printf("handled (acknowledged keys in inbound_handled, warm-up and seeding included): %d; drained %.1f s"
        + " after the load ended%n", handled, drainSecs);
    System.out.printf("acknowledged 2xx: %d (%.0f/s); statuses %s%n", ok(), ok() / (double) seconds, statuses);
    System.out.println("ack latency ms: " + percentiles(ackLatencies));
    System.out.println("ephemeral reply latency ms" + (hungChannel.isEmpty() ? "" : " (channels not hung)") + ": "
        + percentiles(replyLatencies) + ", unanswered " + awaitingEphemeral.values().stream().mapToInt(Queue::size).sum());
    System.out.printf("filings achieved: %d (%.1f/s)%n", achievedFilings, achievedFilings / (double) seconds);
    System.out.println("duplicate posts: " + duplicates() + ", Web API calls: " + fake.calls());
    // the bot's own CPU per request: what the figures above cost, whatever else the machine was doing
    System.out.printf("bot CPU: %.1f s for %d requests answered 2xx, %.2f ms per request%n", cpu.toMillis() / 1000.0,
        ok(), ok() == 0 ? 0.0 : cpu.toNanos() / 1e6 / ok());
    System.out.printf("harness and fake Web API CPU: %.1f s (on the same machine)%n", own.toMillis() / 1000.0);
    if (!contention.isEmpty()) {
      System.out.println("PostgreSQL during the load (pg_stat_activity, samples every 500 ms):");
      System.out.print(contention);
    }
  }

  /**
   * Timer firings per second: {@code cases} cases are filed through the instances (S3 with a first-response
   * target of {@code target} minutes: 4 timers each), the instances are stopped, and once every one of those
   * timers is due they are started again; firings/s = the backlog of due timers divided by the time from the
   * first instance serving to none of them left unfired (each firing renders its warning into the outbox; the
   * posts follow through the fake Web API).
   */
  private void timers() throws Exception {
    int n = Integer.parseInt(opts.getOrDefault("cases", "1000"));
    int target = Integer.parseInt(opts.getOrDefault("target", "3"));
    setUp(n / orgs + 5);
    startAll();
    long seeded = System.nanoTime();
    seed(n, Double.parseDouble(opts.getOrDefault("seedrate", "40")));
    System.out.printf("seeded %d cases in %.1f s%n", n, (System.nanoTime() - seeded) / 1e9);
    awaitQuiet(Duration.ofSeconds(30));
    stopAll();
    long allDue;
    try (Connection c = deskConnection(); Statement st = c.createStatement();
        ResultSet r = st.executeQuery("SELECT MAX(due_ms) FROM timers WHERE fired_ms IS NULL")) {
      r.next();
      allDue = r.getLong(1);
    }
    long wait = allDue - clock.millis() + 1000;
    System.out.printf("instances stopped; waiting %.0f s until every timer is due%n", Math.max(0, wait) / 1000.0);
    if (wait > 0) {
      Thread.sleep(wait);
    }
    long backlog = unfired(clock.millis());
    long callsBefore = fake.calls();
    long started = System.nanoTime();
    startAll();
    long serving = System.nanoTime();
    long left;
    while ((left = unfired(clock.millis())) > 0) {
      Thread.sleep(200);
    }
    double secs = (System.nanoTime() - serving) / 1e9;
    awaitQuiet(Duration.ofSeconds(60));
    double posted = (System.nanoTime() - serving) / 1e9;
    stopAll();
    System.out.printf("%d instance(s) on %s, load average %s: %d due timers fired in %.1f s after the instances served"
        + " (their start took %.1f s) = %.0f firings/s; Web API calls until quiet: %d in %.1f s; duplicate posts: %d%n",
        instances, postgres.isPresent() ? "PostgreSQL" : "SQLite", loadAverage(), backlog, secs, (serving - started) / 1e9,
        backlog / secs, fake.calls() - callsBefore, posted, duplicates());
  }

  /**
   * The time another instance takes to do the work of a {@code kill -9}ed one that held leases: instance 1 is
   * sent a {@code /support} whose {@code views.open} the fake holds (the handler waits in it, holding the
   * person's conversation), then two {@code /help} of the same person (acknowledged, written to the shared
   * inbox and leased to instance 1, waiting behind the {@code /support}), and an {@code /update} of a case
   * whose channel the fake holds (the update is recorded in the outbox, in the channel's lane leased to
   * instance 1, and its post waits). Instance 1 is then killed with SIGKILL and the fake lets go. Printed: the
   * time from the kill until another instance answered the {@code /help} (inbox taken over) and posted the
   * update (lane taken over), and that each happened once.
   */
  private void takeover() throws Exception {
    if (postgres.isEmpty() || instances < 2) {
      throw new IllegalArgumentException("mode=takeover needs database=postgresql and instances=2 or more");
    }
    setUp(10);
    startAll();
    seed(orgs);
    Case onHeld = cases.stream().filter(c -> c.channel().equals(channel(1))).findFirst().orElseThrow();
    SignedSlack.Person ana = customer(0, 7);
    // the seeding's lane leases lapse unused, so that instance 1 takes the lane of the update's channel
    Thread.sleep(Duration.ofSeconds(32));
    String held = "t-held-" + sequence.incrementAndGet();
    fake.hang(held);
    fake.hang(channel(1));
    aim = 1;
    long t = System.nanoTime();
    List<String> keys = new ArrayList<>(List.of("slack:trigger:" + held));
    send(slack.slash(ana, channel(0), "/support", "", held), keys.getFirst(), t, null);
    Thread.sleep(1000); // the /support is in views.open on instance 1 before the /help arrive
    for (int i = 0; i < 2; i++) {
      String trigger = "t" + sequence.incrementAndGet();
      keys.add("slack:trigger:" + trigger);
      send(slack.slash(ana, channel(0), "/help", "", trigger), keys.getLast(), t, null);
    }
    String update = "takeover update " + sequence.incrementAndGet();
    String trigger = "t" + sequence.incrementAndGet();
    keys.add("slack:trigger:" + trigger);
    send(slack.slash(engineer(5), TRIAGE, "/update", onHeld.number() + " " + update, trigger), keys.getLast(), t, null);
    aim = -1;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!ackedKeys.containsAll(keys) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    if (!ackedKeys.containsAll(keys)) {
      throw new IllegalStateException("instance 1 did not acknowledge the 4 requests within 30 s");
    }
    Thread.sleep(2000); // instance 1 recorded the update and handed it to its lane worker, which waits
    long posted = countPosts(update);
    long helped = countEphemeral(ana.user());
    bots[1].destroyForcibly().waitFor();
    long killed = System.nanoTime();
    fake.releaseHung();
    System.out.printf("killed instance 1 (kill -9) holding the inbox entries of a /support and 2 /help and the lane of"
        + " %s with an update; before the kill: update posted %d times, /help answered %d times%n", channel(1), posted,
        helped);
    long helpAt = -1;
    long updateAt = -1;
    deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while ((helpAt < 0 || updateAt < 0 || countEphemeral(ana.user()) < helped + 2) && System.nanoTime() < deadline) {
      if (helpAt < 0 && countEphemeral(ana.user()) > helped) {
        helpAt = System.nanoTime();
      }
      if (updateAt < 0 && countPosts(update) > posted) {
        updateAt = System.nanoTime();
      }
      Thread.sleep(100);
    }
    awaitQuiet(Duration.ofSeconds(30));
    System.out.printf("load average %s; takeover after kill -9: inbox (first /help answered by another instance) %s s,"
        + " outbox lane (the update posted) %s s; /help answered %d times in all (2 sent), update posted %d times;"
        + " duplicate posts: %d%n", loadAverage(), helpAt < 0 ? "never" : String.format("%.1f", (helpAt - killed) / 1e9),
        updateAt < 0 ? "never" : String.format("%.1f", (updateAt - killed) / 1e9), countEphemeral(ana.user()),
        countPosts(update), duplicates());
    ephemeralTexts.getOrDefault(ana.user(), List.of()).forEach(text -> System.out.println("  ephemeral to the"
        + " /help sender: " + text.substring(0, Math.min(100, text.length())).replace('\n', ' ')));
    for (int i = 0; i < instances; i++) {
      if (i != 1) {
        stopBot(i);
      }
    }
  }

  private long countPosts(String text) {
    return fake.posts().stream().filter(p -> p.text().contains(text)).count();
  }

  private long countEphemeral(String user) {
    return ephemeralTo.getOrDefault(user, new AtomicInteger()).get();
  }

  /**
   * Samples {@code pg_stat_activity} of the desk's database every 500 ms while the load runs: how many
   * connections were active and what they waited for (lock waits are the contention between instances).
   */
  private final class DatabaseSampler {
    private final Map<String, Integer> seen = new java.util.TreeMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private int samples;

    DatabaseSampler(PostgresLocation l) {
      thread = Thread.ofPlatform().daemon().start(() -> {
        try (Connection c = pgConnection(l.database()); Statement st = c.createStatement()) {
          while (running) {
            samples++;
            try (ResultSet r = st.executeQuery("SELECT COALESCE(wait_event_type, 'CPU') || ':' ||"
                + " COALESCE(wait_event, '-') || ' ' || regexp_replace(left(query, 48), '\\s+', ' ', 'g')"
                + " FROM pg_stat_activity WHERE datname = current_database() AND state = 'active'"
                + " AND pid <> pg_backend_pid()")) {
              while (r.next()) {
                synchronized (seen) {
                  seen.merge(r.getString(1), 1, Integer::sum);
                }
              }
            }
            Thread.sleep(500);
          }
        } catch (SQLException | InterruptedException e) {
          System.err.println("sampling pg_stat_activity stopped: " + e.getMessage());
        }
      });
    }

    /** Stops sampling; returns the 12 most frequent (wait, query) pairs, with active connections per sample. */
    String stop() throws InterruptedException {
      running = false;
      thread.join();
      StringBuilder out = new StringBuilder();
      synchronized (seen) {
        int total = seen.values().stream().mapToInt(Integer::intValue).sum();
        out.append(String.format("  %d samples, %.2f active connections per sample%n", samples,
            samples == 0 ? 0.0 : total / (double) samples));
        seen.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(12)
            .forEach(e -> out.append(String.format("  %5d  %s%n", e.getValue(), e.getKey())));
      }
      return out.toString();
    }
  }

  private static Duration ownCpu() {
    return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** CPU time the bot process has used so far (user and system, all threads). */
  private Duration botCpu() {
    Duration sum = Duration.ZERO;
    for (Process p : bots) {
      sum = sum.plus(p.toHandle().info().totalCpuDuration().orElse(Duration.ZERO));
    }
    return sum;
  }

  private void crash() throws Exception {
    double rate = Double.parseDouble(opts.getOrDefault("rate", "30"));
    int kills = Integer.parseInt(opts.getOrDefault("kills", "20"));
    double filings = Double.parseDouble(opts.getOrDefault("filings", "5"));
    if (instances != 1 || postgres.isPresent()) {
      throw new IllegalArgumentException("mode=crash runs one instance on SQLite; for instances on PostgreSQL use"
          + " mode=takeover");
    }
    setUp((int) Math.ceil((filings * kills * 16 + orgs) / orgs) + 5);
    startBot(0);
    seed(orgs);
    measuring = true;
    Thread killer = Thread.ofPlatform().start(() -> {
      try {
        for (int k = 0; k < kills; k++) {
          Thread.sleep(2000 + random.nextInt(6000));
          bots[0].destroyForcibly().waitFor();
          startBot(0);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    long sent = 0;
    while (killer.isAlive()) {
      sent += drive(rate, 5, filings);
    }
    killer.join();
    long driveEnd = clock.millis();
    awaitTimers(driveEnd, Duration.ofSeconds(120));
    awaitQuiet(Duration.ofSeconds(60));
    measuring = false;
    stopAll();
    List<String> lost = new ArrayList<>();
    int cases;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("bot.db"));
        Statement s = c.createStatement()) {
      Set<String> handled = new HashSet<>();
      try (ResultSet r = s.executeQuery("SELECT idem_key FROM inbound_handled")) {
        while (r.next()) {
          handled.add(r.getString(1));
        }
      }
      for (String key : ackedKeys) {
        if (!handled.contains(key)) {
          lost.add(key);
        }
      }
      try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM incidents")) {
        cases = r.next() ? r.getInt(1) : 0;
      }
    }
    System.out.printf("%d kills, %d starts; %d requests sent, %d answered 2xx; statuses %s%n", kills, starts, sent,
        ackedKeys.size(), statuses);
    System.out.println("acknowledged but never handled: " + lost.size()
        + (lost.isEmpty() ? "" : " e.g. " + lost.subList(0, Math.min(5, lost.size()))));
    System.out.println("filings acknowledged: " + ackedFilers.size() + ", cases in the database: " + cases
        + " (seeded " + orgs + ")");
    System.out.println("duplicate posts: " + duplicates() + ", Web API calls: " + fake.calls());
    timerCheck(driveEnd);
    List<Long> restarts = startMillis.subList(1, startMillis.size()).stream().sorted().toList();
    System.out.println("restart to serving (fresh process, " + cases + " cases on file), ms: p50 "
        + restarts.get(restarts.size() / 2) + ", max " + restarts.getLast() + " (first start " + startMillis.get(0) + ")");
  }

  /** Offers {@code rate} requests/s for {@code seconds}, open loop; returns how many were sent. */
  private long drive(double rate, int seconds, double filingsPerSecond) {
    long start = System.nanoTime();
    long total = (long) (rate * seconds);
    double filingShare = Math.min(1, filingsPerSecond / rate);
    for (long i = 0; i < total; i++) {
      long due = start + (long) (i * 1e9 / rate);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      double pick = random.nextDouble();
      if (pick < filingShare) {
        file(due);
        continue;
      }
      double rest = (pick - filingShare) / (1 - filingShare);
      if (cases.isEmpty() || rest < 0.35) {
        ephemeral(due);
      } else if (rest < 0.75) {
        reply(due);
      } else if (rest < 0.90) {
        update(due);
      } else {
        claim(due);
      }
    }
    return total;
  }

  // ---- what people do -------------------------------------------------------------------------

  private void file(long due) {
    int n = filers.getAndIncrement();
    int org = n % orgs;
    SignedSlack.Person who = customer(org, 100 + n / orgs);
    String trigger = "t" + sequence.incrementAndGet();
    modalFor.put(trigger, who);
    filerByUser.put(who.user(), who);
    send(slack.slash(who, channel(org), "/support", "", trigger), "slack:trigger:" + trigger, due, null);
  }

  private void ephemeral(long due) {
    int kind = random.nextInt(3);
    String trigger = "t" + sequence.incrementAndGet();
    if (kind == 2) {
      int org = random.nextInt(orgs);
      SignedSlack.Person who = customer(org, random.nextInt(20));
      send(slack.slash(who, channel(org), "/help", "", trigger), "slack:trigger:" + trigger, due,
          channel(org) + " " + who.user());
      return;
    }
    SignedSlack.Person eng = engineer(10 + random.nextInt(ENGINEERS - 10));
    send(slack.slash(eng, TRIAGE, kind == 0 ? "/queue" : "/mine", "", trigger), "slack:trigger:" + trigger, due,
        TRIAGE + " " + eng.user());
  }

  private void reply(long due) {
    Case c = cases.get(random.nextInt(cases.size()));
    int org = Integer.parseInt(c.channel().substring(3));
    SignedSlack.Person who = customer(org, random.nextInt(20));
    long n = sequence.incrementAndGet();
    String event = "Ev" + n;
    send(slack.message(event, who, c.channel(), ts(n), c.ts(), "more detail on the problem, note " + n),
        "slack:message:" + c.channel() + ":" + ts(n), due, null);
  }

  private void update(long due) {
    Case c = cases.get(random.nextInt(cases.size()));
    String trigger = "t" + sequence.incrementAndGet();
    send(slack.slash(engineer(5 + random.nextInt(5)), TRIAGE, "/update", c.number() + " still investigating, step "
        + trigger, trigger), "slack:trigger:" + trigger, due, null);
  }

  private void claim(long due) {
    Case c = cases.get(random.nextInt(cases.size()));
    String trigger = "t" + sequence.incrementAndGet();
    send(slack.button(engineer(5 + random.nextInt(5)), c.channel(), c.ts(), c.claimAction(), c.number(), trigger),
        "slack:action:" + trigger, due, null);
  }

  /** Sends one request on a virtual thread; {@code expect} names the (channel, user) whose ephemeral reply it awaits. */
  private void send(HttpRequest request, String key, long due, String expect) {
    if (expect != null && measuring && !expect.startsWith(hungChannel.isEmpty() ? "\0" : hungChannel + " ")) {
      awaitingEphemeral.computeIfAbsent(expect, k -> new ConcurrentLinkedQueue<>()).add(due);
    }
    int to = aim >= 0 ? aim : (int) (nextInstance.getAndIncrement() % instances);
    if (to != 0) {
      request = HttpRequest.newBuilder(request, (name, value) -> true).uri(endpoint(to)).build();
    }
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
      int status = e != null ? -1 : r.statusCode();
      statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
      if (status >= 200 && status < 300) {
        ackedKeys.add(key);
        if (key.startsWith("slack:view:")) {
          ackedFilers.add(key);
        }
        if (measuring) {
          ackLatencies.add(System.nanoTime() - due);
        }
      } else if (expect != null) {
        Queue<Long> q = awaitingEphemeral.get(expect);
        if (q != null) {
          q.remove(due);
        }
      }
    });
  }

  /** What the bot called on the fake Web API: opened modals are submitted, posted cases remembered, replies timed. */
  private void seen(FakeSlackWebApi.Call call) {
    switch (call.method()) {
      case "views.open" -> {
        SignedSlack.Person who = modalFor.remove(call.param("trigger_id"));
        if (who == null) {
          return;
        }
        try {
          String metadata = json.readTree(call.param("view")).path("private_metadata").asText();
          String view = "V" + sequence.incrementAndGet();
          send(slack.viewSubmission(who, view, metadata, Map.of("description",
              "The sync job stops with ERR_SYNC_042 after the upgrade, " + view, "expected_result", "the job finishes",
              "steps_to_reproduce", "run the nightly sync", "error_messages", "ERR_SYNC_042 timeout"),
              Map.of("product", "edge", "version", "2.1.1", "category", "defect", "reproducible", "yes", "severity",
                  "S3")), "slack:view:" + view, System.nanoTime(), null);
        } catch (IOException e) {
          System.err.println("views.open without a readable view: " + e.getMessage());
        }
      }
      case "chat.postMessage" -> {
        if (!call.param("thread_ts").isEmpty() || !call.param("channel").startsWith("C0O")) {
          return;
        }
        String[] claim = FakeSlackWebApi.button(json, call.param("blocks"), "case.claim");
        Matcher m = CASE.matcher(call.param("text"));
        if (claim != null && m.find() && caseNumbers.add(m.group(1))) {
          cases.add(new Case(m.group(1), call.param("channel"), latestTs(call.param("channel")), claim[0]));
          filed.incrementAndGet();
        }
      }
      case "chat.postEphemeral" -> {
        SignedSlack.Person filer = filerByUser.get(call.param("user"));
        String[] still = filer == null ? null : FakeSlackWebApi.button(json, call.param("blocks"), "intake.continue");
        if (still != null) { // suggestions shown before filing: this customer still needs help
          String trigger = "t" + sequence.incrementAndGet();
          send(slack.button(filer, call.param("channel"), "1765000000.000001", still[0], still[1], trigger),
              "slack:action:" + trigger, System.nanoTime(), null);
          return;
        }
        ephemeralTo.computeIfAbsent(call.param("user"), u -> new AtomicInteger()).incrementAndGet();
        ephemeralTexts.computeIfAbsent(call.param("user"), u -> new CopyOnWriteArrayList<>()).add(call.param("text"));
        Queue<Long> q = awaitingEphemeral.get(call.param("channel") + " " + call.param("user"));
        Long due = q == null ? null : q.poll();
        if (due != null && measuring) {
          replyLatencies.add(call.at() - due);
        }
      }
      default -> { }
    }
  }

  private String latestTs(String channel) {
    List<FakeSlackWebApi.Post> posts = fake.posts();
    for (int i = posts.size() - 1; i >= 0; i--) {
      if (posts.get(i).channel().equals(channel) && posts.get(i).threadTs().isEmpty()) {
        return posts.get(i).ts();
      }
    }
    throw new IllegalStateException("no root post in " + channel);
  }

  // ---- the bot process ------------------------------------------------------------------------

  private void setUp(int filersPerOrg) throws IOException {
    if (Files.exists(dir)) {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(dir);
    StringBuilder s = new StringBuilder();
    if (opts.containsKey("kb")) { // the knowledge base production asks for suggestions, e.g. made by kb index
      s.append("knowledge_base: ").append(Path.of(opts.get("kb")).toAbsolutePath()).append('\n');
    }
    if (List.of("crash", "timers").contains(opts.getOrDefault("mode", "load"))) { // targets short enough that timers fire during the run
      Path policies = Files.createDirectories(dir.resolve("policies"));
      Path bundled = Path.of("config/policies/atomrock.yaml");
      if (!Files.isRegularFile(bundled)) {
        throw new IllegalStateException("run the harness from the repository's top folder: " + bundled + " is missing");
      }
      String policy = Files.readString(bundled);
      String s3 = "targets: { first_response: 2 business days }";
      if (!policy.contains(s3)) {
        throw new IllegalStateException(bundled + " no longer says \"" + s3 + "\"; update the harness");
      }
      Files.writeString(policies.resolve("atomrock.yaml"), policy.replace(s3, "targets: { first_response: "
          + Integer.parseInt(opts.getOrDefault("target", opts.get("mode").equals("timers") ? "3" : "1")) + " minutes }"));
      s.append("policies: policies\n");
    }
    if (postgres.isPresent()) {
      recreateDatabase();
    }
    s.append("database: ").append(postgres.map(l -> "\"" + opts.get("pg") + "\"").orElse("bot.db"))
        .append("\ntriage: slack/T0VENDOR/").append(TRIAGE).append("\nmanagers: [slack/T0VENDOR/UMGR]\n");
    s.append("digest: { at: \"08:00\", zone: America/Los_Angeles }\norganizations:\n");
    for (int o = 0; o < orgs; o++) {
      s.append("  - id: org").append(o).append("\n    key: ").append(key(o)).append("\n    policy: atomrock\n")
          .append("    commercial_licences: 100000\n    channels: [slack/T0VENDOR/").append(channel(o)).append("]\n")
          .append("    contacts: [");
      for (int c = 0; c < 20; c++) {
        s.append(c == 0 ? "" : ", ").append("slack/").append(team(o)).append('/').append(customer(o, c).user());
      }
      for (int c = 100; c < 100 + filersPerOrg; c++) { // each filing comes from a contact of its own
        s.append(", slack/").append(team(o)).append('/').append(customer(o, c).user());
      }
      s.append("]\n");
    }
    s.append("engineers:\n  - { id: slack/T0VENDOR/UMGR, name: Max, role: manager }\n");
    for (int e = 0; e < ENGINEERS; e++) {
      s.append("  - { id: slack/T0VENDOR/").append(engineer(e).user()).append(", name: Eng").append(e)
          .append(", role: engineer }\n");
    }
    for (int i = 0; i < instances; i++) { // the same settings but the ports, one file per instance
      Files.writeString(dir.resolve(config(i)), s + "slack:\n  mode: http\n  port: " + slackPorts[i]
          + "\n  path: /slack/events\n  api_url: " + fake.prefix() + "\nops: { address: 127.0.0.1, port: " + opsPorts[i]
          + " }\n");
    }
    slack = new SignedSlack(endpoint(0), SECRET, clock);
  }

  private URI endpoint(int instance) {
    return URI.create("http://127.0.0.1:" + slackPorts[instance] + "/slack/events");
  }

  private static String config(int instance) {
    return instance == 0 ? "bot.yaml" : "bot-" + instance + ".yaml";
  }

  /** Drops and creates the PostgreSQL database of {@code pg=} (on the same server's {@code postgres} database). */
  private void recreateDatabase() {
    PostgresLocation l = postgres.orElseThrow();
    try (Connection c = pgConnection("postgres"); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + l.database() + " WITH (FORCE)");
      st.execute("CREATE DATABASE " + l.database());
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the harness's database " + l.database() + " at " + l.host() + ":"
          + l.port() + ": " + e.getMessage(), e);
    }
  }

  private Connection pgConnection(String database) throws SQLException {
    PostgresLocation l = postgres.orElseThrow();
    java.util.Properties p = new java.util.Properties();
    p.setProperty("user", l.user());
    PostgresLocation.password(System.getenv()).ifPresent(pw -> p.setProperty("password", pw));
    return DriverManager.getConnection(new PostgresLocation(l.host(), l.port(), database, l.user(), l.options()).jdbcUrl(),
        p);
  }

  /** A connection to the desk's database, SQLite or PostgreSQL. */
  private Connection deskConnection() throws SQLException {
    return postgres.isPresent() ? pgConnection(postgres.get().database())
        : DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("bot.db"));
  }

  private long handledCount() throws SQLException {
    Set<String> handled = new HashSet<>();
    try (Connection c = deskConnection(); Statement st = c.createStatement();
        ResultSet r = st.executeQuery("SELECT idem_key FROM inbound_handled")) {
      while (r.next()) {
        handled.add(r.getString(1));
      }
    }
    return ackedKeys.stream().filter(handled::contains).count();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private void startAll() throws Exception {
    List<Thread> starting = new ArrayList<>();
    List<Exception> failed = new CopyOnWriteArrayList<>();
    for (int i = 0; i < instances; i++) {
      int at = i;
      starting.add(Thread.ofPlatform().start(() -> {
        try {
          startBot(at);
        } catch (Exception e) {
          failed.add(e);
        }
      }));
    }
    for (Thread t : starting) {
      t.join();
    }
    if (!failed.isEmpty()) {
      throw failed.get(0);
    }
  }

  private void stopAll() throws InterruptedException {
    for (int i = 0; i < instances; i++) {
      stopBot(i);
    }
  }

  private void startBot(int instance) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    if (opts.containsKey("jvm")) { // e.g. jvm=-XX:StartFlightRecording=filename=run.jfr to profile the bot
      command.addAll(List.of(opts.get("jvm").split(" ")));
    }
    command.addAll(List.of("-jar", jar.toString(), "run", "--config", dir.resolve(config(instance)).toString()));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("SLACK_BOT_TOKEN", TOKEN);
    pb.environment().put("SLACK_SIGNING_SECRET", SECRET);
    pb.environment().put("SUPPORTBOT_INSTANCE", "i" + instance);
    int start;
    synchronized (this) {
      start = ++starts;
    }
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("run-" + start + ".log").toFile());
    long launched = System.nanoTime();
    Process bot = pb.start();
    bots[instance] = bot;
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPorts[instance] + "/health"))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!bot.isAlive()) {
        throw new IllegalStateException("the bot exited with " + bot.exitValue() + "; see " + dir.resolve("run-" + start
            + ".log"));
      }
      try {
        if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() > 0) {
          startMillis.add((System.nanoTime() - launched) / 1_000_000);
          return;
        }
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("the bot did not answer /health within 120 s");
  }

  private void stopBot(int instance) throws InterruptedException {
    Process bot = bots[instance];
    bot.destroy();
    if (!bot.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      bot.destroyForcibly().waitFor();
    }
  }

  /** Files {@code n} cases at 20/s and waits until they are posted. */
  private void seed(int n) throws InterruptedException {
    seed(n, 20);
  }

  /** Files {@code n} cases at {@code rate}/s and waits until they are posted. */
  private void seed(int n, double rate) throws InterruptedException {
    long start = System.nanoTime();
    long step = (long) (1e9 / rate);
    for (int i = 0; i < n; i++) {
      long due = start + i * step;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      file(due);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(120 + (long) (n / rate)).toNanos();
    while (filed.get() < n && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    if (filed.get() < n) {
      throw new IllegalStateException("only " + filed.get() + " of " + n + " seed cases were posted within 120 s");
    }
  }

  /** Waits until the fake has seen no call for 3 s, at most {@code max}. */
  private void awaitQuiet(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    long last = fake.calls();
    long still = System.nanoTime();
    while (System.nanoTime() < deadline) {
      Thread.sleep(250);
      long now = fake.calls();
      if (now != last) {
        last = now;
        still = System.nanoTime();
      } else if (System.nanoTime() - still > 3_000_000_000L) {
        return;
      }
    }
  }

  // ---- figures --------------------------------------------------------------------------------

  private long ok() {
    return statuses.entrySet().stream().filter(e -> e.getKey() >= 200 && e.getKey() < 300)
        .mapToLong(e -> e.getValue().get()).sum();
  }

  /**
   * Posts of one message more than once: the same outbox id in their metadata, or, for posts without
   * metadata, the same channel, thread, text and blocks (which also counts two equal notices).
   */
  private int duplicates() {
    Set<String> seen = new HashSet<>();
    int dup = 0;
    for (FakeSlackWebApi.Post p : fake.posts()) {
      String identity = p.metadata().isEmpty() ? p.channel() + "\n" + p.threadTs() + "\n" + p.text() + "\n" + p.blocks()
          : p.metadata();
      if (!seen.add(identity)) {
        if (dup++ < 3) {
          System.out.println("  posted twice in " + p.channel() + (p.threadTs().isEmpty() ? "" : " thread " + p.threadTs())
              + ": " + p.text().substring(0, Math.min(80, p.text().length())).replace('\n', ' '));
        }
      }
    }
    return dup;
  }

  /** Waits until no timer due by {@code end} is unfired (the bot is running), at most {@code max}. */
  private void awaitTimers(long end, Duration max) throws InterruptedException, SQLException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline && unfired(end) > 0) {
      Thread.sleep(500);
    }
  }

  private int unfired(long end) throws SQLException {
    try (Connection c = deskConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM timers WHERE fired_ms IS NULL AND due_ms <= " + end)) {
      return r.next() ? r.getInt(1) : 0;
    }
  }

  /**
   * Timers in the crash run: every timer due by the end of the load has fired (none missed); each firing
   * is in the event log once; each pre-breach warning fired is posted exactly once or still waits in the
   * outbox (Slack lets a channel have about one post a second, and the warnings of unclaimed cases all go
   * to the triage channel), never both and never twice.
   */
  private void timerCheck(long end) throws SQLException {
    int due = 0;
    List<String> missed = new ArrayList<>();
    List<Long> lateness = new ArrayList<>();
    Map<String, Integer> firings = new HashMap<>();
    Map<String, Integer> warnings = new HashMap<>();
    Pattern warning = Pattern.compile("([A-Z]{2,10}-\\d+)\\W{0,12}\\s*\\(.*?has used (\\d+)% of its");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("bot.db"));
        Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT incident, kind, version, due_ms, fired_ms FROM timers WHERE due_ms <= "
          + end)) {
        while (r.next()) {
          due++;
          long fired = r.getLong(5);
          if (r.wasNull()) {
            missed.add(r.getString(1) + "/" + r.getString(2) + "/" + r.getLong(3));
          } else {
            lateness.add((fired - r.getLong(4)) * 1_000_000);
          }
        }
      }
      try (ResultSet r = s.executeQuery("SELECT idempotency_key, type, body FROM incident_events"
          + " WHERE type IN ('SlaWarningIssued', 'SlaBreached')")) {
        while (r.next()) {
          firings.merge(r.getString(1), 1, Integer::sum);
          if (r.getString(2).equals("SlaWarningIssued")) {
            JsonNode e = readJson(r.getString(3));
            warnings.put(e.path("incident").path("orgKey").asText() + "-" + e.path("incident").path("seq").asLong() + " "
                + e.path("percent").asInt(), 0);
          }
        }
      }
      try (ResultSet r = s.executeQuery("SELECT body FROM outbox WHERE kind = 'PRE_BREACH_PING'")) {
        while (r.next()) {
          StringBuilder text = new StringBuilder();
          readJson(r.getString(1)).findValues("text").forEach(t -> text.append(t.asText()));
          Matcher m = warning.matcher(text);
          if (m.find()) {
            warnings.merge(m.group(1) + " " + m.group(2), 1, Integer::sum);
          }
        }
      }
    }
    for (FakeSlackWebApi.Post p : fake.posts()) {
      Matcher m = warning.matcher(p.text());
      if (m.find()) {
        warnings.merge(m.group(1) + " " + m.group(2), 1, Integer::sum);
      }
    }
    long twice = firings.values().stream().filter(n -> n > 1).count();
    long notOnce = warnings.values().stream().filter(n -> n != 1).count();
    System.out.printf("timers due by the end of the load: %d, missed: %d%s; lateness of those fired ms: %s%n", due,
        missed.size(), missed.isEmpty() ? "" : " e.g. " + missed.subList(0, Math.min(5, missed.size())),
        percentiles(lateness));
    System.out.printf("SLA firings in the event log: %d, recorded twice: %d; pre-breach warnings fired: %d, posted or"
        + " waiting in the outbox other than exactly once: %d%n", firings.size(), twice, warnings.size(), notOnce);
  }

  private JsonNode readJson(String text) {
    try {
      return json.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable JSON in the database: " + e.getMessage(), e);
    }
  }

  private static String percentiles(List<Long> nanos) {
    long[] v;
    synchronized (nanos) {
      v = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    }
    if (v.length == 0) {
      return "none";
    }
    return String.format("n=%d p50 %.1f p90 %.1f p99 %.1f max %.1f", v.length, v[v.length / 2] / 1e6,
        v[(int) (v.length * 0.9)] / 1e6, v[Math.min(v.length - 1, (int) (v.length * 0.99))] / 1e6, v[v.length - 1] / 1e6);
  }

  // ---- names ----------------------------------------------------------------------------------

  private static String channel(int org) {
    return "C0O" + org;
  }

  private static String team(int org) {
    return "TC" + org;
  }

  private static String key(int org) {
    char[] k = {'K', (char) ('A' + org / 26 % 26), (char) ('A' + org % 26)};
    return new String(k);
  }

  private static SignedSlack.Person customer(int org, int n) {
    return new SignedSlack.Person(team(org), "U" + org + "X" + n);
  }

  private static SignedSlack.Person engineer(int n) {
    return new SignedSlack.Person(FakeSlackWebApi.TEAM, "UENG" + n);
  }

  private static String ts(long n) {
    return "1765000000." + String.format("%06d", n % 1_000_000);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void close() {
    for (Process bot : bots) {
      if (bot != null && bot.isAlive()) {
        bot.destroyForcibly();
      }
    }
    fake.close();
    http.close();
  }
}
