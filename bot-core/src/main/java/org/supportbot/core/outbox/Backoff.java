package org.supportbot.core.outbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a message waits after a failed attempt: {@code first} after the first failure, doubling
 * with every further failure, never more than {@code max}. No jitter, so tests can assert instants.
 */
public record Backoff(Duration first, Duration max) {
  /** 5 seconds, doubling up to 10 minutes. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10));

  public Backoff {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(max, "max");
    if (first.isNegative() || first.isZero()) {
      throw new IllegalArgumentException("the first retry delay must be positive, got " + first);
    }
    if (max.compareTo(first) < 0) {
      throw new IllegalArgumentException("the longest retry delay " + max + " is shorter than the first, " + first);
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
