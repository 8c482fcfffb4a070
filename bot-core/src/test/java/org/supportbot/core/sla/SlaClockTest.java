package org.supportbot.core.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SlaClockTest {
  private final BusinessClock weekdays =
      new BusinessClock(BusinessClockTest.calendar("UTC", "09:00-17:00", BusinessClockTest.WEEKDAYS));

  private static Instant at(String s) {
    return Instant.parse(s);
  }

  @Test
  void aPauseMovesTheDeadlineByTheBusinessTimeSpentPaused() {
    SlaClock c = SlaClock.start("first_response", weekdays, Duration.ofHours(4), at("2026-11-23T09:00:00Z"));
    assertThat(c.deadline()).contains(at("2026-11-23T13:00:00Z"));
    c = c.pause(at("2026-11-23T10:00:00Z"));
    assertThat(c.deadline()).isEmpty();
    assertThat(c.elapsed(at("2026-11-23T15:00:00Z"))).isEqualTo(Duration.ofHours(1));
    c = c.resume(at("2026-11-23T15:00:00Z"));
    // 3 hours left from 15:00: 2 on Monday, 1 on Tuesday.
    assertThat(c.deadline()).contains(at("2026-11-24T10:00:00Z"));
  }

  @Test
  void retargetingCountsTimeAlreadySpent() {
    SlaClock c = SlaClock.start("first_response", weekdays, Duration.ofHours(16), at("2026-11-23T09:00:00Z"));
    c = c.retarget(Duration.ofHours(4));
    assertThat(c.deadline()).contains(at("2026-11-23T13:00:00Z"));
    assertThat(c.breached(at("2026-11-23T14:00:00Z"))).isTrue();
    assertThat(c.breached(at("2026-11-23T12:59:59Z"))).isFalse();
  }

  @Test
  void aTargetLoweredBelowTimeSpentBeforeAPauseReportsWhenItWasCrossed() {
    SlaClock c = SlaClock.start("update", weekdays, Duration.ofHours(8), at("2026-11-23T09:00:00Z"))
        .pause(at("2026-11-23T14:00:00Z"))
        .retarget(Duration.ofHours(2));
    assertThat(c.deadline()).contains(at("2026-11-23T11:00:00Z"));
  }

  @Test
  void stoppingBeforeTheDeadlineMeetsTheTarget() {
    SlaClock c = SlaClock.start("first_response", weekdays, Duration.ofHours(4), at("2026-11-23T09:00:00Z"))
        .stop(at("2026-11-23T12:00:00Z"));
    assertThat(c.state()).isEqualTo(SlaClock.State.STOPPED);
    assertThat(c.deadline()).isEmpty();
    assertThat(c.breached(at("2026-11-30T00:00:00Z"))).isFalse();
  }

  @Test
  void stoppingAfterTheDeadlineKeepsTheBreach() {
    SlaClock c = SlaClock.start("first_response", weekdays, Duration.ofHours(4), at("2026-11-23T09:00:00Z"))
        .stop(at("2026-11-23T15:00:00Z"));
    assertThat(c.deadline()).contains(at("2026-11-23T13:00:00Z"));
    assertThat(c.breached(at("2026-11-30T00:00:00Z"))).isTrue();
  }

  @Test
  void rearmingStartsAFreshInterval() {
    SlaClock c = SlaClock.start("update", weekdays, Duration.ofHours(4), at("2026-11-23T09:00:00Z"))
        .rearm(at("2026-11-23T12:00:00Z"));
    assertThat(c.deadline()).contains(at("2026-11-23T16:00:00Z"));
  }

  @Test
  void aTargetWithoutDeadlineNeverBreaches() {
    SlaClock c = SlaClock.start("first_response", weekdays, null, at("2026-11-23T09:00:00Z"));
    assertThat(c.deadline()).isEmpty();
    assertThat(c.breached(at("2030-01-01T00:00:00Z"))).isFalse();
  }

  @Test
  void theExplanationShowsCountedOutOfHoursAndPausedSegments() {
    SlaClock c = SlaClock.start("first_response", weekdays, Duration.ofHours(4), at("2026-11-23T15:00:00Z"))
        .pause(at("2026-11-23T16:00:00Z"))
        .resume(at("2026-11-24T10:00:00Z"));
    var segments = c.explain(at("2026-11-24T10:00:00Z"));
    assertThat(segments).extracting(Segment::kind)
        .containsExactly(Segment.Kind.COUNTED, Segment.Kind.PAUSED, Segment.Kind.COUNTED);
    assertThat(segments.get(1).start()).isEqualTo(at("2026-11-23T16:00:00Z"));
    assertThat(segments.get(1).end()).isEqualTo(at("2026-11-24T10:00:00Z"));
    assertThat(segments.get(2).end()).isEqualTo(at("2026-11-24T13:00:00Z"));
  }

  @Test
  void illegalChangesAreRefusedWithTheClocksState() {
    SlaClock c = SlaClock.start("first_response", weekdays, Duration.ofHours(4), at("2026-11-23T09:00:00Z"));
    assertThatThrownBy(() -> c.resume(at("2026-11-23T10:00:00Z")))
        .isInstanceOf(IllegalStateException.class).hasMessage("cannot resume the first_response clock: it is running, not paused");
    assertThatThrownBy(() -> c.pause(at("2026-11-23T08:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before the previous change");
  }
}
