package org.supportbot.core.chat;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.supportbot.config.policy.BusinessDuration;
import org.supportbot.config.policy.EscalationRule;
import org.supportbot.config.policy.Severity;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Span;
import org.supportbot.core.conversation.Suggestion;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.outbox.OutboxStore;
import org.supportbot.core.sla.BusinessClock;

/**
 * Incident events into messages: the confirmation and triage notice of a new case, each change in
 * the case's thread, escalations where the policy routes them, and the pre-breach and breach pings
 * (those of low levels held until business hours). Rendered from the stored log, so a crash
 * between a change and its messages loses nothing.
 */
final class EventMessages {
  private final DeskContext desk;
  private final IntakeCommands intake;

  EventMessages(DeskContext desk, IntakeCommands intake) {
    this.desk = desk;
    this.intake = intake;
  }

  List<Outbound> render(List<IncidentEvent> events, Step step) {
    List<Outbound> out = new ArrayList<>();
    Map<IncidentNumber, IncidentSnapshot> touched = new LinkedHashMap<>();
    for (IncidentEvent e : events) {
      Optional<IncidentSnapshot> s = desk.incidents.incident(e.incident());
      if (s.isEmpty()) {
        continue;
      }
      touched.put(e.incident(), s.get());
      out.addAll(messages(e, s.get(), step));
    }
    touched.values().forEach(s -> out.add(desk.views.status(s)));
    return out;
  }

