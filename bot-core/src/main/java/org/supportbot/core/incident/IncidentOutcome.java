package org.supportbot.core.incident;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.supportbot.core.directory.Identity;

/** What a command came to. Expected refusals are values too ({@link Rejected}), never exceptions. */
public sealed interface IncidentOutcome {
  record Filed(IncidentNumber incident, IncidentState state) implements IncidentOutcome {}

  /** The command was applied; the case is now in {@code state} at log version {@code version}. */
  record Changed(IncidentNumber incident, IncidentState state, long version) implements IncidentOutcome {}

  record Claimed(IncidentNumber incident, Identity engineer) implements IncidentOutcome {}

  /** The engineer who claimed the case holds it already; nothing changed. */
  record AlreadyHeld(IncidentNumber incident, Identity engineer) implements IncidentOutcome {}

  /** Someone else holds the case. */
  record HeldBy(IncidentNumber incident, Identity holder, String message) implements IncidentOutcome {}

  record SplitInto(IncidentNumber incident, List<IncidentNumber> parts) implements IncidentOutcome {
    public SplitInto {
      parts = List.copyOf(parts);
    }
  }

  record TimeRecorded(IncidentNumber incident, Duration billed, boolean chargeable, String reason)
      implements IncidentOutcome {}

  /** Refused: what failed, the offending value and the fix. */
  record Rejected(String reason) implements IncidentOutcome {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
