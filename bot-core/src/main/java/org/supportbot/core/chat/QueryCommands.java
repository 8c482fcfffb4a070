package org.supportbot.core.chat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Span;
import org.supportbot.core.incident.Incident;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.sla.SlaClock;

/**
 * Questions that change nothing: {@code /help}, {@code /queue}, {@code /mine} and {@code /sla}.
 * Every answer goes to the person who asked only.
 */
final class QueryCommands {
  private final DeskContext desk;

  QueryCommands(DeskContext desk) {
    this.desk = desk;
  }

  /** The commands the person may use: all of them for the vendor, the customers' few for customers. */
  Outbound help(Who who) {
    Outbound.Builder b = Outbound.toPlace(who.in().place(), Outbound.Kind.REPLY).onlyFor(who.in().person())
        .text("Commands:");
    CommandParser.USAGE.forEach((name, usage) -> {
      if (who.vendor() || CommandParser.FOR_CUSTOMERS.contains(name)) {
        b.fact("/" + name, usage.substring(usage.indexOf(" - ") + 3));
      }
    });
    return b.build();
  }

  /** Cases a page of {@code /queue} shows: a list one reads in a chat message, not a report (that is the board). */
  static final int QUEUE_PAGE = 25;

  /** How many cases by next deadline {@code /queue} reads at least, to count them for its pages. */
  static final int QUEUE_DEPTH = 200;

  Outbound queue(Who who, int page) {
    int from = (page - 1) * QUEUE_PAGE;
    int depth = Math.max(QUEUE_DEPTH, from + QUEUE_PAGE + 1);
    List<IncidentSnapshot> read = desk.incidents.queue(depth);
    List<IncidentSnapshot> visible = visible(who, read);
    Outbound.Builder b = Outbound.toPlace(who.in().place(), Outbound.Kind.REPLY).onlyFor(who.in().person());
    String total = visible.size() + (read.size() == depth ? "+" : "");
    if (visible.isEmpty()) {
      return b.text("Open cases by next deadline: none.").build();
    }
    if (from >= visible.size()) {
      return b.text("Open cases by next deadline: " + total + " in all, so there is no page " + page + "; the last is "
          + ((visible.size() - 1) / QUEUE_PAGE + 1) + ".").build();
    }
    List<IncidentSnapshot> shown = visible.subList(from, Math.min(visible.size(), from + QUEUE_PAGE));
    String more = from + shown.size() < visible.size()
        ? "; /queue " + (page + 1) + " for the next " + Math.min(QUEUE_PAGE, visible.size() - from - shown.size()) : "";
    b.text("Open cases by next deadline (" + (shown.size() == visible.size() ? total
        : (from + 1) + "-" + (from + shown.size()) + " of " + total + more) + "):");
    shown.forEach(s -> desk.views.queueLine(b, s));
    return b.build();
  }

  Outbound mine(Who who) {
    List<IncidentSnapshot> visible = visible(who, desk.incidents.mine(who.in().person()));
    Outbound.Builder b = Outbound.toPlace(who.in().place(), Outbound.Kind.REPLY).onlyFor(who.in().person())
        .text("Your open cases" + (visible.isEmpty() ? ": none." : " (" + visible.size() + "):"));
    visible.forEach(s -> desk.views.queueLine(b, s));
    return b.build();
  }

  /** The cases {@code who} may see where they asked: in an organization's channel only its own. */
  private static List<IncidentSnapshot> visible(Who who, List<IncidentSnapshot> cases) {
    return cases.stream()
        .filter(s -> who.channelOrg().map(o -> o.id().equals(s.organizationId())).orElse(who.vendor()))
        .toList();
  }

  /**
   * What started a clock at {@code at}, in the words of the policy's targets: the submission, the
   * first response, a later public update (a target re-armed by each), or the reopening.
   */
  private String startedBy(IncidentNumber n, Instant at) {
    boolean responded = false;
    for (IncidentEvent e : desk.incidents.log(n)) {
      boolean response = e instanceof IncidentEvent.Acknowledged || e instanceof IncidentEvent.InfoRequested
          || e instanceof IncidentEvent.PublicUpdatePosted || e instanceof IncidentEvent.Resolved;
      if (e.origin().at().equals(at)) {
        if (e instanceof IncidentEvent.Filed) {
          return "submission";
        }
        if (e instanceof IncidentEvent.Reopened) {
          return "the reopening";
        }
        if (response) {
          return responded ? "the public update" : "the first response";
        }
      }
      responded |= response;
    }
    return "the clock's start";
  }

  /** {@code /sla why}: the segments of support hours behind the case's next deadline. */
  Outbound slaWhy(Who who, IncidentSnapshot s) {
    IncidentNumber n = s.number();
    Optional<Incident> inc = desk.incidents.rebuild(n);
    Outbound.Builder b = Outbound.toPlace(who.in().place(), Outbound.Kind.REPLY).onlyFor(who.in().person());
    if (inc.isEmpty()) {
      return b.text("There is no case " + n + ".").build();
    }
    Optional<Map.Entry<String, Incident.TargetClock>> next = inc.get().clocks().entrySet().stream()
        .filter(e -> e.getValue().clock().deadline().isPresent())
        .filter(e -> e.getValue().clock().state() == SlaClock.State.RUNNING)
        .min((a, c) -> a.getValue().clock().deadline().get().compareTo(c.getValue().clock().deadline().get()));
    if (next.isEmpty()) {
      return b.text(n + " has no running deadline (" + inc.get().state().label() + ").").build();
    }
    var clock = next.get().getValue().clock();
    Instant deadline = clock.deadline().get();
    b.text("Why ", new Span.Strong(n + " " + CaseViews.targetLabel(next.get().getKey())), " is due ", deadline, ": "
        + CaseViews.hours(clock.target().orElseThrow()) + " of support hours from " + startedBy(n, clock.startedAt())
        + " ", clock.startedAt(), ", counting:");
    CaseViews.segments(b, clock.explain(deadline), inc.get().policy().calendar().zone());
    return b.build();
  }

  /**
   * {@code /transcript}: the case's whole record of communications as a Markdown file; an engineer
   * gets it in the case's thread, a customer (a named contact of the case's organization) by direct
   * message, with a short reply where they asked.
   */
  void transcript(Who who, IncidentSnapshot s, Step step) {
    String md = CaseTranscript.markdown(s, desk.policy(s.policyId()), desk.incidents.log(s.number()), desk.clock.instant());
    String name = CaseTranscript.fileName(s);
    if (who.vendor()) {
      step.out.add(Outbound.toPlace(CaseViews.thread(s), Outbound.Kind.REPLY).text("Transcript of " + s.number() + ", asked for by ",
          who.in().person(), ".").file(name, md).build());
      return;
    }
    step.out.add(Outbound.to(new Outbound.ToPerson(who.in().person()), Outbound.Kind.REPLY)
        .text("The transcript of " + s.number() + ", as you asked.").file(name, md).build());
    step.out.add(desk.reply(who, "I sent you the transcript of " + s.number() + " by direct message."));
  }
}
