package org.supportbot.core.outbox;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.supportbot.core.conversation.Outbound;

/**
 * One message handed to an adapter, with the receipt the adapter gives back: {@link #sent()} once
 * the platform accepted it, {@link #failed(String)} when it refused or could not be reached. Only
 * the first report counts. A tracked delivery is a message of the outbox: until it is reported
 * sent it stays in the database and is handed out again after a failure (with backoff) or after a
 * restart. An untracked one (a reply to the person who acted) has a receipt that does nothing.
 */
public final class Delivery {
  private final long id;
  /** Recorded by an earlier run of the process and still pending at this run's start. */
  private final boolean fromEarlierRun;
  private final Outbound message;
  private final int failures;
  private final Instant recordedAt;
  private final Outbox outbox;
  private final AtomicBoolean reported = new AtomicBoolean();

  Delivery(long id, Outbound message, int failures, Instant recordedAt, Outbox outbox) {
    this(id, message, failures, recordedAt, outbox, false);
  }

  Delivery(long id, Outbound message, int failures, Instant recordedAt, Outbox outbox, boolean fromEarlierRun) {
    this.fromEarlierRun = fromEarlierRun;
    this.id = id;
    this.message = Objects.requireNonNull(message, "message");
    this.failures = failures;
    this.recordedAt = Objects.requireNonNull(recordedAt, "recordedAt");
    this.outbox = outbox;
  }

  /** A message outside the outbox: sent once, never again. */
  public static Delivery untracked(Outbound message) {
    return new Delivery(0, message, 0, Instant.EPOCH, null);
  }

  /**
   * When the message was recorded: no attempt to send it was made before, so an adapter that looks
   * for a post it may already have made (after a timeout) need not look further back. The epoch when
   * untracked.
   */
  public Instant recordedAt() {
    return recordedAt;
  }

  public Outbound message() {
    return message;
  }

  /** Whether the outbox keeps this message until it is reported sent. */
  public boolean tracked() {
    return outbox != null;
  }

  /** The outbox id (the order of recording); 0 when untracked. */
  public long id() {
    return id;
  }

  /** Failed attempts before this one. */
  public int failures() {
    return failures;
  }

  /**
   * Whether an earlier attempt may have reached the platform although no receipt says so: an attempt
   * failed (a timeout may hide a post that was made), or the message was left undelivered by an earlier
   * run of the process, which may have died between the platform's answer and the receipt. An adapter
   * that can look for the message on the platform (Slack: by its metadata) does so before sending it
   * again.
   */
  public boolean mayHaveBeenSent() {
    return failures > 0 || fromEarlierRun;
  }

  /** The platform accepted the message: it is removed from the outbox. */
  public void sent() {
    if (outbox != null && reported.compareAndSet(false, true)) {
      outbox.sent(this);
    }
  }

  /**
   * The message was not delivered; it stays pending and is tried again after the backoff.
   *
   * @param reason why, for the log: an error code or an exception's class, never message text or names
   */
  public void failed(String reason) {
    if (outbox != null && reported.compareAndSet(false, true)) {
      outbox.failed(this, reason);
    }
  }

  /**
   * The platform refused the message for a reason that no retry will change (the channel is gone or
   * archived, the bot is not in it or may not see it): it is set aside at once, its lane goes on, and
   * the triage channel is told (lane and reason only). An operator resends it once the cause is fixed.
   *
   * @param reason the platform's error code, for the log and the operator; never message text or names
   */
  public void refused(String reason) {
    if (outbox != null && reported.compareAndSet(false, true)) {
      outbox.refused(this, reason);
    }
  }

  /**
   * The message was not offered to the platform at all: an earlier message of its lane failed, the
   * adapter is closing, or no adapter in this process serves its platform. It stays pending and is
   * handed out again after the first wait of the backoff; unlike {@link #failed}, this does not
   * count towards setting it aside, so messages held behind a refused one are not given up with it.
   *
   * @param reason why, for the log, never message text or names
   */
  public void notTried(String reason) {
    if (outbox != null && reported.compareAndSet(false, true)) {
      outbox.notTried(this, reason);
    }
  }

  /**
   * The adapter sends this message on a route of its own rather than its lane's (Discord: the ephemeral
   * follow-up of the interaction being answered); later messages of the lane do not wait for it in
   * {@link #awaitEarlier}.
   */
  public void ownRoute() {
    if (outbox != null && !reported.get()) {
      outbox.ownRoute(this);
    }
  }

  /**
   * Waits, at most {@code max}, until every earlier message of this one's lane that this process handed out
   * is reported, except those sent on a {@linkplain #ownRoute route of their own}; true when none is left (at
   * once for an untracked delivery). For an adapter that sends this message on a route of its own, so that it
   * does not overtake an earlier message of the same lane (see {@link Outbox#lane}) being posted on the
   * lane's route.
   */
  public boolean awaitEarlier(java.time.Duration max) throws InterruptedException {
    return outbox == null || outbox.awaitEarlier(this, max);
  }

  /** Whether a report was given. */
  public boolean reported() {
    return reported.get();
  }

  @Override
  public String toString() {
    return tracked() ? "Delivery[" + id + ", " + message.kind() + "]" : "Delivery[untracked, " + message.kind() + "]";
  }
}
