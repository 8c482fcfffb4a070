package org.supportbot.app.web;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.store.IncidentStore;

/**
 * Live updates: one watcher follows the incident log (by its growing event ids, so a change made by
 * chat, a timer or another process is seen alike) and tells each open board about the cases it
 * changed, each board only about the cases its viewer may see.
 */
final class Live implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Live.class);
  /** How often the watcher looks for new events. */
  static final Duration POLL = Duration.ofMillis(100);

  private final IncidentDesk incidents;
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final Thread watcher;
  private volatile boolean closed;
  private long seen;

  /** One open board: the viewer and the case numbers waiting to be sent. */
  static final class Subscriber {
    final Viewer viewer;
    final BlockingQueue<String> changed = new LinkedBlockingQueue<>(10_000);

    Subscriber(Viewer viewer) {
      this.viewer = viewer;
    }

    /** The next changed case number, waiting at most {@code wait}. */
    Optional<String> next(Duration wait) throws InterruptedException {
      return Optional.ofNullable(changed.poll(wait.toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  Live(IncidentDesk incidents) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    // start from the end of the log: only changes after the server started are news
    long after = 0;
    for (List<IncidentStore.Logged> page; !(page = incidents.eventsAfter(after, 5000)).isEmpty(); ) {
      after = page.getLast().id();
    }
    this.seen = after;
    this.watcher = Thread.ofPlatform().daemon().name("web-live").start(this::watch);
  }

  Subscriber subscribe(Viewer viewer) {
    Subscriber s = new Subscriber(viewer);
    subscribers.add(s);
    return s;
  }

  void unsubscribe(Subscriber s) {
    subscribers.remove(s);
  }

  int subscribers() {
    return subscribers.size();
  }

  private void watch() {
    while (!closed) {
      try {
        List<IncidentStore.Logged> page = incidents.eventsAfter(seen, 1000);
        if (page.isEmpty()) {
          Thread.sleep(POLL.toMillis());
          continue;
        }
        seen = page.getLast().id();
        Set<String> numbers = new java.util.LinkedHashSet<>();
        page.forEach(l -> numbers.add(l.event().incident().toString()));
        for (String n : numbers) {
          Optional<IncidentSnapshot> s = incidents.incident(org.supportbot.core.incident.IncidentNumber.parse(n));
          if (s.isEmpty()) {
            continue;
          }
          for (Subscriber sub : subscribers) {
            if (sub.viewer.sees(s.get())) {
              sub.changed.offer(n);
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (!closed) {
          LOG.warn("web: following the incident log failed; trying again ({})", e.getClass().getSimpleName());
          try {
            Thread.sleep(1000);
          } catch (InterruptedException ie) {
            return;
          }
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    watcher.interrupt();
  }
}
