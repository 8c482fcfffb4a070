package org.supportbot.core.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.supportbot.config.load.Suggestions;

/**
 * Reads slash commands. A command names its case where its usage puts it: first
 * ({@code /claim ACME-42}, {@code /time ACME-42 25m note}), or first or last where the usage puts
 * it last ({@code /severity P1 production is down ACME-42}, {@code /assign @sam ACME-42}); {@code
 * /merge ACME-42 ACME-7} names the duplicate and the case it goes into, {@code /sla} takes {@code
 * why} and the case in either order. Inside a case's thread the case may be left out. Mistakes come
 * back as {@link Parsed.Invalid} with the usage.
 */
public final class CommandParser {

  /** Usage of every command, in the order {@code /help} lists them. */
  public static final Map<String, String> USAGE = usage();

  /** The commands customers may use; the others are the vendor's engineers' only. */
  public static final Set<String> FOR_CUSTOMERS = Set.of("support", "severity", "reopen", "escalate", "transcript",
      "rate", "board", "availability", "help");

  private static final Pattern NUMBER = Pattern.compile("#?([A-Za-z][A-Za-z0-9]{0,15}-\\d{1,9})");
  private static final Pattern DURATION = Pattern.compile(
      "(?:(\\d{1,3})\\s*h(?:ours?|rs?)?)?\\s*(?:(\\d{1,4})\\s*m(?:in(?:utes?)?)?)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern DECIMAL_HOURS = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,2})?)\\s*h(?:ours?|rs?)?",
      Pattern.CASE_INSENSITIVE);

  /** What a command line came to. */
  public sealed interface Parsed {
    /** A well-formed command and the case it names, if it names one. */
    record Ok(DeskCommand command, Optional<String> incident) implements Parsed {}

    record Invalid(String message) implements Parsed {}
  }

  private static Map<String, String> usage() {
    Map<String, String> u = new LinkedHashMap<>();
    u.put("support", "/support - file a new case; the desk asks its questions one at a time (customers)");
    u.put("claim", "/claim [CASE] - take the case");
    u.put("unclaim", "/unclaim [CASE] - give the case back to the queue");
    u.put("assign", "/assign @person [CASE] - give the case to an engineer");
    u.put("ack", "/ack [CASE] [message] - confirm receipt to the customer");
    u.put("severity", "/severity LEVEL reason [CASE] - change the level (customers: ask to discuss it)");
    u.put("info", "/info [CASE] question - ask the customer for information; the case waits on them");
    u.put("update", "/update [CASE] text - post a public update");
    u.put("escalate", "/escalate reason [CASE] - escalate where the policy allows");
    u.put("resolve", "/resolve [CASE] TYPE note - resolve with a resolution type");
    u.put("close", "/close [CASE] [reason] - close the case");
    u.put("reopen", "/reopen [reason] [CASE] - reopen within the policy's window");
    u.put("split", "/split [CASE] first title; second title - split into subordinate cases");
    u.put("merge", "/merge [CASE] NUMBER - merge the duplicate CASE (or this thread's case) into NUMBER");
    u.put("time", "/time [CASE] 25m [comm] note - log worked time (comm: communication with the client)");
    u.put("sla", "/sla why [CASE] - the segments behind the next deadline");
    u.put("transcript", "/transcript [CASE] - the case's whole record as a Markdown file (customers get it by direct"
        + " message)");
    u.put("rate", "/rate [CASE] SCORE [comment] - rate a resolved case from 1 (poor) to 5 (excellent), with a comment"
        + " if you like (customers)");
    u.put("queue", "/queue [page] - open cases by next deadline, 25 at a time");
    u.put("mine", "/mine - your open cases");
    u.put("board", "/board - a one-time sign-in link to the web board");
    u.put("outage", "/outage start|end [note] - record that the service went down or is back, from now");
    u.put("maintenance", "/maintenance schedule START DURATION note | emergency DURATION note | cancel START [reason]"
        + " - schedule maintenance, START with its offset (2026-12-05T02:00-08:00), DURATION like 2h; the policy's"
        + " notice and monthly limit apply; emergency: from now, without notice; cancel: a window not yet started");
    u.put("availability", "/availability [YYYY-MM] - the month's availability against the policy's target");
    u.put("report", "/report satisfaction [YYYY-MM] - the month's satisfaction ratings by organization and engineer");
    u.put("help", "/help - this list");
    return java.util.Collections.unmodifiableMap(u);
  }

  /**
   * Commands whose usage puts the case last ({@code /severity LEVEL reason [CASE]}); a case number
   * given first is read too. The others read it first only, so a number inside a note or a reason
   * is never taken for the case.
   */
  private static final Set<String> CASE_FIRST_OR_LAST = Set.of("assign", "severity", "escalate", "reopen");

