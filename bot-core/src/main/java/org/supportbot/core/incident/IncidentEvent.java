package org.supportbot.core.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.supportbot.config.policy.ResolutionType;
import org.supportbot.core.directory.Identity;

/**
 * One entry of a case's append-only log: who, when, from which chat message ({@link Origin}), and
 * what. An incident's state is the fold of its events ({@link Incident#replay}).
 */
public sealed interface IncidentEvent {
  Origin origin();

  IncidentNumber incident();

  /**
   * A new case. The origin's actor is the reporter; {@code filedBy} is the vendor's engineer who
   * filed it on the reporter's behalf, from the reporter's message; {@code pending} are the report
   * fields still to be asked of the reporter in the case's thread.
   */
  record Filed(Origin origin, IncidentNumber incident, String organizationId, String policyId, ChatPlace place,
      String severityId, String categoryId, String product, String version, String title, Map<String, String> fields,
      Optional<IncidentNumber> parent, Optional<Identity> filedBy, List<String> pending) implements IncidentEvent {
    /** A case its reporter filed, or a subordinate case. */
    public Filed(Origin origin, IncidentNumber incident, String organizationId, String policyId, ChatPlace place,
        String severityId, String categoryId, String product, String version, String title, Map<String, String> fields,
        Optional<IncidentNumber> parent) {
      this(origin, incident, organizationId, policyId, place, severityId, categoryId, product, version, title, fields,
          parent, Optional.empty(), List.of());
    }

    /** A case with every answer in. */
    public Filed(Origin origin, IncidentNumber incident, String organizationId, String policyId, ChatPlace place,
        String severityId, String categoryId, String product, String version, String title, Map<String, String> fields,
        Optional<IncidentNumber> parent, Optional<Identity> filedBy) {
      this(origin, incident, organizationId, policyId, place, severityId, categoryId, product, version, title, fields,
          parent, filedBy, List.of());
    }

    public Filed {
      fields = Map.copyOf(fields);
      filedBy = filedBy == null ? Optional.empty() : filedBy; // events logged before the field existed
      pending = pending == null ? List.of() : List.copyOf(pending); // likewise
    }
  }

  /** The reporter answered pending report field {@code field}; {@code title} is the new title, or empty. */
  record DetailRecorded(Origin origin, IncidentNumber incident, String field, String value, String title)
      implements IncidentEvent {}

  record Acknowledged(Origin origin, IncidentNumber incident, String text) implements IncidentEvent {}

  record Claimed(Origin origin, IncidentNumber incident, Identity engineer) implements IncidentEvent {}

  record Unclaimed(Origin origin, IncidentNumber incident, Identity engineer) implements IncidentEvent {}
  /** Escalated at level {@code severityId}; the policy's routes say where it went. */
  record Escalated(Origin origin, IncidentNumber incident, String severityId, String reason) implements IncidentEvent {}
  record Assigned(Origin origin, IncidentNumber incident, Identity engineer) implements IncidentEvent {}

  record SeverityChanged(Origin origin, IncidentNumber incident, String from, String to, String reason)
      implements IncidentEvent {}

  record SeverityDiscussionRequested(Origin origin, IncidentNumber incident, String reason) implements IncidentEvent {}

  record InfoRequested(Origin origin, IncidentNumber incident, int request, String text) implements IncidentEvent {}

  record CustomerReplied(Origin origin, IncidentNumber incident, String text) implements IncidentEvent {}

  record PublicUpdatePosted(Origin origin, IncidentNumber incident, String text) implements IncidentEvent {}

  record Resolved(Origin origin, IncidentNumber incident, ResolutionType type, String summary) implements IncidentEvent {}

  record Closed(Origin origin, IncidentNumber incident, String reason, boolean automatic) implements IncidentEvent {}

  record ReopenRequested(Origin origin, IncidentNumber incident, String reason) implements IncidentEvent {}

  record Reopened(Origin origin, IncidentNumber incident, String reason) implements IncidentEvent {}

  record Dropped(Origin origin, IncidentNumber incident, String reason, boolean automatic) implements IncidentEvent {}

  record SplitInto(Origin origin, IncidentNumber incident, List<IncidentNumber> parts) implements IncidentEvent {
    public SplitInto {
      parts = List.copyOf(parts);
    }
  }

  /** This case was a duplicate and now lives on in {@code into}; it is closed. */
  record MergedInto(Origin origin, IncidentNumber incident, IncidentNumber into) implements IncidentEvent {}

  record DuplicateMerged(Origin origin, IncidentNumber incident, IncidentNumber duplicate) implements IncidentEvent {}

  /**
   * Time logged: {@code worked} as entered, {@code billed} rounded up to the billing increment,
   * classified into a charge zone and charged or free, with the reason.
   */
  record TimeLogged(Origin origin, IncidentNumber incident, Duration worked, Duration billed, boolean communication,
      String zone, boolean chargeable, boolean usesFreeTask, String reason, String note) implements IncidentEvent {}

  /** A pre-breach warning: {@code percent} of the target has elapsed; the deadline is at {@code deadline}. */
  record SlaWarningIssued(Origin origin, IncidentNumber incident, String target, int percent, Instant deadline)
      implements IncidentEvent {}

  record SlaBreached(Origin origin, IncidentNumber incident, String target, Instant deadline) implements IncidentEvent {}

  /** A reminder that request {@code request} will count as unanswered at {@code lapsesAt}. */
  record ReminderSent(Origin origin, IncidentNumber incident, int request, Instant lapsesAt) implements IncidentEvent {}

  /**
   * The customer was told that resolution {@code resolution} of the case closes by itself at
   * {@code closesAt}, with a button to reopen it.
   */
  record CloseWarned(Origin origin, IncidentNumber incident, int resolution, Instant closesAt) implements IncidentEvent {}

  /** Request {@code request} went unanswered; {@code unanswered} requests in a row now are. */
  record InfoRequestLapsed(Origin origin, IncidentNumber incident, int request, int unanswered) implements IncidentEvent {}
}
