package org.supportbot.app.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import org.supportbot.config.policy.Severity;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.directory.DirectoryStore;
import org.supportbot.core.directory.Engineer;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.sla.SlaClock;

/**
 * The open cases one person may see, breached and at-risk first (an engineer's own before the
 * rest), with the filters the page offers.
 */
public final class Board {
  /** A case is at risk when its next deadline is this close (the daily digest uses the same). */
  public static final Duration AT_RISK = Duration.ofHours(4);
  /** The most open cases the board reads. */
  static final int LIMIT = 10_000;

  private final IncidentDesk incidents;
  private final DirectoryStore directory;
  private final Function<String, Optional<SupportPolicy>> policies;

  Board(IncidentDesk incidents, DirectoryStore directory, Function<String, Optional<SupportPolicy>> policies) {
    this.incidents = incidents;
    this.directory = directory;
    this.policies = policies;
  }

  /** Where a case stands against its clocks. */
  public enum Urgency {
    BREACHED("breached"), AT_RISK("at risk"), ON_TRACK("on track"), NO_DEADLINE("no running deadline");

    private final String label;

    Urgency(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public String css() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /** One line of the board. */
  public record Row(String number, String title, String organizationId, String organization, String policy,
      String severityId, String severity, String state, String stateLabel, String owner, boolean own,
      Optional<String> nextTarget, Optional<Instant> deadline, Urgency urgency) {

    /** "in 3h 20m" or "4h 5m ago", relative to {@code now}; readable without JavaScript. */
    public String countdown(Instant now) {
      return deadline.map(d -> Time.relative(now, d)).orElse("");
    }
  }

  /** The filters as asked for; blank means all. */
  public record Filter(String organization, String policy, String severity, String owner, String state) {
    public static final Filter ALL = new Filter("", "", "", "", "");

    public static Filter of(Map<String, String> query) {
      return new Filter(query.getOrDefault("org", ""), query.getOrDefault("policy", ""),
          query.getOrDefault("severity", ""), query.getOrDefault("owner", ""), query.getOrDefault("state", ""));
    }

    boolean keeps(Row r) {
      return (organization.isEmpty() || organization.equals(r.organizationId()))
          && (policy.isEmpty() || policy.equals(r.policy()))
          && (severity.isEmpty() || severity.equals(r.severityId()))
          && (owner.isEmpty() || owner.equals(r.owner()))
          && (state.isEmpty() || state.equals(r.state()));
    }

    /** The query string that asks for this filter again, e.g. for the live refresh. */
    public String query() {
      StringBuilder b = new StringBuilder();
      append(b, "org", organization);
      append(b, "policy", policy);
      append(b, "severity", severity);
      append(b, "owner", owner);
      append(b, "state", state);
      return b.toString();
    }

    private static void append(StringBuilder b, String key, String value) {
      if (!value.isEmpty()) {
        b.append(b.isEmpty() ? "?" : "&").append(key).append('=')
            .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
      }
    }
  }

  /** A choice of a filter: its value and what the page shows for it. */
  public record Choice(String value, String label) {}

  /** What the board page shows. */
  public record View(Viewer viewer, Instant now, List<Row> rows, int total, Filter filter, List<Choice> organizations,
      List<Choice> policies, List<Choice> severities, List<Choice> owners, List<Choice> states, long breached,
      long atRisk) {}

  /** The board for {@code viewer} at {@code now}. */
  public View view(Viewer viewer, Filter filter, Instant now) {
    List<IncidentSnapshot> open = viewer.vendor() ? incidents.queue(LIMIT)
        : incidents.openFor(viewer.organizationId().orElseThrow()).stream().filter(s -> s.state().active()).toList();
    Map<String, String> orgNames = new java.util.HashMap<>();
    Map<Identity, String> people = new java.util.HashMap<>();
    List<Row> all = new ArrayList<>(open.size());
    for (IncidentSnapshot s : open) {
      if (viewer.sees(s)) {
        all.add(row(viewer, s, now, orgNames, people));
      }
    }
    Comparator<Row> order = Comparator.comparing((Row r) -> !r.own())
        .thenComparing(Row::urgency)
        .thenComparing(r -> r.deadline().orElse(Instant.MAX))
        .thenComparing(Row::number);
    all.sort(order);
    List<Row> shown = all.stream().filter(filter::keeps).toList();
    return new View(viewer, now, shown, all.size(), filter,
        choices(all, Row::organizationId, Row::organization), choices(all, Row::policy, Row::policy),
        choices(all, Row::severityId, Row::severity), choices(all, Row::owner, Row::owner),
        choices(all, Row::state, Row::stateLabel),
        shown.stream().filter(r -> r.urgency() == Urgency.BREACHED).count(),
        shown.stream().filter(r -> r.urgency() == Urgency.AT_RISK).count());
  }

  /** One case as a board row (also for cases no longer on the board: resolved, closed). */
  Row row(Viewer viewer, IncidentSnapshot s, Instant now) {
    return row(viewer, s, now, new java.util.HashMap<>(), new java.util.HashMap<>());
  }

  private Row row(Viewer viewer, IncidentSnapshot s, Instant now, Map<String, String> orgNames,
      Map<Identity, String> people) {
    Optional<Map.Entry<String, Instant>> next = s.clocks().entrySet().stream()
        .filter(e -> e.getValue().state() == SlaClock.State.RUNNING && e.getValue().deadline().isPresent())
        .map(e -> Map.entry(e.getKey(), e.getValue().deadline().get()))
        .min(Map.Entry.comparingByValue());
    boolean breached = s.clocks().values().stream().anyMatch(c -> c.breachedAt().isPresent())
        || next.map(n -> n.getValue().isBefore(now)).orElse(false);
    Urgency u = breached ? Urgency.BREACHED
        : next.isEmpty() ? Urgency.NO_DEADLINE
        : next.get().getValue().isBefore(now.plus(AT_RISK)) ? Urgency.AT_RISK : Urgency.ON_TRACK;
    String org = orgNames.computeIfAbsent(s.organizationId(),
        id -> directory.organization(id).map(Organization::name).orElse(id));
    String owner = s.claimedBy().map(id -> people.computeIfAbsent(id, this::personName)).orElse("unassigned");
    return new Row(s.number().toString(), s.title(), s.organizationId(), org, s.policyId(), s.severityId(),
        severityLabel(s) + (s.asksDetails() && s.pendingDetails().contains("severity") ? " (provisional)" : ""),
        s.state().name().toLowerCase(java.util.Locale.ROOT),
        s.state().label() + (s.asksDetails() ? " · details pending" : ""), owner, viewer.owns(s),
        next.map(n -> n.getKey().replace('_', ' ')), next.map(Map.Entry::getValue), u);
  }

  String personName(Identity id) {
    return directory.engineer(id).map(Engineer::name).orElse(id.userId());
  }

  String severityLabel(IncidentSnapshot s) {
    return policies.apply(s.policyId()).flatMap(p -> p.severities().stream()
        .filter(v -> v.id().equals(s.severityId())).findFirst())
        .map((Severity v) -> v.name().equalsIgnoreCase(v.id()) ? v.name() : v.id() + " " + v.name())
        .orElse(s.severityId());
  }

  private static List<Choice> choices(List<Row> rows, Function<Row, String> value, Function<Row, String> label) {
    Map<String, String> m = new java.util.TreeMap<>();
    rows.forEach(r -> m.putIfAbsent(value.apply(r), label.apply(r)));
    List<Choice> out = new ArrayList<>();
    new TreeSet<>(m.keySet()).forEach(k -> out.add(new Choice(k, m.get(k))));
    return out;
  }
}
