package org.supportbot.config.policy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The service availability commitment (Atheer: 98.5 % a month, measured 24/7).
 *
 * @param targetPercent the monthly availability target, e.g. 98.5
 * @param excludedDowntime what does not count as downtime, quoted in reports
 * @param maintenanceNotice how far ahead scheduled maintenance must be announced
 * @param maxScheduledMaintenancePerMonth the most scheduled maintenance a month may hold
 * @param emergencyMaintenanceExcluded whether reasonable emergency maintenance is excluded downtime
 */
public record Availability(
    BigDecimal targetPercent,
    List<String> excludedDowntime,
    Duration maintenanceNotice,
    Duration maxScheduledMaintenancePerMonth,
    boolean emergencyMaintenanceExcluded) {
  public Availability {
    Objects.requireNonNull(targetPercent, "targetPercent");
    if (targetPercent.signum() <= 0 || targetPercent.compareTo(BigDecimal.valueOf(100)) > 0) {
      throw new IllegalArgumentException("availability target must be above 0 and at most 100 %, got " + targetPercent);
    }
    excludedDowntime = List.copyOf(excludedDowntime);
    Objects.requireNonNull(maintenanceNotice, "maintenanceNotice");
  }

  /**
   * Availability of a month in percent: (minutes in the month - downtime) / minutes in the month,
   * where downtime already has the excluded minutes taken out.
   */
  public static BigDecimal percent(long minutesInMonth, long downtimeMinutes) {
    if (minutesInMonth <= 0 || downtimeMinutes < 0 || downtimeMinutes > minutesInMonth) {
      throw new IllegalArgumentException("downtime must be between 0 and " + minutesInMonth + " minutes, got " + downtimeMinutes);
    }
    return BigDecimal.valueOf(minutesInMonth - downtimeMinutes)
        .multiply(BigDecimal.valueOf(100))
        .divide(BigDecimal.valueOf(minutesInMonth), 4, java.math.RoundingMode.HALF_EVEN);
  }
}
