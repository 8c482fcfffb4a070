package org.supportbot.config.calendar;

import java.time.LocalTime;

/**
 * A window of support hours within one local day, {@code [start, end)} in seconds after local
 * midnight; {@code end} may be 86,400 for a window that runs to midnight ("24:00").
 */
public record TimeWindow(int startSecond, int endSecond) implements Comparable<TimeWindow> {
  public static final int DAY_SECONDS = 86_400;

  public TimeWindow {
    if (startSecond < 0 || startSecond >= DAY_SECONDS) {
      throw new IllegalArgumentException("window start must be within 00:00-23:59:59, got second " + startSecond);
    }
    if (endSecond <= startSecond || endSecond > DAY_SECONDS) {
      throw new IllegalArgumentException(
          "window end must be after its start and at most 24:00, got " + format(startSecond) + "-" + format(endSecond));
    }
  }

  public static TimeWindow of(LocalTime start, LocalTime end) {
    int e = end.equals(LocalTime.MIDNIGHT) ? DAY_SECONDS : end.toSecondOfDay();
    return new TimeWindow(start.toSecondOfDay(), e);
  }

  /** Parses {@code "09:00-17:30"}; {@code "24:00"} is allowed as an end. */
  public static TimeWindow parse(String text) {
    String[] parts = text.trim().split("\\s*-\\s*");
    if (parts.length != 2) {
      throw new IllegalArgumentException("\"" + text + "\" is not a window; write it as \"HH:MM-HH:MM\", e.g. \"09:00-17:00\"");
    }
    return new TimeWindow(parseClock(parts[0], false), parseClock(parts[1], true));
  }

  private static int parseClock(String s, boolean allow24) {
    if (allow24 && (s.equals("24:00") || s.equals("24:00:00"))) {
      return DAY_SECONDS;
    }
    try {
      return LocalTime.parse(s.length() == 4 ? "0" + s : s).toSecondOfDay();
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("\"" + s + "\" is not a time of day; write HH:MM, e.g. \"09:00\" (\"24:00\" only as an end)");
    }
  }

  public int lengthSeconds() {
    return endSecond - startSecond;
  }

  public boolean overlaps(TimeWindow other) {
    return startSecond < other.endSecond && other.startSecond < endSecond;
  }

  @Override
  public int compareTo(TimeWindow o) {
    return Integer.compare(startSecond, o.startSecond);
  }

  @Override
  public String toString() {
    return format(startSecond) + "-" + format(endSecond);
  }

  static String format(int second) {
    return String.format("%02d:%02d", second / 3600, (second % 3600) / 60)
        + (second % 60 == 0 ? "" : String.format(":%02d", second % 60));
  }
}
