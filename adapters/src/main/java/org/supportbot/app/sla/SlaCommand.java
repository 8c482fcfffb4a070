package org.supportbot.app.sla;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.supportbot.app.Main;
import org.supportbot.app.policy.PolicyResolver;
import org.supportbot.config.load.ConfigException;
import org.supportbot.config.policy.BusinessDuration;
import org.supportbot.config.policy.Severity;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.config.policy.TargetKind;
import org.supportbot.core.sla.SlaCalculator;
import org.supportbot.core.sla.SlaClock;
import org.supportbot.core.sla.Segment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code supportbot sla}: the deadlines of a case filed at a given instant, as one line of JSON. */
@Command(
    name = "sla",
    mixinStandardHelpOptions = true,
    header = "Print the response deadlines of a case as one line of JSON.",
    description = {
        "Print the response deadlines of a case of the given severity filed at --from, as one JSON line:",
        "{\"policy\":\"atheer\",\"severity\":\"P1\",\"from\":\"...Z\",\"deadlines\":{\"first_response\":\"...Z\"}}",
        "Deadlines are in UTC; a target without a deadline (best effort) is null."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:deadlines printed", "1:the policy file is invalid", "2:unknown policy, missing policy file or unknown level, or an invalid time"})
public final class SlaCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(names = "--policy", required = true, paramLabel = "ID|FILE",
      description = "A shipped policy id (atomrock, resource-optimizer, atheer, alectrona, atollon) or a policy YAML file.")
  String policyName;

  @Option(names = "--severity", required = true, paramLabel = "LEVEL", description = "The severity or priority id, e.g. P1, S3, urgent.")
  String severityName;

  @Option(names = "--from", required = true, paramLabel = "INSTANT",
      description = "When the case was submitted, with an offset: 2026-11-20T16:30:00-08:00 or 2026-11-21T00:30:00Z.")
  String from;

  @Option(names = "--first-response", paramLabel = "INSTANT",
      description = "When the vendor first responded publicly, for targets that start then (Alectrona's update target),"
          + " as the desk counts them; without it they count from the first-response deadline.")
  String firstResponse;

  @Option(names = "--explain", description = "Add where each target starts and the counted, out-of-hours and holiday"
      + " segments behind each deadline.")
  boolean explain;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Instant start;
    try {
      start = OffsetDateTime.parse(from, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      err.println("error: --from \"" + from + "\" " + whatIsWrong(e)
          + "; write e.g. 2026-11-20T16:30:00-08:00 or 2026-11-21T00:30:00Z");
      return Main.EXIT_USAGE;
    }
    Optional<Instant> responded = Optional.empty();
    if (firstResponse != null) {
      try {
        responded = Optional.of(OffsetDateTime.parse(firstResponse, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
      } catch (DateTimeParseException e) {
        err.println("error: --first-response \"" + firstResponse + "\" " + whatIsWrong(e)
            + "; write e.g. 2026-11-20T16:30:00-08:00 or 2026-11-21T00:30:00Z");
        return Main.EXIT_USAGE;
      }
      if (responded.get().isBefore(start)) {
        err.println("error: --first-response " + firstResponse + " is before --from " + from
            + "; the first response comes after the case is submitted");
        return Main.EXIT_USAGE;
      }
    }
    SupportPolicy policy;
    try {
      policy = PolicyResolver.resolve(policyName);
    } catch (PolicyResolver.UnknownPolicyException e) {
      err.println("error: " + e.getMessage());
      return Main.EXIT_USAGE;
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return 1;
    }
    Optional<Severity> severity = policy.severity(severityName);
    if (severity.isEmpty()) {
      err.println("error: unknown severity \"" + severityName + "\" for policy " + policy.id() + "; valid levels: "
          + String.join(", ", policy.severityIds()));
      return Main.EXIT_USAGE;
    }
    SlaCalculator sla = new SlaCalculator(policy);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("policy", policy.id());
    result.put("severity", severity.get().id());
    result.put("from", DateTimeFormatter.ISO_INSTANT.format(start));
    Map<String, Object> deadlines = new LinkedHashMap<>();
    sla.deadlines(severity.get(), start, responded)
        .forEach((k, v) -> deadlines.put(k, v.map(DateTimeFormatter.ISO_INSTANT::format).orElse(null)));
    result.put("deadlines", deadlines);
    if (explain) {
      result.put("explain", explanation(sla, severity.get(), sla.starts(severity.get(), start, responded)));
    }
    out.println(JSON.writeValueAsString(result));
    out.flush();
    return 0;
  }

  private static Map<String, Object> explanation(SlaCalculator sla, Severity severity,
      Map<String, SlaCalculator.TargetStart> starts) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (TargetKind t : sla.policy().targets()) {
      BusinessDuration d = severity.targets().get(t.id());
      SlaCalculator.TargetStart st = starts.get(t.id());
      Map<String, Object> target = new LinkedHashMap<>();
      target.put("target", d == null ? null : d.text());
      target.put("starts", t.startsAt().name().toLowerCase(Locale.ROOT));
      target.put("start", st == null ? null : DateTimeFormatter.ISO_INSTANT.format(st.at()));
      if (st != null && st.assumed()) {
        target.put("start_note", "the first_response deadline, standing in for the first response;"
            + " give --first-response for the actual one");
      }
      List<Map<String, Object>> segments = new ArrayList<>();
      if (d != null && d.hasDeadline() && st != null) {
        SlaClock clock = sla.startClock(t, severity, st.at());
        for (Segment s : clock.explain(st.at())) {
          Map<String, Object> seg = new LinkedHashMap<>();
          seg.put("kind", s.kind().name().toLowerCase(Locale.ROOT));
          seg.put("start", DateTimeFormatter.ISO_INSTANT.format(s.start()));
          seg.put("end", DateTimeFormatter.ISO_INSTANT.format(s.end()));
          seg.put("minutes", s.length().toMinutes());
          if (!s.note().isEmpty()) {
            seg.put("note", s.note());
          }
          segments.add(seg);
        }
      }
      target.put("segments", segments);
      out.put(t.id(), target);
    }
    return out;
  }

  private static final java.util.regex.Pattern OUT_OF_RANGE =
      java.util.regex.Pattern.compile("Invalid value for (\\w+) \\(valid values ([^)]*)\\): (-?\\d+)");
  private static final java.util.regex.Pattern NOT_LEAP =
      java.util.regex.Pattern.compile("Invalid date '([^']+)' as '(-?\\d+)' is not a leap year");
  private static final java.util.Map<String, String> FIELDS = java.util.Map.of("MonthOfYear", "month", "DayOfMonth",
      "day", "HourOfDay", "hour", "MinuteOfHour", "minute", "SecondOfMinute", "second", "Year", "year");

  /** What is wrong with a time that did not parse: an out-of-range field, a day the month lacks, or the shape. */
  static String whatIsWrong(DateTimeParseException e) {
    String cause = e.getCause() == null || e.getCause().getMessage() == null ? "" : e.getCause().getMessage();
    java.util.regex.Matcher m = OUT_OF_RANGE.matcher(cause);
    if (m.find()) {
      return "is not a valid time: the " + FIELDS.getOrDefault(m.group(1), m.group(1)) + " " + m.group(3)
          + " is out of range (" + m.group(2).replace(" - ", " to ") + ")";
    }
    java.util.regex.Matcher leap = NOT_LEAP.matcher(cause);
    if (leap.find()) {
      return "is not a valid time: " + leap.group(1).toLowerCase(java.util.Locale.ROOT) + " does not exist in "
          + leap.group(2) + ", not a leap year";
    }
    if (cause.startsWith("Invalid date")) {
      return "is not a valid time: " + cause.substring("Invalid date ".length()).replace("'", "").toLowerCase(
          java.util.Locale.ROOT) + " does not exist";
    }
    return "is not a time with an offset";
  }
}
