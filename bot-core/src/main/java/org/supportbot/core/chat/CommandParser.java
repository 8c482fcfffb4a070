package org.supportbot.core.chat;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.supportbot.config.load.Suggestions;

/**
 * Reads slash commands. A command may name its case first ({@code /claim ACME-42}); inside a
 * case's thread the case is implied. Mistakes come back as {@link Parsed.Invalid} with the usage.
 */
public final class CommandParser {

  /** Usage of every command, in the order {@code /help} lists them. */
  public static final Map<String, String> USAGE = usage();

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
    u.put("support", "/support [what is wrong] - file a new case (customers)");
    u.put("claim", "/claim [CASE] - take the case");
    u.put("unclaim", "/unclaim [CASE] - give the case back to the queue");
    u.put("assign", "/assign [CASE] @person - give the case to an engineer");
    u.put("ack", "/ack [CASE] [message] - confirm receipt to the customer");
    u.put("severity", "/severity [CASE] LEVEL reason - change the level (customers: ask to discuss it)");
    u.put("info", "/info [CASE] question - ask the customer for information; the case waits on them");
    u.put("update", "/update [CASE] text - post a public update");
    u.put("escalate", "/escalate [CASE] reason - escalate where the policy allows");
    u.put("resolve", "/resolve [CASE] TYPE note - resolve with a resolution type");
    u.put("close", "/close [CASE] [reason] - close the case");
    u.put("reopen", "/reopen [CASE] [reason] - reopen within the policy's window");
    u.put("split", "/split [CASE] first title; second title - split into subordinate cases");
    u.put("merge", "/merge [CASE] NUMBER - merge this duplicate into NUMBER");
    u.put("time", "/time [CASE] 25m [comm] note - log worked time (comm: communication with the client)");
    u.put("sla", "/sla [CASE] why - the segments behind the next deadline");
    u.put("queue", "/queue - open cases by next deadline");
    u.put("mine", "/mine - your open cases");
    u.put("board", "/board - a one-time sign-in link to the web board");
    u.put("help", "/help - this list");
    return java.util.Collections.unmodifiableMap(u);
  }

  /** Reads {@code /name args}. */
  public Parsed parse(String name, String args) {
    String cmd = name.toLowerCase(Locale.ROOT).replaceFirst("^/", "");
    if (!USAGE.containsKey(cmd)) {
      return new Parsed.Invalid("Unknown command `/" + cmd + "`."
          + Suggestions.closest(cmd, USAGE.keySet()).map(s -> " Did you mean `/" + s + "`?").orElse("")
          + " Type /help for the list.");
    }
    String rest = args == null ? "" : args.strip();
    Optional<String> incident = Optional.empty();
    if (!cmd.equals("merge") && !cmd.equals("support")) {
      String first = firstWord(rest);
      Matcher m = NUMBER.matcher(first);
      if (!first.isEmpty() && m.matches()) {
        incident = Optional.of(m.group(1).toUpperCase(Locale.ROOT));
        rest = afterFirstWord(rest);
      }
    }
    try {
      return new Parsed.Ok(read(cmd, rest), incident);
    } catch (IllegalArgumentException e) {
      return new Parsed.Invalid(e.getMessage() + " Usage: " + USAGE.get(cmd));
    }
  }

  private static DeskCommand read(String cmd, String rest) {
    return switch (cmd) {
      case "support" -> new DeskCommand.Support(rest);
      case "claim" -> new DeskCommand.Claim();
      case "unclaim" -> new DeskCommand.Unclaim();
      case "assign" -> {
        String who = firstWord(rest).replaceFirst("^@", "");
        if (who.isEmpty()) {
          throw new IllegalArgumentException("Say whom to assign: /assign @person.");
        }
        yield new DeskCommand.Assign(who);
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
        Matcher m = NUMBER.matcher(firstWord(rest));
        if (!m.matches()) {
          throw new IllegalArgumentException("Give the number of the case to merge into, e.g. /merge ACME-41.");
        }
        yield new DeskCommand.Merge(m.group(1).toUpperCase(Locale.ROOT));
      }
      case "time" -> time(rest);
      case "sla" -> {
        if (!rest.equalsIgnoreCase("why") && !rest.isEmpty()) {
          throw new IllegalArgumentException("The only form is /sla why.");
        }
        yield new DeskCommand.SlaWhy();
      }
      case "queue" -> new DeskCommand.Queue();
      case "mine" -> new DeskCommand.Mine();
      case "board" -> new DeskCommand.Board();
      case "help" -> new DeskCommand.Help();
      default -> throw new IllegalStateException("command " + cmd + " is listed but not read");
    };
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

  private static String afterFirstWord(String text) {
    String t = text.strip();
    int i = t.indexOf(' ');
    return i < 0 ? "" : t.substring(i + 1).strip();
  }
}
