package org.supportbot.app.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How times read on the pages. */
public final class Time {
  private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("EEE d MMM yyyy HH:mm", Locale.ENGLISH);

  private Time() {}

  /** "in 3h 20m", "2d 4h ago", "now". */
  public static String relative(Instant now, Instant at) {
    Duration d = Duration.between(now, at);
    boolean past = d.isNegative();
    String span = span(d.abs());
    return span.equals("0m") ? "now" : past ? span + " ago" : "in " + span;
  }

  /** "2d 4h", "3h 20m", "45m". */
  public static String span(Duration d) {
    long minutes = d.toMinutes();
    long days = minutes / (24 * 60);
    long hours = minutes / 60 % 24;
    long mins = minutes % 60;
    if (days > 0) {
      return days + "d" + (hours > 0 ? " " + hours + "h" : "");
    }
    if (hours > 0) {
      return hours + "h" + (mins > 0 ? " " + mins + "m" : "");
    }
    return mins + "m";
  }

  /** "Mon 23 Nov 2026 09:00 UTC" in {@code zone}. */
  public static String at(Instant at, ZoneId zone) {
    return AT.format(at.atZone(zone)) + " " + zone.getId();
  }

  public static String utc(Instant at) {
    return at(at, ZoneId.of("UTC"));
  }
}
