package org.supportbot.core.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.supportbot.config.calendar.BusinessCalendar;
import org.supportbot.config.calendar.HolidayCalendar;
import org.supportbot.config.calendar.TimeWindow;

class BusinessClockTest {
  static BusinessCalendar calendar(String zone, String window, DayOfWeek... days) {
    Map<DayOfWeek, List<TimeWindow>> weekly = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek d : days.length == 0 ? DayOfWeek.values() : days) {
      weekly.put(d, List.of(TimeWindow.parse(window)));
    }
    TimeWindow w = TimeWindow.parse(window);
    return new BusinessCalendar(ZoneId.of(zone), weekly, HolidayCalendar.NONE, "", Map.of(), Duration.ofSeconds(w.lengthSeconds()));
  }

  static final DayOfWeek[] WEEKDAYS = {DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY};

  @Test
  void londonWeekdayHoursSkipTheSpringForwardWeekend() {
    var clock = new BusinessClock(calendar("Europe/London", "09:00-17:00", WEEKDAYS));
    // Friday 16:00 GMT + 2h: one hour on Friday, then Monday 09:00 BST (08:00Z) + 1h.
    assertThat(clock.add(Instant.parse("2026-03-27T16:00:00Z"), Duration.ofHours(2)))
        .isEqualTo(Instant.parse("2026-03-30T09:00:00Z"));
  }

  @Test
  void aDayWithASpringForwardGapHas23HoursOnAnAlwaysOpenLondonCalendar() {
    var clock = new BusinessClock(calendar("Europe/London", "00:00-24:00"));
    assertThat(clock.between(Instant.parse("2026-03-29T00:00:00Z"), Instant.parse("2026-03-30T00:00:00Z")))
        .isEqualTo(Duration.ofHours(24));
    assertThat(clock.add(Instant.parse("2026-03-28T12:00:00Z"), Duration.ofHours(24)))
        .isEqualTo(Instant.parse("2026-03-29T12:00:00Z"));
  }

  @Test
  void aWindowAcrossTheSpringForwardGapCountsOnlyRealTime() {
    // 00:30-03:00 local on 29 March 2026: 00:30 GMT (00:30Z) to 03:00 BST (02:00Z) is 1.5 hours.
    var clock = new BusinessClock(calendar("Europe/London", "00:30-03:00"));
    assertThat(clock.between(Instant.parse("2026-03-29T00:00:00Z"), Instant.parse("2026-03-29T12:00:00Z")))
        .isEqualTo(Duration.ofMinutes(90));
    assertThat(clock.add(Instant.parse("2026-03-29T00:00:00Z"), Duration.ofMinutes(90)))
        .isEqualTo(Instant.parse("2026-03-29T02:00:00Z"));
  }

  @Test
  void aWindowAcrossTheFallBackOverlapCountsTheRepeatedHour() {
    // 00:30-03:00 local on 25 October 2026: 00:30 BST (23:30Z the day before) to 03:00 GMT (03:00Z) is 3.5 hours.
    var clock = new BusinessClock(calendar("Europe/London", "00:30-03:00"));
    assertThat(clock.between(Instant.parse("2026-10-24T22:00:00Z"), Instant.parse("2026-10-25T12:00:00Z")))
        .isEqualTo(Duration.ofMinutes(210));
  }

  @Test
  void newYorkFallBackKeepsNineOClockLocal() {
    var clock = new BusinessClock(calendar("America/New_York", "09:00-17:30", WEEKDAYS));
    // Friday 30 Oct 2026 17:00 EDT + 2h: 0.5h Friday, then Monday 2 Nov 09:00 EST (14:00Z) + 1.5h.
    assertThat(clock.add(Instant.parse("2026-10-30T21:00:00Z"), Duration.ofHours(2)))
        .isEqualTo(Instant.parse("2026-11-02T15:30:00Z"));
  }

  @Test
  void losAngelesSpringForwardKeepsNineOClockLocal() {
    var clock = new BusinessClock(calendar("America/Los_Angeles", "09:00-17:00", WEEKDAYS));
    assertThat(clock.nextBusinessInstant(Instant.parse("2026-03-07T12:00:00Z")))
        .isEqualTo(Instant.parse("2026-03-09T16:00:00Z"));
    assertThat(clock.nextBusinessInstant(Instant.parse("2026-03-06T12:00:00Z")))
        .isEqualTo(Instant.parse("2026-03-06T17:00:00Z"));
  }

  @Test
  void aDeadlineThatReachesTheTargetAtAWindowEndIsThatEndNotTheNextStart() {
    var clock = new BusinessClock(calendar("UTC", "09:00-17:00", WEEKDAYS));
    assertThat(clock.add(Instant.parse("2026-11-23T09:00:00Z"), Duration.ofHours(8)))
        .isEqualTo(Instant.parse("2026-11-23T17:00:00Z"));
  }

  @Test
  void severalWindowsADayAndAWindowEndingAtMidnight() {
    Map<DayOfWeek, List<TimeWindow>> weekly = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek d : WEEKDAYS) {
      weekly.put(d, List.of(TimeWindow.parse("00:00-16:00"), TimeWindow.parse("22:00-24:00")));
    }
    var clock = new BusinessClock(new BusinessCalendar(ZoneId.of("UTC"), weekly, HolidayCalendar.NONE, "", Map.of(), Duration.ofHours(18)));
    assertThat(clock.add(Instant.parse("2026-11-23T15:00:00Z"), Duration.ofHours(3)))
        .isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
    assertThat(clock.isOpen(Instant.parse("2026-11-23T23:59:59Z"))).isTrue();
    assertThat(clock.isOpen(Instant.parse("2026-11-23T16:00:00Z"))).isFalse();
    assertThat(clock.between(Instant.parse("2026-11-23T00:00:00Z"), Instant.parse("2026-11-30T00:00:00Z")))
        .isEqualTo(Duration.ofHours(90));
  }

  @Test
  void holidaysAndOverridesChangeADay() {
    LocalDate holiday = LocalDate.of(2026, 11, 24);
    LocalDate shortDay = LocalDate.of(2026, 11, 25);
    Map<DayOfWeek, List<TimeWindow>> weekly = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek d : WEEKDAYS) {
      weekly.put(d, List.of(TimeWindow.parse("09:00-17:00")));
    }
    var cal = new BusinessCalendar(ZoneId.of("UTC"), weekly, HolidayCalendar.of(Set.of(holiday)), "test holidays",
        Map.of(shortDay, List.of(TimeWindow.parse("09:00-12:00"))), Duration.ofHours(8));
    var clock = new BusinessClock(cal);
    // Monday 16:00 + 5h: 1h Monday, Tuesday is a holiday, 3h Wednesday (short day), 1h Thursday.
    Instant deadline = clock.add(Instant.parse("2026-11-23T16:00:00Z"), Duration.ofHours(5));
    assertThat(deadline).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
    var segments = clock.explain(Instant.parse("2026-11-23T16:00:00Z"), deadline);
    assertThat(segments).extracting(Segment::kind).containsExactly(
        Segment.Kind.COUNTED, Segment.Kind.OUT_OF_HOURS, Segment.Kind.HOLIDAY, Segment.Kind.OUT_OF_HOURS,
        Segment.Kind.COUNTED, Segment.Kind.OUT_OF_HOURS, Segment.Kind.COUNTED);
    Segment h = segments.get(2);
    assertThat(h.start()).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
    assertThat(h.end()).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
    assertThat(h.note()).contains("2026-11-24");
    Duration counted = segments.stream().filter(s -> s.kind() == Segment.Kind.COUNTED).map(Segment::length)
        .reduce(Duration.ZERO, Duration::plus);
    assertThat(counted).isEqualTo(Duration.ofHours(5));
  }

  @Test
  void longSpansCrossYears() {
    var clock = new BusinessClock(calendar("America/Los_Angeles", "09:00-17:00", WEEKDAYS));
    Instant from = Instant.parse("2026-06-01T16:00:00Z");
    Duration span = Duration.ofHours(8L * 600);
    Instant deadline = clock.add(from, span);
    assertThat(clock.between(from, deadline)).isEqualTo(span);
    assertThat(deadline.atZone(ZoneId.of("America/Los_Angeles")).getYear()).isEqualTo(2028);
  }

  @Test
  void negativeAmountsAreRefused() {
    var clock = new BusinessClock(calendar("UTC", "09:00-17:00"));
    assertThatThrownBy(() -> clock.add(Instant.EPOCH.plusSeconds(1_800_000_000L), Duration.ofHours(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be negative");
  }
}
