package org.supportbot.bench.desk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.config.policy.ReportField;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.chat.DeskSettings;
import org.supportbot.core.chat.SupportDesk;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.KnowledgeSuggestions;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.Directory;
import org.supportbot.core.directory.Engineer;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.TimerPlan;
import org.supportbot.core.outbox.Backoff;
import org.supportbot.core.outbox.Outbox;
import org.supportbot.core.store.JdbcConversationStore;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.JdbcDirectoryStore;
import org.supportbot.core.store.sqlite.SqliteIncidentStore;
import org.supportbot.core.store.sqlite.SqliteOutboxStore;
import org.supportbot.core.store.sqlite.SqliteTimerStore;
import org.supportbot.core.time.ManualClock;

/**
 * The desk handling inbound chat with durable writes (SQLite file, WAL, synchronous=NORMAL): each
 * operation is one inbound from a repeating conversation under the Resource Optimizer policy:
 * {@code /support}, one answer per report question (the intake state is stored after each), the
 * filing, then an engineer's {@code /claim} and {@code /update}. 400 customers take turns, so
 * the incident table grows during the run as it does in production. Sample-time mode reports the
 * latency distribution (p50, p99) of single inbounds; throughput on one thread is 1 / mean.
 *
 * <p>Run: {@code ./mvnw -B -ntp -Pbenchmarks -pl benchmarks -am package -DskipTests &&
 * $JAVA_HOME/bin/java -jar benchmarks/target/benchmarks.jar DeskBenchmark}
 */
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class DeskBenchmark {
  private static final int CUSTOMERS = 400;

  private Path dir;
  private SqliteDatabase db;
  private SupportDesk desk;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T09:00:00Z"));
  private final List<Inbound.Input> script = new ArrayList<>();
  private final Identity engineer = new Identity("bench", "W", "eve");
  private final ChatPlace channel = new ChatPlace("bench", "W", "umbrella", "");
  private long key;
  private int step;
  private int customer;
  private int cases;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("desk-bench");
    PolicyCatalog catalog = PolicyCatalog.bundled();
    db = SqliteDatabase.open(dir.resolve("desk.db"), SqliteDatabase.Durability.NORMAL);
    Directory directory = new Directory(JdbcDirectoryStore.owned(db), catalog::get);
    directory.register(Organization.of("umbrella", "UMB", "Umbrella", "resource-optimizer"));
    directory.store().bindChannel("bench", "W", "umbrella", "umbrella");
    for (int i = 0; i < CUSTOMERS; i++) {
      directory.addContact(new Contact("umbrella", customer(i), "c" + i));
    }
    directory.store().saveEngineer(new Engineer(engineer, "Eve", Engineer.Role.ENGINEER));
    SupportDesk.EventFeed feed = new SupportDesk.EventFeed();
    IncidentDesk incidents = new IncidentDesk(new SqliteIncidentStore(db), new SqliteTimerStore(db), directory,
        catalog::get, new TimerPlan(List.of(50, 75, 90)), clock, feed);
    DeskSettings settings = new DeskSettings(new ChatPlace("bench", "W", "triage", ""), List.of(engineer), Map.of(),
        Duration.ofHours(24), LocalTime.of(8, 0), ZoneId.of("UTC"));
    desk = new SupportDesk(incidents, feed,
        new Outbox(new SqliteOutboxStore(db), clock, Backoff.DEFAULT), directory, catalog::get, KnowledgeSuggestions.NONE,
        new JdbcConversationStore(db), settings, clock);
    SupportPolicy policy = catalog.get("resource-optimizer").orElseThrow();
    script.add(new Inbound.Command("support", ""));
    for (ReportField f : policy.report()) {
      script.add(new Inbound.Said(answer(policy, f)));
    }
  }

  private static Identity customer(int i) {
    return new Identity("bench", "W", "c" + i);
  }

  private static String answer(SupportPolicy policy, ReportField f) {
    return switch (f.kind()) {
      case PRODUCT -> policy.versions().products().isEmpty() ? "Optimizer" : policy.versions().products().get(0).id();
      case VERSION -> policy.versions().products().isEmpty() ? "none" : policy.versions().products().get(0).releases()
          .stream().max(Comparator.comparing(r -> r.released())).orElseThrow().version();
      case CATEGORY -> policy.categories().get(0).id();
      case LONG_TEXT, TEXT, ATTACHMENT -> "The scheduler stops after the nightly run with error E-1042 in the log";
      case YES_NO -> "yes";
      case PERCENT -> "20";
      case SEVERITY -> policy.severities().get(1).id();
      case INCIDENT_REFERENCE -> "no";
      case CHOICE -> f.choices().get(0);
    };
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    db.close();
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** One inbound: an intake step, a filing, a claim or an update. */
  @Benchmark
  public int inbound() {
    clock.advance(Duration.ofSeconds(1));
    Inbound in;
    if (step < script.size()) {
      in = new Inbound("b" + (++key), customer(customer), channel, false, clock.instant(), Optional.empty(),
          script.get(step));
      step++;
      if (step == script.size()) {
        cases++;
      }
    } else {
      ChatPlace thread = new ChatPlace("bench", "W", "umbrella", "UMB-" + cases);
      Inbound.Input input = step == script.size() ? new Inbound.Command("claim", "")
          : new Inbound.Command("update", "We found the cause and are testing a fix.");
      in = new Inbound("b" + (++key), engineer, thread, false, clock.instant(), Optional.empty(), input);
      step++;
      if (step == script.size() + 2) {
        step = 0;
        customer = (customer + 1) % CUSTOMERS;
      }
    }
    return desk.handle(in).size();
  }
}
