package org.supportbot.app.run;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.supportbot.app.platform.OutboundRouter;
import org.supportbot.core.chat.SupportDesk;

/**
 * The one timer scheduler of a running desk, whatever platforms it serves: every {@code every} it
 * fires the desk's due timers ({@link SupportDesk#tick()}) and hands what they say to the adapter of
 * each message's platform. The timers are durable, so a tick missed while the process is down fires on
 * the first tick after the next start; so is the outbox, so the first tick (at once on start) also
 * hands out what the last run did not deliver, and every tick what a failed send left for a retry.
 */
final class DeskTicker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeskTicker.class);

  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("desk-timers").daemon().factory());
  private final SupportDesk desk;
  private final OutboundRouter router;

  DeskTicker(SupportDesk desk, OutboundRouter router, Duration every) {
    this.desk = Objects.requireNonNull(desk, "desk");
    this.router = Objects.requireNonNull(router, "router");
    executor.scheduleWithFixedDelay(this::tick, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      router.route(desk.tickTracked());
    } catch (RuntimeException e) {
      LOG.error("firing the desk's timers failed; trying again at the next tick", e);
    }
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
