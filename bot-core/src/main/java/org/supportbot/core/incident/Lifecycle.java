package org.supportbot.core.incident;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.supportbot.config.policy.DroppedCaseRule;
import org.supportbot.config.policy.ReopenRule;
import org.supportbot.config.policy.ReportField;
import org.supportbot.config.policy.ResolutionType;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.billing.Charge;
import org.supportbot.core.billing.TimeBilling;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.timer.Timer;

/**
 * The rules of the case lifecycle under the policies: decides, for a command and the current
 * incident, the events to append or the reason to refuse, and what a due timer does. Pure:
 * nothing is stored here.
 */
public final class Lifecycle {
  private static final Set<IncidentState> WORKABLE = EnumSet.of(IncidentState.NEW, IncidentState.ACKNOWLEDGED,
      IncidentState.IN_PROGRESS, IncidentState.WAITING_ON_CUSTOMER);
  private static final Set<String> COMMAND_FIELDS = Set.of("product", "version", "category", "severity");

  /** Decides on a filing; {@code reporterIsContact} says whether the actor is a named contact. */
  public Decision file(IncidentCommand.File cmd, Organization org, SupportPolicy policy, boolean reporterIsContact,
      CaseLookup lookup) {
    Origin o = cmd.origin();
    if (!o.actor().role().vendor() && !reporterIsContact) {
      return Decision.refuse("only named contacts of " + org.name() + " may file cases. "
          + policy.contacts().howToBeAdded());
    }
    if (policy.severity(cmd.severityId()).isEmpty()) {
      return Decision.refuse("severity \"" + cmd.severityId() + "\" is not a level of the " + policy.id()
          + " policy; choose one of " + policy.severityIds());
    }
    for (String field : cmd.pending()) {
      if (policy.report().stream().noneMatch(f -> f.id().equals(field))) {
        return Decision.refuse("\"" + field + "\" is not a report question of the " + policy.id() + " policy, so it"
            + " cannot be asked after filing; the questions are " + policy.report().stream().map(f -> f.id()).toList());
      }
    }
    boolean categoryPending = cmd.pending().contains("category") && cmd.categoryId().isEmpty();
    if (!categoryPending && !policy.categories().isEmpty()
        && policy.categories().stream().noneMatch(c -> c.id().equals(cmd.categoryId()))) {
      return Decision.refuse("category \"" + cmd.categoryId() + "\" is not a request category of the " + policy.id()
          + " policy; choose one of " + policy.categories().stream().map(c -> c.id()).toList());
    }
    List<String> missing = new ArrayList<>();
    for (ReportField f : policy.report()) {
      if (!f.required() || cmd.pending().contains(f.id())) {
        continue; // a pending answer is asked in the case's thread after filing
      }
      String value = switch (f.id()) {
        case "product" -> cmd.product();
        case "version" -> cmd.version();
        case "category" -> cmd.categoryId();
        case "severity" -> cmd.severityId();
        default -> cmd.fields().getOrDefault(f.id(), "");
      };
      if (value.isBlank()) {
        missing.add(f.id());
      }
    }
    if (!missing.isEmpty()) {
      return Decision.refuse("the report lacks required fields " + missing + " under the " + policy.id()
          + " policy; answer them and file again");
    }
    Map<String, String> extra = cmd.fields().entrySet().stream().filter(e -> !COMMAND_FIELDS.contains(e.getKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    IncidentNumber number = lookup.nextNumber(org.key());
    IncidentEvent.Filed filed = new IncidentEvent.Filed(o, number, org.id(), policy.id(), cmd.place(),
        policy.severity(cmd.severityId()).orElseThrow().id(), cmd.categoryId(), cmd.product(), cmd.version(), cmd.title(),
        extra, Optional.empty(), cmd.filedBy(), cmd.pending());
    return new Decision(List.of(filed), new IncidentOutcome.Filed(number, IncidentState.NEW));
  }

  /** Decides on a command about an existing incident. */
  public Decision decide(Incident inc, IncidentCommand.OnIncident cmd, CaseLookup lookup) {
    Origin o = cmd.origin();
    SupportPolicy policy = inc.policy();
    IncidentNumber n = inc.number();
    IncidentState s = inc.state();
    boolean vendor = o.actor().role().vendor();
    return switch (cmd) {
      case IncidentCommand.Acknowledge c -> {
        if (!vendor) {
          yield vendorOnly(inc, "acknowledge");
        }
        // a claimed case that nobody has answered yet may still be acknowledged
        if (s == IncidentState.IN_PROGRESS && !inc.responded()) {
          yield changed(inc, new IncidentEvent.Acknowledged(o, n, text(c.text())));
        }
        if (s != IncidentState.NEW) {
          yield illegal(inc, "acknowledged", EnumSet.of(IncidentState.NEW));
        }
        yield changed(inc, new IncidentEvent.Acknowledged(o, n, text(c.text())));
      }
      case IncidentCommand.Claim c -> {
        if (!vendor) {
          yield vendorOnly(inc, "claim");
        }
        if (!WORKABLE.contains(s)) {
          yield illegal(inc, "claimed", WORKABLE);
        }
        Identity who = o.actor().identity();
        if (inc.claimedBy().isPresent()) {
          Identity holder = inc.claimedBy().get();
          if (holder.equals(who)) {
            yield new Decision(List.of(), new IncidentOutcome.AlreadyHeld(n, who));
          }
          yield new Decision(List.of(), new IncidentOutcome.HeldBy(n, holder, n + " is already held by " + holder
              + "; ask them to hand it over or a manager to assign it"));
        }
        yield new Decision(List.of(new IncidentEvent.Claimed(o, n, who)), new IncidentOutcome.Claimed(n, who));
      }
      case IncidentCommand.Unclaim c -> {
        if (!vendor) {
          yield vendorOnly(inc, "unclaim");
        }
        Optional<Identity> holder = inc.claimedBy();
        if (holder.isEmpty()) {
          yield Decision.refuse(n + " is not claimed by anyone");
        }
        if (!holder.get().equals(o.actor().identity()) && o.actor().role() != Actor.Role.MANAGER) {
          yield new Decision(List.of(), new IncidentOutcome.HeldBy(n, holder.get(), n + " is held by " + holder.get()
              + "; only they or a manager can give it back"));
        }
        yield changed(inc, new IncidentEvent.Unclaimed(o, n, holder.get()));
      }
      case IncidentCommand.Escalate c -> {
        if (s.terminal()) {
          yield illegal(inc, "escalated", WORKABLE);
        }
        if (!policy.escalation().allows(inc.severityId())) {
          yield Decision.refuse(n + " is " + inc.severityId() + ", which the " + policy.id()
              + " policy does not allow to escalate" + (policy.escalation().ruleText().isBlank() ? ""
              : ": \"" + policy.escalation().ruleText() + "\""));
        }
        yield changed(inc, new IncidentEvent.Escalated(o, n, inc.severityId(), text(c.reason())));
      }
      case IncidentCommand.Assign c -> {
        if (!vendor) {
          yield vendorOnly(inc, "assign");
        }
        if (!WORKABLE.contains(s)) {
          yield illegal(inc, "assigned", WORKABLE);
        }
        yield changed(inc, new IncidentEvent.Assigned(o, n, c.engineer()));
      }
      case IncidentCommand.ChangeSeverity c -> {
        if (!vendor) {
          yield Decision.refuse("only the vendor changes the severity of " + n + " under the " + policy.id()
              + " policy" + (policy.severityChange().customerMayRequestDiscussion()
              ? "; ask to discuss the severity instead" : ""));
        }
        if (!policy.severityChange().vendorMayChange()) {
          yield Decision.refuse("the " + policy.id() + " policy does not let the vendor change a case's severity");
        }
        if (!WORKABLE.contains(s)) {
          yield illegal(inc, "re-rated", WORKABLE);
        }
        var to = policy.severity(c.severityId());
        if (to.isEmpty()) {
          yield Decision.refuse("severity \"" + c.severityId() + "\" is not a level of the " + policy.id()
              + " policy; choose one of " + policy.severityIds());
        }
        if (to.get().id().equals(inc.severityId())) {
          yield Decision.refuse(n + " already has severity " + inc.severityId() + "; choose another level");
        }
        if (c.reason().isBlank()) {
          yield Decision.refuse("a severity change of " + n + " needs a reason; say why it is " + to.get().id());
        }
        yield changed(inc, new IncidentEvent.SeverityChanged(o, n, inc.severityId(), to.get().id(), c.reason()));
      }
      case IncidentCommand.RequestSeverityDiscussion c -> {
        if (!policy.severityChange().customerMayRequestDiscussion()) {
          yield Decision.refuse("the " + policy.id() + " policy does not provide for discussing the severity");
        }
        if (s.terminal()) {
          yield illegal(inc, "discussed", WORKABLE);
        }
        yield changed(inc, new IncidentEvent.SeverityDiscussionRequested(o, n, text(c.reason())));
      }
      case IncidentCommand.RequestInfo c -> {
        if (!vendor) {
          yield vendorOnly(inc, "request information on");
        }
        if (!WORKABLE.contains(s)) {
          yield illegal(inc, "sent a request for information", WORKABLE);
        }
        yield changed(inc, new IncidentEvent.InfoRequested(o, n, inc.requests() + 1, text(c.text())));
      }
      case IncidentCommand.CustomerReply c -> {
        if (vendor) {
          yield Decision.refuse("a customer reply on " + n + " must come from the customer; post a public update instead");
        }
        yield changed(inc, new IncidentEvent.CustomerReplied(o, n, text(c.text())));
      }
      case IncidentCommand.PublicUpdate c -> {
        if (!vendor) {
          yield vendorOnly(inc, "post a public update on");
        }
        if (!WORKABLE.contains(s)) {
          yield illegal(inc, "updated", WORKABLE);
        }
        yield changed(inc, new IncidentEvent.PublicUpdatePosted(o, n, text(c.text())));
      }
      case IncidentCommand.Resolve c -> {
        if (!vendor) {
          yield vendorOnly(inc, "resolve");
        }
        if (!WORKABLE.contains(s)) {
          yield illegal(inc, "resolved", WORKABLE);
        }
        if (c.type() == null || !policy.resolution().types().contains(c.type())) {
          yield Decision.refuse("resolution type " + (c.type() == null ? "(none)" : c.type().id())
              + " is not accepted by the " + policy.id() + " policy; choose one of "
              + policy.resolution().types().stream().map(ResolutionType::id).toList());
        }
        IncidentEvent.Resolved resolved = new IncidentEvent.Resolved(o, n, c.type(), text(c.summary()));
        Optional<String> recordedIn = policy.resolution().recordedIn(c.type());
        if (recordedIn.isPresent()) {
          // the policy closes these once recorded and gives no feedback: no quiet period, no invitation to reopen
          Incident after = inc.apply(resolved);
          IncidentEvent.Closed closed = new IncidentEvent.Closed(o, n, "recorded in " + recordedIn.get()
              + "; " + policy.vendor() + " closes " + c.type().id().replace('_', ' ') + "s once recorded and gives"
              + " no feedback on them", false);
          Incident end = after.apply(closed);
          yield new Decision(List.of(resolved, closed), new IncidentOutcome.Changed(n, end.state(), end.eventCount()));
        }
        yield changed(inc, resolved);
      }
      case IncidentCommand.Close c -> {
        if (s != IncidentState.RESOLVED) {
          yield illegal(inc, "closed", EnumSet.of(IncidentState.RESOLVED));
        }
        yield changed(inc, new IncidentEvent.Closed(o, n, text(c.reason()), false));
      }
      case IncidentCommand.Reopen c -> reopen(inc, c, policy.reopen());
      case IncidentCommand.Drop c -> {
        if (!vendor) {
          yield vendorOnly(inc, "drop");
        }
        if (!WORKABLE.contains(s)) {
          yield illegal(inc, "dropped", WORKABLE);
        }
        yield changed(inc, new IncidentEvent.Dropped(o, n, text(c.reason()), false));
      }
      case IncidentCommand.Split c -> {
        if (!vendor) {
          yield vendorOnly(inc, "split");
        }
        if (!WORKABLE.contains(s)) {
          yield illegal(inc, "split", WORKABLE);
        }
        if (c.titles().isEmpty() || c.titles().stream().anyMatch(t -> t == null || t.isBlank())) {
          yield Decision.refuse("splitting " + n + " needs one non-blank title per subordinate incident");
        }
        List<IncidentEvent> events = new ArrayList<>();
        List<IncidentNumber> parts = new ArrayList<>();
        IncidentSnapshot snap = inc.snapshot();
        for (String title : c.titles()) {
          IncidentNumber part = lookup.nextNumber(n.orgKey());
          parts.add(part);
          Origin po = new Origin(o.key() + "#" + parts.size(), new Actor(inc.reporter(), Actor.Role.CUSTOMER), o.at(),
              o.message());
          events.add(new IncidentEvent.Filed(po, part, inc.organizationId(), policy.id(), inc.place(), inc.severityId(),
              inc.categoryId(), snap.product(), snap.version(), title, Map.of(), Optional.of(n)));
        }
        events.add(0, new IncidentEvent.SplitInto(o, n, parts));
        yield new Decision(events, new IncidentOutcome.SplitInto(n, parts));
      }
      case IncidentCommand.Merge c -> {
        if (!vendor) {
          yield vendorOnly(inc, "merge");
        }
        if (c.into().equals(n)) {
          yield Decision.refuse(n + " cannot be merged into itself; name the case it duplicates");
        }
        if (!WORKABLE.contains(s) && s != IncidentState.RESOLVED) {
          yield illegal(inc, "merged", WORKABLE);
        }
        Optional<Incident> target = lookup.incident(c.into());
        if (target.isEmpty()) {
          yield Decision.refuse("there is no incident " + c.into() + " to merge " + n + " into; check the number");
        }
        if (!target.get().organizationId().equals(inc.organizationId())) {
          yield Decision.refuse(n + " and " + c.into() + " belong to different organizations; only cases of one"
              + " organization can be merged");
        }
        if (!target.get().state().active()) {
          yield Decision.refuse(c.into() + " is " + target.get().state().label() + "; merge into a case that is still open");
        }
        yield new Decision(List.of(new IncidentEvent.MergedInto(o, n, c.into()),
            new IncidentEvent.DuplicateMerged(o, c.into(), n)),
            new IncidentOutcome.Changed(n, IncidentState.CLOSED, inc.eventCount() + 1));
      }
      case IncidentCommand.RecordDetail c -> recordDetail(inc, c);
      case IncidentCommand.LogTime c -> {
        if (!vendor) {
          yield vendorOnly(inc, "log time on");
        }
        if (!TimeBilling.applies(policy)) {
          yield Decision.refuse("the " + policy.id() + " policy does not bill time, so time cannot be logged on " + n);
        }
        if (c.worked() == null || c.worked().isNegative() || c.worked().isZero()) {
          yield Decision.refuse("worked time on " + n + " must be positive, got " + c.worked());
        }
        Optional<Organization> org = lookup.organization(inc.organizationId());
        if (org.isEmpty()) {
          yield Decision.refuse("organization " + inc.organizationId() + " of " + n + " is not registered");
        }
        Charge charge = new TimeBilling(policy).bill(c.worked(), c.communication(), inc.categoryId(), org.get(),
            o.at().atZone(policy.calendar().zone()).toLocalDate(),
            inc.freeTaskUsed() ? 1 : lookup.freeTasksLeft(org.get()));
        yield new Decision(List.of(new IncidentEvent.TimeLogged(o, n, c.worked(), charge.billed(), c.communication(),
            charge.zone(), charge.chargeable(), charge.usesFreeTask(), charge.reason(), text(c.note()))),
            new IncidentOutcome.TimeRecorded(n, charge.billed(), charge.chargeable(), charge.reason()));
      }
    };
  }

  /**
   * A pending detail answered: recorded on the case; a severity answer re-rates it (its deadlines
   * stay counted from the submission), a product, version or category answer replaces the case's.
   */
  private Decision recordDetail(Incident inc, IncidentCommand.RecordDetail c) {
    IncidentNumber n = inc.number();
    SupportPolicy policy = inc.policy();
    if (!inc.pendingDetails().contains(c.field())) {
      return Decision.refuse(inc.pendingDetails().isEmpty() ? n + " has no details pending"
          : "\"" + c.field() + "\" is not pending on " + n + "; pending are " + inc.pendingDetails());
    }
    if (!WORKABLE.contains(inc.state())) {
      return illegal(inc, "given details", WORKABLE);
    }
    Origin o = c.origin();
    List<IncidentEvent> events = new ArrayList<>();
    switch (c.field()) {
      case "severity" -> {
        var to = policy.severity(c.value());
        if (to.isEmpty()) {
          return Decision.refuse("severity \"" + c.value() + "\" is not a level of the " + policy.id()
              + " policy; choose one of " + policy.severityIds());
        }
        if (!to.get().id().equals(inc.severityId())) {
          events.add(new IncidentEvent.SeverityChanged(o, n, inc.severityId(), to.get().id(),
              "the reporter's answer to the severity question"));
        }
        events.add(new IncidentEvent.DetailRecorded(o, n, c.field(), to.get().id(), c.title()));
      }
      case "category" -> {
        if (!policy.categories().isEmpty() && policy.categories().stream().noneMatch(k -> k.id().equals(c.value()))) {
          return Decision.refuse("category \"" + c.value() + "\" is not a request category of the " + policy.id()
              + " policy; choose one of " + policy.categories().stream().map(k -> k.id()).toList());
        }
        events.add(new IncidentEvent.DetailRecorded(o, n, c.field(), c.value(), c.title()));
      }
      default -> events.add(new IncidentEvent.DetailRecorded(o, n, c.field(), c.value(), c.title()));
    }
    Incident after = inc;
    for (IncidentEvent e : events) {
      after = after.apply(e);
    }
    return new Decision(List.copyOf(events), new IncidentOutcome.Changed(n, after.state(), after.eventCount()));
  }

  private Decision reopen(Incident inc, IncidentCommand.Reopen c, ReopenRule rule) {
    IncidentNumber n = inc.number();
    Origin o = c.origin();
    Set<IncidentState> reopenable = EnumSet.of(IncidentState.RESOLVED, IncidentState.CLOSED, IncidentState.DROPPED);
    if (!reopenable.contains(inc.state())) {
      return illegal(inc, "reopened", reopenable);
    }
    if (inc.mergedInto().isPresent()) {
      return Decision.refuse(n + " was merged into " + inc.mergedInto().get() + "; follow that case instead");
    }
    if (!rule.allowed()) {
      return Decision.refuse("the " + inc.policy().id() + " policy does not allow reopening cases; file a new case");
    }
    Instant since = inc.state() != IncidentState.DROPPED && inc.resolvedAt() != null ? inc.resolvedAt() : inc.finishedAt();
    if (rule.window().hasDeadline()) {
      Instant until = inc.sla().deadline(rule.window(), since).orElseThrow();
      if (o.at().isAfter(until)) {
        return Decision.refuse(n + " can be reopened only within " + rule.window() + " of " + since + " (until " + until
            + "); file a new case and mention " + n);
      }
    }
    boolean vendor = o.actor().role().vendor();
    if (!vendor && !rule.customerMayRequest()) {
      return Decision.refuse("under the " + inc.policy().id() + " policy only the vendor reopens cases; ask your engineer");
    }
    if (!vendor && rule.vendorDiscretion()) {
      if (inc.reopenRequested()) {
        return Decision.refuse("reopening " + n + " was already requested; an engineer decides"
            + (rule.condition().isEmpty() ? "" : " (" + rule.condition() + ")"));
      }
      return changed(inc, new IncidentEvent.ReopenRequested(o, n, text(c.reason())));
    }
    return changed(inc, new IncidentEvent.Reopened(o, n, text(c.reason())));
  }

  /** What a due timer does to its incident; no events when it is stale (the case moved on). */
  public List<IncidentEvent> fire(Incident inc, Timer timer) {
    IncidentNumber n = inc.number();
    Origin o = Origin.of("timer:" + timer.key(), Actor.SYSTEM, timer.dueAt()).notBefore(inc.lastEventAt());
    TimerPlan.Purpose p = TimerPlan.Purpose.parse(timer.kind());
    return switch (p) {
      case TimerPlan.Purpose.SlaWarning w -> {
        Incident.TargetClock c = inc.clocks().get(w.target());
        yield c != null && TimerPlan.slaVersion(c).orElse(Long.MIN_VALUE) == timer.version()
            ? List.of(new IncidentEvent.SlaWarningIssued(o, n, w.target(), w.percent(), c.clock().deadline().orElseThrow()))
            : List.of();
      }
      case TimerPlan.Purpose.SlaBreach b -> {
        Incident.TargetClock c = inc.clocks().get(b.target());
        yield c != null && TimerPlan.slaVersion(c).orElse(Long.MIN_VALUE) == timer.version()
            ? List.of(new IncidentEvent.SlaBreached(o, n, b.target(), c.clock().deadline().orElseThrow()))
            : List.of();
      }
      case TimerPlan.Purpose.Countdown cd -> List.of();
      case TimerPlan.Purpose.InfoReminder r -> inc.state() == IncidentState.WAITING_ON_CUSTOMER
          && inc.openRequest() == timer.version() && inc.policy().droppedCase().isPresent()
          ? List.of(new IncidentEvent.ReminderSent(o, n, inc.openRequest(),
              TimerPlan.lapse(inc, inc.policy().droppedCase().get())))
          : List.of();
      case TimerPlan.Purpose.InfoLapse l -> {
        if (inc.state() != IncidentState.WAITING_ON_CUSTOMER || inc.openRequest() != timer.version()
            || inc.policy().droppedCase().isEmpty()) {
          yield List.of();
        }
        // the policy counts attempts: every request since the contact last responded, including
        // those a later request followed before their window ran out; this lapse is the latest one's
        DroppedCaseRule rule = inc.policy().droppedCase().get();
        int unanswered = inc.unanswered();
        List<IncidentEvent> out = new ArrayList<>();
        out.add(new IncidentEvent.InfoRequestLapsed(o, n, inc.openRequest(), unanswered));
        if (unanswered >= rule.unansweredRequests()) {
          out.add(new IncidentEvent.Dropped(o, n, unanswered + " request" + (unanswered == 1 ? "" : "s")
              + " for information went unanswered: " + rule.ruleText().strip(), true));
        }
        yield out;
      }
      case TimerPlan.Purpose.CloseWarning w -> inc.state() == IncidentState.RESOLVED
          && inc.resolutions() == timer.version()
          ? List.of(new IncidentEvent.CloseWarned(o, n, inc.resolutions(), TimerPlan.quietClose(inc)))
          : List.of();
      case TimerPlan.Purpose.QuietClose q -> inc.state() == IncidentState.RESOLVED && inc.resolutions() == timer.version()
          ? List.of(new IncidentEvent.Closed(o, n, "no reply within " + inc.policy().resolution().closeAfter()
              + " after the resolution", true))
          : List.of();
    };
  }

  /** The countdown a due refresh timer shows, when its target still runs; nothing is logged. */
  public Optional<CountdownDue> countdown(Incident inc, Timer timer) {
    if (!(TimerPlan.Purpose.parse(timer.kind()) instanceof TimerPlan.Purpose.Countdown cd)) {
      return Optional.empty();
    }
    Incident.TargetClock c = inc.clocks().get(cd.target());
    if (c == null || TimerPlan.slaVersion(c).isEmpty() || inc.state().terminal()) {
      return Optional.empty();
    }
    return Optional.of(new CountdownDue(inc.number(), cd.target(), c.clock().deadline().orElseThrow(), timer.dueAt()));
  }

  private static Decision changed(Incident inc, IncidentEvent e) {
    Incident after = inc.apply(e);
    return new Decision(List.of(e), new IncidentOutcome.Changed(inc.number(), after.state(), after.eventCount()));
  }

  private static Decision vendorOnly(Incident inc, String action) {
    return Decision.refuse("only the vendor's engineers may " + action + " " + inc.number()
        + "; customers can reply, ask to discuss the severity, or ask to reopen");
  }

  private static Decision illegal(Incident inc, String verb, Set<IncidentState> allowed) {
    return Decision.refuse(inc.number() + " is " + inc.state().label() + "; a case can be " + verb + " only while "
        + describe(allowed) + ". Allowed now: " + String.join(", ", allowedMoves(inc.state())));
  }

  /** What can be done to a case in {@code state}, in words (for refusals and help). */
  public static List<String> allowedMoves(IncidentState state) {
    List<String> work = List.of("claim", "assign", "request information", "post an update", "change severity",
        "resolve", "drop", "split", "merge", "log time");
    return switch (state) {
      case NEW -> concat(List.of("acknowledge"), work);
      case ACKNOWLEDGED, IN_PROGRESS -> work;
      case WAITING_ON_CUSTOMER -> concat(List.of("customer reply"), work);
      case RESOLVED -> List.of("close", "reopen", "merge", "log time");
      case CLOSED, DROPPED -> List.of("reopen", "log time");
    };
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }

  static String describe(Set<IncidentState> states) {
    List<String> labels = states.stream().map(IncidentState::label).toList();
    if (labels.size() == 1) {
      return labels.get(0);
    }
    return String.join(", ", labels.subList(0, labels.size() - 1)) + " or " + labels.get(labels.size() - 1);
  }

  private static String text(String t) {
    return t == null ? "" : t;
  }
}
