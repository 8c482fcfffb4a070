package org.supportbot.core.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.supportbot.config.load.PolicyCatalog;

/** Laws of business-time arithmetic, checked on the five seed calendars and a London one. */
class BusinessClockProperties {
  private static List<BusinessClock> clocks;

  @BeforeContainer
  static void load() throws Exception {
    var list = new java.util.ArrayList<BusinessClock>();
    for (var p : PolicyCatalog.bundled().all()) {
      list.add(new BusinessClock(p.calendar()));
    }
    list.add(new BusinessClock(BusinessClockTest.calendar("Europe/London", "08:30-18:00", BusinessClockTest.WEEKDAYS)));
    list.add(new BusinessClock(BusinessClockTest.calendar("Europe/London", "00:30-03:00")));
    clocks = List.copyOf(list);
  }

  @Provide
  Arbitrary<BusinessClock> clock() {
    return Arbitraries.integers().between(0, 6).map(i -> clocks.get(i));
  }

  @Provide
  Arbitrary<Instant> instant() {
    long from = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    long to = Instant.parse("2029-12-31T00:00:00Z").toEpochMilli();
    return Arbitraries.longs().between(from, to).map(Instant::ofEpochMilli);
  }

  @Provide
  Arbitrary<Duration> amount() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(0, Duration.ofHours(10).toMillis()),
        Arbitraries.longs().between(0, Duration.ofHours(8L * 300).toMillis()),
        Arbitraries.of(0L, 60_000L, 3_600_000L, 8 * 3_600_000L, 18 * 3_600_000L, 24 * 3_600_000L))
        .map(Duration::ofMillis);
  }

  @Property(tries = 2000, seed = "20261122")
  void addingAThenBEqualsAddingTheirSum(@ForAll("clock") BusinessClock clock, @ForAll("instant") Instant from,
      @ForAll("amount") Duration a, @ForAll("amount") Duration b) {
    assertThat(clock.add(clock.add(from, a), b)).isEqualTo(clock.add(from, a.plus(b)));
  }

  @Property(tries = 2000, seed = "20261122")
  void aDeadlineNeverPrecedesItsStartAndCountsExactlyTheAmount(@ForAll("clock") BusinessClock clock,
      @ForAll("instant") Instant from, @ForAll("amount") Duration a) {
    Instant deadline = clock.add(from, a);
    assertThat(deadline).isAfterOrEqualTo(from);
    assertThat(clock.between(from, deadline)).isEqualTo(a);
  }

  @Property(tries = 2000, seed = "20261122")
  void aDeadlineLiesInsideBusinessHoursOrAtAWindowsEnd(@ForAll("clock") BusinessClock clock,
      @ForAll("instant") Instant from, @ForAll("amount") Duration a) {
    if (a.isZero()) {
      return;
    }
    Instant deadline = clock.add(from, a);
    assertThat(clock.isOpen(deadline.minusMillis(1))).as("the millisecond before %s is counted", deadline).isTrue();
    assertThat(clock.between(from, deadline.minusMillis(1))).isLessThan(a);
  }

  @Property(tries = 1000, seed = "20261122")
  void theNextBusinessInstantIsOpenAndNothingBeforeItCounts(@ForAll("clock") BusinessClock clock,
      @ForAll("instant") Instant at) {
    Instant next = clock.nextBusinessInstant(at);
    assertThat(next).isAfterOrEqualTo(at);
    assertThat(clock.isOpen(next)).isTrue();
    assertThat(clock.between(at, next)).isEqualTo(Duration.ZERO);
  }

  @Property(tries = 500, seed = "20261122")
  void explainedCountedTimeEqualsBusinessTime(@ForAll("clock") BusinessClock clock, @ForAll("instant") Instant from,
      @ForAll("amount") Duration a) {
    if (a.compareTo(Duration.ofHours(8L * 40)) > 0) {
      return;
    }
    Instant deadline = clock.add(from, a);
    var segments = clock.explain(from, deadline);
    Duration counted = segments.stream().filter(s -> s.kind() == Segment.Kind.COUNTED).map(Segment::length)
        .reduce(Duration.ZERO, Duration::plus);
    assertThat(counted).isEqualTo(a);
    Duration all = segments.stream().map(Segment::length).reduce(Duration.ZERO, Duration::plus);
    assertThat(all).isEqualTo(Duration.between(from, deadline));
  }
}
