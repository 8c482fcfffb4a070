package org.supportbot.config.policy;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of time as a policy states it: business time ("4 business hours", "2 business
 * days"), calendar time ("3 days", "24 hours"), or no deadline at all ("best effort").
 */
public record BusinessDuration(long amount, Unit unit, String text) {

  /** How an amount is counted. */
  public enum Unit {
    BUSINESS_MINUTES(true),
    BUSINESS_HOURS(true),
    BUSINESS_DAYS(true),
    MINUTES(false),
    HOURS(false),
    DAYS(false),
    /** No deadline: "best effort". */
    NONE(false);

    private final boolean business;

    Unit(boolean business) {
      this.business = business;
    }

    public boolean isBusiness() {
      return business;
    }
  }

  private static final Pattern FORM = Pattern.compile(
      "(\\d{1,6})\\s*(business\\s+)?(m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks)",
      Pattern.CASE_INSENSITIVE);

  public BusinessDuration {
    Objects.requireNonNull(unit, "unit");
    if (amount < 0) {
      throw new IllegalArgumentException("an amount of time cannot be negative: " + amount);
    }
    if (unit == Unit.NONE && amount != 0) {
      throw new IllegalArgumentException("\"best effort\" has no amount");
    }
    text = text == null ? canonical(amount, unit) : text;
  }

  public static BusinessDuration none(String text) {
    return new BusinessDuration(0, Unit.NONE, text == null ? "best effort" : text);
  }

  public static BusinessDuration of(long amount, Unit unit) {
    return new BusinessDuration(amount, unit, null);
  }

  /**
   * Parses "4 business hours", "1 business day", "3 days", "30m", "best effort" or "none".
   *
   * @throws IllegalArgumentException with a message that shows the accepted forms
   */
  public static BusinessDuration parse(String text) {
    String t = text == null ? "" : text.trim();
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.equals("best effort") || lower.equals("none") || lower.equals("no target")) {
      return none(t);
    }
    Matcher m = FORM.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("\"" + t + "\" is not a duration; write e.g. \"4 business hours\", "
          + "\"2 business days\", \"3 days\" (calendar time) or \"best effort\" (no deadline)");
    }
    long n = Long.parseLong(m.group(1));
    boolean business = m.group(2) != null;
    String u = m.group(3).toLowerCase(Locale.ROOT);
    Unit unit;
    if (u.startsWith("m")) {
      unit = business ? Unit.BUSINESS_MINUTES : Unit.MINUTES;
    } else if (u.startsWith("h")) {
      unit = business ? Unit.BUSINESS_HOURS : Unit.HOURS;
    } else if (u.startsWith("w")) {
      if (business) {
        throw new IllegalArgumentException("\"" + t + "\": business weeks are ambiguous; write business days instead, e.g. \""
            + (n * 5) + " business days\"");
      }
      unit = Unit.DAYS;
      n = n * 7;
    } else {
      unit = business ? Unit.BUSINESS_DAYS : Unit.DAYS;
    }
    return new BusinessDuration(n, unit, t);
  }

  public boolean hasDeadline() {
    return unit != Unit.NONE;
  }

  public boolean isBusiness() {
    return unit.isBusiness();
  }

  /**
   * The amount as a plain duration: business time for business units (a business day counting
   * {@code businessDay}), elapsed time otherwise.
   *
   * @throws IllegalStateException for "best effort"
   */
  public Duration toDuration(Duration businessDay) {
    return switch (unit) {
      case BUSINESS_MINUTES, MINUTES -> Duration.ofMinutes(amount);
      case BUSINESS_HOURS, HOURS -> Duration.ofHours(amount);
      case BUSINESS_DAYS -> businessDay.multipliedBy(amount);
      case DAYS -> Duration.ofDays(amount);
      case NONE -> throw new IllegalStateException("\"" + text + "\" has no deadline");
    };
  }

  private static String canonical(long amount, Unit unit) {
    return switch (unit) {
      case BUSINESS_MINUTES -> amount + " business minute" + (amount == 1 ? "" : "s");
      case BUSINESS_HOURS -> amount + " business hour" + (amount == 1 ? "" : "s");
      case BUSINESS_DAYS -> amount + " business day" + (amount == 1 ? "" : "s");
      case MINUTES -> amount + " minute" + (amount == 1 ? "" : "s");
      case HOURS -> amount + " hour" + (amount == 1 ? "" : "s");
      case DAYS -> amount + " day" + (amount == 1 ? "" : "s");
      case NONE -> "best effort";
    };
  }

  @Override
  public String toString() {
    return text;
  }
}
