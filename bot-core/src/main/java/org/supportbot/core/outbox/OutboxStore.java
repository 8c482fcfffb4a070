package org.supportbot.core.outbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.incident.IncidentEvent;

/**
 * Port: the outbox's durable state. Messages waiting for delivery, each in a lane (its
 * destination: a channel or a person), and the event cursor: the id of the last logged incident
 * event whose messages were recorded here. One writer calls {@link #record}; delivery reports may
 * come from any thread.
 */
public interface OutboxStore {

  /** The id of the last incident event whose messages were recorded; 0 when none. */
  long eventCursor();

  /**
   * Writes a batch in one transaction: its messages become pending, the cursor and the rest move with
   * them. Returns the ids given to the messages, in their order.
   *
   * @throws org.supportbot.core.store.WrittenElsewhereException when the batch says which cursor its
   *     messages were rendered from ({@link Batch#renderedFrom}) and the stored cursor is not that one any
   *     more: another instance rendered (some of) the same events first; nothing is written
   */
  List<Long> record(Batch batch);

  /**
   * Like {@link #record}, and says what the caller needs to hand the new messages out at once without
   * breaking a lane's order. A store other instances share leases each lane of the batch to this instance
   * in the same transaction when it is free or its lease lapsed, and reports the lanes another instance
   * holds ({@code elsewhere}: that one delivers them) and, for the lanes this instance holds, the messages
   * still pending that were recorded before the batch ({@code before}, by whichever instance). A store one
   * process owns reports neither (the outbox keeps that count itself).
   */
  default Recorded recordLeasing(Batch batch) {
    return new Recorded(record(batch), Set.of(), Map.of());
  }

  /**
   * What {@link #recordLeasing} wrote.
   *
   * @param ids the ids given to the messages, in their order
   * @param elsewhere lanes of the batch that another instance holds: not to be handed out here
   * @param before per lane of the batch this instance holds, the ids of pending messages recorded before the
   *     batch, oldest first (at most {@link #BEFORE_LIMIT}: a lane with that many counts as backed up)
   */
  record Recorded(List<Long> ids, Set<String> elsewhere, Map<String, List<Long>> before) {
    public Recorded {
      ids = List.copyOf(ids);
      elsewhere = Set.copyOf(elsewhere);
      before = Map.copyOf(before);
    }
  }

  /**
   * Whether other instances record and deliver from this store too (PostgreSQL): a pending message another
   * instance recorded may have been sent by it before it died. False for a store one process owns.
   */
  default boolean shared() {
    return false;
  }

  /** The most older pending ids {@link #recordLeasing} reports per lane. */
  int BEFORE_LIMIT = 256;

  /** Undelivered messages in the order they were recorded, at most {@code limit}. */
  List<Pending> pending(int limit);

  /** The id and lane of every undelivered message recorded before {@code id}, oldest first. */
  List<Queued> queuedBefore(long id);

  /** Removes a delivered message; a message already removed is left alone. */
  void delivered(long id);

  /** Records a failed attempt: the message stays pending and is not tried again before {@code nextAttempt}. */
  void failed(long id, int attempts, Instant nextAttempt);

  /**
   * Moves a message the outbox gave up on out of the pending messages into the set-aside ones (kept
   * with its attempts, when and why), in one transaction; a message already gone is left alone.
   */
  void setAside(long id, int attempts, Instant at, String reason);

  /** The messages set aside, oldest first, without their content. */
  List<SetAside> setAsideList();

  /**
   * Moves set-aside messages back into the pending ones, in their original order, each with a new id
   * (after every message recorded so far), no attempts and its next attempt at {@code at}, in one
   * transaction. Ids that are not set aside are skipped; returns how many were moved.
   */
  int resend(List<Long> ids, Instant at);

  /** How many messages wait for delivery. */
  long pendingCount();

  /** The id of the newest message waiting for delivery; 0 when none waits. */
  long newestPendingId();

