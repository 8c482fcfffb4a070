package org.supportbot.core.incident;

import java.util.List;
import java.util.Objects;

/**
 * What the lifecycle decided about a command: the events to append (possibly to several incidents,
 * e.g. a split or a merge) and the outcome to return. A refusal has no events.
 */
public record Decision(List<IncidentEvent> events, IncidentOutcome outcome) {
  public Decision {
    events = List.copyOf(events);
    Objects.requireNonNull(outcome, "outcome");
  }

  public static Decision refuse(String reason) {
    return new Decision(List.of(), new IncidentOutcome.Rejected(reason));
  }
}