  private List<Outbound> messages(IncidentEvent e, IncidentSnapshot s, Step step) {
    ChatPlace thread = CaseViews.thread(s);
    List<Outbound> out = new ArrayList<>();
    Outbound.Builder b = Outbound.toPlace(thread, Outbound.Kind.NOTICE);
    Identity by = e.origin().actor().identity();
    switch (e) {
      case IncidentEvent.Filed f -> {
        if (f.parent().isPresent()) {
          out.add(b.text("Subordinate case ", new Span.Strong(f.incident().toString()), " of " + f.parent().get() + ": "
              + f.title()).build());
        } else {
          out.add(triage(s, f));
          Outbound.Builder c = Outbound.toPlace(thread, Outbound.Kind.CONFIRMATION);
          Span.Strong number = new Span.Strong(f.incident().toString());
          if (f.filedBy().isPresent()) {
            c.text("Thanks ", s.reporter(), ", your case ", number, " is filed (by ", f.filedBy().get(), " on your behalf): "
                + f.title());
          } else {
            c.text("Thanks ", s.reporter(), ", your case ", number, " is filed: " + f.title());
          }
          boolean provisional = f.pending().contains("severity");
          c.fact("Severity", desk.views.severityLabel(s) + (provisional
              ? " (provisional until you answer the severity question)" : ""));
          CaseViews.next(s).ifPresent(n -> c.fact("First deadline", CaseViews.targetLabel(n.getKey()) + " ", n.getValue()));
          if (!f.pending().isEmpty()) {
            c.fact("Details pending", f.pending().size() + " question" + (f.pending().size() == 1 ? "" : "s")
                + ", asked here one at a time; the engineers work the case meanwhile");
          }
          outOfHours(s, f.origin().at()).ifPresent(c::text);
          out.add(c.build());
          if (!f.pending().isEmpty() && s.pendingDetails().equals(f.pending())) {
            out.add(nextDetail(s, thread));
          }
          ChatPlace channel = new ChatPlace(thread.platform(), thread.workspace(), thread.channel(), "");
          if (!channel.equals(thread)) {
            Outbound.Builder top = Outbound.toPlace(channel, Outbound.Kind.CONFIRMATION)
                .text("Case ", new Span.Strong(f.incident().toString()), " filed (" + desk.views.severityLabel(s)
                    + "); follow it in its thread.");
            CaseViews.next(s).ifPresent(n -> top.fact("First deadline", n.getValue()));
            out.add(top.build());
          }
        }
        if (desk.views.urgent(s)) {
          out.add(escalationPing(s, "New " + desk.views.severityLabel(s) + " case"));
        }
      }
      case IncidentEvent.Acknowledged a -> out.add(b.text(by, " acknowledged: " + a.text()).build());
      case IncidentEvent.Claimed c -> out.add(b.text(c.engineer(), " is now handling " + s.number() + ".").build());
      case IncidentEvent.Unclaimed u -> out.add(b.text(s.number() + " is back in the queue.").build());
      case IncidentEvent.Assigned a -> out.add(b.text(s.number() + " is assigned to ", a.engineer(), " by ", by, ".")
          .build());
      case IncidentEvent.SeverityChanged c -> {
        out.add(b.text("Severity changed from " + c.from() + " to " + c.to() + " by ", by, ": " + c.reason()).build());
        if (desk.views.urgent(s) && !wasUrgent(s.policyId(), c.from())) {
          out.add(escalationPing(s, "Raised to " + desk.views.severityLabel(s)));
        }
      }
      case IncidentEvent.DetailRecorded d -> {
        out.add(b.text("Recorded ", by, "'s answer on " + s.number() + " (" + d.field().replace('_', ' ') + "): "
            + (d.value().length() > 80 ? d.value().substring(0, 79).strip() + "…" : d.value())).build());
        if (s.asksDetails()) {
          out.add(nextDetail(s, thread));
        } else if (s.state().active()) {
          out.add(Outbound.toPlace(thread, Outbound.Kind.NOTICE).text("Thanks ", s.reporter(), ", " + s.number()
              + " has every detail its policy asks for now.").build());
        }
      }
      case IncidentEvent.SeverityDiscussionRequested d -> {
        out.add(b.text(by, " asked to discuss the severity: " + d.reason()).build());
        out.add(Outbound.toPlace(desk.settings.triage(), Outbound.Kind.NOTICE).text("The customer asks to discuss the severity"
            + " of ", new Span.Strong(s.number().toString()), ": " + d.reason()).build());
      }
      case IncidentEvent.InfoRequested r -> {
        b.text(s.reporter(), ", we need more information: " + r.text() + " Please reply in this thread.");
        // the last attempt before the policy lets the vendor drop the case says so, and by when
        desk.policy(s.policyId()).droppedCase().filter(rule -> s.unansweredRequests() >= rule.unansweredRequests())
            .ifPresent(rule -> b.text("This is request " + s.unansweredRequests() + " without an answer: if it is not"
                + " answered by ", desk.calculator(s.policyId()).deadline(rule.waitForReply(), e.origin().at()).orElseThrow(),
                ", " + s.number() + " may be closed, as the policy says: " + rule.ruleText().strip()));
        out.add(b.build());
      }
      case IncidentEvent.CustomerReplied r -> {
        out.add(Outbound.toPlace(desk.settings.triage(), Outbound.Kind.NOTICE)
            .text("The customer replied on ", new Span.Strong(s.number().toString()),
                s.claimedBy().<Object>map(owner -> new Span.Plain(" (owner: @" + owner.userId() + ")"))
                    .orElse(" (unassigned)"))
            .build());
      }
      case IncidentEvent.PublicUpdatePosted u -> {
        if (!desk.silent.remove(e.origin().key())) {
          out.add(b.text("Update from ", by, ": " + u.text()).build());
        }
      }
      case IncidentEvent.Resolved r -> {
        // a type the policy closes once recorded gets no invitation to reopen: the Closed event follows
        boolean recorded = desk.policy(s.policyId()).resolution().recordedIn(r.type()).isPresent();
        out.add(b.text(s.number() + " is resolved (" + r.type().id().replace('_', ' ') + ") by ", by, ": " + r.summary()
            + (recorded ? "" : " Reply /reopen in this thread if it is not fixed.")).build());
        if (!recorded) {
          out.add(SatisfactionCommands.question(s));
        }
      }
      case IncidentEvent.Closed c -> {
        out.add(b.text(s.number() + " is closed" + (c.automatic() ? " automatically" : "")
            + (c.reason().isBlank() ? "." : ": " + c.reason())).build());
        // a type closed once recorded is asked about when it closes, right after its resolution
        if (!c.automatic() && s.resolution().flatMap(t -> desk.policy(s.policyId()).resolution().recordedIn(t)).isPresent()) {
          out.add(SatisfactionCommands.question(s));
        }
      }
      case IncidentEvent.ReopenRequested r -> out.add(Outbound.toPlace(desk.settings.triage(), Outbound.Kind.NOTICE)
          .text("The customer asks to reopen ", new Span.Strong(s.number().toString()), ": " + r.reason()).build());
      case IncidentEvent.Reopened r -> {
        out.add(b.text(s.number() + " is reopened" + (r.reason().isBlank() ? "." : ": " + r.reason())).build());
        if (s.asksDetails()) {
          out.add(nextDetail(s, thread)); // the questions left open when it was resolved are asked again
        }
      }
      case IncidentEvent.Dropped d -> out.add(b.text(s.number() + " is closed as dropped: " + d.reason()).build());
      case IncidentEvent.SplitInto sp -> out.add(b.text(s.number() + " is split into " + String.join(", ",
          sp.parts().stream().map(Object::toString).toList()) + "; each is handled separately.").build());
      case IncidentEvent.MergedInto m -> out.add(b.text(s.number() + " is a duplicate and continues in " + m.into() + ".")
          .build());
      case IncidentEvent.DuplicateMerged m -> out.add(b.text(m.duplicate() + " was merged into " + s.number() + ".")
          .build());
      case IncidentEvent.TimeLogged t -> { }
      case IncidentEvent.Escalated x -> out.addAll(escalation(s, x));
      case IncidentEvent.SlaWarningIssued w -> out.addAll(ping(w, s, false, step));
      case IncidentEvent.SlaBreached x -> out.addAll(ping(x, s, false, step));
      case IncidentEvent.ReminderSent r -> out.add(Outbound.toPlace(thread, Outbound.Kind.REMINDER)
          .text(s.reporter(), ", we are still waiting for your answer on " + s.number() + ". Without a reply the case"
              + " will count as unanswered ", r.lapsesAt(), ".").build());
      case IncidentEvent.CloseWarned w -> out.add(Outbound.toPlace(thread, Outbound.Kind.REMINDER)
          .text(s.reporter(), ", " + s.number() + " is resolved and will close by itself ", w.closesAt(), ". If it is"
              + " not fixed, press Reopen or reply /reopen in this thread.")
          .actions(new Outbound.Action(CaseViews.REOPEN, "Reopen", s.number().toString(), false)).build());
      case IncidentEvent.InfoRequestLapsed l -> out.add(b.text("The request for information on " + s.number()
          + " went unanswered (" + l.unanswered() + " in a row).").build());
    }
    return out;
  }

