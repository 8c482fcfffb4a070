package org.supportbot.config.calendar;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Support hours: a time zone, weekly windows (several per day allowed), holidays, dated
 * overrides, and the length of one "business day" used to turn day targets into hours.
 *
 * @param zone the zone the windows are read in
 * @param weekly windows per day of week; a day without an entry has no support hours
 * @param holidays dates with no support hours (unless overridden)
 * @param holidayDescription how the holidays were chosen, for explanations (e.g. "US public holidays")
 * @param overrides dated exceptions: special hours on a given date (an empty list closes the day)
 * @param businessDay the business time one business day stands for
 */
public record BusinessCalendar(
    ZoneId zone,
    Map<DayOfWeek, List<TimeWindow>> weekly,
    HolidayCalendar holidays,
    String holidayDescription,
    Map<LocalDate, List<TimeWindow>> overrides,
    Duration businessDay) {

  public BusinessCalendar {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(holidays, "holidays");
    Objects.requireNonNull(businessDay, "businessDay");
    holidayDescription = holidayDescription == null ? "" : holidayDescription;
    weekly = copyWindows(weekly, new EnumMap<>(DayOfWeek.class));
    overrides = copyWindows(overrides, new java.util.TreeMap<>());
    if (businessDay.isNegative() || businessDay.isZero()) {
      throw new IllegalArgumentException("a business day must be longer than zero, got " + businessDay);
    }
    if (weekly.values().stream().allMatch(List::isEmpty)) {
      throw new IllegalArgumentException("a calendar needs at least one weekly window");
    }
  }

  /** A calendar open around the clock every day of the year (every hour is a business hour). */
  public static BusinessCalendar alwaysOpen(ZoneId zone) {
    Map<DayOfWeek, List<TimeWindow>> all = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek d : DayOfWeek.values()) {
      all.put(d, List.of(new TimeWindow(0, TimeWindow.DAY_SECONDS)));
    }
    return new BusinessCalendar(zone, all, HolidayCalendar.NONE, "", Map.of(), Duration.ofHours(24));
  }

  /** Whether every moment of every day is inside support hours. */
  public boolean isAlwaysOpen() {
    if (!overrides.isEmpty() || holidays != HolidayCalendar.NONE) {
      return false;
    }
    for (DayOfWeek d : DayOfWeek.values()) {
      List<TimeWindow> w = weekly.getOrDefault(d, List.of());
      if (w.size() != 1 || w.get(0).startSecond() != 0 || w.get(0).endSecond() != TimeWindow.DAY_SECONDS) {
        return false;
      }
    }
    return true;
  }

  /** The windows that apply on a local date: an override, else none on a holiday, else the weekly ones. */
  public List<TimeWindow> windowsOn(LocalDate date) {
    List<TimeWindow> o = overrides.get(date);
    if (o != null) {
      return o;
    }
    if (holidays.isHoliday(date)) {
      return List.of();
    }
    return weekly.getOrDefault(date.getDayOfWeek(), List.of());
  }

  /** Whether the date is a holiday that removes weekly hours (used to explain deadlines). */
  public boolean isHolidayClosure(LocalDate date) {
    return !overrides.containsKey(date)
        && holidays.isHoliday(date)
        && !weekly.getOrDefault(date.getDayOfWeek(), List.of()).isEmpty();
  }

  private static <K> Map<K, List<TimeWindow>> copyWindows(Map<K, List<TimeWindow>> in, Map<K, List<TimeWindow>> out) {
    if (in != null) {
      for (Map.Entry<K, List<TimeWindow>> e : in.entrySet()) {
        List<TimeWindow> sorted = new ArrayList<>(e.getValue());
        Collections.sort(sorted);
        for (int i = 1; i < sorted.size(); i++) {
          if (sorted.get(i - 1).overlaps(sorted.get(i)) || sorted.get(i - 1).endSecond() == sorted.get(i).startSecond()) {
            throw new IllegalArgumentException(
                e.getKey() + ": windows " + sorted.get(i - 1) + " and " + sorted.get(i) + " overlap or touch; merge them into one");
          }
        }
        out.put(e.getKey(), List.copyOf(sorted));
      }
    }
    return Collections.unmodifiableMap(out);
  }
}
