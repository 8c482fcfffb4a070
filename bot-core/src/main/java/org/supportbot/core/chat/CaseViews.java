package org.supportbot.core.chat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.supportbot.config.policy.Severity;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Span;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.sla.Segment;

/** How cases look in chat: the status message, queue lines, the SLA explanation. */
final class CaseViews {

  static final String CLAIM = "case.claim";
  /** The button that reopens a case, offered before it closes by itself. */
  static final String REOPEN = "case.reopen";
  private static final DateTimeFormatter SEGMENT = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);

  private final Function<String, Optional<SupportPolicy>> policies;

  CaseViews(Function<String, Optional<SupportPolicy>> policies) {
    this.policies = policies;
  }

  /** The case's own thread: its stored place, or a thread named after the case in its channel. */
  static ChatPlace thread(IncidentSnapshot s) {
    ChatPlace p = s.place();
    return p.thread().isEmpty() ? new ChatPlace(p.platform(), p.workspace(), p.channel(), s.number().toString()) : p;
  }

  static String statusKey(IncidentSnapshot s) {
    return "status:" + s.number();
  }

  String severityLabel(IncidentSnapshot s) {
    return severity(s).map(v -> v.name().equalsIgnoreCase(v.id()) ? v.name() : v.id() + " " + v.name())
        .orElse(s.severityId());
  }

  Optional<Severity> severity(IncidentSnapshot s) {
    return policies.apply(s.policyId()).flatMap(p -> p.severities().stream()
        .filter(v -> v.id().equals(s.severityId())).findFirst());
  }

  boolean urgent(IncidentSnapshot s) {
    return severity(s).map(Severity::isUrgent).orElse(false);
  }

  /** The running target with the earliest deadline. */
  static Optional<Map.Entry<String, Instant>> next(IncidentSnapshot s) {
    return s.clocks().entrySet().stream()
        .filter(e -> e.getValue().state() == org.supportbot.core.sla.SlaClock.State.RUNNING)
        .filter(e -> e.getValue().deadline().isPresent())
        .map(e -> Map.entry(e.getKey(), e.getValue().deadline().get()))
        .min(Map.Entry.comparingByValue());
  }

  static String targetLabel(String target) {
    return target.replace('_', ' ');
  }

  /** The one status message of a case, replaced on every change. */
  Outbound status(IncidentSnapshot s) {
    Outbound.Builder b = Outbound.toPlace(thread(s), Outbound.Kind.STATUS).replaces(statusKey(s))
        .text(new Span.Strong(s.number() + ": " + s.title()))
        .fact("State", state(s))
        .fact("Severity", severityLabel(s) + (s.pendingDetails().contains("severity") ? " (provisional)" : ""))
        .fact("Owner", s.claimedBy().<Object>map(id -> id).orElse("unassigned"));
    if (s.detailsPending()) {
      b.fact("Details pending", String.join(", ", s.pendingDetails().stream().map(f -> f.replace('_', ' ')).toList())
          + " (asked of ", s.reporter(), " in this thread)");
    }
    Optional<Map.Entry<String, Instant>> next = next(s);
    if (next.isPresent()) {
      b.fact("Next deadline", targetLabel(next.get().getKey()) + " ", next.get().getValue());
    } else {
      b.fact("Next deadline", s.state() == org.supportbot.core.incident.IncidentState.WAITING_ON_CUSTOMER ? "paused while waiting on the customer"
          : "none running");
    }
    s.clocks().forEach((target, clock) -> clock.breachedAt().ifPresent(at ->
        b.fact("Breached", targetLabel(target) + " target at ", at)));
    if (s.claimedBy().isEmpty() && s.state().active()) {
      b.actions(new Outbound.Action(CLAIM, "Claim", s.number().toString(), true));
    }
    return b.build();
  }

  static String state(IncidentSnapshot s) {
    return s.state().label();
  }

  /** One line of a queue: number, severity, state, title, next deadline. */
  void queueLine(Outbound.Builder b, IncidentSnapshot s) {
    Optional<Map.Entry<String, Instant>> next = next(s);
    String head = s.severityId() + " · " + state(s) + (s.detailsPending() ? " · details pending" : "") + " · " + s.title()
        + s.claimedBy().map(id -> " · @" + id.userId()).orElse(" · unassigned");
    if (next.isPresent()) {
      b.fact(s.number().toString(), head + " · " + targetLabel(next.get().getKey()) + " ", next.get().getValue());
    } else {
      b.fact(s.number().toString(), head);
    }
  }

  /** The segments behind a deadline, in the policy's zone. */
  static void segments(Outbound.Builder b, List<Segment> segments, ZoneId zone) {
    Duration counted = Duration.ZERO;
    for (Segment seg : segments) {
      if (seg.kind() == Segment.Kind.COUNTED) {
        counted = counted.plus(seg.length());
      }
      b.fact(seg.kind().toString().toLowerCase(Locale.ROOT).replace('_', ' '),
          SEGMENT.format(seg.start().atZone(zone)) + " – " + SEGMENT.format(seg.end().atZone(zone)) + " "
              + zone.getId() + " (" + hours(seg.length()) + ")" + (seg.note().isEmpty() ? "" : " " + seg.note()));
    }
    b.fact("Counted so far", hours(counted));
  }

  static String hours(Duration d) {
    long m = d.toMinutes();
    return m >= 60 ? (m / 60) + "h" + (m % 60 == 0 ? "" : " " + (m % 60) + "m") : m + "m";
  }
}