  /** The first of the case's pending details, asked of its reporter in the case's thread. */
  private Outbound nextDetail(IncidentSnapshot s, ChatPlace thread) {
    return desk.intake(s.policyId()).detailQuestion(thread, s.reporter(), s.pendingDetails().getFirst(),
        s.pendingDetails().size(), s.details());
  }

  /**
   * Filed outside the support hours its first deadline counts: when the clock starts and the
   * deadline, so the customer does not wait for an answer at night. Urgent levels are paged at any
   * hour all the same (the escalation ping goes out with the filing).
   */
  private Optional<Object[]> outOfHours(IncidentSnapshot s, Instant at) {
    Optional<Map.Entry<String, Instant>> next = CaseViews.next(s);
    Optional<Severity> severity = desk.views.severity(s);
    if (next.isEmpty() || severity.isEmpty()) {
      return Optional.empty();
    }
    BusinessDuration target = severity.get().targets().get(next.get().getKey());
    if (target == null || !target.hasDeadline()) {
      return Optional.empty();
    }
    BusinessClock hours = desk.calculator(s.policyId()).clockFor(target);
    if (hours.isOpen(at)) {
      return Optional.empty();
    }
    Instant opens = hours.nextBusinessInstant(at);
    String local = OPENS.format(opens.atZone(desk.policy(s.policyId()).calendar().zone()));
    return Optional.of(new Object[] {"Support hours are closed now. They open " + local + " (", opens, "), when the"
        + " clock starts; your " + severity.get().id() + " case's " + CaseViews.targetLabel(next.get().getKey())
        + " is due by ", next.get().getValue(), "." + (desk.views.urgent(s) ? " The on-call team is paged now." : "")});
  }

