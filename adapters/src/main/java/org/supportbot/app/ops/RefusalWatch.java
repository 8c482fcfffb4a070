package org.supportbot.app.ops;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Whether a platform has refused every call since some instant, read from its running counts of calls
 * that succeeded and calls that failed. Each {@link #sample()} compares the counts with the previous
 * sample: any new success ends a run of failures; new failures with no new success start one (at the
 * sample's instant, from the injected clock) or continue it. Sampled about every second while the bot
 * runs, so the instant is as exact as the sampling.
 */
public final class RefusalWatch {
  private final LongSupplier succeeded;
  private final LongSupplier failed;
  private final Clock clock;
  private long lastSucceeded;
  private long lastFailed;
  private Instant failingSince;

  public RefusalWatch(LongSupplier succeeded, LongSupplier failed, Clock clock) {
    this.succeeded = Objects.requireNonNull(succeeded, "succeeded");
    this.failed = Objects.requireNonNull(failed, "failed");
    this.clock = Objects.requireNonNull(clock, "clock");
    lastSucceeded = succeeded.getAsLong();
    lastFailed = failed.getAsLong();
  }

  /** Reads the counts now. */
  public synchronized void sample() {
    long s = succeeded.getAsLong();
    long f = failed.getAsLong();
    if (s > lastSucceeded) {
      failingSince = null;
    } else if (f > lastFailed && failingSince == null) {
      failingSince = clock.instant();
    }
    lastSucceeded = s;
    lastFailed = f;
  }

  /** The sample that first saw a failure after the last success; empty while the last call that ended succeeded. */
  public synchronized Optional<Instant> failingSince() {
    return Optional.ofNullable(failingSince);
  }
}
