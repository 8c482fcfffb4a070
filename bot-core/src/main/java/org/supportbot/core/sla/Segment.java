package org.supportbot.core.sla;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A stretch of time behind a deadline and how it counted.
 *
 * @param note e.g. the holiday's date and source, or why the clock was paused
 */
public record Segment(Kind kind, Instant start, Instant end, String note) {
  /** How a stretch of time counted toward a target. */
  public enum Kind {
    /** Inside support hours while the clock ran. */
    COUNTED,
    /** Outside support hours (evenings, nights, weekends). */
    OUT_OF_HOURS,
    /** A holiday that removed a day's support hours. */
    HOLIDAY,
    /** The clock was stopped, e.g. while waiting on the customer. */
    PAUSED
  }

  public Segment {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    note = note == null ? "" : note;
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("segment ends before it starts: " + start + " .. " + end);
    }
  }

  public Duration length() {
    return Duration.between(start, end);
  }
}
