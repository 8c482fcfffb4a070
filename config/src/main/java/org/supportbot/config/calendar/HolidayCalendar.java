package org.supportbot.config.calendar;

import java.time.LocalDate;
import java.util.Set;

/** Tells whether a local date is a holiday on which no support hours apply. */
@FunctionalInterface
public interface HolidayCalendar {
  HolidayCalendar NONE = date -> false;

  boolean isHoliday(LocalDate date);

  /** The holiday's name for explanations, or "" when unknown or not a holiday. */
  default String describe(LocalDate date) {
    return isHoliday(date) ? "holiday" : "";
  }

  /** A calendar of explicit dates only. */
  static HolidayCalendar of(Set<LocalDate> dates) {
    Set<LocalDate> copy = Set.copyOf(dates);
    return copy::contains;
  }
}
