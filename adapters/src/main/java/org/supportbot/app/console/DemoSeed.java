package org.supportbot.app.console;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.config.policy.ReportField;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.chat.SupportDesk;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.incident.Actor;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.Origin;
import org.supportbot.core.time.ManualClock;

/**
 * Three days of sample cases for the demo's web board: cases of every organization filed over the
 * days before the demo starts, some claimed, answered, waiting on the customer, resolved or with
 * time logged, with the clock run through so that warnings and breaches fired when they were due.
 */
final class DemoSeed {
  /** Two weeks of older cases, most answered in time, some not, all resolved: the reports' history. */
  static final Duration HISTORY = Duration.ofDays(14);
  /** How far back the sample cases start. */
  static final Duration SPAN = HISTORY.plus(Duration.ofDays(3));
  private static final List<String> ORGS = List.of("acme", "globex", "initech", "umbrella", "hooli");
  private static final List<String> TITLES = List.of("Agent memory grows until restart", "Export to CSV times out",
      "Password reset mail never arrives", "Graphs show gaps every night", "API rate limit hit far below quota",
      "Scheduled job runs twice", "Search ignores accented letters", "Mobile app crashes on login",
      "Licence count wrong after renewal", "Time zone of reports is off by one hour");

  private final IncidentDesk incidents;
  private final SupportDesk desk;
  private final ManualClock clock;
  private final PolicyCatalog catalog;
  private int keys;

  DemoSeed(IncidentDesk incidents, SupportDesk desk, ManualClock clock, PolicyCatalog catalog) {
    this.incidents = incidents;
    this.desk = desk;
    this.clock = clock;
    this.catalog = catalog;
  }

  /** One step of the story: after {@code hoursIn} hours, who does what. */
  private record Step(double hoursIn, Runnable action) {}

  /** Files and works the sample cases, running the clock to {@code end}. */
  void run(Instant end) {
    history(clock.instant());
    Instant start = clock.instant();
    Map<String, IncidentNumber> n = new HashMap<>();
    List<Step> story = List.of(
        new Step(0.5, () -> n.put("a1", file("acme", "ana@acme", 1, "Beacon agents stop reporting after upgrade"))),
        new Step(1, () -> claim(n.get("a1"), "eve")),
        new Step(1.2, () -> ack(n.get("a1"), "eve")),
        new Step(2, () -> n.put("g1", file("globex", "gina@globex", 0, "Checkout API returns 502 for every order"))),
        new Step(5, () -> n.put("i1", file("initech", "ian@initech", 2, "Report export misses the last day of the month"))),
        new Step(6, () -> claim(n.get("i1"), "sam")),
        new Step(6.5, () -> info(n.get("i1"), "sam", "Which time zone is the report scheduled in?")),
        new Step(20, () -> n.put("h1", file("hooli", "hal@hooli", 1, "Invoices are not synchronised to the ledger"))),
        new Step(21, () -> claim(n.get("h1"), "eve")),
        new Step(21.5, () -> time(n.get("h1"), "eve", 50, false, "traced the sync job")),
        new Step(22, () -> time(n.get("h1"), "eve", 20, true, "call with the customer")),
        new Step(26, () -> n.put("u1", file("umbrella", "uma@umbrella", 1, "Optimizer run never finishes for plant 7"))),
        new Step(30, () -> n.put("a2", file("acme", "carl@acme", 2, "Dashboard widgets show stale numbers"))),
        new Step(31, () -> claim(n.get("a2"), "sam")),
        new Step(32, () -> resolve(n.get("a2"), "sam", "cleared the widget cache; numbers are current again")),
        new Step(44, () -> n.put("g2", file("globex", "gina@globex", 2, "Webhook retries arrive out of order"))),
        new Step(50, () -> n.put("h2", file("hooli", "hal@hooli", 2, "How do we add a cost centre to a project?"))),
        new Step(51, () -> time(n.get("h2"), "sam", 15, true, "explained cost centres")),
        new Step(56, () -> n.put("i2", file("initech", "ian@initech", 1, "Login page loops after SSO change"))),
        new Step(57, () -> claim(n.get("i2"), "eve")),
        // Eve files a message of Ana's in the channel for her: its details are still pending
        new Step(60, () -> fileFor("acme", "ana@acme", "eve", "Excel export drops the last column of every sheet")),
        new Step(66, () -> n.put("a3", file("acme", "ana@acme", 0, "Collector cluster down in eu-west"))),
        new Step(68, () -> n.put("u2", file("umbrella", "uma@umbrella", 2, "Import wizard rejects UTF-8 file names"))),
        new Step(70, () -> n.put("g3", file("globex", "gina@globex", 1, "Refunds stuck in pending since Friday"))),
        new Step(71.5, () -> n.put("g4", file("globex", "gina@globex", 2, "Payout report totals differ from the ledger"))));
    for (Step step : story) {
      advanceTo(start.plus(Duration.ofMinutes(Math.round(step.hoursIn() * 60))));
      step.action().run();
      desk.tick();
    }
    advanceTo(end);
  }

