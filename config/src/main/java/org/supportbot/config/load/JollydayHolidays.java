package org.supportbot.config.load;

import de.focus_shift.jollyday.core.Holiday;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.HolidayType;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.time.LocalDate;
import java.time.Year;
import java.util.HashSet;
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
  private final ConcurrentHashMap<Integer, Set<LocalDate>> byYear = new ConcurrentHashMap<>();

  private JollydayHolidays(HolidayManager manager, String[] region, Set<LocalDate> extra) {
    this.manager = manager;
    this.region = region.clone();
    this.extra = Set.copyOf(extra);
  }

  /**
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
      throw new IllegalArgumentException("\"" + region + "\" is not a region of " + country.toUpperCase(Locale.ROOT)
          + "; known regions: " + String.join(", ", new java.util.TreeSet<>(m.getCalendarHierarchy().getChildren().keySet())));
    }
    return h;
  }

  @Override
  public boolean isHoliday(LocalDate date) {
    return byYear.computeIfAbsent(date.getYear(), this::load).contains(date);
  }

  private Set<LocalDate> load(int year) {
    Set<LocalDate> dates = new HashSet<>();
    for (Holiday h : manager.getHolidays(Year.of(year), HolidayType.PUBLIC_HOLIDAY, region)) {
      dates.add(h.getActualDate());
    }
    for (LocalDate d : extra) {
      if (d.getYear() == year) {
        dates.add(d);
      }
    }
    return Set.copyOf(dates);
  }
}
