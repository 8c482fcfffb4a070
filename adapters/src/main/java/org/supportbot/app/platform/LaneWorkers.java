package org.supportbot.app.platform;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an adapter's platform calls off the desk's thread, one lane at a time per lane: tasks of one lane
 * (a channel, or one person's replies in it) run in the order given, never two at once; tasks of
 * different lanes run in parallel on virtual threads, at most {@code maxCalls} at once. A lane whose
 * call hangs (until the HTTP client's timeout) or fails delays only the tasks queued behind it in the
 * same lane: the desk goes on deciding and recording, and other channels keep getting their messages.
 *
 * <p>{@link #inline()} runs each task on the caller's thread instead (still one at a time per lane), for
 * tests that assert the calls made by a method as it returns.
 */
public final class LaneWorkers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LaneWorkers.class);

  /**
   * How many platform calls may be under way at once by default. Calls mostly wait on the network: with Slack
   * answering in 20 ms, 16 at once capped a busy bot at about 360 calls/s while the CPU still had room; 64 lets
   * the CPU be the limit and is still few for a platform.
   */
  public static final int DEFAULT_MAX_CALLS = 64;

  private final ExecutorService threads;
  private final Semaphore calls;
  private final String name;
  /** Tasks waiting per lane; a lane is present while a worker drains it. Guarded by {@code this}. */
  private final Map<String, Deque<Runnable>> lanes = new HashMap<>();
  private final Map<String, Object> inlineLocks = new HashMap<>();
  private boolean closed;

  private LaneWorkers(String name, int maxCalls, boolean inline) {
    if (maxCalls < 1) {
      throw new IllegalArgumentException("at least one platform call must be allowed at once, got " + maxCalls);
    }
    this.name = Objects.requireNonNull(name, "name");
    this.calls = new Semaphore(maxCalls);
    this.threads = inline ? null : Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-lane-", 0)
        .factory());
  }

  /** Lanes on virtual threads, at most {@code maxCalls} tasks running at once; {@code name} names the threads. */
  public static LaneWorkers pooled(String name, int maxCalls) {
    return new LaneWorkers(name, maxCalls, false);
  }

  /** Every task runs on the caller's thread, one at a time per lane. */
  public static LaneWorkers inline() {
    return new LaneWorkers("inline", 1, true);
  }

  /**
   * Queues {@code task} at the end of {@code lane}. A task that throws is logged (lane and exception
   * class) and the lane goes on. After {@link #close()} the task is not run and false is returned.
   */
  public boolean run(String lane, Runnable task) {
    Objects.requireNonNull(lane, "lane");
    Objects.requireNonNull(task, "task");
    if (threads == null) {
      Object lock;
      synchronized (this) {
        if (closed) {
          return false;
        }
        lock = inlineLocks.computeIfAbsent(lane, l -> new Object());
      }
      synchronized (lock) {
        runOne(lane, task);
      }
      return true;
    }
    synchronized (this) {
      if (closed) {
        return false;
      }
      Deque<Runnable> queue = lanes.get(lane);
      if (queue != null) {
        queue.addLast(task);
        return true;
      }
      queue = new ArrayDeque<>();
      queue.addLast(task);
      lanes.put(lane, queue);
    }
    threads.execute(() -> drain(lane));
    return true;
  }

  private void drain(String lane) {
    while (true) {
      Runnable next;
      synchronized (this) {
        Deque<Runnable> queue = lanes.get(lane);
        next = queue.pollFirst();
        if (next == null) {
          lanes.remove(lane);
          notifyAll();
          return;
        }
      }
      try {
        calls.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        synchronized (this) {
          lanes.remove(lane);
          notifyAll();
        }
        return;
      }
      try {
        runOne(lane, next);
      } finally {
        calls.release();
      }
    }
  }

  private void runOne(String lane, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.error("{}: a delivery in lane {} failed: {}", name, lane, e.getClass().getSimpleName(), e);
    }
  }

  /** Lanes with tasks queued or running. */
  public synchronized int busyLanes() {
    return lanes.size();
  }

  /** Waits until every lane is idle (tasks queued meanwhile included). */
  public synchronized void awaitIdle(Duration timeout) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!lanes.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException(lanes.size() + " lane(s) still busy: " + lanes.keySet());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Takes no more tasks; waits up to {@code grace} for the queued ones to finish. */
  public void close(Duration grace) {
    synchronized (this) {
      closed = true;
    }
    if (threads == null) {
      return;
    }
    try {
      awaitIdle(grace);
    } catch (TimeoutException e) {
      LOG.warn("{}: closing with {} lane(s) still sending; what they hold stays in the outbox", name, busyLanes());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    threads.shutdownNow();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }
}
