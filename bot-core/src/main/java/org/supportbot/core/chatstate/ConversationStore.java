package org.supportbot.core.chatstate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.intake.IntakeState;

/**
 * Port: what the desk keeps about conversations: unfinished intakes, the inbound keys already
 * handled, pings deferred to business hours, a few named marks (e.g. the last digest), and the
 * service's availability record (outages and scheduled maintenance), and the customers' satisfaction
 * ratings of resolved cases.
 * Deferrals, their release and marks are written by {@link org.supportbot.core.outbox.OutboxStore#record}
 * in the transaction that records the messages they stand for; this port reads them.
 */
public interface ConversationStore {

  /** Whether an inbound with this idempotency key was handled already. */
  boolean seen(String key);

  /**
   * Records an inbound as handled together with what became of the intake it touched: {@code save}
   * is kept (replacing the person's earlier intake in that channel), {@code end} removed.
   */
  void handled(String key, Instant at, Optional<IntakeState> save, Optional<IntakeState> end);

  /** The person's unfinished intake in a channel. */
  Optional<IntakeState> intake(String platform, String workspace, String channel, Identity person);

  /** Every unfinished intake, oldest activity first. */
  List<IntakeState> intakes();

  /** Deferred pings due at or before {@code now}, earliest first. */
  List<Deferred> deferredDue(Instant now);

  /** A named mark (e.g. the day of the last digest). */
  Optional<String> mark(String name);

  /** A deferred ping. */
  record Deferred(long id, Instant releaseAt, IncidentEvent event) {}

  // ---- availability ----------------------------------------------------------------------------

  /** Records the start of an outage; {@code by} is who recorded it. Returns its id. */
  long startOutage(Instant at, String by, String note);

  /** Ends the outage going on at {@code at}; false (and nothing changed) when none is going on. */
  boolean endOutage(Instant at, String note);

  /** The outage going on, if one is. */
  Optional<Outage> openOutage();

  /** Outages that overlap {@code [from, to)}, by start. */
  List<Outage> outages(Instant from, Instant to);

  /** Records a maintenance window {@code [start, end)} scheduled at {@code at}. Returns its id. */
  default long scheduleMaintenance(Instant start, Instant end, Instant at, String by, String note) {
    return scheduleMaintenance(start, end, at, by, note, false);
  }

  /**
   * Records a maintenance window {@code [start, end)} scheduled at {@code at}; {@code emergency}
   * when it starts at once, without notice. Returns its id.
   */
  long scheduleMaintenance(Instant start, Instant end, Instant at, String by, String note, boolean emergency);

  /** Maintenance windows that overlap {@code [from, to)} and are not cancelled, by start. */
  List<Maintenance> maintenance(Instant from, Instant to);

  /**
   * Cancels window {@code id} at {@code at}, with the reason given ({@code note}, may be empty);
   * false (and nothing changed) when there is no such window or it is cancelled already.
   */
  boolean cancelMaintenance(long id, Instant at, String by, String note);

  /** Cancelled maintenance windows that would have overlapped {@code [from, to)}, by start. */
  List<Maintenance> cancelledMaintenance(Instant from, Instant to);

  /** An outage of the service; {@code end} is empty while it goes on. */
  record Outage(long id, Instant start, Optional<Instant> end, String note, Optional<String> endNote) {}

  /**
   * A maintenance window {@code [start, end)}, announced at {@code scheduledAt}; an emergency one
   * started at once, without notice; a cancelled one has when it was cancelled and why.
   */
  record Maintenance(long id, Instant start, Instant end, Instant scheduledAt, String note, boolean emergency,
      Optional<Instant> cancelledAt, String cancelNote) {
    /** A window scheduled with notice, not cancelled. */
    public Maintenance(long id, Instant start, Instant end, Instant scheduledAt, String note) {
      this(id, start, end, scheduledAt, note, false, Optional.empty(), "");
    }

    public Maintenance {
      java.util.Objects.requireNonNull(cancelledAt, "cancelledAt");
      cancelNote = cancelNote == null ? "" : cancelNote;
    }
  }

  // ---- satisfaction ----------------------------------------------------------------------------

  /** Keeps {@code rating} as its case's rating, replacing an earlier one of the same case. */
  void rate(Rating rating);

  /** The rating of case {@code incident} (as {@code ACME-42}), if it was rated. */
  Optional<Rating> rating(String incident);

  /** Ratings given within {@code [from, to)}, by when they were given. */
  List<Rating> ratings(Instant from, Instant to);

  /**
   * A customer's rating of a resolved case: {@code score} 1 (poor) to 5 (excellent) and a comment
   * (empty when none), counted for {@code engineer} (the case's owner, or else who resolved it).
   */
  record Rating(String incident, String organizationId, Optional<Identity> engineer, int score, String comment,
      Identity ratedBy, Instant at) {
    public Rating {
      java.util.Objects.requireNonNull(incident, "incident");
      java.util.Objects.requireNonNull(organizationId, "organizationId");
      java.util.Objects.requireNonNull(engineer, "engineer");
      java.util.Objects.requireNonNull(comment, "comment");
      java.util.Objects.requireNonNull(ratedBy, "ratedBy");
      java.util.Objects.requireNonNull(at, "at");
      if (score < 1 || score > 5) {
        throw new IllegalArgumentException("a satisfaction score is 1 to 5, got " + score);
      }
    }
  }
}