  /** Reads {@code /name args} typed by one of the vendor's engineers. */
  public Parsed parse(String name, String args) {
    return parse(name, args, true);
  }

  /**
   * Reads {@code /name args}; {@code vendor} says whether the person is one of the vendor's
   * engineers: customers are refused the vendor's commands before their arguments are read, and
   * are only ever pointed to commands they may use.
   */
  public Parsed parse(String name, String args, boolean vendor) {
    String cmd = name.toLowerCase(Locale.ROOT).replaceFirst("^/", "");
    if (!USAGE.containsKey(cmd)) {
      List<String> allowed = USAGE.keySet().stream().filter(c -> vendor || FOR_CUSTOMERS.contains(c)).toList();
      return new Parsed.Invalid("Unknown command `/" + cmd + "`."
          + Suggestions.closest(cmd, allowed).map(s -> " Did you mean `/" + s + "`?").orElse("")
          + " Type /help for the list.");
    }
    if (!vendor && !FOR_CUSTOMERS.contains(cmd)) {
      return new Parsed.Invalid("Only the vendor's support engineers can use /" + cmd
          + ". To add information to your case, reply in its thread.");
    }
    String rest = args == null ? "" : args.strip();
    Optional<String> incident = Optional.empty();
    switch (cmd) {
      case "support", "queue", "mine", "board", "help", "outage", "maintenance", "availability", "report" -> { }
      case "merge" -> {
        List<String> words = words(rest);
        if (words.size() == 2 && NUMBER.matcher(words.get(0)).matches()) {
          incident = Optional.of(number(words.get(0)));
          rest = words.get(1);
        }
      }
      case "sla" -> {
        List<String> other = new ArrayList<>();
        for (String w : words(rest)) {
          if (incident.isEmpty() && NUMBER.matcher(w).matches()) {
            incident = Optional.of(number(w));
          } else {
            other.add(w);
          }
        }
        rest = String.join(" ", other);
      }
      default -> {
        String first = firstWord(rest);
        String last = lastWord(rest);
        if (!first.isEmpty() && NUMBER.matcher(first).matches()) {
          incident = Optional.of(number(first));
          rest = afterFirstWord(rest);
        } else if (CASE_FIRST_OR_LAST.contains(cmd) && !last.isEmpty() && NUMBER.matcher(last).matches()) {
          incident = Optional.of(number(last));
          rest = beforeLastWord(rest);
        }
      }
    }
    try {
      return new Parsed.Ok(read(cmd, rest), incident);
    } catch (IllegalArgumentException e) {
      return new Parsed.Invalid(e.getMessage() + " Usage: " + USAGE.get(cmd));
    }
  }

  /** The example of a command's usage with {@code example} as its case: {@code /claim ACME-42}. */
  static String example(String cmd, String example) {
    String usage = USAGE.get(cmd);
    return usage.substring(0, usage.indexOf(" - ")).replace("[CASE]", example);
  }

