package org.supportbot.app.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.supportbot.core.chatstate.ConversationStore;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.incident.Incident;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.store.IncidentStore;
import org.supportbot.kb.DeflectionReport;

/**
 * The reports: SLA attainment per week (by policy, severity and organization), first-response and
 * update times against their targets, the backlog over time, deflection by source and article, and
 * Atollon billed time by zone, and customer satisfaction per organization, engineer and month. Read
 * from the whole event log and the ratings; a contact's reports cover their organization only and
 * leave out deflection (which is not kept per organization).
 */
public final class Reports {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How many days the backlog chart covers at most. */
  static final int BACKLOG_DAYS = 60;
  private static final String[] BUCKETS = {"≤ 25%", "25–50%", "50–75%", "75–100%", "> 100% (missed)"};

  private final IncidentDesk incidents;
  private final Supplier<Optional<DeflectionReport>> deflection;
  private final BiFunction<Instant, Instant, List<ConversationStore.Rating>> ratings;

  Reports(IncidentDesk incidents, Supplier<Optional<DeflectionReport>> deflection,
      BiFunction<Instant, Instant, List<ConversationStore.Rating>> ratings) {
    this.incidents = incidents;
    this.deflection = deflection;
    this.ratings = ratings;
  }

  /**
   * The satisfaction ratings of one organization's cases for one engineer in one month (UTC, by when
   * the rating was given): how many and their average score (1 to 5).
   */
  public record Satisfaction(String month, String organization, String engineer, int ratings, int total) {
    public String average() {
      return String.format(java.util.Locale.ROOT, "%.1f", (double) total / ratings);
    }
  }

  /** One attainment cell: met of total cases filed that week. */
  public record Cell(int total, int met) {
    public String percent() {
      return total == 0 ? "–" : Math.round(100.0 * met / total) + "%";
    }
  }

  /** Attainment of one dimension (policy, severity or organization): rows by value, columns by week. */
  public record Table(String dimension, List<String> weeks, Map<String, List<Cell>> rows) {}

  /** The page's data: tables for reading without JavaScript, and the charts' data as JSON. */
  public record View(Viewer viewer, List<Table> attainment, Map<String, int[]> response, List<String> buckets,
      List<String[]> backlog, Optional<DeflectionReport> deflection, Map<String, long[]> billedByZone,
      List<Satisfaction> satisfaction, int cases, String chartsJson) {}

  private static final class Case {
    String org;
    String policy;
    String severity;
    Instant filed;
    boolean breached;
    final List<Instant[]> open = new ArrayList<>();
  }

  public View view(Viewer viewer, Instant now) {
    Map<IncidentNumber, Case> cases = new LinkedHashMap<>();
    Map<String, long[]> billed = new TreeMap<>();
    long after = 0;
    while (true) {
      List<IncidentStore.Logged> page = incidents.eventsAfter(after, 1000);
      for (IncidentStore.Logged l : page) {
        fold(cases, billed, l.event(), viewer);
      }
      if (page.size() < 1000) {
        break;
      }
      after = page.getLast().id();
    }
    List<String> weeks = new ArrayList<>(new java.util.TreeSet<>(cases.values().stream()
        .map(c -> week(c.filed)).toList()));
    List<Table> attainment = List.of(
        table("Policy", weeks, cases.values(), c -> c.policy),
        table("Severity", weeks, cases.values(), c -> c.policy + " " + c.severity),
        table("Organization", weeks, cases.values(), c -> c.org));
    Map<String, int[]> response = new TreeMap<>();
    for (IncidentNumber n : cases.keySet()) {
      Optional<Incident> inc = incidents.rebuild(n);
      inc.ifPresent(i -> i.clocks().forEach((target, tc) -> {
        var c = tc.clock();
        if (c.target().isEmpty() || c.target().get().isZero()) {
          return;
        }
        double used = (double) c.elapsed(now).toSeconds() / c.target().get().toSeconds();
        int b = used <= 0.25 ? 0 : used <= 0.5 ? 1 : used <= 0.75 ? 2 : used <= 1.0 ? 3 : 4;
        response.computeIfAbsent(target.replace('_', ' '), k -> new int[BUCKETS.length])[b]++;
      }));
    }
    List<String[]> backlog = backlog(cases.values(), now);
    Optional<DeflectionReport> defl = viewer.vendor() ? deflection.get() : Optional.empty();
    List<Satisfaction> satisfaction = satisfaction(viewer, now);
    ObjectNode json = charts(attainment.getFirst(), response, backlog, defl, billed);
    satisfactionChart(json, satisfaction);
    return new View(viewer, attainment, response, List.of(BUCKETS), backlog, defl, billed, satisfaction, cases.size(),
        serialized(json));
  }

