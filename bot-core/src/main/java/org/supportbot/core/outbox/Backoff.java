package org.supportbot.core.outbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a message waits after a failed attempt: {@code first} after the first failure, doubling
 * with every further failure, never more than {@code max}. No jitter, so tests can assert instants.
 * After {@code giveUpAfter} failed attempts in a row the outbox sets the message aside (it is kept,
 * not deleted) so that one message the platform keeps refusing (an archived channel, a removed
 * bot) does not hold back every later message of its channel for ever.
 */
public record Backoff(Duration first, Duration max, int giveUpAfter) {
  /**
   * 5 seconds, doubling up to 10 minutes; set aside after 36 failed attempts, which is 4.8 hours
   * of failures (5 s + 10 s + ... + 320 s, then 28 waits of 10 minutes): longer than the
   * platforms' usual outages, short enough that a channel is not silenced for a day.
   */
  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10), 36);

  public Backoff {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(max, "max");
    if (first.isNegative() || first.isZero()) {
      throw new IllegalArgumentException("the first retry delay must be positive, got " + first);
    }
    if (max.compareTo(first) < 0) {
      throw new IllegalArgumentException("the longest retry delay " + max + " is shorter than the first, " + first);
    }
    if (giveUpAfter < 1) {
      throw new IllegalArgumentException("a message is set aside after at least one failed attempt, got " + giveUpAfter);
    }
  }

  /** The wait after the {@code failures}-th failed attempt in a row (from 1). */
  public Duration after(int failures) {
    if (failures < 1) {
      throw new IllegalArgumentException("a wait follows at least one failure, got " + failures);
    }
    Duration d = first;
    for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(max) < 0 ? d : max;
  }
}
