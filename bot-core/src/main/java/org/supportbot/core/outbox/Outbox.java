package org.supportbot.core.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.incident.ChatPlace;

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
 * on with the next message: one message a platform keeps refusing does not silence a channel. A
 * {@linkplain Delivery#refused refusal} that no retry can change is set aside at once. Either way the
 * triage channel, when one is given, gets a short notice (id, kind, lane, reason; never the text; one an
 * hour for the same lane and reason) and an operator can {@linkplain #resend resend} the message once the
 * cause is fixed.
 *
 * <p>Receipts may come from any thread: they take the same lock as {@link #due}, so a message reported
 * sent while the ticker reads the pending rows is never handed out a second time.
 */
public final class Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  /** How many more pending rows than asked for are read past blocked lanes. */
  private static final int LOOK_PAST = 500;

  private final OutboxStore store;
  private final Clock clock;
  private final Backoff backoff;
  /** The messages handed out and not yet reported, with their lanes. */
  private final Map<Long, String> inFlight = new ConcurrentHashMap<>();
  private final Optional<ChatPlace> triage;
  /** How long after a notice about a lane and reason triage is not told again of the same. */
  static final Duration NOTICE_QUIET = Duration.ofHours(1);

  /** An outbox that tells nobody about set-aside messages but its log. */
  public Outbox(OutboxStore store, Clock clock, Backoff backoff) {
    this(store, clock, backoff, Optional.empty());
  }

  /**
   * @param triage where a notice goes when a message is set aside (the vendor's triage channel); a
   *     message to that channel's own lane that is set aside is only logged, so notices cannot loop
   */
  public Outbox(OutboxStore store, Clock clock, Backoff backoff, Optional<ChatPlace> triage) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.triage = Objects.requireNonNull(triage, "triage");
    this.earlierRun = store.newestPendingId();
    for (OutboxStore.Queued q : store.queuedBefore(Long.MAX_VALUE)) {
      waiting.merge(q.lane(), 1, Integer::sum); // left by an earlier run: nothing is in flight yet
    }
  }

  /**
   * Per lane, how many of its undelivered messages are not in flight (waiting for a retry, held behind
   * one, or left by an earlier run); a lane with any holds back what is recorded after them. Kept in
   * memory so that recording does not read the lane's whole backlog (a channel paced or refusing for a
   * while may hold thousands).
   */
  private final Map<String, Integer> waiting = new java.util.HashMap<>();

  private void waits(String lane) {
    waiting.merge(lane, 1, Integer::sum);
  }

  private void handedOut(String lane) {
    waiting.computeIfPresent(lane, (l, n) -> n <= 1 ? null : n - 1);
  }

  /**
   * On a shared store, the ids of the pending messages this instance recorded into lanes it held (no other
   * instance tried them, so it knows whether they were sent); removed once delivered or set aside.
   */
  private final Set<Long> recordedHere = ConcurrentHashMap.newKeySet();

  /** Messages up to this id were left pending by an earlier run: they may have been sent before it died. */
  private final long earlierRun;

  /**
   * The lane of a message: {@code platform/workspace/channel}, {@code platform/workspace/@user} for a
   * direct message, or {@code platform/workspace/channel/@user} for a message only one person sees in a
   * channel (ephemeral): such replies never wait behind the channel's posts, or the other way round.
   */
  public static String lane(Outbound o) {
    return switch (o.to()) {
      case Outbound.ToPlace p -> p.place().platform() + "/" + p.place().workspace() + "/" + p.place().channel()
          + o.onlyFor().map(who -> "/@" + who.userId()).orElse("");
      case Outbound.ToPerson p -> p.person().platform() + "/" + p.person().workspace() + "/@" + p.person().userId();
    };
  }

  /** The event id up to which messages were recorded. */
  public long eventCursor() {
    return store.eventCursor();
  }

  /**
   * Records a batch in one transaction and hands out its messages as deliveries, in order, except
   * those whose lane still holds an older message that is not in flight (waiting for its retry, left
   * by an earlier run, or recorded by another instance): those stay pending behind it and {@link #due}
   * hands them out in turn. On a database several instances share, a message whose lane another
   * instance holds is not handed out here at all: that instance's {@link #due} delivers it.
   */
  public synchronized List<Delivery> record(OutboxStore.Batch batch) {
    if (batch.isEmpty()) {
      return List.of();
    }
    OutboxStore.Recorded recorded = store.recordLeasing(batch);
    List<Long> ids = recorded.ids();
    if (ids.isEmpty()) {
      return List.of();
    }
    List<Delivery> out = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      Outbound message = batch.messages().get(i);
      String lane = lane(message);
      if (recorded.elsewhere().contains(lane)) {
        continue; // another instance holds the lane and delivers it, in order
      }
      if (store.shared()) {
        recordedHere.add(ids.get(i)); // in a lane this instance holds: no other instance tried it
      }
      if (waiting.containsKey(lane) || behindOthers(recorded.before().get(lane))) {
        waits(lane); // behind an older message of its lane that is not in flight
        continue;
      }
      inFlight.put(ids.get(i), lane);
      out.add(new Delivery(ids.get(i), message, 0, batch.at(), this));
    }
    return out;
  }

  /**
   * Whether a lane's messages recorded before a batch (as a shared store reports them; null when it does
   * not) include one that is not in flight here: recorded by another instance, or waiting for its retry.
   */
  private boolean behindOthers(List<Long> before) {
    return before != null && (before.size() >= OutboxStore.BEFORE_LIMIT || !inFlight.keySet().containsAll(before));
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
      if (inFlight.containsKey(p.id()) || held.contains(p.lane())) {
        continue;
      }
      if (p.nextAttempt().isAfter(now)) {
        held.add(p.lane());
        continue;
      }
      inFlight.put(p.id(), p.lane());
      handedOut(p.lane());
      // left by an earlier run, or (several instances) recorded by another one, which may have sent it and
      // died before reporting it: the adapter looks for the post before sending it again
      boolean mayHaveBeenSent = p.id() <= earlierRun || store.shared() && !recordedHere.contains(p.id());
      out.add(new Delivery(p.id(), p.message(), p.attempts(), p.recordedAt(), this, mayHaveBeenSent));
    }
    return out;
  }

  /**
   * Waits until every message of {@code d}'s lane recorded before it and in flight here is reported, except
   * those sent on a route of their own ({@link #ownRoute}), at most {@code max}; true when none is left. An
   * adapter that sends a message on a route of its own, outside the lane its earlier messages are posted in
   * (Discord's ephemeral follow-ups of the person's latest interaction), waits on this so that it does not
   * overtake an earlier message of the lane being posted on the lane's route (a retry the ticker handed out,
   * or a message recorded without the person's interaction): calls on different routes reach the platform
   * in no set order. An earlier message on a route of its own is not waited for: it is the reply to an earlier
   * interaction, which the person has seen when they act again, even before the platform's answer comes back.
   */
  synchronized boolean awaitEarlier(Delivery d, Duration max) throws InterruptedException {
    String lane = lane(d.message());
    long deadline = System.nanoTime() + max.toNanos();
    awaitingEarlier++;
    try {
      while (inFlight.entrySet().stream().anyMatch(e -> e.getKey() < d.id() && e.getValue().equals(lane)
          && !ownRoute.contains(e.getKey()))) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    } finally {
      awaitingEarlier--;
    }
  }

  /** In-flight messages sent on a route of their own (see {@link #awaitEarlier}). Guarded by this. */
  private final Set<Long> ownRoute = new HashSet<>();
  /** Deliveries waiting in {@link #awaitEarlier}. Guarded by this. */
  private int awaitingEarlier;

  synchronized void ownRoute(Delivery d) {
    if (inFlight.containsKey(d.id())) {
      ownRoute.add(d.id());
      notifyAll();
    }
  }

  /** How many deliveries wait for an earlier message of their lane (see {@link Delivery#awaitEarlier}). */
  public synchronized int awaitingEarlier() {
    return awaitingEarlier;
  }

  /** {@code d} is reported: no longer in flight here; wakes a delivery waiting for it ({@link #awaitEarlier}). Holds this. */
  private void released(Delivery d) {
    inFlight.remove(d.id());
    ownRoute.remove(d.id());
    notifyAll();
  }

  /** Messages handed out and not yet reported. */
  public int inFlight() {
    return inFlight.size();
  }

  /** Messages waiting for delivery, in flight included. */
  public long pendingCount() {
    return store.pendingCount();
  }

  synchronized void sent(Delivery d) {
    try {
      store.delivered(d.id());
    } finally {
      released(d);
      recordedHere.remove(d.id());
    }
  }

  synchronized void notTried(Delivery d, String reason) {
    Instant next = clock.instant().plus(backoff.first());
    try {
      store.failed(d.id(), d.failures(), next);
      waits(lane(d.message()));
      LOG.debug("outbox: message {} ({} to {}) was not tried: {}; next attempt at {}", d.id(), d.message().kind(),
          lane(d.message()), reason, next);
    } finally {
      released(d);
    }
  }

  /** Messages set aside after too many failed attempts. */
  public long setAsideCount() {
    return store.setAsideCount();
  }

  synchronized void refused(Delivery d, String reason) {
    try {
      setAside(d, d.failures() + 1, reason, "refused for good");
    } finally {
      released(d);
    }
  }

  private void setAside(Delivery d, int attempts, String reason, String why) {
    Instant now = clock.instant();
    String lane = lane(d.message());
    store.setAside(d.id(), attempts, now, reason);
    recordedHere.remove(d.id());
    LOG.error("outbox: message {} ({} to {}) was {} after {} attempt(s), the last: {}; set aside, its lane goes on"
        + " with the next message; resend it with `supportbot outbox resend --id {}` once the cause is fixed", d.id(),
        d.message().kind(), lane, why, attempts, reason, d.id());
    Optional<ChatPlace> to = triage.filter(t -> !lane.equals(laneOf(t)) && !lane.startsWith(laneOf(t) + "/"));
    boolean told = store.setAsideList().stream().anyMatch(s -> s.id() != d.id() && s.lane().equals(lane)
        && s.reason().equals(reason) && s.setAsideAt().isAfter(now.minus(NOTICE_QUIET)));
    if (told) {
      // a channel that is gone refuses every message queued for it: triage hears of it once an hour
      return;
    }
    to.ifPresent(t -> waits(laneOf(t)));
    to.ifPresent(t -> store.record(new OutboxStore.Batch(List.of(Outbound.toPlace(t, Outbound.Kind.NOTICE).text(
        "Outbox: message " + d.id() + " (" + d.message().kind().name().toLowerCase(java.util.Locale.ROOT) + ") to "
            + lane + " was set aside: " + reason + ". Fix the cause, then run `supportbot outbox resend --id " + d.id()
            + "`.").build()), OptionalLong.empty(), List.of(), List.of(), Map.of(), now)));
  }

  private static String laneOf(ChatPlace p) {
    return p.platform() + "/" + p.workspace() + "/" + p.channel();
  }

  /** The messages set aside, oldest first (ids, lanes, kinds, reasons; never their text). */
  public List<OutboxStore.SetAside> setAside() {
    return store.setAsideList();
  }

  /**
   * Puts set-aside messages back in the outbox, each after everything recorded so far, to be handed out
   * at once (the ticker sends them); returns how many were moved. Ids that are not set aside are skipped.
   */
  public synchronized int resend(List<Long> ids) {
    Set<Long> asked = new HashSet<>(ids);
    List<String> lanes = store.setAsideList().stream().filter(a -> asked.contains(a.id())).map(OutboxStore.SetAside::lane)
        .toList();
    int moved = store.resend(ids, clock.instant());
    lanes.forEach(this::waits);
    LOG.info("outbox: {} set-aside message(s) put back to be sent again", moved);
    return moved;
  }

  synchronized void failed(Delivery d, String reason) {
    int failures = d.failures() + 1;
    Instant now = clock.instant();
    try {
      if (failures >= backoff.giveUpAfter()) {
        setAside(d, failures, reason, "not delivered");
        return;
      }
      Instant next = now.plus(backoff.after(failures));
      store.failed(d.id(), failures, next);
      waits(lane(d.message()));
      LOG.warn("outbox: message {} ({} to {}) was not delivered on attempt {}: {}; next attempt at {}", d.id(),
          d.message().kind(), lane(d.message()), failures, reason, next);
    } finally {
      released(d);
    }
  }
}