  /** Two cases a day for {@link #HISTORY}, rotating organizations and severities; every fourth is answered late. */
  private void history(Instant start) {
    Map<Integer, IncidentNumber> n = new HashMap<>();
    List<Step> steps = new java.util.ArrayList<>();
    int cases = (int) HISTORY.toHours() / 12 - 2;
    for (int i = 0; i < cases; i++) {
      int k = i;
      String org = ORGS.get(i % ORGS.size());
      String contact = DemoWorld.CUSTOMERS.stream().filter(c -> c.org().id().equals(org)).findFirst().orElseThrow()
          .contacts().getFirst();
      String engineer = i % 2 == 0 ? "eve" : "sam";
      double at = 12.0 * i + 3;
      steps.add(new Step(at, () -> n.put(k, file(org, contact, 1 + k % 2, TITLES.get(k % TITLES.size())))));
      steps.add(new Step(at + 0.5, () -> claim(n.get(k), engineer)));
      steps.add(new Step(at + (i % 4 == 3 ? 40 : 1), () -> ack(n.get(k), engineer)));
      if (org.equals("hooli")) {
        steps.add(new Step(at + 2, () -> time(n.get(k), engineer, 25 + 10 * (k % 4), k % 3 == 0, "investigation")));
      }
      steps.add(new Step(at + (i % 4 == 3 ? 44 : 22), () -> resolve(n.get(k), engineer, "fixed; see the thread for the details")));
      if (i % 3 != 2) { // most customers rate the resolved case: the reports' satisfaction
        steps.add(new Step(at + (i % 4 == 3 ? 45 : 23), () -> rate(n.get(k), org, contact, 3 + k % 3)));
      }
    }
    steps.sort(java.util.Comparator.comparingDouble(Step::hoursIn));
    for (Step step : steps) {
      advanceTo(start.plus(Duration.ofMinutes(Math.round(step.hoursIn() * 60))), Duration.ofHours(1));
      step.action().run();
    }
    advanceTo(start.plus(HISTORY), Duration.ofHours(1));
  }

  /** Moves the clock in quarter hours, firing what falls due on the way. */
  private void advanceTo(Instant to) {
    advanceTo(to, Duration.ofMinutes(15));
  }

  private void advanceTo(Instant to, Duration step) {
    while (clock.instant().isBefore(to)) {
      Duration left = Duration.between(clock.instant(), to);
      clock.advance(left.compareTo(step) < 0 ? left : step);
      desk.tick();
    }
  }

