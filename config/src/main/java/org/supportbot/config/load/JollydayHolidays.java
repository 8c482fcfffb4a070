package org.supportbot.config.load;

import de.focus_shift.jollyday.core.Holiday;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.HolidayType;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.time.LocalDate;
import java.time.Year;
import java.util.HashMap;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.supportbot.config.calendar.HolidayCalendar;

/**
 * Public holidays of a country (and optionally a region) from the Jollyday library, plus explicit
 * dates; each year is computed once and cached. Holidays moved to a weekday (observed) count on
 * the day they are observed.
 */
final class JollydayHolidays implements HolidayCalendar {
  private final HolidayManager manager;
  private final String[] region;
  private final Set<LocalDate> extra;
  private final ConcurrentHashMap<Integer, Map<LocalDate, String>> byYear = new ConcurrentHashMap<>();

  private JollydayHolidays(HolidayManager manager, String[] region, Set<LocalDate> extra) {
    this.manager = manager;
    this.region = region.clone();
    this.extra = Set.copyOf(extra);
  }

  /**
   * @throws UnknownRegionException when the country has no such region
   * @throws IllegalArgumentException when Jollyday knows no such country
   */
  static JollydayHolidays of(String country, String region, Set<LocalDate> extra) {
    String code = country.toLowerCase(Locale.ROOT);
    if (HolidayManager.getSupportedCalendarCodes().stream().noneMatch(c -> c.equalsIgnoreCase(code))) {
      throw new IllegalArgumentException("\"" + country + "\" is not a country the holiday library knows; use an ISO 3166 code such as US, GB, DE, AU");
    }
    HolidayManager m = HolidayManager.getInstance(ManagerParameters.create(code));
    String[] args = region == null || region.isBlank() ? new String[0] : region.toLowerCase(Locale.ROOT).split("/");
    JollydayHolidays h = new JollydayHolidays(m, args, extra);
    if (args.length > 0 && !m.getCalendarHierarchy().getChildren().containsKey(args[0])) {
      throw new UnknownRegionException("\"" + region + "\" is not a region of " + country.toUpperCase(Locale.ROOT)
          + "; known regions: " + String.join(", ", new java.util.TreeSet<>(m.getCalendarHierarchy().getChildren().keySet())));
    }
    return h;
  }

  /** The country is known but the region is not. */
  static final class UnknownRegionException extends IllegalArgumentException {
    UnknownRegionException(String message) {
      super(message);
    }
  }

  @Override
  public boolean isHoliday(LocalDate date) {
    return byYear.computeIfAbsent(date.getYear(), this::load).containsKey(date);
  }

  @Override
  public String describe(LocalDate date) {
    return byYear.computeIfAbsent(date.getYear(), this::load).getOrDefault(date, "");
  }

  private Map<LocalDate, String> load(int year) {
    Map<LocalDate, String> dates = new HashMap<>();
    // Jollyday lists a holiday under the year of its actual date, but getDate() is the day it is
    // observed (Independence Day on a Saturday: the Friday before), which can fall in the year
    // before or after: New Year's Day 2028, a Saturday, is observed in the US on Friday 2027-12-31.
    // So the neighbouring years are read too and every holiday is kept under its observed date.
    for (int y = year - 1; y <= year + 1; y++) {
      for (Holiday h : manager.getHolidays(Year.of(y), HolidayType.PUBLIC_HOLIDAY, region)) {
        if (h.getDate().getYear() == year) {
          dates.put(h.getDate(), h.getDescription(Locale.ENGLISH));
        }
      }
    }
    for (LocalDate d : extra) {
      if (d.getYear() == year) {
        dates.putIfAbsent(d, "listed holiday");
      }
    }
    return Map.copyOf(dates);
  }
}
