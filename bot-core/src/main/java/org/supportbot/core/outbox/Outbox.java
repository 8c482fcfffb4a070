package org.supportbot.core.outbox;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.supportbot.core.conversation.Outbound;

/**
 * The desk's durable outbox. Messages are {@linkplain #record recorded} in the database (in the
 * transaction that also moves the event cursor, so a message is recorded exactly once per event),
 * handed out as {@link Delivery deliveries}, and removed only when the adapter reports them sent.
 *
 * <p>Order: every message has a lane, its destination channel (threads of one channel share it) or
 * the person of a direct message. Within a lane, messages are handed out in the order they were
 * recorded; a lane whose oldest undelivered message waits for a retry holds back everything behind
 * it. Messages being sent ("in flight", known to this process only) are not handed out again; after
 * a restart every undelivered message is pending again, so a message whose send succeeded but whose
 * report was lost to a crash is sent twice: delivery is at least once.
 *
 * <p>A failed attempt is logged with the message's id, kind, lane (platform ids only), the attempt
 * number and the adapter's reason, never its text; the next attempt waits for the {@link Backoff}.
 * After {@link Backoff#giveUpAfter} failed attempts in a row the message is set aside (kept in the
 * store with its reason, logged as an error, counted by {@link #setAsideCount}) and its lane goes
 * on with the next message: one message a platform keeps refusing does not silence a channel.
 */
public final class Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  /** How many more pending rows than asked for are read past blocked lanes. */
  private static final int LOOK_PAST = 500;

  private final OutboxStore store;
  private final Clock clock;
  private final Backoff backoff;
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();

  public Outbox(OutboxStore store, Clock clock, Backoff backoff) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  /** The lane of a message: {@code platform/workspace/channel}, or {@code platform/workspace/@user}. */
  public static String lane(Outbound o) {
    return switch (o.to()) {
      case Outbound.ToPlace p -> p.place().platform() + "/" + p.place().workspace() + "/" + p.place().channel();
      case Outbound.ToPerson p -> p.person().platform() + "/" + p.person().workspace() + "/@" + p.person().userId();
    };
  }

  /** The event id up to which messages were recorded. */
  public long eventCursor() {
    return store.eventCursor();
  }

  /**
   * Records a batch in one transaction and hands out its messages as deliveries, in order, except
   * those whose lane still holds an older message that is not in flight (waiting for its retry, or
   * left by an earlier run): those stay pending behind it and {@link #due} hands them out in turn.
   */
  public synchronized List<Delivery> record(OutboxStore.Batch batch) {
    if (batch.isEmpty()) {
      return List.of();
    }
    List<Long> ids = store.record(batch);
    if (ids.isEmpty()) {
      return List.of();
    }
    Set<String> held = new HashSet<>();
    for (OutboxStore.Queued q : store.queuedBefore(ids.getFirst())) {
      if (!inFlight.contains(q.id())) {
        held.add(q.lane());
      }
    }
    List<Delivery> out = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      Outbound message = batch.messages().get(i);
      if (held.contains(lane(message))) {
        continue;
      }
      inFlight.add(ids.get(i));
      out.add(new Delivery(ids.get(i), message, 0, this));
    }
    return out;
  }

  /**
   * The pending messages whose time has come, oldest first, at most {@code limit}: not in flight,
   * and in lanes not held back by an earlier message waiting for its retry. They are in flight
   * until their receipt is reported.
   */
  public synchronized List<Delivery> due(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("ask for at least one message, got limit " + limit);
    }
    Instant now = clock.instant();
    Set<String> held = new HashSet<>();
    List<Delivery> out = new ArrayList<>();
    for (OutboxStore.Pending p : store.pending(limit + inFlight.size() + LOOK_PAST)) {
      if (out.size() == limit) {
        break;
      }
      if (inFlight.contains(p.id()) || held.contains(p.lane())) {
        continue;
      }
      if (p.nextAttempt().isAfter(now)) {
        held.add(p.lane());
        continue;
      }
      inFlight.add(p.id());
      out.add(new Delivery(p.id(), p.message(), p.attempts(), this));
    }
    return out;
  }

  /** Messages handed out and not yet reported. */
  public int inFlight() {
    return inFlight.size();
  }

  /** Messages waiting for delivery, in flight included. */
  public long pendingCount() {
    return store.pendingCount();
  }

  void sent(Delivery d) {
    try {
      store.delivered(d.id());
    } finally {
      inFlight.remove(d.id());
    }
  }

  void notTried(Delivery d, String reason) {
    Instant next = clock.instant().plus(backoff.first());
    try {
      store.failed(d.id(), d.failures(), next);
      LOG.debug("outbox: message {} ({} to {}) was not tried: {}; next attempt at {}", d.id(), d.message().kind(),
          lane(d.message()), reason, next);
    } finally {
      inFlight.remove(d.id());
    }
  }

  /** Messages set aside after too many failed attempts. */
  public long setAsideCount() {
    return store.setAsideCount();
  }

  void failed(Delivery d, String reason) {
    int failures = d.failures() + 1;
    Instant now = clock.instant();
    try {
      if (failures >= backoff.giveUpAfter()) {
        store.setAside(d.id(), failures, now, reason);
        LOG.error("outbox: message {} ({} to {}) was not delivered in {} attempts, the last: {}; set aside, its lane"
            + " goes on with the next message", d.id(), d.message().kind(), lane(d.message()), failures, reason);
        return;
      }
      Instant next = now.plus(backoff.after(failures));
      store.failed(d.id(), failures, next);
      LOG.warn("outbox: message {} ({} to {}) was not delivered on attempt {}: {}; next attempt at {}", d.id(),
          d.message().kind(), lane(d.message()), failures, reason, next);
    } finally {
      inFlight.remove(d.id());
    }
  }
}
