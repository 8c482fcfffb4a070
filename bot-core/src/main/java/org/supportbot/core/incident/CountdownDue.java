package org.supportbot.core.incident;

import java.util.Objects;
import java.time.Instant;

/** A live countdown to refresh: {@code target} of {@code incident} is due at {@code deadline}, as of {@code at}. */
public record CountdownDue(IncidentNumber incident, String target, Instant deadline, Instant at) {
  public CountdownDue {
    Objects.requireNonNull(incident, "incident");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(at, "at");
  }
}
