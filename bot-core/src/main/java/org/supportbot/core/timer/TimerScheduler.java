package org.supportbot.core.timer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due timers by the injected clock. {@link #runDue()} fires everything due now (tests call
 * it after moving their clock); {@link #start()} runs a thread that sleeps until the next due
 * timer (at most {@code maxSleep}, so timers planned meanwhile are seen) and never fires early.
 */
public final class TimerScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TimerScheduler.class);

  private final TimerFiring firing;
  private final Clock clock;
  private final Duration maxSleep;
  private final int batch;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private volatile boolean running;
  private Thread thread;

  public TimerScheduler(TimerFiring firing, Clock clock, Duration maxSleep, int batch) {
    this.firing = Objects.requireNonNull(firing, "firing");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxSleep = Objects.requireNonNull(maxSleep, "maxSleep");
    if (batch < 1) {
      throw new IllegalArgumentException("a firing batch must hold at least one timer, got " + batch);
    }
    this.batch = batch;
  }

  /** Fires every timer due at the clock's current instant; returns how many fired. */
  public int runDue() {
    Instant now = clock.instant();
    int total = 0;
    while (true) {
      int n = firing.fireDue(now, batch);
      total += n;
      if (n < batch) {
        return total;
      }
    }
  }

  /** Starts the background thread. */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = Thread.ofPlatform().name("supportbot-timers").daemon(true).start(this::loop);
  }

  /** Wakes the thread: a timer may have been planned earlier than the one it sleeps for. */
  public void poke() {
    lock.lock();
    try {
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    while (running) {
      try {
        runDue();
        Optional<Instant> next = firing.nextDue();
        Duration sleep = next.map(d -> Duration.between(clock.instant(), d)).orElse(maxSleep);
        if (sleep.compareTo(maxSleep) > 0) {
          sleep = maxSleep;
        }
        if (!sleep.isNegative() && !sleep.isZero()) {
          lock.lock();
          try {
            if (running) {
              wake.awaitNanos(sleep.toNanos());
            }
          } finally {
            lock.unlock();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("firing timers failed; retrying after {}", maxSleep, e);
        try {
          Thread.sleep(maxSleep.toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      running = false;
      t = thread;
    }
    poke();
    if (t != null) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