  /** How many messages were set aside undelivered. */
  long setAsideCount();

  /**
   * When the oldest undelivered message was recorded (whatever its attempts so far); empty when none
   * waits. The operators' health check compares it with a limit.
   */
  Optional<Instant> oldestPendingRecordedAt();

  /**
   * A pending message: its id (the order of recording), lane, attempts so far, earliest next attempt
   * and when it was recorded (no attempt to send it was made before then).
   */
  record Pending(long id, String lane, Outbound message, int attempts, Instant nextAttempt, Instant recordedAt) {
    public Pending {
      Objects.requireNonNull(lane, "lane");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(nextAttempt, "nextAttempt");
      Objects.requireNonNull(recordedAt, "recordedAt");
    }
  }

  /**
   * A message set aside undelivered, as an operator lists it: never its text.
   *
   * @param kind the message's {@link Outbound.Kind} name
   * @param reason the last refusal (an error code), as the adapter reported it
   */
  record SetAside(long id, String lane, String kind, int attempts, Instant recordedAt, Instant setAsideAt,
      String reason) {
    public SetAside {
      Objects.requireNonNull(lane, "lane");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(recordedAt, "recordedAt");
      Objects.requireNonNull(setAsideAt, "setAsideAt");
      Objects.requireNonNull(reason, "reason");
      if (attempts < 0) {
        throw new IllegalArgumentException("attempts cannot be negative, got " + attempts);
      }
    }
  }

  /** An undelivered message's id and lane, without its content. */
  record Queued(long id, String lane) {
    public Queued {
      Objects.requireNonNull(lane, "lane");
    }
  }

  /** A ping kept until business hours (written with the batch that decided to keep it). */
  record Deferral(Instant releaseAt, IncidentEvent event) {
    public Deferral {
      Objects.requireNonNull(releaseAt, "releaseAt");
      Objects.requireNonNull(event, "event");
    }
  }

  /**
   * What one step of the desk commits at once.
   *
   * @param messages the messages to send, in order
   * @param eventCursor when present, the id of the last incident event these messages were rendered from
   * @param deferrals pings to keep until business hours
   * @param released deferred pings (by id) whose messages are in {@code messages}
   * @param marks named marks of the desk to set (e.g. the day of the last digest)
   * @param at when the batch is recorded
   * @param renderedFrom when present, the cursor the rendering of these messages started from: the batch is
   *     recorded only if the stored cursor is still that one (no other instance rendered the same events)
   */
  record Batch(List<Outbound> messages, OptionalLong eventCursor, List<Deferral> deferrals, List<Long> released,
      Map<String, String> marks, Instant at, OptionalLong renderedFrom) {
    /** A batch that does not check the cursor it was rendered from. */
    public Batch(List<Outbound> messages, OptionalLong eventCursor, List<Deferral> deferrals, List<Long> released,
        Map<String, String> marks, Instant at) {
      this(messages, eventCursor, deferrals, released, marks, at, OptionalLong.empty());
    }

    public Batch {
      messages = List.copyOf(messages);
      Objects.requireNonNull(eventCursor, "eventCursor");
      Objects.requireNonNull(renderedFrom, "renderedFrom");
      if (renderedFrom.isPresent() && eventCursor.isPresent() && renderedFrom.getAsLong() > eventCursor.getAsLong()) {
        throw new IllegalArgumentException("a batch rendered from event " + renderedFrom.getAsLong()
            + " cannot move the cursor back to " + eventCursor.getAsLong());
      }
      deferrals = List.copyOf(deferrals);
      released = List.copyOf(released);
      marks = Map.copyOf(marks);
      Objects.requireNonNull(at, "at");
    }

    public boolean isEmpty() {
      return messages.isEmpty() && eventCursor.isEmpty() && deferrals.isEmpty() && released.isEmpty()
          && marks.isEmpty();
    }
  }
}
