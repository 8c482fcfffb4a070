package org.supportbot.core.chat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.supportbot.config.load.Suggestions;
import org.supportbot.config.policy.EscalationRule;
import org.supportbot.config.policy.ResolutionType;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.chatstate.ConversationStore;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.KnowledgeSuggestions;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Span;
import org.supportbot.core.conversation.Suggestion;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.directory.Directory;
import org.supportbot.core.directory.Engineer;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.Actor;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.Incident;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.incident.Origin;
import org.supportbot.core.intake.Intake;
import org.supportbot.core.intake.IntakeResult;
import org.supportbot.core.intake.IntakeState;
import org.supportbot.core.intake.IntakeTurn;
import org.supportbot.core.outbox.Delivery;
import org.supportbot.core.outbox.Outbox;
import org.supportbot.core.outbox.OutboxStore;
import org.supportbot.core.redact.Redactor;
import org.supportbot.core.sla.BusinessClock;
import org.supportbot.core.sla.SlaCalculator;
import org.supportbot.core.store.IncidentStore;

/**
 * The desk in chat. {@link #handleTracked} takes what a person did and returns what the desk says;
 * {@link #tickTracked} fires due timers, releases deferred pings, expires idle intakes, sends the
 * daily digest and hands out again what was not delivered. An inbound whose key was handled before
 * has no effect.
 *
 * <p>Concurrency: handling is serialized per conversation ({@link #conversationOf}: a case thread,
 * or one person in one channel or direct message), not globally. Inbounds of different
 * conversations run in parallel: their decisions, knowledge-base searches and intake writes overlap,
 * and their incident commands share the {@link IncidentDesk}'s group commit, which applies each case's
 * commands one at a time. Rendering the log into messages and recording them in the outbox is the one
 * step taken by one thread at a time (it is short and keeps the log's order in the outbox). Callers
 * that must keep arrival order within a conversation hand inbounds of one conversation to this desk
 * one after the other ({@link ConversationLanes} does).
 *
 * <p>Every message goes through the {@link Outbox}: the messages of the incident log are rendered
 * from the log itself, from the outbox's event cursor on, and recorded with the cursor (and the
 * deferred pings, released pings and marks of the same step) in one transaction. A crash after an
 * incident change committed and before its messages were recorded leaves its events past the
 * cursor, so the next step renders them; a crash before the adapter reported a message sent leaves
 * it in the outbox, so the next tick hands it out again.
 */
public final class SupportDesk {

  /**
   * Collects the countdown refreshes the incident desk asks for. Committed events are not kept here:
   * the desk renders them from the stored log, past the outbox's cursor.
   */
  public static final class EventFeed implements IncidentDesk.Listener {
    @Override
    public void committed(List<IncidentEvent> committed) {
      // rendered from the log (IncidentDesk.eventsAfter), so that a crash cannot lose them
    }

    private final ConcurrentLinkedQueue<org.supportbot.core.incident.CountdownDue> countdowns =
        new ConcurrentLinkedQueue<>();

    @Override
    public void countdowns(List<org.supportbot.core.incident.CountdownDue> due) {
      countdowns.addAll(due);
    }

    /** The cases whose countdown is due for a refresh, each once. */
    Set<IncidentNumber> drainCountdowns() {
      Set<IncidentNumber> out = new java.util.LinkedHashSet<>();
      for (org.supportbot.core.incident.CountdownDue c; (c = countdowns.poll()) != null; ) {
        out.add(c.incident());
      }
      return out;
    }
  }

  private final IncidentDesk incidents;
  private final EventFeed feed;
  private final Outbox outbox;
  private final Directory directory;
  private final Function<String, Optional<SupportPolicy>> policies;
  private final KnowledgeSuggestions knowledge;
  private final ConversationStore conversations;
  private final DeskSettings settings;
  private final Clock clock;
  private final Redactor redactor = new Redactor();
  private final CommandParser parser = new CommandParser();
  private final CaseViews views;
  private final Map<String, Intake> intakes = new ConcurrentHashMap<>();
  private final Map<String, SlaCalculator> calculators = new ConcurrentHashMap<>();
  /** Keys of vendor replies typed in a case thread: recorded as updates, not echoed back. */
  private final Set<String> silent = ConcurrentHashMap.newKeySet();
  /** Suggestions the customer declined during intake, by the filing's key, for the triage notice. */
  private final Map<String, List<Suggestion>> offered = new ConcurrentHashMap<>();
  /**
   * Related articles for a new case's triage notice, searched by the filing's own thread before its
   * case is committed (so the search runs outside the rendering step), by the filing's key.
   */
  private final Map<String, List<Suggestion>> related = new ConcurrentHashMap<>();
  /** The outbox's event cursor as last committed; read from the store on first use; rendering only. */
  private long cursor = -1;
  /** Serializes the inbounds of one conversation: striped by {@link #conversationOf}. */
  private final ReentrantLock[] conversationLocks = new ReentrantLock[STRIPES];
  /** Serializes rendering the log and recording messages in the outbox. */
  private final ReentrantLock rendering = new ReentrantLock();
  private static final int STRIPES = 256;

  /** How many events are rendered per read of the log, and how many pending messages a tick hands out. */
  private static final int PAGE = 500;