  private static final DateTimeFormatter OPENS = DateTimeFormatter.ofPattern("EEEE d MMMM HH:mm zzz", Locale.ENGLISH);

  private boolean wasUrgent(String policyId, String severityId) {
    return desk.policy(policyId).severities().stream().filter(v -> v.id().equals(severityId)).findFirst()
        .map(v -> v.isUrgent()).orElse(false);
  }

  private Outbound escalationPing(IncidentSnapshot s, String why) {
    DeskSettings.OrgRouting r = desk.settings.routing(s.organizationId());
    Outbound.Builder b = Outbound.toPlace(r.escalation(), Outbound.Kind.ESCALATION_PING)
        .text(new Span.Role(r.onCallRole(), r.onCallLabel()), " " + why + " ", new Span.Strong(s.number().toString()),
            ": " + s.title());
    CaseViews.next(s).ifPresent(n -> b.fact(CaseViews.targetLabel(n.getKey()) + " due", n.getValue()));
    return b.build();
  }

  private List<Outbound> escalation(IncidentSnapshot s, IncidentEvent.Escalated x) {
    SupportPolicy policy = desk.policy(s.policyId());
    DeskSettings.OrgRouting r = desk.settings.routing(s.organizationId());
    List<Outbound> out = new ArrayList<>();
    out.add(Outbound.toPlace(CaseViews.thread(s), Outbound.Kind.NOTICE)
        .text(s.number() + " is escalated by ", x.origin().actor().identity(), ": " + x.reason()).build());
    Set<EscalationRule.Target> sent = new HashSet<>();
    for (EscalationRule.Route route : policy.escalation().routes()) {
      if (!sent.add(route.to())) {
        continue;
      }
      Outbound.Builder text = null;
      switch (route.to()) {
        case ACCOUNT_MANAGER -> {
          if (r.accountManager().isPresent()) {
            text = Outbound.to(new Outbound.ToPerson(r.accountManager().get()), Outbound.Kind.ESCALATION_PING);
          }
        }
        case ESCALATION_CHANNEL, ON_CALL -> text = Outbound.toPlace(r.escalation(), Outbound.Kind.ESCALATION_PING)
            .text(new Span.Role(r.onCallRole(), r.onCallLabel()));
        case SUPPORT_MANAGER -> {
          for (Identity m : desk.settings.managers()) {
            out.add(Outbound.to(new Outbound.ToPerson(m), Outbound.Kind.ESCALATION_PING)
                .text("Escalation of ", new Span.Strong(s.number().toString()), " (" + desk.views.severityLabel(s) + "): "
                    + x.reason()).build());
          }
        }
      }
      if (text != null) {
        out.add(text.text("Escalation of ", new Span.Strong(s.number().toString()), " (" + desk.views.severityLabel(s) + "): "
            + x.reason() + (route.description().isBlank() ? "" : " — " + route.description())).build());
      }
    }
    return out;
  }

