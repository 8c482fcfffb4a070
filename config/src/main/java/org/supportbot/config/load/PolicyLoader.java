package org.supportbot.config.load;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.supportbot.config.calendar.BusinessCalendar;
import org.supportbot.config.calendar.HolidayCalendar;
import org.supportbot.config.calendar.TimeWindow;
import org.supportbot.config.policy.Availability;
import org.supportbot.config.policy.BusinessDuration;
import org.supportbot.config.policy.Chargeability;
import org.supportbot.config.policy.ContactRule;
import org.supportbot.config.policy.DroppedCaseRule;
import org.supportbot.config.policy.EscalationRule;
import org.supportbot.config.policy.Privacy;
import org.supportbot.config.policy.ReopenRule;
import org.supportbot.config.policy.ReportField;
import org.supportbot.config.policy.RequestCategory;
import org.supportbot.config.policy.ResolutionRule;
import org.supportbot.config.policy.ResolutionType;
import org.supportbot.config.policy.Severity;
import org.supportbot.config.policy.SeverityChangeRule;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.config.policy.TargetKind;
import org.supportbot.config.policy.VersionSupport;

/**
 * Reads support policies from YAML and validates them, collecting every problem (file, line,
 * path, fix) before failing. The format is documented in {@code config/policies/README.md}.
 */
public final class PolicyLoader {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  private static final Pattern PERIOD = Pattern.compile("(\\d{1,4})\\s*(day|days|week|weeks|month|months|year|years)",
      Pattern.CASE_INSENSITIVE);

