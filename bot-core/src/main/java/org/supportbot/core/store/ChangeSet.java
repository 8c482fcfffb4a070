package org.supportbot.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.timer.Timer;

/**
 * Everything one transaction writes: appended events, the new snapshots, the planned timers of
 * each touched incident (unfired timers not planned any more are cancelled), timers marked fired,
 * and the outcomes of commands by idempotency key.
 *
 * @param at the instant of the commit, recorded as the firing time of fired timers
 */
public record ChangeSet(
    List<Appended> events,
    List<IncidentSnapshot> snapshots,
    Map<IncidentNumber, List<Timer>> timers,
    List<Timer> fired,
    Map<String, IncidentOutcome> outcomes,
    Instant at) {
  /** One event at its position ({@code seq}, from 1) in its incident's log. */
  public record Appended(IncidentNumber incident, long seq, IncidentEvent event) {
    public Appended {
      if (seq < 1) {
        throw new IllegalArgumentException("event positions start at 1, got " + seq + " for " + incident);
      }
    }
  }

  public ChangeSet {
    events = List.copyOf(events);
    snapshots = List.copyOf(snapshots);
    timers = Map.copyOf(timers);
    fired = List.copyOf(fired);
    outcomes = Map.copyOf(outcomes);
    Objects.requireNonNull(at, "at");
  }

  public boolean isEmpty() {
    return events.isEmpty() && snapshots.isEmpty() && timers.isEmpty() && fired.isEmpty() && outcomes.isEmpty();
  }
}
