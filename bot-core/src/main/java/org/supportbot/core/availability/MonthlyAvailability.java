package org.supportbot.core.availability;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.supportbot.config.policy.Availability;
import org.supportbot.core.chatstate.ConversationStore.Maintenance;
import org.supportbot.core.chatstate.ConversationStore.Outage;

/**
 * One calendar month's availability, as the Atheer seed defines it: {@code ((total minutes in the
 * month - downtime) / total minutes in the month) x 100}, measured 24/7 in the policy's time zone,
 * where downtime is the outage time outside scheduled maintenance (excluded downtime). An outage
 * still going on counts up to {@code now}; a month not over yet is reported "so far". A started
 * minute of downtime counts as a whole minute.
 *
 * @param month the calendar month
 * @param zone the zone the month is measured in (the policy's calendar zone)
 * @param minutesInMonth the month's total minutes on a 24/7 basis
 * @param downtimeMinutes outage minutes, scheduled maintenance taken out
 * @param excludedMinutes outage minutes that fell in scheduled maintenance
 * @param maintenanceMinutes scheduled maintenance in the month
 * @param outages how many outages touched the month
 * @param percent the availability, four decimals
 * @param target the policy's target
 * @param complete whether the month is over at {@code now}
 */
public record MonthlyAvailability(YearMonth month, ZoneId zone, long minutesInMonth, long downtimeMinutes,
    long excludedMinutes, long maintenanceMinutes, int outages, BigDecimal percent, BigDecimal target,
    boolean complete) {

  public MonthlyAvailability {
    Objects.requireNonNull(month, "month");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(percent, "percent");
    Objects.requireNonNull(target, "target");
  }

  /** Computes {@code month} from the outages and maintenance windows that overlap it. */
  public static MonthlyAvailability of(YearMonth month, ZoneId zone, Availability policy, Instant now,
      List<Outage> outages, List<Maintenance> maintenance) {
    Instant from = start(month, zone);
    Instant to = start(month.plusMonths(1), zone);
    Instant until = now.isBefore(to) ? now : to;
    List<long[]> down = new ArrayList<>();
    int touched = 0;
    for (Outage o : outages) {
      long s = Math.max(o.start().toEpochMilli(), from.toEpochMilli());
      long e = Math.min(o.end().orElse(until).toEpochMilli(), until.toEpochMilli());
      if (s < e) {
        down.add(new long[] {s, e});
        touched++;
      }
    }
    List<long[]> planned = new ArrayList<>();
    for (Maintenance m : maintenance) {
      long s = Math.max(m.start().toEpochMilli(), from.toEpochMilli());
      long e = Math.min(m.end().toEpochMilli(), to.toEpochMilli());
      if (s < e) {
        planned.add(new long[] {s, e});
      }
    }
    List<long[]> downMerged = merge(down);
    List<long[]> plannedMerged = merge(planned);
    long downMs = length(downMerged);
    long overlapMs = overlap(downMerged, plannedMerged);
    long minutes = Duration.between(from, to).toMinutes();
    long downtime = Math.min(minutes, ceilMinutes(downMs - overlapMs));
    return new MonthlyAvailability(month, zone, minutes, downtime, ceilMinutes(overlapMs),
        Duration.ofMillis(length(plannedMerged)).toMinutes(), touched, Availability.percent(minutes, downtime),
        policy.targetPercent(), !now.isBefore(to));
  }

  /** Whether the month meets (so far) the target. */
  public boolean met() {
    return percent.compareTo(target) >= 0;
  }

  /** The figure as shown: two decimals, rounded down, so that a shown figure never flatters. */
  public String shown() {
    return percent.setScale(2, RoundingMode.DOWN).toPlainString() + "%";
  }

  /** The first instant of {@code month} in {@code zone}. */
  public static Instant start(YearMonth month, ZoneId zone) {
    return month.atDay(1).atStartOfDay(zone).toInstant();
  }

  /** How much of {@code [start, end)} falls in {@code month} (in {@code zone}). */
  public static Duration within(YearMonth month, ZoneId zone, Instant start, Instant end) {
    long s = Math.max(start.toEpochMilli(), start(month, zone).toEpochMilli());
    long e = Math.min(end.toEpochMilli(), start(month.plusMonths(1), zone).toEpochMilli());
    return s < e ? Duration.ofMillis(e - s) : Duration.ZERO;
  }

  private static long ceilMinutes(long ms) {
    return ms <= 0 ? 0 : (ms + 59_999) / 60_000;
  }

  private static List<long[]> merge(List<long[]> intervals) {
    List<long[]> sorted = new ArrayList<>(intervals);
    sorted.sort(Comparator.comparingLong(a -> a[0]));
    List<long[]> out = new ArrayList<>();
    for (long[] i : sorted) {
      if (!out.isEmpty() && out.getLast()[1] >= i[0]) {
        out.getLast()[1] = Math.max(out.getLast()[1], i[1]);
      } else {
        out.add(new long[] {i[0], i[1]});
      }
    }
    return out;
  }

  private static long length(List<long[]> merged) {
    return merged.stream().mapToLong(i -> i[1] - i[0]).sum();
  }

  private static long overlap(List<long[]> a, List<long[]> b) {
    long total = 0;
    for (long[] x : a) {
      for (long[] y : b) {
        long s = Math.max(x[0], y[0]);
        long e = Math.min(x[1], y[1]);
        if (s < e) {
          total += e - s;
        }
      }
    }
    return total;
  }
}
