package org.supportbot.core.chat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work one task at a time per lane and lanes in parallel, on a bounded number of threads: the
 * desk's inbounds of one conversation ({@link SupportDesk#conversationOf}) in arrival order, those
 * of different conversations side by side. Lanes take turns: a lane runs one task, then queues
 * itself again behind the others, so a busy conversation neither holds a thread nor starves the
 * quiet ones, and a slow one delays only itself.
 *
 * <p>A task that throws is logged (its lane, never its content) and the lane goes on.
 */
public final class ConversationLanes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConversationLanes.class);

  private final ExecutorService threads;
  private final Map<String, Queue<Runnable>> lanes = new HashMap<>();
  private final AtomicInteger queued = new AtomicInteger();
  private boolean closed;

  /**
   * @param threads how many lanes run at once
   * @param name the threads' name prefix
   */
  public ConversationLanes(int threads, String name) {
    if (threads < 1) {
      throw new IllegalArgumentException("at least one thread is needed, got " + threads);
    }
    Objects.requireNonNull(name, "name");
    this.threads = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name(name + "-", 0).daemon().factory());
  }

  /**
   * Queues {@code task} behind the lane's earlier tasks.
   *
   * @throws RejectedExecutionException once closed
   */
  public void execute(String lane, Runnable task) {
    Objects.requireNonNull(lane, "lane");
    Objects.requireNonNull(task, "task");
    synchronized (lanes) {
      if (closed) {
        throw new RejectedExecutionException("the lanes are closed");
      }
      queued.incrementAndGet();
      Queue<Runnable> q = lanes.get(lane);
      if (q != null) {
        q.add(task);
        return;
      }
      q = new ArrayDeque<>();
      q.add(task);
      lanes.put(lane, q);
    }
    threads.execute(() -> drain(lane));
  }

  /** Tasks queued or running. */
  public int pending() {
    return queued.get();
  }

  /**
   * Runs the lane's oldest task; if more wait, the lane queues itself again behind the other lanes'
   * turns, so a busy conversation takes its turn like the others instead of holding a thread.
   */
  private void drain(String lane) {
    Runnable next;
    synchronized (lanes) {
      next = lanes.get(lane).peek();
    }
    try {
      next.run();
    } catch (RuntimeException e) {
      LOG.error("a task of lane {} failed; the lane goes on", lane.hashCode(), e);
    } finally {
      queued.decrementAndGet();
    }
    synchronized (lanes) {
      Queue<Runnable> q = lanes.get(lane);
      q.poll();
      if (q.isEmpty()) {
        lanes.remove(lane);
        return;
      }
    }
    try {
      threads.execute(() -> drain(lane));
    } catch (RejectedExecutionException e) {
      drain(lane); // closing: finish the lane on this thread
    }
  }

  /** Waits until every task queued so far has run, at most {@code timeout}; false when it ran out. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (queued.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(1);
    }
    return true;
  }

  /** Takes no more tasks, lets the queued ones finish (at most {@code grace}), then stops. */
  public void close(Duration grace) {
    synchronized (lanes) {
      closed = true;
    }
    try {
      awaitIdle(grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    threads.shutdown();
    try {
      if (!threads.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{} task(s) of the desk did not finish in time", queued.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }
}
