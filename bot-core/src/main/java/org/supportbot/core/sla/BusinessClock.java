package org.supportbot.core.sla;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.supportbot.config.calendar.BusinessCalendar;
import org.supportbot.config.calendar.TimeWindow;

/**
 * Business-time arithmetic on a {@link BusinessCalendar}: add business time to an instant, measure
 * the business time between two instants, find the next business instant, and explain a span.
 *
 * <p>Each local year of the calendar is turned once into a table of its windows as real instants
 * (so daylight-saving gaps and overlaps are measured as the clock on the wall runs) with prefix
 * sums of business time per day. Every operation is then a pair of binary searches: its cost does
 * not depend on the length of the span, only on the number of years it crosses. Precision is one
 * millisecond. Instances are thread-safe.
 */
public final class BusinessClock {
  private final BusinessCalendar calendar;
  private final ConcurrentHashMap<Integer, YearTable> years = new ConcurrentHashMap<>();
  private volatile YearTable last;

  public BusinessClock(BusinessCalendar calendar) {
    this.calendar = calendar;
  }

  public BusinessCalendar calendar() {
    return calendar;
  }

  /**
   * The earliest instant at which the business time elapsed since {@code from} reaches
   * {@code amount}; {@code from} itself when the amount is zero.
   */
  public Instant add(Instant from, Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("business time to add cannot be negative: " + amount);
    }
    long ms = amount.toMillis();
    if (ms == 0) {
      return from;
    }
    long t = from.toEpochMilli();
    YearTable table = tableFor(t);
    long target = table.position(t) + ms;
    while (target > table.total) {
      target -= table.total;
      table = table(table.year + 1);
    }
    return Instant.ofEpochMilli(table.locate(target));
  }

  /** Business time elapsed between two instants; zero when {@code to} is not after {@code from}. */
  public Duration between(Instant from, Instant to) {
    long a = from.toEpochMilli();
    long b = to.toEpochMilli();
    if (b <= a) {
      return Duration.ZERO;
    }
    YearTable ta = tableFor(a);
    YearTable tb = tableFor(b);
    if (ta == tb) {
      return Duration.ofMillis(tb.position(b) - ta.position(a));
    }
    long sum = ta.total - ta.position(a);
    for (int y = ta.year + 1; y < tb.year; y++) {
      sum += table(y).total;
    }
    return Duration.ofMillis(sum + tb.position(b));
  }

  /** {@code at} when it lies inside support hours, otherwise the start of the next window. */
  public Instant nextBusinessInstant(Instant at) {
    long t = at.toEpochMilli();
    YearTable table = tableFor(t);
    for (int guard = 0; guard < 20; guard++) {
      long next = table.nextOpen(t);
      if (next >= 0) {
        return next == t ? at : Instant.ofEpochMilli(next);
      }
      table = table(table.year + 1);
      t = table.start;
    }
    throw new IllegalStateException("no support hours within 20 years of " + at + "; check the calendar");
  }

  /** Whether {@code at} lies inside support hours. */
  public boolean isOpen(Instant at) {
    long t = at.toEpochMilli();
    return tableFor(t).nextOpen(t) == t;
  }

  /**
   * The span {@code [from, to)} cut into counted, out-of-hours and holiday segments, adjacent
   * segments of the same kind merged. Meant for explanations, not hot paths: it walks the days.
   */
  public List<Segment> explain(Instant from, Instant to) {
    List<Segment> out = new ArrayList<>();
    long a = from.toEpochMilli();
    long b = to.toEpochMilli();
    long cursor = a;
    YearTable table = tableFor(a);
    while (cursor < b) {
      if (cursor >= table.end) {
        table = table(table.year + 1);
      }
      int d = table.dayIndex(cursor);
      long dayEnd = Math.min(table.dayStart[d + 1], b);
      LocalDate date = table.firstDate.plusDays(d);
      boolean holiday = calendar.isHolidayClosure(date);
      for (int w = table.dayFirst[d]; w < table.dayFirst[d + 1] && cursor < dayEnd; w++) {
        long ws = Math.max(table.winStart[w], cursor);
        long we = Math.min(table.winEnd[w], dayEnd);
        if (we <= cursor) {
          continue;
        }
        if (ws > cursor) {
          append(out, Segment.Kind.OUT_OF_HOURS, cursor, Math.min(ws, dayEnd), "");
          cursor = Math.min(ws, dayEnd);
        }
        if (we > cursor) {
          append(out, Segment.Kind.COUNTED, cursor, we, "");
          cursor = we;
        }
      }
      if (cursor < dayEnd) {
        append(out, holiday ? Segment.Kind.HOLIDAY : Segment.Kind.OUT_OF_HOURS, cursor, dayEnd,
            holiday ? date + " " + calendar.holidays().describe(date) : "");
        cursor = dayEnd;
      }
    }
    return out;
  }

  private static void append(List<Segment> out, Segment.Kind kind, long start, long end, String note) {
    if (end <= start) {
      return;
    }
    if (!out.isEmpty()) {
      Segment prev = out.get(out.size() - 1);
      if (prev.kind() == kind && prev.end().toEpochMilli() == start) {
        String merged = kind == Segment.Kind.HOLIDAY && !note.isEmpty() && !prev.note().contains(note)
            ? prev.note() + "; " + note : prev.note();
        out.set(out.size() - 1, new Segment(kind, prev.start(), Instant.ofEpochMilli(end), merged));
        return;
      }
    }
    out.add(new Segment(kind, Instant.ofEpochMilli(start), Instant.ofEpochMilli(end), note));
  }

  private YearTable tableFor(long epochMilli) {
    YearTable l = last;
    if (l != null && epochMilli >= l.start && epochMilli < l.end) {
      return l;
    }
    // The local year is within one day of the UTC year.
    int guess = Instant.ofEpochMilli(epochMilli).atOffset(ZoneOffset.UTC).getYear();
    YearTable t = table(guess);
    if (epochMilli < t.start) {
      t = table(guess - 1);
    } else if (epochMilli >= t.end) {
      t = table(guess + 1);
    }
    last = t;
    return t;
  }

  private YearTable table(int year) {
    if (year < 1900 || year > 9000) {
      throw new IllegalArgumentException("instant out of the supported range (years 1900-9000): year " + year);
    }
    return years.computeIfAbsent(year, y -> new YearTable(calendar, y));
  }

  /** One local year: its days, their windows as epoch milliseconds, and prefix sums of business time. */
  private static final class YearTable {
    final int year;
    final LocalDate firstDate;
    final long start;
    final long end;
    /** Local midnight of each day, plus the next year's first midnight. */
    final long[] dayStart;
    /** Index into winStart/winEnd of each day's first window, plus a sentinel. */
    final int[] dayFirst;
    final long[] winStart;
    final long[] winEnd;
    /** Business milliseconds before each day, plus the year's total. */
    final long[] cum;
    final long total;

    YearTable(BusinessCalendar cal, int year) {
      this.year = year;
      this.firstDate = LocalDate.of(year, 1, 1);
      int days = firstDate.lengthOfYear();
      dayStart = new long[days + 1];
      dayFirst = new int[days + 1];
      cum = new long[days + 1];
      List<long[]> windows = new ArrayList<>();
      long running = 0;
      for (int d = 0; d < days; d++) {
        LocalDate date = firstDate.plusDays(d);
        dayStart[d] = date.atStartOfDay(cal.zone()).toInstant().toEpochMilli();
        dayFirst[d] = windows.size();
        cum[d] = running;
        long nextMidnight = date.plusDays(1).atStartOfDay(cal.zone()).toInstant().toEpochMilli();
        long previousEnd = Long.MIN_VALUE;
        for (TimeWindow w : cal.windowsOn(date)) {
          long s = instant(cal, date, w.startSecond(), nextMidnight);
          long e = instant(cal, date, w.endSecond(), nextMidnight);
          s = Math.max(s, previousEnd);
          if (e > s) {
            windows.add(new long[] {s, e});
            running += e - s;
            previousEnd = e;
          }
        }
      }
      dayStart[days] = LocalDate.of(year + 1, 1, 1).atStartOfDay(cal.zone()).toInstant().toEpochMilli();
      dayFirst[days] = windows.size();
      cum[days] = running;
      total = running;
      start = dayStart[0];
      end = dayStart[days];
      winStart = new long[windows.size()];
      winEnd = new long[windows.size()];
      for (int i = 0; i < windows.size(); i++) {
        winStart[i] = windows.get(i)[0];
        winEnd[i] = windows.get(i)[1];
      }
    }

    private static long instant(BusinessCalendar cal, LocalDate date, int secondOfDay, long nextMidnight) {
      if (secondOfDay >= TimeWindow.DAY_SECONDS) {
        return nextMidnight;
      }
      // In a daylight-saving gap the wall time is moved forward by the gap; in an overlap the earlier offset is used.
      return date.atStartOfDay().plusSeconds(secondOfDay).atZone(cal.zone()).toInstant().toEpochMilli();
    }

    int dayIndex(long t) {
      int lo = 0;
      int hi = dayStart.length - 2;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (dayStart[mid] <= t) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      return lo;
    }

    /** Business milliseconds of this year before {@code t}. */
    long position(long t) {
      int d = dayIndex(t);
      long p = cum[d];
      for (int w = dayFirst[d]; w < dayFirst[d + 1]; w++) {
        if (t <= winStart[w]) {
          break;
        }
        p += Math.min(t, winEnd[w]) - winStart[w];
      }
      return p;
    }

    /** The earliest instant whose position reaches {@code target}, for {@code 0 < target <= total}. */
    long locate(long target) {
      int lo = 1;
      int hi = cum.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cum[mid] >= target) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      int d = lo - 1;
      long r = target - cum[d];
      for (int w = dayFirst[d]; w < dayFirst[d + 1]; w++) {
        long len = winEnd[w] - winStart[w];
        if (r <= len) {
          return winStart[w] + r;
        }
        r -= len;
      }
      throw new IllegalStateException("business time table of " + year + " is inconsistent at day " + d);
    }

    /** {@code t} if open, else the next window start in this year, or -1 when none is left. */
    long nextOpen(long t) {
      for (int d = dayIndex(t); d < dayStart.length - 1; d++) {
        for (int w = dayFirst[d]; w < dayFirst[d + 1]; w++) {
          if (t < winEnd[w]) {
            return Math.max(t, winStart[w]);
          }
        }
      }
      return -1;
    }
  }
}
