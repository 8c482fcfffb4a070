package org.supportbot.app.discord;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downtime read-back of a start: the history of each open case's thread, read beside the live traffic
 * instead of before it. Each thread is read by one task on a virtual thread of its own, at most
 * {@link #IN_FLIGHT} at a time (a semaphore), so a restart with hundreds of open cases neither sends them
 * all at once nor reads them one after another; the requests go through JDA, whose rate limiter keeps to
 * Discord's buckets and {@code Retry-After}. The tasks block only their own virtual threads (JDA's
 * {@code complete()}), never JDA's event, requester or rate-limit threads.
 *
 * <p>Interactions do not wait for the read-back. A message typed live in a thread that is still to be read
 * back waits for that thread only ({@link #awaitThread}), so that a thread's messages reach the desk in the
 * order they were written; every other thread's messages go on at once.
 */
final class ThreadReadBack implements AutoCloseable {
  /** History requests in flight at once. */
  static final int IN_FLIGHT = 6;
  /** How long a live message waits for its thread's read-back before it is handled anyway. */
  static final Duration WAIT_AT_MOST = Duration.ofSeconds(60);

  private static final Logger log = LoggerFactory.getLogger(ThreadReadBack.class);

  private final Map<String, CountDownLatch> threads = new ConcurrentHashMap<>();
  private final CountDownLatch finished;
  private final Semaphore slots = new Semaphore(IN_FLIGHT);
  private final ExecutorService tasks = Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
      .name("discord-read-back-", 0).factory());
  private final AtomicInteger read = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicBoolean told = new java.util.concurrent.atomic.AtomicBoolean();
  private final List<String> order;

  /** The threads to read back, named before connecting so that a live message in one of them can wait for it. */
  ThreadReadBack(List<String> threadIds) {
    this.order = List.copyOf(threadIds);
    order.forEach(id -> threads.put(id, new CountDownLatch(1)));
    this.finished = new CountDownLatch(order.size());
  }

  /**
   * Starts reading every thread with {@code reader} (which returns how many messages it handed to the desk);
   * returns at once. A reader that fails is logged and its thread counted as read.
   */
  void start(ToIntFunction<String> reader) {
    for (String id : order) {
      try {
        tasks.execute(() -> readOne(id, reader));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        release(id); // closing: nothing waits for a read-back that will not happen
      }
    }
  }

  private void readOne(String id, ToIntFunction<String> reader) {
    try {
      slots.acquire();
      try {
        read.addAndGet(reader.applyAsInt(id));
      } finally {
        slots.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("reading back the thread {} failed ({}); its messages typed while the bot was down are read at the"
          + " next start", id, e.getClass().getSimpleName());
    } finally {
      release(id);
      if (finished.getCount() == 0 && read.get() > 0 && told.compareAndSet(false, true)) {
        log.info("read back {} message(s) typed in case threads while the bot was down", read.get());
      }
    }
  }

  private void release(String id) {
    CountDownLatch latch = threads.remove(id);
    if (latch != null) {
      latch.countDown();
      finished.countDown();
    }
  }

  /** Waits until {@code threadId} is read back if it is still to be (at most {@link #WAIT_AT_MOST}). */
  void awaitThread(String threadId) {
    CountDownLatch latch = threads.get(threadId);
    if (latch == null) {
      return;
    }
    try {
      if (!latch.await(WAIT_AT_MOST.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("reading back the thread {} takes more than {} s; handling a new message in it anyway", threadId,
            WAIT_AT_MOST.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether {@code threadId} is still to be read back. */
  boolean pending(String threadId) {
    return threads.containsKey(threadId);
  }

  /** Whether every thread has been read back (or given up). */
  boolean done() {
    return finished.getCount() == 0;
  }

  /** Waits until every thread has been read back; false when {@code timeout} passed first. */
  boolean awaitDone(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Messages handed to the desk so far. */
  int read() {
    return read.get();
  }

  /** Stops the reading (interrupting requests under way) and lets every waiting message go on. */
  @Override
  public void close() {
    tasks.shutdownNow();
    List.copyOf(threads.keySet()).forEach(this::release);
  }
}
