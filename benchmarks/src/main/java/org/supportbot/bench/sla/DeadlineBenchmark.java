package org.supportbot.bench.sla;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.config.policy.Severity;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.sla.BusinessClock;
import org.supportbot.core.sla.SlaCalculator;

/**
 * Deadline computation on the Atheer calendar (09:00-17:00 America/Los_Angeles, Monday to Friday,
 * US holidays; a business day is 8 business hours): how many deadlines one core computes per
 * second for a target of {@code businessDays} business days, from 4,096 start instants spread
 * over 2026-2027 (seeded). The calendar's year tables are built during warm-up, as they are once
 * per year in the running bot. Comparing {@code businessDays=5} with {@code businessDays=250}
 * shows that the cost does not grow with the span.
 *
 * <p>Run: {@code ./mvnw -B -ntp -Pbenchmarks -pl benchmarks -am package -DskipTests &&
 * $JAVA_HOME/bin/java -jar benchmarks/target/benchmarks.jar DeadlineBenchmark}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class DeadlineBenchmark {
  private static final int MASK = 4095;

  @Param({"5", "250"})
  int businessDays;

  private BusinessClock clock;
  private SlaCalculator calculator;
  private Severity severity;
  private Duration span;
  private final Instant[] starts = new Instant[MASK + 1];
  private int next;

  @Setup
  public void setUp() throws Exception {
    SupportPolicy atheer = PolicyCatalog.bundled().get("atheer").orElseThrow();
    calculator = new SlaCalculator(atheer);
    clock = calculator.businessClock();
    severity = atheer.severity("P3").orElseThrow();
    span = atheer.calendar().businessDay().multipliedBy(businessDays);
    SplittableRandom random = new SplittableRandom(20261122);
    long from = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    long to = Instant.parse("2027-12-31T00:00:00Z").toEpochMilli();
    for (int i = 0; i < starts.length; i++) {
      starts[i] = Instant.ofEpochMilli(random.nextLong(from, to));
    }
  }

  /** One deadline: a start instant plus {@code businessDays} business days. */
  @Benchmark
  public Instant addBusinessDays() {
    return clock.add(starts[next++ & MASK], span);
  }

  /** Business time elapsed between a start and a point {@code businessDays} calendar weeks / 5 later. */
  @Benchmark
  public Duration elapsedBetween() {
    Instant s = starts[next++ & MASK];
    return clock.between(s, s.plus(Duration.ofDays(businessDays * 7L / 5)));
  }

  /** Every target of a severity through the policy-level API (P3: one 5-business-day target). */
  @Benchmark
  public Object policyDeadlines() {
    return calculator.deadlines(severity, starts[next++ & MASK]);
  }
}
