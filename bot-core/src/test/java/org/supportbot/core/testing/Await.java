package org.supportbot.core.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in tests for something another thread does, by polling a condition with a deadline. */
public final class Await {
  private Await() {}

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Polls {@code condition} every 10 ms until it holds; fails naming {@code what} after 30 seconds. */
  public static void until(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10); // polling a condition, with a deadline
    }
  }
}