  /** The ratings the viewer may see, by month, organization and engineer (the case's owner, or who resolved it). */
  private List<Satisfaction> satisfaction(Viewer viewer, Instant now) {
    Map<List<String>, int[]> by = new TreeMap<>(java.util.Comparator.comparing((List<String> k) -> k.get(0))
        .thenComparing(k -> k.get(1)).thenComparing(k -> k.get(2)));
    for (ConversationStore.Rating r : ratings.apply(Instant.EPOCH, now)) {
      if (!viewer.sees(r.organizationId())) {
        continue;
      }
      String month = java.time.YearMonth.from(r.at().atZone(ZoneOffset.UTC)).toString();
      int[] n = by.computeIfAbsent(List.of(month, r.organizationId(), r.engineer().map(e -> e.userId())
          .orElse("unassigned")), k -> new int[2]);
      n[0]++;
      n[1] += r.score();
    }
    List<Satisfaction> out = new ArrayList<>();
    by.forEach((k, n) -> out.add(new Satisfaction(k.get(0), k.get(1), k.get(2), n[0], n[1])));
    return out;
  }

  /** The satisfaction chart: the average score per month, one series per organization. */
  private static void satisfactionChart(ObjectNode root, List<Satisfaction> rows) {
    ObjectNode sat = root.putObject("satisfaction");
    List<String> months = rows.stream().map(Satisfaction::month).distinct().sorted().toList();
    months.forEach(sat.putArray("labels")::add);
    ArrayNode ds = sat.putArray("datasets");
    Map<String, Map<String, int[]>> byOrg = new TreeMap<>();
    for (Satisfaction s : rows) {
      int[] n = byOrg.computeIfAbsent(s.organization(), k -> new HashMap<>()).computeIfAbsent(s.month(), k -> new int[2]);
      n[0] += s.ratings();
      n[1] += s.total();
    }
    byOrg.forEach((org, byMonth) -> {
      ArrayNode data = ds.addObject().put("label", org).putArray("data");
      for (String m : months) {
        int[] n = byMonth.get(m);
        if (n == null) {
          data.addNull();
        } else {
          data.add(Math.round(10.0 * n[1] / n[0]) / 10.0);
        }
      }
    });
  }

  private static void fold(Map<IncidentNumber, Case> cases, Map<String, long[]> billed, IncidentEvent e, Viewer viewer) {
    if (e instanceof IncidentEvent.Filed f) {
      if (!viewer.sees(f.organizationId())) {
        return;
      }
      Case c = new Case();
      c.org = f.organizationId();
      c.policy = f.policyId();
      c.severity = f.severityId();
      c.filed = f.origin().at();
      c.open.add(new Instant[] {c.filed, null});
      cases.put(f.incident(), c);
      return;
    }
    Case c = cases.get(e.incident());
    if (c == null) {
      return;
    }
    Instant at = e.origin().at();
    switch (e) {
      case IncidentEvent.SeverityChanged s -> c.severity = s.to();
      case IncidentEvent.SlaBreached b -> c.breached = true;
      case IncidentEvent.Resolved r -> end(c, at);
      case IncidentEvent.Closed r -> end(c, at);
      case IncidentEvent.Dropped r -> end(c, at);
      case IncidentEvent.MergedInto r -> end(c, at);
      case IncidentEvent.Reopened r -> {
        if (c.open.getLast()[1] != null) {
          c.open.add(new Instant[] {at, null});
        }
      }
      case IncidentEvent.TimeLogged t -> {
        if (c.policy.equals("atollon")) {
          long[] m = billed.computeIfAbsent(t.zone().replace('_', ' '), k -> new long[2]);
          m[t.chargeable() ? 0 : 1] += t.billed().toMinutes();
        }
      }
      default -> { }
    }
  }

  private static void end(Case c, Instant at) {
    Instant[] last = c.open.getLast();
    if (last[1] == null) {
      last[1] = at;
    }
  }

  static String week(Instant at) {
    return at.atZone(ZoneOffset.UTC).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toString();
  }

