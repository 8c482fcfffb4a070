package org.supportbot.app.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.supportbot.app.platform.OutboundRouter;
import org.supportbot.core.chat.SupportDesk;

/**
 * The one timer scheduler of a running desk, whatever platforms it serves: every {@code every}, or sooner
 * when a timer falls due before that (but at most every {@link #SOONEST}), it fires the desk's due timers ({@link SupportDesk#tick()}) and hands what they say to the adapter of
 * each message's platform. The timers are durable, so a tick missed while the process is down fires on
 * the first tick after the next start; so is the outbox, so the first tick (at once on start) also
 * hands out what the last run did not deliver, and every tick what a failed send left for a retry.
 */
final class DeskTicker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeskTicker.class);

  private final java.util.concurrent.ScheduledThreadPoolExecutor executor = stopsAtShutdown(
      new java.util.concurrent.ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("desk-timers").daemon().factory()));
  /**
   * The shortest pause between two ticks: a timer due sooner than the next regular tick is fired within about
   * this much (a fixed tick of 1 s made timers up to a second late, p99 1.8 s with 100,000 timers on 3
   * instances), while a timer another instance has leased but not fired yet does not make the ticks spin.
   */
  static final Duration SOONEST = Duration.ofMillis(100);

  private final SupportDesk desk;
  private final OutboundRouter router;
  private final Clock clock;
  private final Duration every;

  DeskTicker(SupportDesk desk, OutboundRouter router, Duration every, Clock clock) {
    this.desk = Objects.requireNonNull(desk, "desk");
    this.router = Objects.requireNonNull(router, "router");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.every = Objects.requireNonNull(every, "every");
    executor.schedule(this::tick, 0, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    Duration pause = every;
    try {
      router.route(desk.tickTracked());
      pause = pause(clock.instant(), desk.nextDue(), every);
    } catch (RuntimeException e) {
      LOG.error("firing the desk's timers failed; trying again at the next tick", e);
    }
    try {
      executor.schedule(this::tick, pause.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // closed meanwhile: no more ticks
    }
  }

  /** A tick scheduled but not started when the ticker closes does not run. */
  private static java.util.concurrent.ScheduledThreadPoolExecutor stopsAtShutdown(
      java.util.concurrent.ScheduledThreadPoolExecutor e) {
    e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return e;
  }

  /** The pause before the next tick at {@code now}: until {@code next} is due, between {@link #SOONEST} and {@code every}. */
  static Duration pause(Instant now, Optional<Instant> next, Duration every) {
    if (next.isEmpty()) {
      return every;
    }
    Duration until = Duration.between(now, next.get());
    return until.compareTo(SOONEST) < 0 ? SOONEST : until.compareTo(every) > 0 ? every : until;
  }

  /** Lets the tick under way finish, then stops; the timers stay in the database. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("the timer run did not finish within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
