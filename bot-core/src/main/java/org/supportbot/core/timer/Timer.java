package org.supportbot.core.timer;

import java.time.Instant;
import java.util.Objects;

/**
 * One durable timer. The key is (incident, kind, version): the version is the deadline version
 * (for SLA timers the deadline itself in epoch milliseconds, for request and closing timers the
 * request or resolution count), so a timer re-planned with the same key is the same timer and
 * cannot apply twice.
 *
 * @param kind e.g. "sla-warning:first_response:75", "sla-breach:first_response", "info-lapse", "quiet-close"
 */
public record Timer(String incident, String kind, long version, Instant dueAt) {
  public Timer {
    Objects.requireNonNull(incident, "incident");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(dueAt, "dueAt");
  }

  /** The identity of the firing: a repeat with the same key has no second effect. */
  public String key() {
    return incident + "/" + kind + "/" + version;
  }
}
