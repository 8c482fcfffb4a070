package org.supportbot.core.chat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.chatstate.ConversationStore;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.KnowledgeSuggestions;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.directory.Directory;
import org.supportbot.core.directory.Engineer;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.intake.IntakeState;
import org.supportbot.core.intake.IntakeTurn;
import org.supportbot.core.outbox.Delivery;
import org.supportbot.core.outbox.Outbox;
import org.supportbot.core.outbox.OutboxStore;
import org.supportbot.core.store.IncidentStore;
import org.supportbot.core.store.WrittenElsewhereException;

/**
 * The desk in chat. {@link #handleTracked} takes what a person did and returns what the desk says;
 * {@link #tickTracked} fires due timers, releases deferred pings, announces maintenance, expires
 * idle intakes, sends the daily digest and hands out again what was not delivered. An inbound whose key was handled before
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
 * it in the outbox, so the next tick hands it out again. Several instances on one database share the
 * cursor: a step whose events another instance recorded first is refused by the outbox and rendered
 * again from the stored cursor ({@code recordRendered}).
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

  private final DeskContext desk;
  private final EventFeed feed;
  private final Outbox outbox;
  private final CommandParser parser = new CommandParser();
  private final IntakeCommands intake;
  private final CaseCommands caseWork;
  private final TimeCommands time;
  private final QueryCommands queries;
  private final EventMessages messages;
  private final DailyDigest digest;
  private volatile BoardLinks board = BoardLinks.OFF;
  private final AvailabilityCommands availability;
  private final SatisfactionCommands satisfaction;
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
    this.desk = new DeskContext(incidents, directory, policies, knowledge, conversations, settings, clock);
    this.feed = Objects.requireNonNull(feed, "feed");
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.intake = new IntakeCommands(desk);
    this.caseWork = new CaseCommands(desk);
    this.time = new TimeCommands(desk);
    this.queries = new QueryCommands(desk);
    this.messages = new EventMessages(desk, intake);
    this.availability = new AvailabilityCommands(desk);
    this.satisfaction = new SatisfactionCommands(desk);
    this.digest = new DailyDigest(desk, availability, satisfaction);
  }

  /** Serves {@code /board} with sign-in links from {@code links} (the web board, when it runs). */
  public void boardLinks(BoardLinks links) {
    this.board = Objects.requireNonNull(links, "links");
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
      if (desk.conversations.seen(in.key())) {
        return List.of();
      }
      Who who = who(in);
      Step step = new Step();
      switch (in.input()) {
        case Inbound.Command c -> command(who, c, step);
        case Inbound.Said s -> said(who, s.text(), step);
        case Inbound.Picked p -> picked(who, p, step);
        case Inbound.Submitted f -> intake.submitted(who, f, step);
        case Inbound.FileMessage m -> intake.fileMessage(who, m, step);
      }
      List<Delivery> out = renderAndCommit(step);
      desk.conversations.handled(in.key(), desk.clock.instant(), step.save, step.end);
      return out;
    } finally {
      // what this inbound left for the rendering was rendered by now (by this thread or another)
      desk.silent.remove(in.key());
      desk.offered.remove(in.key());
      desk.related.remove(in.key());
      lock.unlock();
    }
  }

  /** The conversation an inbound belongs to ({@link Inbound#conversation}). */
  public static String conversationOf(Inbound in) {
    return in.conversation();
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

  /**
   * Renders the log past the cursor into {@code step} and records the step, one thread at a time. When
   * another instance on the same database recorded the messages of some of these events first, the
   * rendering is dropped and done again from the stored cursor.
   */
  private List<Delivery> renderAndCommit(Step step) {
    rendering.lock();
    try {
      Step.Mark mark = step.mark();
      return recordRendered(() -> {
        step.reset(mark);
        renderLog(step);
        if (step.availability) {
          availability.announce(desk.clock.instant(), step);
        }
        return step;
      });
    } finally {
      rendering.unlock();
    }
  }

  /**
   * Records the step {@code render} builds; holds the rendering lock. If the outbox refuses it because
   * another instance rendered the same events (or released the same deferred pings) first, the cursor is
   * read again and the step built again, up to {@value #RENDER_ATTEMPTS} times.
   */
  private List<Delivery> recordRendered(java.util.function.Supplier<Step> render) {
    for (int attempt = 1; ; attempt++) {
      Step step = render.get();
      try {
        return commit(step);
      } catch (WrittenElsewhereException e) {
        cursor = -1;
        if (attempt == RENDER_ATTEMPTS) {
          throw new IllegalStateException("the outbox refused this step's messages " + RENDER_ATTEMPTS + " times in"
              + " a row because other instances kept rendering the same events first; the events stay in the log and"
              + " a later step renders them", e);
        }
      }
    }
  }

  /** How often a step's rendering is done again after another instance rendered the same events first. */
  private static final int RENDER_ATTEMPTS = 32;

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
    if (step.renderedFrom.isEmpty()) {
      step.renderedFrom = OptionalLong.of(after);
    }
    while (true) {
      List<IncidentStore.Logged> page = desk.incidents.eventsAfter(after, PAGE);
      if (page.isEmpty()) {
        return;
      }
      step.out.addAll(messages.render(page.stream().map(IncidentStore.Logged::event).toList(), step));
      after = page.getLast().id();
      step.cursor = OptionalLong.of(after);
      if (page.size() < PAGE) {
        return;
      }
    }
  }

  /** A new step with the log past the cursor rendered into it. */
  private Step rendered() {
    Step step = new Step();
    renderLog(step);
    return step;
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
        step.marks, desk.clock.instant(), step.cursor.isPresent() ? step.renderedFrom : OptionalLong.empty()));
    step.cursor.ifPresent(c -> cursor = c);
    return out;
  }

  private Who who(Inbound in) {
    ChatPlace p = in.place();
    Optional<Organization> org = in.direct() ? Optional.empty()
        : desk.directory.store().organizationByChannel(p.platform(), p.workspace(), p.channel());
    Optional<Engineer> engineer = desk.directory.store().engineer(in.person());
    boolean contact = org.isPresent() && desk.directory.isContact(org.get().id(), in.person());
    return new Who(in, org, engineer, contact);
  }

  // ---- the dispatch: each family of commands has its own class ---------------------------------

  private void command(Who who, Inbound.Command c, Step step) {
    CommandParser.Parsed parsed = parser.parse(c.name(), c.args(), who.vendor());
    if (parsed instanceof CommandParser.Parsed.Invalid invalid) {
      step.out.add(desk.reply(who, invalid.message()));
      return;
    }
    CommandParser.Parsed.Ok ok = (CommandParser.Parsed.Ok) parsed;
    String name = c.name().toLowerCase(Locale.ROOT).replaceFirst("^/", "");
    Optional<String> named = ok.incident();
    switch (ok.command()) {
      case DeskCommand.Support s -> intake.start(who, s.text(), step);
      case DeskCommand.Help h -> step.out.add(queries.help(who));
      case DeskCommand.Board b -> step.out.add(Outbound.toPlace(who.in().place(), Outbound.Kind.REPLY)
          .onlyFor(who.in().person()).text(board.answer(who.in().person(), who.engineer(),
              who.contact() ? who.channelOrg() : Optional.empty())).build());
      case DeskCommand.Queue q -> step.out.add(queries.queue(who, q.page()));
      case DeskCommand.Mine m -> step.out.add(queries.mine(who));
      case DeskCommand.Availability a -> availability.apply(who, a, step);
      case DeskCommand.SlaWhy x -> onCase(who, name, named, step).ifPresent(s -> step.out.add(queries.slaWhy(who, s)));
      case DeskCommand.Transcript x -> onCase(who, name, named, step).ifPresent(s -> queries.transcript(who, s, step));
      case DeskCommand.Rate r -> onCase(who, name, named, step)
          .ifPresent(s -> satisfaction.rate(who, s, r.score(), r.comment(), step));
      case DeskCommand.SatisfactionReport r -> step.out.add(satisfaction.report(who, r.month()));
      case DeskCommand.Time t -> onCase(who, name, named, step).ifPresent(s -> time.log(who, s, t, step));
      case DeskCommand.CaseWork w -> onCase(who, name, named, step).ifPresent(s -> caseWork.apply(who, s, w, step));
    }
  }

  /**
   * The case command {@code name} acts on: the case it names, or else the case of the thread it was
   * typed in. A command typed in one case's thread that names another is refused: the desk never
   * guesses which of the two was meant. Tells the person why when there is no case to act on.
   */
  private Optional<IncidentSnapshot> onCase(Who who, String name, Optional<String> named, Step step) {
    Optional<IncidentSnapshot> thread = desk.caseOfThread(who.in().place())
        .filter(s -> who.channelOrg().map(o -> o.id().equals(s.organizationId())).orElse(who.vendor()));
    if (named.isPresent() && thread.isPresent() && !thread.get().number().toString().equals(named.get())) {
      step.out.add(desk.reply(who, "Nothing done: this is the thread of " + thread.get().number() + ", but the command"
          + " names " + named.get() + ". Run it in " + named.get() + "'s thread or outside a case thread, or leave the"
          + " number out to act on " + thread.get().number() + "."));
      return Optional.empty();
    }
    Optional<IncidentSnapshot> found = desk.findCase(who, named);
    if (found.isEmpty()) {
      String example = CommandParser.example(name, who.channelOrg().map(o -> o.key() + "-42").orElse("ACME-42"));
      step.out.add(desk.reply(who, named.map(n -> "There is no case " + n + " here. Check the number"
          + (who.vendor() ? ", or use /queue." : " in the case's confirmation."))
          .orElse("Name the case, e.g. " + example + ", or run this in the case's thread.")));
      return Optional.empty();
    }
    IncidentSnapshot s = found.get();
    if (!who.vendor() && !(who.contact() && who.inChannelOf(s.organizationId()))) {
      step.out.add(desk.reply(who, "Only named contacts of the organization can act on its cases."));
      return Optional.empty();
    }
    return found;
  }

  /**
   * A message: in a case's thread, a message about that case (even when its author has an
   * unfinished intake in the channel); otherwise the next answer of the person's open intake; in a
   * direct message, the start of an intake; elsewhere ordinary conversation, not the desk's business.
   */
  private void said(Who who, String text, Step step) {
    Inbound in = who.in();
    Optional<IncidentSnapshot> inThread = in.place().thread().isEmpty() ? Optional.empty()
        : desk.findCase(who, Optional.empty());
    if (inThread.isPresent()) {
      caseWork.said(who, inThread.get(), text, step);
      return;
    }
    Optional<IntakeState> open = intake.openIntake(in);
    if (open.isPresent()) {
      intake.answer(who, open.get(), text, step);
    } else if (in.direct()) {
      intake.start(who, step);
    }
  }

  private void picked(Who who, Inbound.Picked p, Step step) {
    if (p.action().equals(org.supportbot.core.intake.Intake.ANSWER) && !who.in().place().thread().isEmpty()) {
      // a button of a question asked in a case's thread: the answer to the case's pending detail
      Optional<IncidentSnapshot> s = desk.findCase(who, Optional.empty());
      if (s.isPresent()) {
        if (s.get().asksDetails() && who.in().person().equals(s.get().reporter())) {
          caseWork.detail(who, s.get(), p.value(), step);
        } else {
          step.out.add(desk.reply(who, s.get().asksDetails() ? "Only @" + s.get().reporter().userId() + ", who the"
              + " case was filed for, answers its questions." : "That question of " + s.get().number()
              + " is no longer asked: it is answered, or the case is " + s.get().state().label() + "."));
        }
        return;
      }
    }
    if (p.action().equals(CaseViews.CLAIM)) {
      onCase(who, "claim", Optional.of(p.value()), step)
          .ifPresent(s -> caseWork.apply(who, s, new DeskCommand.Claim(), step));
      return;
    }
    if (p.action().equals(CaseViews.REOPEN)) {
      onCase(who, "reopen", Optional.of(p.value()), step)
          .ifPresent(s -> caseWork.apply(who, s, new DeskCommand.Reopen("pressed Reopen before it closed"), step));
      return;
    }
    if (p.action().equals(SatisfactionCommands.RATE)) {
      SatisfactionCommands.pressed(p.value()).ifPresentOrElse(
          pressed -> onCase(who, "rate", Optional.of(pressed.getKey()), step)
              .ifPresent(s -> satisfaction.rate(who, s, pressed.getValue(), "", step)),
          () -> step.out.add(desk.reply(who, "That rating button is not one the desk made; use /rate CASE SCORE.")));
      return;
    }
    intake.picked(who, p, step);
  }

  // ---- time -----------------------------------------------------------------------------------

  /**
   * Fires every due timer, releases deferred pings that reached business hours, expires idle
   * intakes and sends the daily digest when it is due; then hands out the outbox's messages whose
   * (re)try is due: those a failed send left pending and, after a restart, those the last run did not
   * deliver. Returns what to send, in order, each to be reported sent or failed.
   */
  public List<Delivery> tickTracked() {
    Instant now = desk.clock.instant();
    List<Delivery> out = new ArrayList<>();
    rendering.lock();
    try {
      out.addAll(recordRendered(this::rendered)); // events a crash (or another instance) left without their messages
      while (desk.incidents.fireDue(now, 500) > 0) {
        out.addAll(recordRendered(this::rendered));
      }
      // live countdowns: the status message again, for platforms that cannot show a ticking deadline
      Set<IncidentNumber> countdowns = feed.drainCountdowns();
      out.addAll(recordRendered(() -> {
        Step step = rendered();
        for (IncidentNumber n : countdowns) {
          desk.incidents.incident(n).filter(s -> s.state().active()).ifPresent(s -> step.out.add(desk.views.status(s)));
        }
        for (ConversationStore.Deferred d : desk.conversations.deferredDue(now)) {
          desk.incidents.incident(d.event().incident())
              .ifPresent(s -> step.out.addAll(messages.ping(d.event(), s, true, step)));
          step.released.add(d.id());
        }
        availability.announce(now, step);
        return step;
      }));
    } finally {
      rendering.unlock();
    }
    for (IntakeState s : desk.conversations.intakes()) {
      out.addAll(expireIfIdle(s, now));
    }
    rendering.lock();
    try {
      out.addAll(recordRendered(() -> {
        Step daily = new Step();
        digest.addIfDue(now, daily);
        return daily;
      }));
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
    ReentrantLock lock = conversationLock(conversation(seen));
    lock.lock();
    try {
      Optional<IntakeState> current = desk.conversations.intake(p.platform(), p.workspace(), p.channel(), seen.reporter());
      if (current.isEmpty() || !current.get().lastActivity().equals(seen.lastActivity())) {
        return List.of();
      }
      IntakeState s = current.get();
      Optional<Organization> org = desk.directory.store().organization(s.organizationId());
      if (org.isEmpty()) {
        return List.of();
      }
      Optional<IntakeTurn> expired = desk.intake(org.get().policyId()).expireIfIdle(s, now, desk.settings.intakeExpiry());
      if (expired.isEmpty()) {
        return List.of();
      }
      // The notice is recorded with a mark naming the intake's last activity, in one outbox transaction: of
      // several instances expiring the same intake at once, the outbox takes one mark of that value (the others'
      // batches are refused), and the others, rendering again, find the mark set and leave the notice out.
      String markName = "expired:" + sha256(conversation(s)); // a mark's name holds at most 100 characters
      String markValue = Long.toString(s.lastActivity().toEpochMilli());
      boolean[] ours = {false};
      List<Delivery> out;
      rendering.lock();
      try {
        out = recordRendered(() -> {
          Step step = new Step();
          ours[0] = !desk.conversations.mark(markName).filter(markValue::equals).isPresent();
          if (ours[0]) {
            step.out.addAll(expired.get().say());
            step.marks.put(markName, markValue);
          }
          renderLog(step);
          return step;
        });
      } finally {
        rendering.unlock();
      }
      if (ours[0]) {
        desk.conversations.handled("expire:" + s.id() + ":" + s.lastActivity().toEpochMilli(), now, Optional.empty(),
            Optional.of(s));
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The conversation that holds an intake: its person in its channel (as {@link #conversationOf}). */
  private static String conversation(IntakeState s) {
    ChatPlace p = s.place();
    return p.platform() + "/" + p.workspace() + "/" + p.channel() + "/@" + s.reporter().workspace() + "/"
        + s.reporter().userId();
  }

  /**
   * Like {@link #tickTracked}, for a caller that shows the messages at once and cannot fail (tests,
   * benchmarks): each is reported sent as it is returned.
   */
  public List<Outbound> tick() {
    return sentNow(tickTracked());
  }

  /** When the next timer or maintenance notice is due, for a scheduler to sleep until. */
  public Optional<Instant> nextDue() {
    Optional<Instant> timer = desk.incidents.nextDue();
    Optional<Instant> maintenance = availability.nextBoundary(desk.clock.instant());
    return timer.isEmpty() ? maintenance
        : maintenance.filter(m -> m.isBefore(timer.get())).or(() -> timer);
  }
}
