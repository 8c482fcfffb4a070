package org.supportbot.core.billing;

import java.time.Duration;
import java.util.Objects;

/**
 * How one time entry is billed: rounded duration, its zone, charged or free, and why;
 * {@code usesFreeTask} when it is free as one of a service contract's free tasks.
 */
public record Charge(Duration billed, String zone, boolean chargeable, String reason, boolean usesFreeTask) {
  public Charge(Duration billed, String zone, boolean chargeable, String reason) {
    this(billed, zone, chargeable, reason, false);
  }

  public Charge {
    Objects.requireNonNull(billed, "billed");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(reason, "reason");
  }
}
