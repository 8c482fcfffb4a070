package org.supportbot.core.billing;

import java.time.Duration;
import java.util.Objects;

/** How one time entry is billed: rounded duration, its zone, charged or free, and why. */
public record Charge(Duration billed, String zone, boolean chargeable, String reason) {
  public Charge {
    Objects.requireNonNull(billed, "billed");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(reason, "reason");
  }
}
