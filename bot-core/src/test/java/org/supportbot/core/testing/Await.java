package org.supportbot.core.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in tests for something another thread does, by polling a condition with a deadline. */
public final class Await {
  private Await() {}

  /**
   * How long a test waits for something another thread does before calling it hung. Not a budget: a
   * loaded 2-core machine (CI beside another build) must never reach it; it only stops a test whose
   * condition will never hold. Tests wait on the condition itself (or move an injected clock), never
   * for a fixed time.
   */
  public static final Duration HUNG = Duration.ofSeconds(120);

  /** Polls {@code condition} every 10 ms until it holds; fails naming {@code what} after {@link #HUNG}. */
  public static void until(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + HUNG.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10); // polling a condition, with a deadline
    }
  }
}
