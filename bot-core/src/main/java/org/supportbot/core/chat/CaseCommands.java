package org.supportbot.core.chat;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.supportbot.config.load.Suggestions;
import org.supportbot.config.policy.ResolutionType;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.incident.Origin;
import org.supportbot.core.intake.Answer;
import org.supportbot.core.intake.Intake;
import org.supportbot.core.sla.BusinessClock;

/**
 * Working a case: claiming, assigning, acknowledging, severity, requests for information,
 * updates, escalation, resolving, closing, reopening, splitting and merging; and what people type
 * in a case's thread (an engineer's update, a customer's reply).
 */
final class CaseCommands {
  private final DeskContext desk;

  CaseCommands(DeskContext desk) {
    this.desk = desk;
  }

  /** Applies {@code command} to case {@code s}, which the person may act on. */
  void apply(Who who, IncidentSnapshot s, DeskCommand.CaseWork command, Step step) {
    Origin origin = desk.origin(who);
    IncidentNumber n = s.number();
    String where = "your command on " + n;
    IncidentCommand ic = switch (command) {
      case DeskCommand.Claim x -> new IncidentCommand.Claim(origin, n);
      case DeskCommand.Unclaim x -> new IncidentCommand.Unclaim(origin, n);
      case DeskCommand.Assign a -> {
        Identity target = new Identity(who.in().person().platform(), who.in().person().workspace(), a.person());
        if (desk.directory.store().engineer(target).isEmpty()) {
          step.out.add(desk.reply(who, "@" + a.person() + " is not one of the vendor's engineers; cases go to engineers only."));
          yield null;
        }
        yield new IncidentCommand.Assign(origin, n, target);
      }
      case DeskCommand.Ack a -> new IncidentCommand.Acknowledge(origin, n, a.text().isBlank()
          ? "We have received your case and are looking into it." : desk.clean(who, s, a.text(), where, step));
      case DeskCommand.Severity v -> who.vendor()
          ? severityChange(who, s, v, origin, step)
          : new IncidentCommand.RequestSeverityDiscussion(origin, n, desk.clean(who, s, v.level() + " " + v.reason(), where, step));
      case DeskCommand.Info i -> new IncidentCommand.RequestInfo(origin, n, desk.clean(who, s, i.question(), where, step));
      case DeskCommand.Update u -> new IncidentCommand.PublicUpdate(origin, n, desk.clean(who, s, u.text(), where, step));
      case DeskCommand.Escalate e -> new IncidentCommand.Escalate(origin, n, desk.clean(who, s, e.reason(), where, step));
      case DeskCommand.Resolve r -> resolve(who, s, r, origin, step);
      case DeskCommand.Close x -> new IncidentCommand.Close(origin, n, x.reason().isBlank() ? "closed by the vendor"
          : desk.clean(who, s, x.reason(), where, step));
      case DeskCommand.Reopen r -> new IncidentCommand.Reopen(origin, n, desk.clean(who, s, r.reason(), where, step));
      case DeskCommand.Split sp -> new IncidentCommand.Split(origin, n,
          sp.titles().stream().map(t -> desk.clean(who, s, t, where, step)).toList());
      case DeskCommand.Merge m -> {
        Optional<IncidentSnapshot> into = desk.findCase(who, Optional.of(m.into()));
        if (into.isEmpty() || !into.get().organizationId().equals(s.organizationId())) {
          step.out.add(desk.reply(who, "There is no case " + m.into() + " of the same organization to merge into."));
          yield null;
        }
        yield new IncidentCommand.Merge(origin, n, into.get().number());
      }
    };
    if (ic != null) {
      desk.outcome(who, desk.incidents.handle(ic), step);
    }
  }

  /**
   * A message typed in case {@code s}'s thread: an engineer's becomes a public update (not echoed
   * back), a named contact's a reply that the vendor is told about; anyone else's is conversation.
   */
  void said(Who who, IncidentSnapshot s, String text, Step step) {
    Origin origin = desk.origin(who);
    if (!who.vendor() && !who.contact()) {
      return;
    }
    if (!who.vendor() && s.asksDetails() && who.in().person().equals(s.reporter())) {
      detail(who, s, text, step);
      return;
    }
    String clean = desk.clean(who, s, text, "your message on " + s.number(), step);
    if (who.vendor()) {
      desk.silent.add(origin.key());
      desk.outcome(who, desk.incidents.handle(new IncidentCommand.PublicUpdate(origin, s.number(), clean)), step);
    } else if (who.contact()) {
      desk.outcome(who, desk.incidents.handle(new IncidentCommand.CustomerReply(origin, s.number(), clean)), step);
      outOfHours(who, s, step);
    }
  }

