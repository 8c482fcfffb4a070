package org.supportbot.kb.live;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.supportbot.kb.forum.DiscourseSync;

/**
 * How many topics a round of a forum's full sync checks: at least {@code floor}, and as many as it takes to
 * check the topics left within the rounds left before the next full sync is due ({@code fullEvery} after this
 * one's start), a round every {@code every}: the topics left divided by the rounds left, this one included,
 * rounded up. A full sync already past that time checks all it has left in the round.
 *
 * @param floor the checks per round at least ({@code full_sync_checks_per_round})
 * @param fullEvery how often a full sync is due
 * @param every how often a round runs
 */
record FullSyncPace(int floor, Duration fullEvery, Duration every, Clock clock) implements DiscourseSync.Pace {
  FullSyncPace {
    if (floor < 1) {
      throw new IllegalArgumentException("the checks per round must be at least 1, got " + floor);
    }
    if (!Objects.requireNonNull(fullEvery, "fullEvery").isPositive()
        || !Objects.requireNonNull(every, "every").isPositive()) {
      throw new IllegalArgumentException("the full-sync and sync intervals must be positive");
    }
    Objects.requireNonNull(clock, "clock");
  }

  @Override
  public int checks(Instant started, int left) {
    return (int) Math.max(floor, Math.ceilDiv((long) left, roundsLeft(started)));
  }

  /** When the full sync that started at {@code started} should be done: the next one is due then. */
  Instant due(Instant started) {
    return started.plus(fullEvery);
  }

  /** The rounds before the next full sync is due, this one included (at least this one). */
  private long roundsLeft(Instant started) {
    Duration toGo = Duration.between(clock.instant(), due(started));
    return toGo.isPositive() ? Math.ceilDiv(toGo.toNanos(), every.toNanos()) : 1;
  }
}
