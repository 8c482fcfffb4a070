package org.supportbot.core.availability;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.supportbot.config.policy.Availability;
import org.supportbot.core.chatstate.ConversationStore.Maintenance;
import org.supportbot.core.chatstate.ConversationStore.Outage;

/** The seed's formula on the edges: months with a clock change, overlapping records, partial minutes. */
class MonthlyAvailabilityTest {
  private static final ZoneId LA = ZoneId.of("America/Los_Angeles");
  private static final Availability ATHEER = new Availability(new BigDecimal("98.5"), List.of(), Duration.ofHours(24),
      Duration.ofHours(8), true);

  private static Outage outage(String from, String to) {
    return new Outage(1, Instant.parse(from), Optional.ofNullable(to).map(Instant::parse), "x", Optional.empty());
  }

  @Test
  void aMonthWithTheClockChangeHasItsRealMinutes() {
    Instant after = Instant.parse("2027-01-01T00:00:00Z");
    // November 2026 in Los Angeles gains an hour on 1 November: 30 x 1440 + 60 minutes
    assertThat(MonthlyAvailability.of(YearMonth.of(2026, 11), LA, ATHEER, after, List.of(), List.of()).minutesInMonth())
        .isEqualTo(43_260);
    assertThat(MonthlyAvailability.of(YearMonth.of(2027, 3), LA, ATHEER, Instant.parse("2027-04-02T00:00:00Z"),
        List.of(), List.of()).minutesInMonth()).isEqualTo(31 * 1440 - 60);
  }

  @Test
  void overlappingOutagesCountOnceMaintenanceIsTakenOutAndAStartedMinuteCountsWhole() {
    Instant now = Instant.parse("2026-12-20T00:00:00Z");
    MonthlyAvailability a = MonthlyAvailability.of(YearMonth.of(2026, 12), LA, ATHEER, now,
        List.of(outage("2026-12-03T10:00:00Z", "2026-12-03T11:00:00Z"),
            outage("2026-12-03T10:30:00Z", "2026-12-03T11:30:30Z")),
        List.of(new Maintenance(1, Instant.parse("2026-12-03T11:00:00Z"), Instant.parse("2026-12-03T12:00:00Z"),
            now, "m")));
    // 10:00-11:30:30 down (90.5 minutes), 11:00-11:30:30 in maintenance: 60 minutes of downtime
    assertThat(a.downtimeMinutes()).isEqualTo(60);
    assertThat(a.excludedMinutes()).isEqualTo(31);
    assertThat(a.maintenanceMinutes()).isEqualTo(60);
    assertThat(a.outages()).isEqualTo(2);
    assertThat(a.percent()).isEqualByComparingTo("99.8656");
    assertThat(a.shown()).isEqualTo("99.86%");
    assertThat(a.met()).isTrue();
    assertThat(a.complete()).isFalse();
  }

  @Test
  void anOutageGoingOnCountsUpToNowAndOneAcrossTheMonthCountsItsPartOnly() {
    Instant now = Instant.parse("2026-12-01T10:00:00Z"); // 02:00 on 1 December in Los Angeles
    MonthlyAvailability december = MonthlyAvailability.of(YearMonth.of(2026, 12), LA, ATHEER, now,
        List.of(outage("2026-12-01T07:00:00Z", null)), List.of());
    assertThat(december.downtimeMinutes()).isEqualTo(120); // from midnight in Los Angeles
    MonthlyAvailability november = MonthlyAvailability.of(YearMonth.of(2026, 11), LA, ATHEER, now,
        List.of(outage("2026-12-01T07:00:00Z", null)), List.of());
    assertThat(november.downtimeMinutes()).isEqualTo(60);
    assertThat(november.complete()).isTrue();
    assertThat(november.shown()).isEqualTo("99.86%");
  }

  @Test
  void belowTheTargetIsMissedAndTheShownFigureNeverRoundsUp() {
    Instant end = Instant.parse("2027-01-02T00:00:00Z");
    // 670 of 44,640 minutes: 98.4991 %, shown 98.49 %, below 98.5
    MonthlyAvailability a = MonthlyAvailability.of(YearMonth.of(2026, 12), LA, ATHEER, end,
        List.of(outage("2026-12-10T00:00:00Z", "2026-12-10T11:10:00Z")), List.of());
    assertThat(a.downtimeMinutes()).isEqualTo(670);
    assertThat(a.shown()).isEqualTo("98.49%");
    assertThat(a.met()).isFalse();
  }
}