  private static DeskCommand read(String cmd, String rest) {
    return switch (cmd) {
      case "support" -> new DeskCommand.Support(rest);
      case "claim" -> new DeskCommand.Claim();
      case "unclaim" -> new DeskCommand.Unclaim();
      case "assign" -> {
        String who = firstWord(rest);
        if (who.isEmpty()) {
          throw new IllegalArgumentException("Say whom to assign: /assign @person.");
        }
        yield new DeskCommand.Assign(Mention.read(who.startsWith("@") || who.startsWith("<") ? who : "@" + who,
            "/assign @sam").userId());
      }
      case "ack" -> new DeskCommand.Ack(rest);
      case "severity" -> {
        String level = firstWord(rest);
        String reason = afterFirstWord(rest);
        if (level.isEmpty() || reason.isEmpty()) {
          throw new IllegalArgumentException("Give the level and the reason, e.g. /severity S1 production is down.");
        }
        yield new DeskCommand.Severity(level, reason);
      }
      case "info" -> new DeskCommand.Info(required(rest, "Write the question for the customer."));
      case "update" -> new DeskCommand.Update(required(rest, "Write the update."));
      case "escalate" -> new DeskCommand.Escalate(required(rest, "Give a reason for the escalation."));
      case "resolve" -> {
        String type = firstWord(rest);
        if (type.isEmpty()) {
          throw new IllegalArgumentException("Give a resolution type and a note, e.g. /resolve workaround restart the agent.");
        }
        yield new DeskCommand.Resolve(type.toLowerCase(Locale.ROOT).replace('-', '_'), afterFirstWord(rest));
      }
      case "close" -> new DeskCommand.Close(rest);
      case "reopen" -> new DeskCommand.Reopen(rest);
      case "split" -> {
        List<String> titles = Arrays.stream(rest.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (titles.size() < 2) {
          throw new IllegalArgumentException("Give at least two titles separated by ';', one per subordinate case.");
        }
        yield new DeskCommand.Split(titles);
      }
      case "merge" -> {
        Matcher m = NUMBER.matcher(rest);
        if (!m.matches()) {
          throw new IllegalArgumentException("Give the number of the case to merge into, e.g. /merge ACME-41,"
              + " or the duplicate and the case to merge it into, e.g. /merge ACME-42 ACME-41.");
        }
        yield new DeskCommand.Merge(m.group(1).toUpperCase(Locale.ROOT));
      }
      case "time" -> time(rest);
      case "sla" -> {
        if (!rest.equalsIgnoreCase("why") && !rest.isEmpty()) {
          throw new IllegalArgumentException("\"" + rest + "\" is not understood; write /sla why ACME-42, /sla ACME-42 why,"
              + " or /sla why in the case's thread.");
        }
        yield new DeskCommand.SlaWhy();
      }
      case "transcript" -> {
        if (!rest.isEmpty()) {
          throw new IllegalArgumentException("\"" + rest + "\" is not understood; write /transcript ACME-42, or"
              + " /transcript in the case's thread.");
        }
        yield new DeskCommand.Transcript();
      }
      case "rate" -> {
        String score = firstWord(rest);
        if (!score.matches("[1-5]")) {
          throw new IllegalArgumentException((score.isEmpty() ? "Give a score" : "\"" + score + "\" is not a score; give one")
              + " from 1 (poor) to 5 (excellent), e.g. /rate ACME-42 4 quick and clear.");
        }
        yield new DeskCommand.Rate(Integer.parseInt(score), afterFirstWord(rest));
      }
      case "report" -> report(rest);
      case "queue" -> {
        if (rest.isEmpty()) {
          yield new DeskCommand.Queue(1);
        }
        if (!rest.matches("[1-9][0-9]{0,3}")) {
          throw new IllegalArgumentException("\"" + rest + "\" is not a page number.");
        }
        yield new DeskCommand.Queue(Integer.parseInt(rest));
      }
      case "mine" -> new DeskCommand.Mine();
      case "board" -> new DeskCommand.Board();
      case "help" -> new DeskCommand.Help();
      case "outage" -> outage(rest);
      case "maintenance" -> maintenance(rest);
      case "availability" -> {
        if (rest.isEmpty()) {
          yield new DeskCommand.AvailabilityReport(Optional.empty());
        }
        try {
          yield new DeskCommand.AvailabilityReport(Optional.of(java.time.YearMonth.parse(rest)));
        } catch (java.time.format.DateTimeParseException e) {
          throw new IllegalArgumentException("\"" + rest + "\" is not a month; write it as YYYY-MM, e.g. 2026-12.");
        }
      }
      default -> throw new IllegalStateException("command " + cmd + " is listed but not read");
    };
  }

  private static DeskCommand report(String rest) {
    List<String> words = words(rest);
    if (words.isEmpty() || !words.get(0).equalsIgnoreCase("satisfaction")) {
      throw new IllegalArgumentException((words.isEmpty() ? "Say which report" : "\"" + words.get(0)
          + "\" is not a report") + "; the desk has one: /report satisfaction [YYYY-MM].");
    }
    if (words.size() > 2) {
      throw new IllegalArgumentException("Give at most a month after satisfaction, e.g. /report satisfaction 2026-11.");
    }
    if (words.size() == 1) {
      return new DeskCommand.SatisfactionReport(Optional.empty());
    }
    try {
      return new DeskCommand.SatisfactionReport(Optional.of(java.time.YearMonth.parse(words.get(1))));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("\"" + words.get(1) + "\" is not a month; write it as YYYY-MM, e.g. 2026-12.");
    }
  }

  private static DeskCommand outage(String rest) {
    String what = firstWord(rest).toLowerCase(Locale.ROOT);
    String note = afterFirstWord(rest);
    return switch (what) {
      case "start" -> new DeskCommand.OutageStart(note);
      case "end" -> new DeskCommand.OutageEnd(note);
      default -> throw new IllegalArgumentException((what.isEmpty() ? "Say start or end"
          : "\"" + firstWord(rest) + "\" is neither start nor end") + ", e.g. /outage start logins fail.");
    };
  }

  private static DeskCommand maintenance(String rest) {
    List<String> words = words(rest);
    if (!words.isEmpty() && words.get(0).equalsIgnoreCase("emergency")) {
      if (words.size() < 3) {
        throw new IllegalArgumentException("Give the duration and a note for the customers, e.g. /maintenance"
            + " emergency 1h the database failed over.");
      }
      return new DeskCommand.EmergencyMaintenance(duration(words.get(1)), String.join(" ", words.subList(2,
          words.size())));
    }
    if (!words.isEmpty() && words.get(0).equalsIgnoreCase("cancel")) {
      if (words.size() < 2) {
        throw new IllegalArgumentException("Give the start of the window to cancel, as it was scheduled, e.g."
            + " /maintenance cancel 2026-12-05T02:00-08:00 the upgrade is postponed.");
      }
      return new DeskCommand.CancelMaintenance(start(words.get(1)), String.join(" ", words.subList(2, words.size())));
    }
    if (words.isEmpty() || !words.get(0).equalsIgnoreCase("schedule")) {
      throw new IllegalArgumentException((words.isEmpty() ? "Say what to do" : "\"" + words.get(0)
          + "\" is not one of schedule, emergency or cancel") + ": write /maintenance schedule START DURATION note,"
          + " /maintenance emergency DURATION note or /maintenance cancel START [reason].");
    }
    if (words.size() < 4) {
      throw new IllegalArgumentException("Give the start, the duration and a note for the customers, e.g."
          + " /maintenance schedule 2026-12-05T02:00-08:00 2h database upgrade.");
    }
    java.time.OffsetDateTime start = start(words.get(1));
    Duration duration = duration(words.get(2));
    return new DeskCommand.ScheduleMaintenance(start, duration, String.join(" ", words.subList(3, words.size())));
  }

  private static java.time.OffsetDateTime start(String word) {
    try {
      return java.time.OffsetDateTime.parse(word);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("\"" + word + "\" is not a start with its offset; write e.g."
          + " 2026-12-05T02:00-08:00 or 2026-12-05T10:00Z.");
    }
  }

  private static DeskCommand.Time time(String rest) {
    String spent = firstWord(rest);
    String note = afterFirstWord(rest);
    Duration worked = duration(spent);
    boolean communication = false;
    if (firstWord(note).equalsIgnoreCase("comm")) {
      communication = true;
      note = afterFirstWord(note);
    }
    return new DeskCommand.Time(worked, communication, note);
  }

  /** Reads "25m", "1h", "1h30m", "1.5h"; refuses zero and more than 24 hours in one entry. */
  static Duration duration(String text) {
    Duration d = null;
    Matcher dec = DECIMAL_HOURS.matcher(text);
    Matcher m = DURATION.matcher(text);
    if (dec.matches()) {
      d = Duration.ofSeconds(Math.round(Double.parseDouble(dec.group(1)) * 3600));
    } else if (!text.isBlank() && m.matches() && (m.group(1) != null || m.group(2) != null)) {
      d = Duration.ofHours(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
          .plusMinutes(m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
    }
    if (d == null) {
      throw new IllegalArgumentException("\"" + text + "\" is not a duration; write e.g. 25m, 1h or 1h30m.");
    }
    if (d.isZero() || d.compareTo(Duration.ofHours(24)) > 0) {
      throw new IllegalArgumentException("A time entry must be more than 0 and at most 24 hours, got " + text + ".");
    }
    return d;
  }

  private static String required(String text, String message) {
    if (text.isBlank()) {
      throw new IllegalArgumentException(message);
    }
    return text;
  }

  private static String firstWord(String text) {
    String t = text.strip();
    int i = t.indexOf(' ');
    return i < 0 ? t : t.substring(0, i);
  }

  private static String lastWord(String text) {
    String t = text.strip();
    int i = t.lastIndexOf(' ');
    return i < 0 ? t : t.substring(i + 1);
  }

  private static String beforeLastWord(String text) {
    String t = text.strip();
    int i = t.lastIndexOf(' ');
    return i < 0 ? "" : t.substring(0, i).strip();
  }

  private static List<String> words(String text) {
    return text.isBlank() ? List.of() : List.of(text.strip().split("\\s+"));
  }

  private static String number(String word) {
    Matcher m = NUMBER.matcher(word);
    if (!m.matches()) {
      throw new IllegalStateException("not a case number: " + word);
    }
    return m.group(1).toUpperCase(Locale.ROOT);
  }

  private static String afterFirstWord(String text) {
    String t = text.strip();
    int i = t.indexOf(' ');
    return i < 0 ? "" : t.substring(i + 1).strip();
  }
}