  public SupportDesk(IncidentDesk incidents, EventFeed feed, Outbox outbox, Directory directory,
      Function<String, Optional<SupportPolicy>> policies, KnowledgeSuggestions knowledge, ConversationStore conversations,
      DeskSettings settings, Clock clock) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.feed = Objects.requireNonNull(feed, "feed");
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.policies = Objects.requireNonNull(policies, "policies");
    this.knowledge = Objects.requireNonNull(knowledge, "knowledge");
    this.conversations = Objects.requireNonNull(conversations, "conversations");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.views = new CaseViews(policies);
  }

  /** Who is acting, for which organization, from where. */
  private record Who(Inbound in, Optional<Organization> channelOrg, Optional<Engineer> engineer, boolean contact) {
    boolean vendor() {
      return engineer.isPresent();
    }

    Actor actor() {
      return engineer.map(e -> new Actor(e.identity(), e.role() == Engineer.Role.MANAGER ? Actor.Role.MANAGER
          : Actor.Role.ENGINEER)).orElse(Actor.customer(in.person()));
    }
  }

  /**
   * What one inbound or tick came to: the messages, the intake to keep or drop, and what is
   * committed with the messages (the event cursor, deferred and released pings, marks).
   */
  private static final class Step {
    final List<Outbound> out = new ArrayList<>();
    Optional<IntakeState> save = Optional.empty();
    Optional<IntakeState> end = Optional.empty();
    OptionalLong cursor = OptionalLong.empty();
    final List<OutboxStore.Deferral> deferrals = new ArrayList<>();
    final List<Long> released = new ArrayList<>();
    final Map<String, String> marks = new HashMap<>();
  }

  /**
   * Handles one inbound; returns what to send, in order, each to be reported sent or failed. A
   * replayed key returns nothing. Messages for a channel whose earlier message waits for a retry are
   * held back behind it and handed out by {@link #tickTracked}.
   */
  public List<Delivery> handleTracked(Inbound in) {
    Objects.requireNonNull(in, "in");
    ReentrantLock lock = conversationLock(conversationOf(in));
    lock.lock();
    try {
      if (conversations.seen(in.key())) {
        return List.of();
      }
      Who who = who(in);
      Step step = new Step();
      switch (in.input()) {
        case Inbound.Command c -> command(who, c, step);
        case Inbound.Said s -> said(who, s.text(), step);
        case Inbound.Picked p -> picked(who, p, step);
        case Inbound.Submitted f -> submitted(who, f, step);
      }
      List<Delivery> out = renderAndCommit(step);
      conversations.handled(in.key(), clock.instant(), step.save, step.end);
      return out;
    } finally {
      // what this inbound left for the rendering was rendered by now (by this thread or another)
      silent.remove(in.key());
      offered.remove(in.key());
      related.remove(in.key());
      lock.unlock();
    }
  }

  /**
   * The conversation an inbound belongs to, within which inbounds are handled one at a time and in
   * order: the case thread it was typed in, or else the person in that channel (or direct message),
   * which also holds the person's unfinished intake there.
   */
  public static String conversationOf(Inbound in) {
    ChatPlace p = in.place();
    String channel = p.platform() + "/" + p.workspace() + "/" + p.channel();
    return p.thread().isEmpty() ? channel + "/@" + in.person().workspace() + "/" + in.person().userId()
        : channel + "/" + p.thread();
  }

  private ReentrantLock conversationLock(String conversation) {
    int i = Math.floorMod(conversation.hashCode(), STRIPES);
    synchronized (conversationLocks) {
      if (conversationLocks[i] == null) {
        conversationLocks[i] = new ReentrantLock();
      }
      return conversationLocks[i];
    }
  }

  /** Renders the log past the cursor into {@code step} and records the step, one thread at a time. */
  private List<Delivery> renderAndCommit(Step step) {
    rendering.lock();
    try {
      renderLog(step);
      return commit(step);
    } finally {
      rendering.unlock();
    }
  }

  /**
   * Like {@link #handleTracked}, for a caller that shows the messages at once and cannot fail (tests,
   * benchmarks): each is reported sent as it is returned.
   */
  public List<Outbound> handle(Inbound in) {
    return sentNow(handleTracked(in));
  }

  private static List<Outbound> sentNow(List<Delivery> deliveries) {
    List<Outbound> out = new ArrayList<>(deliveries.size());
    for (Delivery d : deliveries) {
      d.sent();
      out.add(d.message());
    }
    return out;
  }

  /** Renders the events past the cursor into {@code step} and moves its cursor to the last of them. */
  private void renderLog(Step step) {
    long after = step.cursor.orElse(cursor());
    while (true) {
      List<IncidentStore.Logged> page = incidents.eventsAfter(after, PAGE);
      if (page.isEmpty()) {
        return;
      }
      step.out.addAll(render(page.stream().map(IncidentStore.Logged::event).toList(), step));
      after = page.getLast().id();
      step.cursor = OptionalLong.of(after);
      if (page.size() < PAGE) {
        return;
      }
    }
  }

  private long cursor() {
    if (cursor < 0) {
      cursor = outbox.eventCursor();
    }
    return cursor;
  }

  /** Records the step's messages with its cursor, deferrals, releases and marks in one transaction. */
  private List<Delivery> commit(Step step) {
    List<Delivery> out = outbox.record(new OutboxStore.Batch(step.out, step.cursor, step.deferrals, step.released,
        step.marks, clock.instant()));
    step.cursor.ifPresent(c -> cursor = c);
    return out;
  }

  private Who who(Inbound in) {
    ChatPlace p = in.place();
    Optional<Organization> org = in.direct() ? Optional.empty()
        : directory.store().organizationByChannel(p.platform(), p.workspace(), p.channel());
    Optional<Engineer> engineer = directory.store().engineer(in.person());
    boolean contact = org.isPresent() && directory.isContact(org.get().id(), in.person());
    return new Who(in, org, engineer, contact);
  }

  // ---- commands -------------------------------------------------------------------------------

  private void command(Who who, Inbound.Command c, Step step) {
    CommandParser.Parsed parsed = parser.parse(c.name(), c.args());
    if (parsed instanceof CommandParser.Parsed.Invalid invalid) {
      step.out.add(reply(who, invalid.message()));
      return;
    }
    CommandParser.Parsed.Ok ok = (CommandParser.Parsed.Ok) parsed;
    DeskCommand command = ok.command();
    if (command.vendorOnly() && !who.vendor()) {
      step.out.add(reply(who, "Only the vendor's support engineers can use /" + c.name().toLowerCase(Locale.ROOT)
          + ". To add information to your case, reply in its thread."));
      return;
    }
    switch (command) {
      case DeskCommand.Support s -> startIntake(who, step);
      case DeskCommand.Help h -> step.out.add(help(who));
      case DeskCommand.Queue q -> step.out.add(queue(who, incidents.queue(200), "Open cases by next deadline"));
      case DeskCommand.Mine m -> step.out.add(queue(who, incidents.mine(who.in().person()), "Your open cases"));
      default -> onCase(who, command, ok.incident(), step);
    }
  }

  private void onCase(Who who, DeskCommand command, Optional<String> named, Step step) {
    Optional<IncidentSnapshot> found = findCase(who, named);
    if (found.isEmpty()) {
      step.out.add(reply(who, named.map(n -> "There is no case " + n + " here. Check the number, or use /queue.")
          .orElse("Run this in a case's thread or name the case first, e.g. /claim ACME-42.")));
      return;
    }
    IncidentSnapshot s = found.get();
    if (!who.vendor() && !(who.contact() && who.channelOrg().map(o -> o.id().equals(s.organizationId())).orElse(false))) {
      step.out.add(reply(who, "Only named contacts of the organization can act on its cases."));
      return;
    }
    Origin origin = origin(who);
    IncidentNumber n = s.number();
    IncidentCommand ic = switch (command) {
      case DeskCommand.Claim x -> new IncidentCommand.Claim(origin, n);
      case DeskCommand.Unclaim x -> new IncidentCommand.Unclaim(origin, n);
      case DeskCommand.Assign a -> {
        Identity target = new Identity(who.in().person().platform(), who.in().person().workspace(), a.person());
        if (directory.store().engineer(target).isEmpty()) {
          step.out.add(reply(who, "@" + a.person() + " is not one of the vendor's engineers; cases go to engineers only."));
          yield null;
        }
        yield new IncidentCommand.Assign(origin, n, target);
      }
      case DeskCommand.Ack a -> new IncidentCommand.Acknowledge(origin, n, a.text().isBlank()
          ? "We have received your case and are looking into it." : redactor.clean(a.text()));
      case DeskCommand.Severity v -> who.vendor()
          ? severityChange(who, s, v, origin, step)
          : new IncidentCommand.RequestSeverityDiscussion(origin, n, redactor.clean(v.level() + " " + v.reason()));
      case DeskCommand.Info i -> new IncidentCommand.RequestInfo(origin, n, redactor.clean(i.question()));
      case DeskCommand.Update u -> new IncidentCommand.PublicUpdate(origin, n, redactor.clean(u.text()));
      case DeskCommand.Escalate e -> new IncidentCommand.Escalate(origin, n, redactor.clean(e.reason()));
      case DeskCommand.Resolve r -> resolve(who, s, r, origin, step);
      case DeskCommand.Close x -> new IncidentCommand.Close(origin, n, x.reason().isBlank() ? "closed by the vendor"
          : redactor.clean(x.reason()));
      case DeskCommand.Reopen r -> new IncidentCommand.Reopen(origin, n, redactor.clean(r.reason()));
      case DeskCommand.Split sp -> new IncidentCommand.Split(origin, n, sp.titles().stream().map(redactor::clean).toList());
      case DeskCommand.Merge m -> {
        Optional<IncidentSnapshot> into = findCase(who, Optional.of(m.into()));
        if (into.isEmpty() || !into.get().organizationId().equals(s.organizationId())) {
          step.out.add(reply(who, "There is no case " + m.into() + " of the same organization to merge into."));
          yield null;
        }
        yield new IncidentCommand.Merge(origin, n, into.get().number());
      }
      case DeskCommand.Time t -> new IncidentCommand.LogTime(origin, n, t.worked(), t.communication(),
          redactor.clean(t.note()));
      case DeskCommand.SlaWhy x -> {
        step.out.add(slaWhy(who, n));
        yield null;
      }
      case DeskCommand.Support x -> throw new IllegalStateException("handled before");
      case DeskCommand.Help x -> throw new IllegalStateException("handled before");
      case DeskCommand.Queue x -> throw new IllegalStateException("handled before");
      case DeskCommand.Mine x -> throw new IllegalStateException("handled before");
    };
    if (ic != null) {
      outcome(who, incidents.handle(ic), step);
    }
  }

  private IncidentCommand severityChange(Who who, IncidentSnapshot s, DeskCommand.Severity v, Origin origin, Step step) {
    SupportPolicy policy = policy(s.policyId());
    Optional<String> level = policy.severities().stream().map(x -> x.id())
        .filter(id -> id.equalsIgnoreCase(v.level())).findFirst();
    if (level.isEmpty()) {
      List<String> ids = policy.severityIds();
      step.out.add(reply(who, "\"" + v.level() + "\" is not a level of the " + policy.id() + " policy; use one of "
          + String.join(", ", ids) + Suggestions.closest(v.level(), ids).map(x -> " (did you mean " + x + "?)")
          .orElse("") + "."));
      return null;
    }
    return new IncidentCommand.ChangeSeverity(origin, s.number(), level.get(), redactor.clean(v.reason()));
  }

  private IncidentCommand resolve(Who who, IncidentSnapshot s, DeskCommand.Resolve r, Origin origin, Step step) {
    SupportPolicy policy = policy(s.policyId());
    List<String> accepted = policy.resolution().types().stream().map(ResolutionType::id).toList();
    Optional<ResolutionType> type = policy.resolution().types().stream().filter(t -> t.id().equals(r.type())).findFirst();
    if (type.isEmpty()) {
      step.out.add(reply(who, "\"" + r.type() + "\" is not a resolution type of the " + policy.id()
          + " policy; use one of " + String.join(", ", accepted)
          + Suggestions.closest(r.type(), accepted).map(x -> " (did you mean " + x + "?)").orElse("") + "."));
      return null;
    }
    if (r.note().isBlank()) {
      step.out.add(reply(who, "Add a note for the customer: /resolve " + r.type() + " what was done."));
      return null;
    }
    return new IncidentCommand.Resolve(origin, s.number(), type.get(), redactor.clean(r.note()));
  }

  private void outcome(Who who, IncidentOutcome outcome, Step step) {
    switch (outcome) {
      case IncidentOutcome.Rejected r -> step.out.add(reply(who, "Not done: " + r.reason()));
      case IncidentOutcome.HeldBy h -> step.out.add(Outbound.toPlace(who.in().place(), Outbound.Kind.REPLY)
          .onlyFor(who.in().person()).text(h.incident() + " is already held by ", h.holder(), ".").build());
      case IncidentOutcome.TimeRecorded t -> step.out.add(reply(who, "Logged on " + t.incident() + ": billed "
          + CaseViews.hours(t.billed()) + "; " + t.reason() + "."));
      case IncidentOutcome.Filed f -> { }
      case IncidentOutcome.Changed c -> { }
      case IncidentOutcome.Claimed c -> { }
      case IncidentOutcome.SplitInto sp -> { }
    }
  }

  private Optional<IncidentSnapshot> findCase(Who who, Optional<String> named) {
    Optional<IncidentSnapshot> found;
    if (named.isPresent()) {
      found = parseNumber(named.get()).flatMap(incidents::incident);
    } else {
      ChatPlace place = who.in().place();
      found = place.thread().isEmpty() ? Optional.empty()
          : parseNumber(place.thread()).flatMap(incidents::incident)
              .filter(s -> s.place().channel().equals(place.channel()))
              .or(() -> incidents.openAt(place).stream().findFirst());
    }
    // a channel bound to an organization only ever shows that organization's cases
    return found.filter(s -> who.channelOrg().map(o -> o.id().equals(s.organizationId())).orElse(who.vendor()));
  }

  private static Optional<IncidentNumber> parseNumber(String text) {
    try {
      return Optional.of(IncidentNumber.parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private Outbound help(Who who) {
    Outbound.Builder b = Outbound.toPlace(who.in().place(), Outbound.Kind.REPLY).onlyFor(who.in().person())
        .text("Commands:");
    CommandParser.USAGE.forEach((name, usage) -> {
      boolean forCustomers = List.of("support", "severity", "reopen", "escalate", "help").contains(name);
      if (who.vendor() || forCustomers) {
        b.fact("/" + name, usage.substring(usage.indexOf(" - ") + 3));
      }
    });
    return b.build();
  }

  private Outbound queue(Who who, List<IncidentSnapshot> cases, String title) {
    List<IncidentSnapshot> visible = cases.stream()
        .filter(s -> who.channelOrg().map(o -> o.id().equals(s.organizationId())).orElse(who.vendor()))
        .toList();
    Outbound.Builder b = Outbound.toPlace(who.in().place(), Outbound.Kind.REPLY).onlyFor(who.in().person())
        .text(title + (visible.isEmpty() ? ": none." : " (" + visible.size() + "):"));
    visible.forEach(s -> views.queueLine(b, s));
    return b.build();
  }

  private Outbound slaWhy(Who who, IncidentNumber n) {
    Optional<Incident> inc = incidents.rebuild(n);
    Outbound.Builder b = Outbound.toPlace(who.in().place(), Outbound.Kind.REPLY).onlyFor(who.in().person());
    if (inc.isEmpty()) {
      return b.text("There is no case " + n + ".").build();
    }
    Optional<Map.Entry<String, Incident.TargetClock>> next = inc.get().clocks().entrySet().stream()
        .filter(e -> e.getValue().clock().deadline().isPresent())
        .filter(e -> e.getValue().clock().state() == org.supportbot.core.sla.SlaClock.State.RUNNING)
        .min((a, c) -> a.getValue().clock().deadline().get().compareTo(c.getValue().clock().deadline().get()));
    if (next.isEmpty()) {
      return b.text(n + " has no running deadline (" + inc.get().state().label() + ").").build();
    }
    var clock = next.get().getValue().clock();
    Instant deadline = clock.deadline().get();
    b.text("Why ", new Span.Strong(n + " " + CaseViews.targetLabel(next.get().getKey())), " is due ", deadline, ": "
        + CaseViews.hours(clock.target().orElseThrow()) + " of support hours from " + clock.startedAt() + ", counting:");
    CaseViews.segments(b, clock.explain(deadline), inc.get().policy().calendar().zone());
    return b.build();
  }

  // ---- intake ---------------------------------------------------------------------------------

  private void startIntake(Who who, Step step) {
    Inbound in = who.in();
    if (in.direct() || who.channelOrg().isEmpty()) {
      step.out.add(reply(who, in.direct()
          ? "Please use /support in your organization's support channel, so your colleagues can follow the case."
          : "This channel is not connected to a support organization yet. Ask your vendor's support team to bind it."));
      return;
    }
    Organization org = who.channelOrg().get();
    if (!who.contact()) {
      step.out.add(reply(who, "Only named support contacts of " + org.name() + " can file cases. Ask one of your"
          + " organization's named contacts or your account manager to add you."));
      return;
    }
    Optional<IntakeState> open = conversations.intake(in.place().platform(), in.place().workspace(), in.place().channel(),
        in.person());
    Intake intake = intake(org.policyId());
    if (open.isPresent()) {
      step.out.add(reply(who, "You have a request in progress; here is where we stopped (answer \"cancel\" to drop it):"));
      step.out.add(intake.question(open.get()));
      return;
    }
    ChatPlace place = new ChatPlace(in.place().platform(), in.place().workspace(), in.place().channel(), "");
    IntakeTurn turn = intake.start(in.key(), org.id(), in.person(), place, clock.instant());
    apply(who, Optional.empty(), turn, step);
  }

  private void said(Who who, String text, Step step) {
    Inbound in = who.in();
    Optional<IntakeState> open = in.direct() ? Optional.empty() : conversations.intake(in.place().platform(),
        in.place().workspace(), in.place().channel(), in.person());
    if (open.isPresent()) {
      Intake intake = intake(policyOfOrg(open.get().organizationId()));
      apply(who, open, intake.answer(open.get(), text, clock.instant()), step);
      return;
    }
    if (in.direct()) {
      startIntake(who, step);
      return;
    }
    Optional<IncidentSnapshot> found = in.place().thread().isEmpty() ? Optional.empty() : findCase(who, Optional.empty());
    if (found.isEmpty()) {
      return; // ordinary conversation in the channel: not the desk's business
    }
    IncidentSnapshot s = found.get();
    Origin origin = origin(who);
    String clean = redactor.clean(text);
    if (who.vendor()) {
      silent.add(origin.key());
      outcome(who, incidents.handle(new IncidentCommand.PublicUpdate(origin, s.number(), clean)), step);
    } else if (who.contact()) {
      outcome(who, incidents.handle(new IncidentCommand.CustomerReply(origin, s.number(), clean)), step);
    }
  }

  private void picked(Who who, Inbound.Picked p, Step step) {
    Inbound in = who.in();
    if (p.action().equals(CaseViews.CLAIM)) {
      onCase(who, new DeskCommand.Claim(), Optional.of(p.value()), step);
      return;
    }
    Optional<IntakeState> open = conversations.intake(in.place().platform(), in.place().workspace(), in.place().channel(),
        in.person());
    if (open.isEmpty()) {
      step.out.add(reply(who, "That button belongs to a conversation that has ended."));
      return;
    }
    Intake intake = intake(policyOfOrg(open.get().organizationId()));
    apply(who, open, intake.pick(open.get(), p.action(), p.value(), clock.instant()), step);
  }

  /** A form answers the intake's questions in order, stopping at the first answer that needs fixing. */
  private void submitted(Who who, Inbound.Submitted f, Step step) {
    Inbound in = who.in();
    Optional<IntakeState> open = conversations.intake(in.place().platform(), in.place().workspace(), in.place().channel(),
        in.person());
    if (open.isEmpty()) {
      step.out.add(reply(who, "That form belongs to a conversation that has ended; start again with /support."));
      return;
    }
    Intake intake = intake(policyOfOrg(open.get().organizationId()));
    IntakeState state = open.get();
    IntakeTurn turn = null;
    for (var field : intake.policy().report()) {
      if (!f.values().containsKey(field.id()) || state.phase() != IntakeState.Phase.ASKING
          || !intake.policy().report().get(state.field()).id().equals(field.id())) {
        continue;
      }
      turn = intake.answer(state, f.values().get(field.id()), clock.instant());
      if (turn.ended() || turn.state().orElseThrow().field() == state.field()) {
        break;
      }
      state = turn.state().orElseThrow();
    }
    if (turn == null) {
      step.out.add(intake.question(state));
      return;
    }
    apply(who, open, turn, step);
  }

  /** Keeps or ends the intake; {@code stored} is the intake as it was stored before this inbound. */
  private void apply(Who who, Optional<IntakeState> stored, IntakeTurn turn, Step step) {
    step.out.addAll(turn.say());
    if (turn.state().isPresent()) {
      step.save = turn.state();
      return;
    }
    step.end = stored;
    String caseKey = "intake:" + stored.map(IntakeState::id).orElse(who.in().key());
    switch (turn.result().orElseThrow()) {
      case IntakeResult.Ready ready -> file(who, ready, caseKey, step);
      case IntakeResult.Deflected d -> knowledge.feedback(d.solvedBy().id(), d.solvedBy().source(), true, caseKey,
          draft(stored.map(IntakeState::answers).orElse(Map.of())));
      case IntakeResult.Cancelled c -> { }
      case IntakeResult.Refused r -> { }
      case IntakeResult.Expired x -> { }
    }
  }


  private void file(Who who, IntakeResult.Ready ready, String caseKey, Step step) {
    Organization org = who.channelOrg().orElseThrow();
    for (Suggestion s : ready.offered()) {
      knowledge.feedback(s.id(), s.source(), false, caseKey, draft(ready.answers()));
    }
    ChatPlace place = new ChatPlace(who.in().place().platform(), who.in().place().workspace(), who.in().place().channel(), "");
    Origin origin = origin(who);
    offered.put(origin.key(), ready.offered());
    related.put(origin.key(), relatedTo(who.channelOrg().get().policyId(), ready.title(), ready.answers(),
        ready.product(), ready.version()));
    IncidentOutcome outcome = incidents.handle(new IncidentCommand.File(origin, org.id(), place, ready.severityId(),
        ready.categoryId(), ready.product(), ready.version(), ready.title(), ready.answers()));
    if (!(outcome instanceof IncidentOutcome.Filed)) {
      outcome(who, outcome, step);
    }
  }

  /**
   * The new case in the vendor's triage channel, with what the customer already saw. Rendered from
   * the {@code Filed} event, so it is not lost to a crash; after a restart the suggestions the
   * customer declined are no longer known and are left out.
   */
  private Outbound triage(IncidentSnapshot s, IncidentEvent.Filed filed) {
    Map<String, String> answers = filed.fields();
    List<Suggestion> declined = offered.getOrDefault(filed.origin().key(), List.of());
    Outbound.Builder b = Outbound.toPlace(settings.triage(), Outbound.Kind.NOTICE)
        .text("New case ", new Span.Strong(s.number().toString()), " (" + views.severityLabel(s) + ") from ", s.reporter(),
            ": " + s.title());
    CaseViews.next(s).ifPresent(n -> b.fact(CaseViews.targetLabel(n.getKey()) + " due", n.getValue()));
    List<Suggestion> related = this.related.containsKey(filed.origin().key()) ? this.related.get(filed.origin().key())
        : relatedTo(s.policyId(), s.title(), answers, s.product(), s.version());
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

  /** What the suggestions were searched by, for the verdict on them (the intake's redacted answers). */
  private static KnowledgeSuggestions.Draft draft(Map<String, String> answers) {
    return new KnowledgeSuggestions.Draft(Intake.title(answers), answers.getOrDefault("description", ""),
        answers.getOrDefault("error_messages", ""), answers.getOrDefault("product", ""),
        answers.getOrDefault("version", ""));
  }

  /** Up to three articles and threads related to a new case, for engineers in triage. */
  private List<Suggestion> relatedTo(String policyId, String title, Map<String, String> answers, String product,
      String version) {
    return knowledge.suggest(title, answers.getOrDefault("description", ""), answers.getOrDefault("error_messages", ""),
        product, version, 3);
  }

  private Intake intake(String policyId) {
    return intakes.computeIfAbsent(policyId, id -> new Intake(policy(id), knowledge, redactor));
  }

  private String policyOfOrg(String organizationId) {
    return directory.store().organization(organizationId).map(Organization::policyId).orElseThrow(
        () -> new IllegalStateException("organization " + organizationId + " of an open intake is no longer registered"));
  }

  private SupportPolicy policy(String id) {
    return policies.apply(id).orElseThrow(() -> new IllegalStateException("policy \"" + id + "\" is not loaded"));
  }

  private Origin origin(Who who) {
    return new Origin(who.in().key(), who.actor(), clock.instant(), who.in().message());
  }

  /**
   * A reply to {@code who} only. Replies echo what people typed (a bad argument, a level, a mention),
   * so they pass the same redaction as stored text before they are recorded in the outbox.
   */
  private Outbound reply(Who who, String text) {
    return Outbound.toPlace(who.in().place(), Outbound.Kind.REPLY).onlyFor(who.in().person())
        .text(redactor.clean(text)).build();
  }

  // ---- time -----------------------------------------------------------------------------------

  /**
   * Fires every due timer, releases deferred pings that reached business hours, expires idle
   * intakes and sends the daily digest when it is due; then hands out the outbox's messages whose
   * (re)try is due: those a failed send left pending and, after a restart, those the last run did not
   * deliver. Returns what to send, in order, each to be reported sent or failed.
   */
  public List<Delivery> tickTracked() {
    Instant now = clock.instant();
    List<Delivery> out = new ArrayList<>();
    rendering.lock();
    try {
      Step fired = new Step();
      renderLog(fired); // events a crash left without their messages
      while (incidents.fireDue(now, 500) > 0) {
        renderLog(fired);
        out.addAll(commit(fired));
        fired = new Step();
      }
      out.addAll(commit(fired));
      Step step = new Step();
      renderLog(step);
      // live countdowns: the status message again, for platforms that cannot show a ticking deadline
      for (IncidentNumber n : feed.drainCountdowns()) {
        incidents.incident(n).filter(s -> s.state().active()).ifPresent(s -> step.out.add(views.status(s)));
      }
      for (ConversationStore.Deferred d : conversations.deferredDue(now)) {
        incidents.incident(d.event().incident()).ifPresent(s -> step.out.addAll(ping(d.event(), s, true, step)));
        step.released.add(d.id());
      }
      out.addAll(commit(step));
    } finally {
      rendering.unlock();
    }
    for (IntakeState s : conversations.intakes()) {
      out.addAll(expireIfIdle(s, now));
    }
    rendering.lock();
    try {
      Step digest = new Step();
      digest(now, digest).ifPresent(digest.out::addAll);
      out.addAll(commit(digest));
    } finally {
      rendering.unlock();
    }
    out.addAll(outbox.due(PAGE));
    return out;
  }

  /**
   * Ends an intake idle for longer than the expiry, holding its conversation so that an answer
   * arriving at the same moment is not lost to the expiry: the intake is read again under the lock.
   */
  private List<Delivery> expireIfIdle(IntakeState seen, Instant now) {
    ChatPlace p = seen.place();
    ReentrantLock lock = conversationLock(p.platform() + "/" + p.workspace() + "/" + p.channel() + "/@"
        + seen.reporter().workspace() + "/" + seen.reporter().userId());
    lock.lock();
    try {
      Optional<IntakeState> current = conversations.intake(p.platform(), p.workspace(), p.channel(), seen.reporter());
      if (current.isEmpty() || !current.get().lastActivity().equals(seen.lastActivity())) {
        return List.of();
      }
      IntakeState s = current.get();
      Optional<Organization> org = directory.store().organization(s.organizationId());
      if (org.isEmpty()) {
        return List.of();
      }
      Optional<IntakeTurn> expired = intake(org.get().policyId()).expireIfIdle(s, now, settings.intakeExpiry());
      if (expired.isEmpty()) {
        return List.of();
      }
      Step step = new Step();
      step.out.addAll(expired.get().say());
      List<Delivery> out = renderAndCommit(step);
      conversations.handled("expire:" + s.id() + ":" + s.lastActivity().toEpochMilli(), now, Optional.empty(),
          Optional.of(s));
      return out;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Like {@link #tickTracked}, for a caller that shows the messages at once and cannot fail (tests,
   * benchmarks): each is reported sent as it is returned.
   */
  public List<Outbound> tick() {
    return sentNow(tickTracked());
  }

  /** When the next timer is due, for a scheduler to sleep until. */
  public Optional<Instant> nextDue() {
    return incidents.nextDue();
  }

  private Optional<List<Outbound>> digest(Instant now, Step step) {
    ZonedDateTime local = now.atZone(settings.digestZone());
    LocalDate today = local.toLocalDate();
    if (local.toLocalTime().isBefore(settings.digestAt())
        || conversations.mark("digest").map(d -> d.equals(today.toString())).orElse(false)) {
      return Optional.empty();
    }
    step.marks.put("digest", today.toString());
    List<IncidentSnapshot> open = incidents.queue(1000);
    List<IncidentSnapshot> breached = open.stream()
        .filter(s -> s.clocks().values().stream().anyMatch(c -> c.breachedAt().isPresent())).toList();
    List<IncidentSnapshot> atRisk = open.stream().filter(s -> !breached.contains(s))
        .filter(s -> CaseViews.next(s).map(n -> n.getValue().isBefore(now.plus(java.time.Duration.ofHours(4))))
            .orElse(false)).toList();
    List<Outbound> out = new ArrayList<>();
    for (Identity manager : settings.managers()) {
      Outbound.Builder b = Outbound.to(new Outbound.ToPerson(manager), Outbound.Kind.DIGEST)
          .text("Daily digest for " + today + ": " + open.size() + " open, " + breached.size() + " breached, "
              + atRisk.size() + " due within 4 hours.");
      if (!breached.isEmpty()) {
        b.text("Breached:");
        breached.forEach(s -> views.queueLine(b, s));
      }
      if (!atRisk.isEmpty()) {
        b.text("At risk:");
        atRisk.forEach(s -> views.queueLine(b, s));
      }
      out.add(b.build());
    }
    return Optional.of(out);
  }

  // ---- events to messages ---------------------------------------------------------------------

  private List<Outbound> render(List<IncidentEvent> events, Step step) {
    List<Outbound> out = new ArrayList<>();
    Map<IncidentNumber, IncidentSnapshot> touched = new LinkedHashMap<>();
    for (IncidentEvent e : events) {
      Optional<IncidentSnapshot> s = incidents.incident(e.incident());
      if (s.isEmpty()) {
        continue;
      }
      touched.put(e.incident(), s.get());
      out.addAll(messages(e, s.get(), step));
    }
    touched.values().forEach(s -> out.add(views.status(s)));
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
          Outbound.Builder c = Outbound.toPlace(thread, Outbound.Kind.CONFIRMATION)
              .text("Thanks ", s.reporter(), ", your case ", new Span.Strong(f.incident().toString()), " is filed: "
                  + f.title())
              .fact("Severity", views.severityLabel(s));
          CaseViews.next(s).ifPresent(n -> c.fact("First deadline", CaseViews.targetLabel(n.getKey()) + " ", n.getValue()));
          out.add(c.build());
          ChatPlace channel = new ChatPlace(thread.platform(), thread.workspace(), thread.channel(), "");
          if (!channel.equals(thread)) {
            Outbound.Builder top = Outbound.toPlace(channel, Outbound.Kind.CONFIRMATION)
                .text("Case ", new Span.Strong(f.incident().toString()), " filed (" + views.severityLabel(s)
                    + "); follow it in its thread.");
            CaseViews.next(s).ifPresent(n -> top.fact("First deadline", n.getValue()));
            out.add(top.build());
          }
        }
        if (views.urgent(s)) {
          out.add(escalationPing(s, "New " + views.severityLabel(s) + " case"));
        }
      }
      case IncidentEvent.Acknowledged a -> out.add(b.text(by, " acknowledged: " + a.text()).build());
      case IncidentEvent.Claimed c -> out.add(b.text(c.engineer(), " is now handling " + s.number() + ".").build());
      case IncidentEvent.Unclaimed u -> out.add(b.text(s.number() + " is back in the queue.").build());
      case IncidentEvent.Assigned a -> out.add(b.text(s.number() + " is assigned to ", a.engineer(), " by ", by, ".")
          .build());
      case IncidentEvent.SeverityChanged c -> {
        out.add(b.text("Severity changed from " + c.from() + " to " + c.to() + " by ", by, ": " + c.reason()).build());
        if (views.urgent(s) && !wasUrgent(s.policyId(), c.from())) {
          out.add(escalationPing(s, "Raised to " + views.severityLabel(s)));
        }
      }
      case IncidentEvent.SeverityDiscussionRequested d -> {
        out.add(b.text(by, " asked to discuss the severity: " + d.reason()).build());
        out.add(Outbound.toPlace(settings.triage(), Outbound.Kind.NOTICE).text("The customer asks to discuss the severity"
            + " of ", new Span.Strong(s.number().toString()), ": " + d.reason()).build());
      }
      case IncidentEvent.InfoRequested r -> out.add(b.text(s.reporter(), ", we need more information: " + r.text()
          + " Please reply in this thread.").build());
      case IncidentEvent.CustomerReplied r -> {
        out.add(Outbound.toPlace(settings.triage(), Outbound.Kind.NOTICE)
            .text("The customer replied on ", new Span.Strong(s.number().toString()),
                s.claimedBy().<Object>map(owner -> new Span.Plain(" (owner: @" + owner.userId() + ")"))
                    .orElse(" (unassigned)"))
            .build());
      }
      case IncidentEvent.PublicUpdatePosted u -> {
        if (!silent.remove(e.origin().key())) {
          out.add(b.text("Update from ", by, ": " + u.text()).build());
        }
      }
      case IncidentEvent.Resolved r -> out.add(b.text(s.number() + " is resolved (" + r.type().id().replace('_', ' ')
          + ") by ", by, ": " + r.summary() + " Reply /reopen in this thread if it is not fixed.").build());
      case IncidentEvent.Closed c -> out.add(b.text(s.number() + " is closed" + (c.automatic() ? " automatically" : "")
          + (c.reason().isBlank() ? "." : ": " + c.reason())).build());
      case IncidentEvent.ReopenRequested r -> out.add(Outbound.toPlace(settings.triage(), Outbound.Kind.NOTICE)
          .text("The customer asks to reopen ", new Span.Strong(s.number().toString()), ": " + r.reason()).build());
      case IncidentEvent.Reopened r -> out.add(b.text(s.number() + " is reopened" + (r.reason().isBlank() ? "."
          : ": " + r.reason())).build());
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
      case IncidentEvent.InfoRequestLapsed l -> out.add(b.text("The request for information on " + s.number()
          + " went unanswered (" + l.unanswered() + " in a row).").build());
    }
    return out;
  }

  private boolean wasUrgent(String policyId, String severityId) {
    return policy(policyId).severities().stream().filter(v -> v.id().equals(severityId)).findFirst()
        .map(v -> v.isUrgent()).orElse(false);
  }

  private Outbound escalationPing(IncidentSnapshot s, String why) {
    DeskSettings.OrgRouting r = settings.routing(s.organizationId());
    Outbound.Builder b = Outbound.toPlace(r.escalation(), Outbound.Kind.ESCALATION_PING)
        .text(new Span.Role(r.onCallRole(), r.onCallLabel()), " " + why + " ", new Span.Strong(s.number().toString()),
            ": " + s.title());
    CaseViews.next(s).ifPresent(n -> b.fact(CaseViews.targetLabel(n.getKey()) + " due", n.getValue()));
    return b.build();
  }

  private List<Outbound> escalation(IncidentSnapshot s, IncidentEvent.Escalated x) {
    SupportPolicy policy = policy(s.policyId());
    DeskSettings.OrgRouting r = settings.routing(s.organizationId());
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
          for (Identity m : settings.managers()) {
            out.add(Outbound.to(new Outbound.ToPerson(m), Outbound.Kind.ESCALATION_PING)
                .text("Escalation of ", new Span.Strong(s.number().toString()), " (" + views.severityLabel(s) + "): "
                    + x.reason()).build());
          }
        }
      }
      if (text != null) {
        out.add(text.text("Escalation of ", new Span.Strong(s.number().toString()), " (" + views.severityLabel(s) + "): "
            + x.reason() + (route.description().isBlank() ? "" : " — " + route.description())).build());
      }
    }
    return out;
  }

  /**
   * Pre-breach and breach pings. Severity 1 and 2 go out at any hour; lower levels wait for the
   * policy's business hours (kept durably, not dropped) unless {@code released}.
   */
  private List<Outbound> ping(IncidentEvent e, IncidentSnapshot s, boolean released, Step step) {
    if (!released && !views.urgent(s)) {
      BusinessClock hours = calculators.computeIfAbsent(s.policyId(), id -> new SlaCalculator(policy(id))).businessClock();
      Instant now = clock.instant();
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
            : Outbound.toPlace(settings.triage(), Outbound.Kind.PRE_BREACH_PING);
        out.add(b.text(new Span.Strong(s.number().toString()), " (" + views.severityLabel(s) + ", "
            + s.claimedBy().map(x -> "yours").orElse("unassigned") + ") has used " + w.percent() + "% of its "
            + CaseViews.targetLabel(w.target()) + " target; due ", w.deadline(), ".").build());
      }
      case IncidentEvent.SlaBreached x -> {
        List<Identity> to = new ArrayList<>(settings.managers());
        s.claimedBy().filter(owner -> !to.contains(owner)).ifPresent(to::add);
        for (Identity m : to) {
          out.add(Outbound.to(new Outbound.ToPerson(m), Outbound.Kind.BREACH_PING)
              .text("Breach: ", new Span.Strong(s.number().toString()), " (" + views.severityLabel(s) + ") missed its "
                  + CaseViews.targetLabel(x.target()) + " target, due ", x.deadline(), ". Owner: ",
                  s.claimedBy().<Object>map(o -> o).orElse("unassigned"), ".").build());
        }
      }
      default -> throw new IllegalArgumentException("not a ping: " + e.getClass().getSimpleName());
    }
    return out;
  }
}