  /**
   * Pre-breach and breach pings. Severity 1 and 2 go out at any hour; lower levels wait for the
   * policy's business hours (kept durably, not dropped) unless {@code released}.
   */
  List<Outbound> ping(IncidentEvent e, IncidentSnapshot s, boolean released, Step step) {
    if (!released && !desk.views.urgent(s)) {
      BusinessClock hours = desk.calculator(s.policyId()).businessClock();
      Instant now = desk.clock.instant();
      // a ping due exactly at the end of a window (a deadline at 17:00) still goes out then
      if (!hours.isOpen(now) && !hours.isOpen(now.minusMillis(1))) {
        step.deferrals.add(new OutboxStore.Deferral(hours.nextBusinessInstant(now), e));
        return List.of();
      }
    }
    List<Outbound> out = new ArrayList<>();
    switch (e) {
      case IncidentEvent.SlaWarningIssued w -> {
        Outbound.Builder b = s.claimedBy().isPresent()
            ? Outbound.to(new Outbound.ToPerson(s.claimedBy().get()), Outbound.Kind.PRE_BREACH_PING)
            : Outbound.toPlace(desk.settings.triage(), Outbound.Kind.PRE_BREACH_PING);
        out.add(b.text(new Span.Strong(s.number().toString()), " (" + desk.views.severityLabel(s) + ", "
            + s.claimedBy().map(x -> "yours").orElse("unassigned") + ") has used " + w.percent() + "% of its "
            + CaseViews.targetLabel(w.target()) + " target; due ", w.deadline(), ".").build());
      }
      case IncidentEvent.SlaBreached x -> {
        List<Identity> to = new ArrayList<>(desk.settings.managers());
        s.claimedBy().filter(owner -> !to.contains(owner)).ifPresent(to::add);
        for (Identity m : to) {
          out.add(Outbound.to(new Outbound.ToPerson(m), Outbound.Kind.BREACH_PING)
              .text("Breach: ", new Span.Strong(s.number().toString()), " (" + desk.views.severityLabel(s) + ") missed its "
                  + CaseViews.targetLabel(x.target()) + " target, due ", x.deadline(), ". Owner: ",
                  s.claimedBy().<Object>map(o -> o).orElse("unassigned"), ".").build());
        }
      }
      default -> throw new IllegalArgumentException("not a ping: " + e.getClass().getSimpleName());
    }
    return out;
  }

  /**
   * The new case in the vendor's triage channel, with what the customer already saw. Rendered from
   * the {@code Filed} event, so it is not lost to a crash; after a restart the suggestions the
   * customer declined are no longer known and are left out.
   */
  private Outbound triage(IncidentSnapshot s, IncidentEvent.Filed filed) {
    Map<String, String> answers = filed.fields();
    List<Suggestion> declined = desk.offered.getOrDefault(filed.origin().key(), List.of());
    Outbound.Builder b = Outbound.toPlace(desk.settings.triage(), Outbound.Kind.NOTICE)
        .text("New case ", new Span.Strong(s.number().toString()), " (" + desk.views.severityLabel(s) + ") from ", s.reporter(),
            ": " + s.title());
    CaseViews.next(s).ifPresent(n -> b.fact(CaseViews.targetLabel(n.getKey()) + " due", n.getValue()));
    desk.directory.store().organization(s.organizationId()).filter(Organization::pastDue).ifPresent(org -> b.fact(
        "Payment", org.name() + "'s account is marked past due; the " + s.policyId() + " policy does not make support"
            + " depend on payment, so the case was filed"));
    List<Suggestion> related = desk.related.containsKey(filed.origin().key()) ? desk.related.get(filed.origin().key())
        : intake.relatedTo(s.policyId(), s.title(), answers, s.product(), s.version());
    if (!declined.isEmpty()) {
      b.text("Offered to the customer, who still needed help:").suggestions(declined);
    }
    Set<String> shown = new HashSet<>();
    declined.forEach(o -> shown.add(o.source() + ":" + o.id()));
    List<Suggestion> fresh = related.stream().filter(r -> !shown.contains(r.source() + ":" + r.id())).toList();
    if (!fresh.isEmpty()) {
      b.text("Related articles and threads:").suggestions(fresh);
    }
    return b.actions(new Outbound.Action(CaseViews.CLAIM, "Claim", s.number().toString(), true)).build();
  }
}