  private static Table table(String dimension, List<String> weeks, java.util.Collection<Case> cases,
      java.util.function.Function<Case, String> key) {
    Map<String, List<Cell>> rows = new TreeMap<>();
    Map<String, Map<String, int[]>> counts = new HashMap<>();
    for (Case c : cases) {
      int[] n = counts.computeIfAbsent(key.apply(c), k -> new HashMap<>()).computeIfAbsent(week(c.filed), w -> new int[2]);
      n[0]++;
      if (!c.breached) {
        n[1]++;
      }
    }
    counts.forEach((k, byWeek) -> {
      List<Cell> cells = new ArrayList<>();
      for (String w : weeks) {
        int[] n = byWeek.getOrDefault(w, new int[2]);
        cells.add(new Cell(n[0], n[1]));
      }
      rows.put(k, cells);
    });
    return new Table(dimension, weeks, rows);
  }

  /** Open cases at the end of each day, over the last {@link #BACKLOG_DAYS} days with cases. */
  private static List<String[]> backlog(java.util.Collection<Case> cases, Instant now) {
    List<String[]> out = new ArrayList<>();
    if (cases.isEmpty()) {
      return out;
    }
    LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate first = cases.stream().map(c -> c.filed.atZone(ZoneOffset.UTC).toLocalDate()).min(LocalDate::compareTo)
        .orElse(today);
    if (ChronoUnit.DAYS.between(first, today) > BACKLOG_DAYS) {
      first = today.minusDays(BACKLOG_DAYS);
    }
    for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
      Instant end = d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      Instant at = end.isAfter(now) ? now : end;
      int open = 0;
      for (Case c : cases) {
        for (Instant[] span : c.open) {
          if (!span[0].isAfter(at) && (span[1] == null || span[1].isAfter(at))) {
            open++;
            break;
          }
        }
      }
      out.add(new String[] {d.toString(), Integer.toString(open)});
    }
    return out;
  }

  private static ObjectNode charts(Table byPolicy, Map<String, int[]> response, List<String[]> backlog,
      Optional<DeflectionReport> deflection, Map<String, long[]> billed) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode att = root.putObject("attainment");
    byPolicy.weeks().forEach(att.putArray("labels")::add);
    ArrayNode ds = att.putArray("datasets");
    byPolicy.rows().forEach((policy, cells) -> {
      ObjectNode d = ds.addObject().put("label", policy);
      ArrayNode data = d.putArray("data");
      cells.forEach(c -> {
        if (c.total() == 0) {
          data.addNull();
        } else {
          data.add(Math.round(1000.0 * c.met() / c.total()) / 10.0);
        }
      });
    });
    ObjectNode resp = root.putObject("response");
    for (String b : BUCKETS) {
      resp.withArray("labels").add(b);
    }
    ArrayNode rds = resp.putArray("datasets");
    response.forEach((target, counts) -> {
      ArrayNode data = rds.addObject().put("label", target).putArray("data");
      for (int c : counts) {
        data.add(c);
      }
    });
    ObjectNode bl = root.putObject("backlog");
    ArrayNode bll = bl.putArray("labels");
    ArrayNode bld = bl.putArray("datasets").addObject().put("label", "open cases").putArray("data");
    backlog.forEach(p -> {
      bll.add(p[0]);
      bld.add(Integer.parseInt(p[1]));
    });
    ObjectNode df = root.putObject("deflection");
    ArrayNode dfl = df.putArray("labels");
    ArrayNode dfd = df.putArray("datasets").addObject().put("label", "deflected %").putArray("data");
    deflection.ifPresent(r -> r.bySource().forEach((source, rate) -> {
      if (rate.total() > 0) {
        dfl.add(source.label());
        dfd.add(Math.round(1000.0 * rate.rate()) / 10.0);
      }
    }));
    ObjectNode bz = root.putObject("billing");
    ArrayNode bzl = bz.putArray("labels");
    ArrayNode bzs = bz.putArray("datasets");
    ArrayNode charged = bzs.addObject().put("label", "charged hours").putArray("data");
    ArrayNode free = bzs.addObject().put("label", "free hours").putArray("data");
    billed.forEach((zone, m) -> {
      bzl.add(zone);
      charged.add(Math.round(m[0] / 6.0) / 10.0);
      free.add(Math.round(m[1] / 6.0) / 10.0);
    });
    return root;
  }

  private static String serialized(ObjectNode root) {
    try {
      // inside <script type="application/json">: no "<" may close the element early
      return JSON.writeValueAsString(root).replace("<", "\\u003c");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("report data does not serialize", e);
    }
  }
}
