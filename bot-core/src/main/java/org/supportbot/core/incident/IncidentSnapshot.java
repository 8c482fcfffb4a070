package org.supportbot.core.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.supportbot.config.policy.ResolutionType;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.sla.SlaClock;

/**
 * The stored view of an incident: everything a reader needs without replaying the log. Equal to
 * {@code Incident.replay(log).snapshot()} at all times.
 */
public record IncidentSnapshot(
    IncidentNumber number,
    String organizationId,
    String policyId,
    ChatPlace place,
    Identity reporter,
    String title,
    String severityId,
    String categoryId,
    String product,
    String version,
    IncidentState state,
    Optional<Identity> claimedBy,
    Optional<ResolutionType> resolution,
    Optional<IncidentNumber> parent,
    List<IncidentNumber> parts,
    Optional<IncidentNumber> mergedInto,
    List<IncidentNumber> duplicates,
    int openRequest,
    int unansweredRequests,
    int severityDiscussions,
    boolean reopenRequested,
    Duration billed,
    boolean freeTaskUsed,
    Map<String, ClockView> clocks,
    long eventCount,
    Instant lastEventAt,
    List<String> pendingDetails,
    Map<String, String> details) {
  public IncidentSnapshot {
    parts = List.copyOf(parts);
    pendingDetails = pendingDetails == null ? List.of() : List.copyOf(pendingDetails); // stored before they existed
    details = details == null ? Map.of() : Map.copyOf(details);
    duplicates = List.copyOf(duplicates);
    clocks = Map.copyOf(clocks);
  }

  /** Whether report answers are still to come from the reporter (a case filed on their behalf). */
  public boolean detailsPending() {
    return !pendingDetails.isEmpty();
  }

  /** Whether the reporter is being asked for them: details pending on a case still worked on. */
  public boolean asksDetails() {
    return detailsPending() && state.active();
  }

  /** The earliest deadline of a running SLA clock: what the queue is ordered by. */
  public Optional<Instant> nextDeadline() {
    return clocks.values().stream().filter(c -> c.state() == SlaClock.State.RUNNING)
        .flatMap(c -> c.deadline().stream()).min(Instant::compareTo);
  }

  /** One SLA clock as readers see it. */
  public record ClockView(SlaClock.State state, Optional<Duration> target, Optional<Instant> deadline,
      Optional<Instant> breachedAt) {}
}