  /** Loads one policy file. */
  public SupportPolicy load(Path file) throws ConfigException {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(List.of(new ConfigProblem(name, 0, "",
          "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "); check the path and permissions")));
    }
    return parse(name, text);
  }

  /** Loads every {@code *.yaml}/{@code *.yml} file in a folder; problems of all files are reported together. */
  public List<SupportPolicy> loadAll(Path dir) throws ConfigException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new ConfigException(List.of(new ConfigProblem(dir.toString(), 0, "",
          "is not a readable folder of policy files (" + e.getMessage() + ")")));
    }
    List<SupportPolicy> out = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Path f : files) {
      try {
        SupportPolicy p = load(f);
        if (!ids.add(p.id())) {
          problems.add(new ConfigProblem(f.toString(), 0, "id", "\"" + p.id() + "\" is used by another policy file; ids must be unique"));
        }
        out.add(p);
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return out;
  }

  /** Parses a policy from YAML text; {@code name} is used in problem reports. */
  public SupportPolicy parse(String name, String text) throws ConfigException {
    Problems problems = new Problems(name);
    YamlValue doc = YamlValue.document(name, text, problems,
        "a policy file must be a YAML mapping starting with \"id: <policy-id>\"; see config/policies/README.md");
    SupportPolicy policy = new Reader(problems).policy(doc);
    if (!problems.isEmpty() || policy == null) {
      throw new ConfigException(problems.all());
    }
    return policy;
  }

  /** Reads one document; every method records problems and returns a best-effort value. */
  private static final class Reader {
    private final Problems problems;

    Reader(Problems problems) {
      this.problems = problems;
    }

    SupportPolicy policy(YamlValue doc) {
      doc.onlyKeys("id", "vendor", "source", "requires_current_payment", "change_notice", "calendar", "targets",
          "severities", "contacts", "report", "categories", "severity_change", "escalation", "dropped_case", "reopen",
          "resolution", "versions", "availability", "chargeability", "exclusions", "privacy");
      YamlValue idValue = doc.require("id", "write a short lower-case id, e.g. \"id: atheer\"");
      String id = idValue.text("");
      if (!id.isEmpty() && !ID.matcher(id).matches()) {
        idValue.problem("\"" + id + "\" is not a valid id; use lower-case letters, digits, '-' and '_', e.g. \"resource-optimizer\"");
      }
      String vendor = doc.require("vendor", "name the vendor, e.g. \"vendor: Atheer\"").text("");
      String source = doc.get("source").text("");
      boolean payment = doc.get("requires_current_payment").bool(false);
      Optional<BusinessDuration> changeNotice = doc.get("change_notice").parse(false, "", BusinessDuration::parse);

      BusinessCalendar calendar = calendar(doc.require("calendar", "give the support hours; see config/policies/README.md"));
      List<TargetKind> targets = targets(doc.require("targets", "list the response targets, e.g. \"- id: first_response\""));
      List<Severity> severities = severities(doc.require("severities", "list the severity levels"), targets);
      ContactRule contacts = contacts(doc.require("contacts", "say who may file, e.g. \"limit: unlimited\""));
      Set<String> zoneIds = new LinkedHashSet<>();
      Optional<Chargeability> chargeability = chargeability(doc.get("chargeability"), zoneIds);
      List<ReportField> report = report(doc.require("report", "list what a report must contain"));
      List<RequestCategory> categories = categories(doc.require("categories", "list the request categories"), zoneIds,
          chargeability.isPresent());
      SeverityChangeRule severityChange = severityChange(doc.get("severity_change"));
      EscalationRule escalation = escalation(doc.get("escalation"), severities);
      Optional<DroppedCaseRule> dropped = dropped(doc.get("dropped_case"));
      ReopenRule reopen = reopen(doc.get("reopen"));
      ResolutionRule resolution = resolution(doc.require("resolution", "list the resolution types the policy accepts"));
      VersionSupport versions = versions(doc.get("versions"));
      Optional<Availability> availability = availability(doc.get("availability"));
      List<String> exclusions = doc.get("exclusions").items().stream().map(v -> v.text("")).toList();
      Privacy privacy = privacy(doc.get("privacy"));

      if (!problems.isEmpty() || calendar == null || severities.isEmpty() || contacts == null || resolution == null
          || versions == null || reopen == null) {
        return null;
      }
      try {
        return new SupportPolicy(id, vendor, source, severities, targets, calendar, contacts, report, categories,
            severityChange, escalation, dropped, reopen, resolution, versions, availability, chargeability, payment,
            exclusions, changeNotice, privacy);
      } catch (IllegalArgumentException e) {
        doc.problem(e.getMessage());
        return null;
      }
    }

    // ---- calendar ----

    BusinessCalendar calendar(YamlValue c) {
      if (c.isMissing()) {
        return null;
      }
      int problemsBefore = problems.size();
      c.onlyKeys("time_zone", "always_open", "weekly", "business_day", "holidays", "overrides");
      Optional<ZoneId> zone = c.require("time_zone", "e.g. \"time_zone: America/Los_Angeles\" or \"UTC\"")
          .parse(true, "use an IANA zone such as America/New_York, Europe/London or UTC", s -> {
            try {
              return ZoneId.of(s);
            } catch (java.time.DateTimeException e) {
              throw new IllegalArgumentException("\"" + s + "\" is not a time zone" + zoneSuggestion(s));
            }
          });
      boolean alwaysOpen = c.get("always_open").bool(false);
      Map<DayOfWeek, List<TimeWindow>> weekly = new EnumMap<>(DayOfWeek.class);
      YamlValue weeklyValue = c.get("weekly");
      if (alwaysOpen) {
        if (!weeklyValue.isMissing()) {
          weeklyValue.problem("always_open: true already means every hour of every day; remove \"weekly\" or set always_open: false");
        }
        for (DayOfWeek d : DayOfWeek.values()) {
          weekly.put(d, List.of(new TimeWindow(0, TimeWindow.DAY_SECONDS)));
        }
      } else if (weeklyValue.isMissing()) {
        c.problem("needs \"weekly\" windows, e.g. \"weekly: { monday-friday: [\\\"09:00-17:00\\\"] }\", or \"always_open: true\"");
      } else {
        for (Map.Entry<String, YamlValue> e : weeklyValue.entries().entrySet()) {
          List<DayOfWeek> days = days(e.getKey(), e.getValue());
          List<TimeWindow> windows = windows(e.getValue());
          checkNoOverlap(windows, e.getValue());
          for (DayOfWeek d : days) {
            if (weekly.containsKey(d)) {
              e.getValue().problem(d.name().toLowerCase(Locale.ROOT) + " is given twice; list all of a day's windows in one place");
            }
            weekly.put(d, windows);
          }
        }
        if (problems.size() == problemsBefore && weekly.values().stream().allMatch(List::isEmpty)) {
          weeklyValue.problem("has no support hours; give at least one window, e.g. \"monday-friday: [\\\"09:00-17:00\\\"]\", "
              + "or \"always_open: true\"");
        }
      }
      Duration businessDay = null;
      YamlValue bd = c.get("business_day");
      if (!bd.isMissing()) {
        Optional<BusinessDuration> parsed = bd.parse(false, "e.g. \"business_day: 8 hours\"", BusinessDuration::parse);
        if (parsed.isPresent()) {
          if (parsed.get().isBusiness() || !parsed.get().hasDeadline()
              || parsed.get().unit() == BusinessDuration.Unit.DAYS && parsed.get().amount() != 1) {
            bd.problem("\"" + parsed.get() + "\" is not a plain length; write e.g. \"8 hours\" or \"18 hours\"");
          } else {
            businessDay = parsed.get().toDuration(Duration.ofDays(1));
            if (businessDay.compareTo(Duration.ofDays(1)) > 0) {
              bd.problem("a business day cannot be longer than 24 hours, got " + parsed.get());
            } else if (businessDay.isZero()) {
              bd.problem("a business day must be longer than zero; write e.g. \"8 hours\"");
            }
          }
        }
      } else if (!weekly.isEmpty()) {
        long max = weekly.values().stream().mapToLong(l -> l.stream().mapToLong(TimeWindow::lengthSeconds).sum()).max().orElse(0);
        businessDay = max > 0 ? Duration.ofSeconds(max) : null;
      }
      HolidayCalendar holidays = HolidayCalendar.NONE;
      String holidayDescription = "";
      YamlValue h = c.get("holidays");
      if (!h.isMissing()) {
        if (alwaysOpen) {
          h.problem("an always-open calendar has no holidays; remove \"holidays\" or set always_open: false");
        }
        h.onlyKeys("country", "region", "dates");
        Set<LocalDate> dates = new HashSet<>();
        for (YamlValue d : h.get("dates").items()) {
          d.parse(true, "write dates as YYYY-MM-DD", LocalDate::parse).ifPresent(dates::add);
        }
        Optional<String> country = h.get("country").text(false, "");
        String region = h.get("region").text("");
        if (country.isPresent()) {
          try {
            holidays = JollydayHolidays.of(country.get(), region, dates);
            holidayDescription = "public holidays of " + country.get().toUpperCase(Locale.ROOT)
                + (region.isEmpty() ? "" : " (" + region + ")") + (dates.isEmpty() ? "" : " and " + dates.size() + " listed dates");
          } catch (JollydayHolidays.UnknownRegionException e) {
            h.get("region").problem(e.getMessage());
          } catch (IllegalArgumentException e) {
            h.get("country").problem(e.getMessage());
          }
        } else if (!region.isEmpty()) {
          h.get("region").problem("a region needs a country, e.g. \"country: US\"");
        } else if (!dates.isEmpty()) {
          holidays = HolidayCalendar.of(dates);
          holidayDescription = dates.size() + " listed holiday dates";
        }
      }
      Map<LocalDate, List<TimeWindow>> overrides = new TreeMap<>();
      for (Map.Entry<String, YamlValue> e : c.get("overrides").entries().entrySet()) {
        try {
          List<TimeWindow> w = windows(e.getValue());
          checkNoOverlap(w, e.getValue());
          overrides.put(LocalDate.parse(e.getKey()), w);
        } catch (java.time.format.DateTimeParseException ex) {
          e.getValue().problem("\"" + e.getKey() + "\" is not a date; write YYYY-MM-DD");
        }
      }
      if (zone.isEmpty() || businessDay == null || weekly.isEmpty() || problems.size() > problemsBefore) {
        // Every problem of the section is recorded already; building the calendar would repeat them.
        return null;
      }
      try {
        return new BusinessCalendar(zone.get(), weekly, holidays, holidayDescription, overrides, businessDay);
      } catch (IllegalArgumentException e) {
        c.problem(e.getMessage());
        return null;
      }
    }

    /** "; did you mean ..." for a mistyped zone or a zone abbreviation (PST, CET), else "". */
    private static String zoneSuggestion(String typed) {
      String region = ZoneId.SHORT_IDS.get(typed.toUpperCase(Locale.ROOT));
      if (region != null && region.contains("/")) {
        return "; did you mean \"" + region + "\" (with daylight saving)?";
      }
      return Suggestions.closest(typed, ZoneId.getAvailableZoneIds()).map(z -> "; did you mean \"" + z + "\"?").orElse("");
    }

    private void checkNoOverlap(List<TimeWindow> windows, YamlValue where) {
      List<TimeWindow> sorted = new ArrayList<>(windows);
      java.util.Collections.sort(sorted);
      for (int i = 1; i < sorted.size(); i++) {
        if (sorted.get(i - 1).endSecond() >= sorted.get(i).startSecond()) {
          where.problem("windows " + sorted.get(i - 1) + " and " + sorted.get(i) + " overlap or touch; merge them into one");
        }
      }
    }

    private List<DayOfWeek> days(String key, YamlValue where) {
      String k = key.trim().toLowerCase(Locale.ROOT);
      switch (k) {
        case "weekdays", "monday-friday", "mon-fri" -> {
          return List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY);
        }
        case "weekend", "saturday-sunday", "sat-sun" -> {
          return List.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        }
        case "every_day", "every day", "daily", "monday-sunday" -> {
          return List.of(DayOfWeek.values());
        }
        default -> { }
      }
      String[] range = k.split("-");
      List<DayOfWeek> out = new ArrayList<>();
      if (range.length == 1) {
        day(range[0], where).ifPresent(out::add);
      } else if (range.length == 2) {
        Optional<DayOfWeek> from = day(range[0], where);
        Optional<DayOfWeek> to = day(range[1], where);
        if (from.isPresent() && to.isPresent()) {
          for (DayOfWeek d = from.get(); ; d = d.plus(1)) {
            out.add(d);
            if (d == to.get()) {
              break;
            }
          }
        }
      } else {
        where.problem("\"" + key + "\" is not a day or range of days; write e.g. monday, monday-friday, weekdays or every_day");
      }
      return out;
    }

    private Optional<DayOfWeek> day(String s, YamlValue where) {
      for (DayOfWeek d : DayOfWeek.values()) {
        String full = d.name().toLowerCase(Locale.ROOT);
        if (full.equals(s) || full.substring(0, 3).equals(s)) {
          return Optional.of(d);
        }
      }
      List<String> names = java.util.Arrays.stream(DayOfWeek.values()).map(d -> d.name().toLowerCase(Locale.ROOT)).toList();
      where.problem("\"" + s + "\" is not a day of the week"
          + Suggestions.closest(s, names).map(x -> "; did you mean \"" + x + "\"?").orElse("")
          + "; write e.g. monday, monday-friday, weekdays or every_day");
      return Optional.empty();
    }

    private List<TimeWindow> windows(YamlValue v) {
      List<TimeWindow> out = new ArrayList<>();
      for (YamlValue item : v.items()) {
        item.parse(true, "write windows as \"HH:MM-HH:MM\"; a window that crosses midnight is two windows on two days",
            TimeWindow::parse).ifPresent(out::add);
      }
      return out;
    }

    // ---- targets and severities ----

    List<TargetKind> targets(YamlValue v) {
      List<TargetKind> out = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (YamlValue t : v.items()) {
        t.onlyKeys("id", "name", "starts", "met_by", "rearms_on_public_update", "pauses_while_waiting_on_customer");
        String id = t.require("id", "e.g. \"id: first_response\"").text("");
        if (!id.isEmpty() && !seen.add(id)) {
          t.get("id").problem("target \"" + id + "\" is defined twice");
        }
        Optional<TargetKind.Start> starts = t.get("starts").enumValue(TargetKind.Start.class, false);
        Optional<TargetKind.MetBy> metBy = t.require("met_by", "e.g. \"met_by: public_response\"").enumValue(TargetKind.MetBy.class, true);
        boolean rearms = t.get("rearms_on_public_update").bool(false);
        boolean pauses = t.get("pauses_while_waiting_on_customer").bool(false);
        if (!id.isEmpty() && metBy.isPresent()) {
          out.add(new TargetKind(id, t.get("name").text(id), starts.orElse(TargetKind.Start.SUBMISSION), metBy.get(), rearms, pauses));
        }
      }
      if (!v.isMissing() && out.isEmpty() && problems.isEmpty()) {
        v.problem("needs at least one target, e.g. \"- id: first_response\"");
      }
      return out;
    }

    List<Severity> severities(YamlValue v, List<TargetKind> targets) {
      List<Severity> out = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      Set<Integer> levels = new HashSet<>();
      Set<String> targetIds = new LinkedHashSet<>();
      targets.forEach(t -> targetIds.add(t.id()));
      int problemsBefore = problems.size();
      List<YamlValue> items = v.items();
      boolean isList = problems.size() == problemsBefore;
      for (YamlValue s : items) {
        s.onlyKeys("id", "level", "name", "definition", "targets");
        String id = s.require("id", "e.g. \"id: S1\"").text("");
        if (!id.isEmpty() && !ids.add(id.toLowerCase(Locale.ROOT))) {
          s.get("id").problem("severity \"" + id + "\" is defined twice");
        }
        Optional<Integer> level = s.require("level", "1 is the most severe").integer(true, 1, "1 is the most severe");
        level.ifPresent(l -> {
          if (!levels.add(l)) {
            s.get("level").problem("level " + l + " is used by two severities; give each its own level");
          }
        });
        String name = s.require("name", "the policy's designation, e.g. \"Critical Business Impact\"").text("");
        String definition = s.get("definition").text("");
        Map<String, BusinessDuration> t = new LinkedHashMap<>();
        YamlValue tv = s.require("targets", "give a target per kind, e.g. \"first_response: 4 business hours\"");
        for (Map.Entry<String, YamlValue> e : tv.entries().entrySet()) {
          if (!targetIds.isEmpty() && !targetIds.contains(e.getKey())) {
            e.getValue().problem("\"" + e.getKey() + "\" is not a target of this policy"
                + Suggestions.closest(e.getKey(), targetIds).map(x -> "; did you mean \"" + x + "\"?").orElse("")
                + "; targets are: " + String.join(", ", targetIds));
            continue;
          }
          e.getValue().parse(true, "", BusinessDuration::parse).ifPresent(d -> t.put(e.getKey(), d));
        }
        if (!tv.isMissing()) {
          for (String tid : targetIds) {
            if (!tv.entries().containsKey(tid)) {
              tv.problem("has no \"" + tid + "\"; give a duration, or \"best effort\" if there is no deadline");
            }
          }
        }
        if (!id.isEmpty() && level.isPresent() && !name.isEmpty()) {
          out.add(new Severity(id, level.get(), name, definition, t));
        }
      }
      if (!v.isMissing() && isList && items.isEmpty()) {
        v.problem("needs at least one severity, e.g. \"- { id: S1, level: 1, name: Critical, targets: { first_response: 4 business hours } }\"");
      }
      out.sort(java.util.Comparator.comparingInt(Severity::level));
      return out;
    }

    // ---- who may file, what a report holds ----

    ContactRule contacts(YamlValue v) {
      if (v.isMissing()) {
        return null;
      }
      v.onlyKeys("limit", "exclude_evaluation_licences", "agreement_may_override", "extra_contacts_for_fee",
          "training_required", "qualifications", "how_to_be_added");
      String limitText = v.require("limit", "write a number, \"unlimited\" or \"per_active_licence\"").text("");
      ContactRule.ContactLimit limit = null;
      boolean excludeEval = v.get("exclude_evaluation_licences").bool(true);
      switch (limitText.trim().toLowerCase(Locale.ROOT)) {
        case "" -> { }
        case "unlimited" -> limit = new ContactRule.ContactLimit.Unlimited();
        case "per_active_licence", "per_active_license" -> limit = new ContactRule.ContactLimit.PerActiveLicence(excludeEval);
        default -> {
          try {
            limit = new ContactRule.ContactLimit.Fixed(Integer.parseInt(limitText.trim()));
          } catch (IllegalArgumentException e) {
            v.get("limit").problem("\"" + limitText + "\" is not a contact limit; write a number of at least 1, \"unlimited\" or \"per_active_licence\"");
          }
        }
      }
      List<String> quals = v.get("qualifications").items().stream().map(q -> q.text("")).toList();
      if (limit == null) {
        return null;
      }
      return new ContactRule(limit, v.get("agreement_may_override").bool(false), v.get("extra_contacts_for_fee").bool(false),
          v.get("training_required").bool(false), quals, v.get("how_to_be_added").text(""));
    }

    List<ReportField> report(YamlValue v) {
      List<ReportField> out = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      for (YamlValue f : v.items()) {
        f.onlyKeys("id", "prompt", "kind", "required", "choices");
        String id = f.require("id", "e.g. \"id: steps_to_reproduce\"").text("");
        if (!id.isEmpty() && !ids.add(id)) {
          f.get("id").problem("report field \"" + id + "\" is listed twice");
        }
        String prompt = f.require("prompt", "the question to ask the customer").text("");
        Optional<ReportField.Kind> kind = f.require("kind", "e.g. \"kind: long_text\"").enumValue(ReportField.Kind.class, true);
        List<String> choices = f.get("choices").items().stream().map(c -> c.text("")).toList();
        if (kind.isPresent() && kind.get() == ReportField.Kind.CHOICE && choices.isEmpty()) {
          f.problem("a choice field needs \"choices\", e.g. [yes, no, sometimes]");
          continue;
        }
        if (!id.isEmpty() && !prompt.isEmpty() && kind.isPresent()) {
          out.add(new ReportField(id, prompt, kind.get(), f.get("required").bool(false), choices));
        }
      }
      return out;
    }

    List<RequestCategory> categories(YamlValue v, Set<String> zoneIds, boolean hasZones) {
      List<RequestCategory> out = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      for (YamlValue c : v.items()) {
        c.onlyKeys("id", "name", "description", "zone");
        String id = c.require("id", "e.g. \"id: defect\"").text("");
        if (!id.isEmpty() && !ids.add(id)) {
          c.get("id").problem("category \"" + id + "\" is listed twice");
        }
        String zone = c.get("zone").text(null);
        if (zone != null && !zoneIds.contains(zone)) {
          c.get("zone").problem(hasZones
              ? "\"" + zone + "\" is not a chargeability zone" + Suggestions.closest(zone, zoneIds).map(x -> "; did you mean \"" + x + "\"?").orElse("")
                  + "; zones are: " + String.join(", ", zoneIds)
              : "this policy has no chargeability zones; remove \"zone\" or add a \"chargeability\" section");
        }
        String name = c.require("name", "e.g. \"name: Defect\"").text("");
        if (!id.isEmpty() && !name.isEmpty()) {
          out.add(new RequestCategory(id, name, c.get("description").text(""), zone));
        }
      }
      return out;
    }

    // ---- handling rules ----

    SeverityChangeRule severityChange(YamlValue v) {
      v.onlyKeys("vendor_may_change", "vendor_discretion", "customer_may_request_discussion");
      return new SeverityChangeRule(v.get("vendor_may_change").bool(true), v.get("vendor_discretion").bool(false),
          v.get("customer_may_request_discussion").bool(true));
    }

    EscalationRule escalation(YamlValue v, List<Severity> severities) {
      v.onlyKeys("allowed_severities", "routes", "rule");
      Set<String> allowed = new LinkedHashSet<>();
      YamlValue a = v.get("allowed_severities");
      List<String> known = severities.stream().map(Severity::id).toList();
      if (a.isList() || !a.text("").equalsIgnoreCase("all")) {
        for (YamlValue s : a.items()) {
          String id = s.text("");
          Optional<String> match = known.stream().filter(k -> k.equalsIgnoreCase(id)).findFirst();
          if (match.isPresent()) {
            allowed.add(match.get());
          } else if (!known.isEmpty()) {
            s.problem("\"" + id + "\" is not a severity of this policy; severities are: " + String.join(", ", known));
          }
        }
      }
      List<EscalationRule.Route> routes = new ArrayList<>();
      for (YamlValue r : v.get("routes").items()) {
        r.onlyKeys("to", "description");
        r.require("to", "e.g. \"to: account_manager\"").enumValue(EscalationRule.Target.class, true)
            .ifPresent(t -> routes.add(new EscalationRule.Route(t, r.get("description").text(""))));
      }
      return new EscalationRule(allowed, routes, v.get("rule").text(""));
    }

    Optional<DroppedCaseRule> dropped(YamlValue v) {
      if (v.isMissing()) {
        return Optional.empty();
      }
      v.onlyKeys("unanswered_requests", "wait_for_reply", "reminders_before", "rule");
      Optional<Integer> n = v.require("unanswered_requests", "e.g. \"unanswered_requests: 2\"").integer(true, 1, "e.g. 2");
      Optional<BusinessDuration> wait = v.require("wait_for_reply", "e.g. \"wait_for_reply: 3 days\"")
          .parse(true, "", BusinessDuration::parse);
      wait.filter(w -> !w.hasDeadline()).ifPresent(w -> v.get("wait_for_reply").problem("needs a length, e.g. \"3 days\""));
      List<BusinessDuration> reminders = new ArrayList<>();
      for (YamlValue r : v.get("reminders_before").items()) {
        r.parse(true, "", BusinessDuration::parse).ifPresent(d -> {
          if (!d.hasDeadline()) {
            r.problem("a reminder needs a length, e.g. \"1 day\"");
          } else if (wait.isPresent() && wait.get().hasDeadline() && d.unit().isBusiness() == wait.get().unit().isBusiness()
              && d.toDuration(Duration.ofDays(1)).compareTo(wait.get().toDuration(Duration.ofDays(1))) >= 0) {
            r.problem("a reminder " + d + " before the end of a " + wait.get() + " wait would go out before the request; make it shorter");
          } else {
            reminders.add(d);
          }
        });
      }
      if (n.isEmpty() || wait.isEmpty() || !wait.get().hasDeadline()) {
        return Optional.empty();
      }
      return Optional.of(new DroppedCaseRule(n.get(), wait.get(), reminders, v.get("rule").text("")));
    }

    ReopenRule reopen(YamlValue v) {
      v.onlyKeys("allowed", "window", "customer_may_request", "vendor_discretion", "condition");
      Optional<BusinessDuration> window = v.get("window").parse(false, "e.g. \"14 days\", or \"none\" for no limit",
          BusinessDuration::parse);
      return new ReopenRule(v.get("allowed").bool(true), window.orElse(BusinessDuration.none("none")),
          v.get("customer_may_request").bool(true), v.get("vendor_discretion").bool(false), v.get("condition").text(""));
    }

    ResolutionRule resolution(YamlValue v) {
      if (v.isMissing()) {
        return null;
      }
      v.onlyKeys("types", "close_after", "closed_once_recorded", "warn_before_close");
      List<ResolutionType> types = new ArrayList<>();
      for (YamlValue t : v.require("types", "e.g. [explanation, workaround, fix_in_release]").items()) {
        t.enumValue(ResolutionType.class, true).ifPresent(types::add);
      }
      Optional<BusinessDuration> close = v.get("close_after").parse(false, "", BusinessDuration::parse);
      Optional<BusinessDuration> warn = v.get("warn_before_close").parse(false, "e.g. \"1 business day\"",
          BusinessDuration::parse).filter(BusinessDuration::hasDeadline);
      if (warn.isPresent() && close.isPresent() && close.get().hasDeadline() && warn.get().isBusiness() == close.get().isBusiness()
          && warn.get().toDuration(java.time.Duration.ofHours(24)).compareTo(close.get().toDuration(java.time.Duration.ofHours(24))) >= 0) {
        v.get("warn_before_close").problem("\"" + warn.get().text() + "\" is not shorter than close_after \""
            + close.get().text() + "\"; the warning must come before the case closes");
      }
      Map<ResolutionType, String> recorded = new LinkedHashMap<>();
      v.get("closed_once_recorded").entries().forEach((key, where) -> {
        String id = key.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        Optional<ResolutionType> type = types.stream().filter(t -> t.id().equals(id)).findFirst();
        if (type.isEmpty()) {
          where.problem("\"" + key + "\" is not one of this policy's resolution types " + types.stream()
              .map(ResolutionType::id).toList() + "; add it to types or remove it here");
          return;
        }
        where.text(true, "where the case is recorded, e.g. \"the Product Request tool\"")
            .ifPresent(w -> recorded.put(type.get(), w));
      });
      if (types.isEmpty()) {
        return null;
      }
      return new ResolutionRule(types, close.orElse(BusinessDuration.of(5, BusinessDuration.Unit.BUSINESS_DAYS)),
          recorded, warn);
    }

    VersionSupport versions(YamlValue v) {
      v.onlyKeys("anchor", "full_support", "limited_support", "limited_scope", "supported_releases", "products");
      VersionSupport.Anchor anchor = v.get("anchor").enumValue(VersionSupport.Anchor.class, false).orElse(VersionSupport.Anchor.NONE);
      Optional<Period> full = v.get("full_support").parse(false, "e.g. \"24 months\"", PolicyLoader::period);
      Optional<Period> limited = v.get("limited_support").parse(false, "e.g. \"12 months\"", PolicyLoader::period);
      if (anchor != VersionSupport.Anchor.NONE && full.isEmpty() && !v.get("full_support").isMissing()) {
        return null;
      }
      if (anchor != VersionSupport.Anchor.NONE && v.get("full_support").isMissing()) {
        v.problem("anchor " + anchor.name().toLowerCase(Locale.ROOT) + " needs \"full_support\", e.g. \"24 months\"");
      }
      int supported = v.get("supported_releases").integer(false, 0, "e.g. 2 for the current and the preceding release").orElse(0);
      List<VersionSupport.Product> products = new ArrayList<>();
      for (YamlValue p : v.get("products").items()) {
        p.onlyKeys("id", "name", "releases");
        String id = p.require("id", "e.g. \"id: edge\"").text("");
        List<VersionSupport.Release> releases = new ArrayList<>();
        for (YamlValue r : p.get("releases").items()) {
          r.onlyKeys("version", "released", "end_of_life_notice");
          String version = r.require("version", "e.g. \"version: 2.1.0\"").text("");
          Optional<LocalDate> released = r.require("released", "the release date, YYYY-MM-DD")
              .parse(true, "write YYYY-MM-DD", LocalDate::parse);
          Optional<LocalDate> eol = r.get("end_of_life_notice").parse(false, "write YYYY-MM-DD", LocalDate::parse);
          if (!version.isEmpty() && released.isPresent()) {
            releases.add(new VersionSupport.Release(version, released.get(), eol.orElse(null)));
          }
        }
        if (!id.isEmpty()) {
          products.add(new VersionSupport.Product(id, p.get("name").text(id), releases));
        }
      }
      return new VersionSupport(anchor, full.orElse(Period.ZERO), limited.orElse(Period.ZERO),
          v.get("limited_scope").text(""), supported, products);
    }

    Privacy privacy(YamlValue v) {
      if (v.isMissing()) {
        return Privacy.NONE;
      }
      v.onlyKeys("de_identify");
      Set<Privacy.DeIdentify> kinds = EnumSet.noneOf(Privacy.DeIdentify.class);
      List<String> known = Arrays.stream(Privacy.DeIdentify.values()).map(Privacy.DeIdentify::id).toList();
      for (YamlValue item : v.require("de_identify", "list what to remove, e.g. \"de_identify: [ip_addresses,"
          + " host_names, user_names]\"").items()) {
        String id = item.text("");
        Optional<Privacy.DeIdentify> kind = Arrays.stream(Privacy.DeIdentify.values())
            .filter(k -> k.id().equals(id)).findFirst();
        if (kind.isEmpty()) {
          item.problem("\"" + id + "\" is not something the desk can de-identify; use " + String.join(", ", known)
              + Suggestions.closest(id, known).map(x -> " (did you mean " + x + "?)").orElse(""));
        } else if (!kinds.add(kind.get())) {
          item.problem("\"" + id + "\" is listed twice; list it once");
        }
      }
      return new Privacy(kinds);
    }

    Optional<Availability> availability(YamlValue v) {
      if (v.isMissing()) {
        return Optional.empty();
      }
      v.onlyKeys("target_percent", "excluded_downtime", "maintenance_notice", "max_scheduled_maintenance_per_month",
          "emergency_maintenance_excluded");
      Optional<BigDecimal> pct = v.require("target_percent", "e.g. \"target_percent: 98.5\"")
          .parse(true, "e.g. 98.5", s -> {
            BigDecimal b = new BigDecimal(s.replace("%", "").trim());
            if (b.signum() <= 0 || b.compareTo(BigDecimal.valueOf(100)) > 0) {
              throw new IllegalArgumentException(s + " is not a percentage above 0 and at most 100");
            }
            return b;
          });
      Optional<Duration> notice = v.get("maintenance_notice").parse(false, "e.g. \"24 hours\"", s -> {
        Duration d = wallClock(s);
        if (d.compareTo(Duration.ofDays(365)) > 0) {
          throw new IllegalArgumentException("a notice of \"" + s + "\" is more than a year; give e.g. \"24 hours\"");
        }
        return d;
      });
      Optional<Duration> max = v.get("max_scheduled_maintenance_per_month").parse(false, "e.g. \"8 hours\"", s -> {
        Duration d = wallClock(s);
        if (d.isZero() || d.compareTo(Duration.ofDays(28)) > 0) {
          throw new IllegalArgumentException("\"" + s + "\" must be more than zero and at most 28 days (the shortest"
              + " month); leave the key out if the policy sets no limit");
        }
        return d;
      });
      List<String> excluded = v.get("excluded_downtime").items().stream().map(x -> x.text("")).toList();
      if (pct.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Availability(pct.get(), excluded, notice.orElse(Duration.ZERO), max.orElse(null),
          v.get("emergency_maintenance_excluded").bool(false)));
    }

    Optional<Chargeability> chargeability(YamlValue v, Set<String> zoneIdsOut) {
      if (v.isMissing()) {
        return Optional.empty();
      }
      v.onlyKeys("billing_increment", "counts_communication", "contract_types", "zones");
      Optional<Duration> inc = v.require("billing_increment", "e.g. \"billing_increment: 15 minutes\"")
          .parse(true, "e.g. \"15 minutes\"", PolicyLoader::wallClock);
      Set<String> contracts = new LinkedHashSet<>();
      v.get("contract_types").items().forEach(c -> contracts.add(c.text("")));
      List<Chargeability.Zone> zones = new ArrayList<>();
      for (YamlValue z : v.require("zones", "list the request zones").items()) {
        z.onlyKeys("id", "name", "description", "responsible", "chargeable", "free_when");
        String id = z.require("id", "e.g. \"id: bug\"").text("");
        if (!id.isEmpty() && !zoneIdsOut.add(id)) {
          z.get("id").problem("zone \"" + id + "\" is listed twice");
        }
        List<Chargeability.FreeWhen> free = new ArrayList<>();
        for (YamlValue f : z.get("free_when").items()) {
          f.onlyKeys("contract", "within_days_of_handover", "free_task_quota");
          Map<String, YamlValue> e = f.entries();
          if (e.size() != 1) {
            f.problem("give exactly one condition: contract, within_days_of_handover or free_task_quota");
            continue;
          }
          Map.Entry<String, YamlValue> only = e.entrySet().iterator().next();
          switch (only.getKey()) {
            case "contract" -> contract(only.getValue(), contracts).ifPresent(c -> free.add(new Chargeability.FreeWhen.Contract(c)));
            case "free_task_quota" -> contract(only.getValue(), contracts).ifPresent(c -> free.add(new Chargeability.FreeWhen.FreeTaskQuota(c)));
            case "within_days_of_handover" -> only.getValue().integer(true, 1, "e.g. 30")
                .ifPresent(d -> free.add(new Chargeability.FreeWhen.WithinDaysOfHandover(d)));
            default -> { }
          }
        }
        String name = z.require("name", "e.g. \"name: Bugs in application\"").text("");
        if (!id.isEmpty() && !name.isEmpty()) {
          zones.add(new Chargeability.Zone(id, name, z.get("description").text(""), z.get("responsible").text(""),
              z.get("chargeable").bool(true), free));
        }
      }
      if (inc.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Chargeability(inc.get(), v.get("counts_communication").bool(true), contracts, zones));
    }

    private Optional<String> contract(YamlValue v, Set<String> contracts) {
      String c = v.text("");
      if (!contracts.contains(c)) {
        v.problem("\"" + c + "\" is not one of contract_types (" + String.join(", ", contracts) + "); add it there or fix the name");
        return Optional.empty();
      }
      return Optional.of(c);
    }
  }

  /** Parses "24 months", "1 year", "6 weeks". */
  static Period period(String s) {
    Matcher m = PERIOD.matcher(s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("\"" + s + "\" is not a period; write e.g. \"24 months\" or \"1 year\"");
    }
    int n = Integer.parseInt(m.group(1));
    String u = m.group(2).toLowerCase(Locale.ROOT);
    return u.startsWith("day") ? Period.ofDays(n) : u.startsWith("week") ? Period.ofWeeks(n)
        : u.startsWith("month") ? Period.ofMonths(n) : Period.ofYears(n);
  }

  /** Parses a plain elapsed length such as "15 minutes" or "24 hours" (no business time). */
  static Duration wallClock(String s) {
    BusinessDuration d = BusinessDuration.parse(s);
    if (d.isBusiness() || !d.hasDeadline()) {
      throw new IllegalArgumentException("\"" + s + "\" must be a plain length such as \"15 minutes\" or \"24 hours\"");
    }
    return d.toDuration(Duration.ofDays(1));
  }
}