  private IncidentNumber file(String org, String contact, int severityIndex, String title) {
    DemoWorld.Customer c = DemoWorld.CUSTOMERS.stream().filter(x -> x.org().id().equals(org)).findFirst().orElseThrow();
    SupportPolicy p = catalog.get(c.org().policyId()).orElseThrow();
    Map<String, String> fields = new HashMap<>();
    for (ReportField f : p.report()) {
      fields.put(f.id(), f.choices().isEmpty() ? "see the title: " + title : f.choices().getFirst());
    }
    fields.put("description", title + ". Seen since this morning; details in the thread.");
    String severity = p.severities().get(Math.min(severityIndex, p.severities().size() - 1)).id();
    String category = p.categories().isEmpty() ? "" : p.categories().getFirst().id();
    String product = p.versions().products().isEmpty() ? choice(p, "product", "Beacon")
        : p.versions().products().getFirst().name();
    String version = p.versions().products().isEmpty() || p.versions().products().getFirst().releases().isEmpty()
        ? choice(p, "version", "3.2.1") : p.versions().products().getFirst().releases().getLast().version();
    IncidentOutcome o = incidents.handle(new IncidentCommand.File(origin(Actor.customer(DemoWorld.person(contact))),
        org, new ChatPlace(DemoWorld.PLATFORM, DemoWorld.WORKSPACE, c.channel(), ""), severity, category, product, version,
        title, fields));
    if (!(o instanceof IncidentOutcome.Filed f)) {
      throw new IllegalStateException("demo sample case \"" + title + "\" was not filed: " + o);
    }
    return f.incident();
  }

  /** The first choice of a report field, or {@code fallback} when it offers none; "" when there is no such field. */
  private static String choice(SupportPolicy p, String field, String fallback) {
    return p.report().stream().filter(f -> f.id().equals(field)).findFirst()
        .map(f -> f.choices().isEmpty() ? fallback : f.choices().getFirst()).orElse("");
  }

  private void claim(IncidentNumber n, String engineer) {
    incidents.handle(new IncidentCommand.Claim(origin(Actor.engineer(DemoWorld.person(engineer))), n));
  }

  private void ack(IncidentNumber n, String engineer) {
    incidents.handle(new IncidentCommand.Acknowledge(origin(Actor.engineer(DemoWorld.person(engineer))), n,
        "We have received your case and are looking into it."));
  }

  private void info(IncidentNumber n, String engineer, String question) {
    incidents.handle(new IncidentCommand.RequestInfo(origin(Actor.engineer(DemoWorld.person(engineer))), n, question));
  }

  private void time(IncidentNumber n, String engineer, int minutes, boolean communication, String note) {
    incidents.handle(new IncidentCommand.LogTime(origin(Actor.engineer(DemoWorld.person(engineer))), n,
        Duration.ofMinutes(minutes), communication, note));
  }

  private void resolve(IncidentNumber n, String engineer, String summary) {
    SupportPolicy p = catalog.get(incidents.incident(n).orElseThrow().policyId()).orElseThrow();
    incidents.handle(new IncidentCommand.Resolve(origin(Actor.engineer(DemoWorld.person(engineer))), n,
        p.resolution().types().getFirst(), summary));
  }

  /** {@code engineer} files {@code contact}'s message as a case on their behalf, as the message shortcut does. */
  private void fileFor(String org, String contact, String engineer, String message) {
    DemoWorld.Customer c = DemoWorld.CUSTOMERS.stream().filter(x -> x.org().id().equals(org)).findFirst().orElseThrow();
    desk.handle(new Inbound("demo-seed-" + (++keys), DemoWorld.person(engineer),
        new ChatPlace(DemoWorld.PLATFORM, DemoWorld.WORKSPACE, c.channel(), ""), false, clock.instant(),
        Optional.empty(), new Inbound.FileMessage(DemoWorld.person(contact), message)));
  }

  /** The contact rates the resolved case in the organization's channel, with /rate as a customer types it. */
  private void rate(IncidentNumber n, String org, String contact, int score) {
    DemoWorld.Customer c = DemoWorld.CUSTOMERS.stream().filter(x -> x.org().id().equals(org)).findFirst().orElseThrow();
    desk.handle(new Inbound("demo-seed-" + (++keys), DemoWorld.person(contact),
        new ChatPlace(DemoWorld.PLATFORM, DemoWorld.WORKSPACE, c.channel(), ""), false, clock.instant(),
        Optional.empty(), new Inbound.Command("rate", n + " " + score + (score < 5 ? " took a while" : " quick and clear"))));
  }

  private Origin origin(Actor actor) {
    return Origin.of("demo-seed-" + (++keys), actor, clock.instant());
  }
}