  /**
   * The reporter's answer (typed or a button) to the first pending detail of case {@code s}, filed
   * on their behalf: redacted as the policy asks, read and validated as in the intake, and recorded
   * on the case; an answer that needs fixing is asked again with the reason. A version the policy
   * does not support is recorded with the policy's reason, for the engineers to decide on.
   */
  void detail(Who who, IncidentSnapshot s, String text, Step step) {
    String field = s.pendingDetails().getFirst();
    String clean = desk.clean(who, s, text, "your answer on " + s.number(), step);
    Answer answer = desk.intake(s.policyId()).readDetail(field, clean, s.details(), desk.clock.instant());
    String value = switch (answer) {
      case Answer.Reprompt r -> {
        step.out.add(desk.reply(who, r.message()));
        yield null;
      }
      case Answer.Refused r -> {
        step.out.add(desk.reply(who, r.message() + " I recorded your answer; the engineers on " + s.number()
            + " will tell you how it goes on."));
        yield clean.strip();
      }
      case Answer.Accepted a -> {
        a.notes().forEach(note -> step.out.add(desk.reply(who, note)));
        yield a.value();
      }
    };
    if (value == null) {
      return;
    }
    String title = field.equals("description") && !s.details().containsKey("description")
        ? Intake.title(Map.of("description", value)) : "";
    desk.outcome(who, desk.incidents.handle(new IncidentCommand.RecordDetail(desk.origin(who), s.number(), field, value,
        title)), step);
  }

  /**
   * A customer writing in a case's thread outside the policy's support hours is told, once per
   * closed period and case, when they open and when the case's next deadline falls. Urgent cases are
   * left out: their escalations go out at any hour.
   */
  private void outOfHours(Who who, IncidentSnapshot s, Step step) {
    Instant now = desk.clock.instant();
    BusinessClock hours = desk.calculator(s.policyId()).businessClock();
    if (desk.views.urgent(s) || hours.isOpen(now)) {
      return;
    }
    Instant opens = hours.nextBusinessInstant(now);
    String mark = "off-hours:" + s.number();
    if (desk.conversations.mark(mark).map(m -> m.equals(opens.toString())).orElse(false)) {
      return;
    }
    step.marks.put(mark, opens.toString());
    Outbound.Builder b = Outbound.toPlace(who.in().place(), Outbound.Kind.REPLY).onlyFor(who.in().person())
        .text("Your reply is on " + s.number() + ". Support hours are closed now; they open "
            + OPENS.format(opens.atZone(desk.policy(s.policyId()).calendar().zone())) + " (", opens, ").");
    CaseViews.next(s).ifPresent(n -> b.text("Its next deadline, " + CaseViews.targetLabel(n.getKey()) + ", is ",
        n.getValue(), "."));
    step.out.add(b.build());
  }

  private static final DateTimeFormatter OPENS = DateTimeFormatter.ofPattern("EEEE d MMMM HH:mm zzz", Locale.ENGLISH);

  private IncidentCommand severityChange(Who who, IncidentSnapshot s, DeskCommand.Severity v, Origin origin, Step step) {
    SupportPolicy policy = desk.policy(s.policyId());
    Optional<String> level = policy.severities().stream().map(x -> x.id())
        .filter(id -> id.equalsIgnoreCase(v.level())).findFirst();
    if (level.isEmpty()) {
      List<String> ids = policy.severityIds();
      step.out.add(desk.reply(who, "\"" + v.level() + "\" is not a level of the " + policy.id() + " policy; use one of "
          + String.join(", ", ids) + Suggestions.closest(v.level(), ids).map(x -> " (did you mean " + x + "?)")
          .orElse("") + "."));
      return null;
    }
    return new IncidentCommand.ChangeSeverity(origin, s.number(), level.get(),
        desk.clean(who, s, v.reason(), "your command on " + s.number(), step));
  }

  private IncidentCommand resolve(Who who, IncidentSnapshot s, DeskCommand.Resolve r, Origin origin, Step step) {
    SupportPolicy policy = desk.policy(s.policyId());
    List<String> accepted = policy.resolution().types().stream().map(ResolutionType::id).toList();
    Optional<ResolutionType> type = policy.resolution().types().stream().filter(t -> t.id().equals(r.type())).findFirst();
    if (type.isEmpty()) {
      step.out.add(desk.reply(who, "\"" + r.type() + "\" is not a resolution type of the " + policy.id()
          + " policy; use one of " + String.join(", ", accepted)
          + Suggestions.closest(r.type(), accepted).map(x -> " (did you mean " + x + "?)").orElse("") + "."));
      return null;
    }
    if (r.note().isBlank()) {
      step.out.add(desk.reply(who, "Add a note for the customer: /resolve " + r.type() + " what was done."));
      return null;
    }
    return new IncidentCommand.Resolve(origin, s.number(), type.get(),
        desk.clean(who, s, r.note(), "your command on " + s.number(), step));
  }
}
