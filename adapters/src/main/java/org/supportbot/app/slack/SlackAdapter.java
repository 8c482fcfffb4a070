package org.supportbot.app.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.interactive_components.payload.MessageShortcutPayload;
import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.app_backend.views.payload.ViewClosedPayload;
import com.slack.api.app_backend.views.payload.ViewSubmissionPayload;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.request.builtin.EventRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.model.Message;
import com.slack.api.util.json.GsonFactory;
import com.slack.api.model.event.MessageEvent;
import com.slack.api.model.event.MessageFileShareEvent;
import com.slack.api.model.event.MessageThreadBroadcastEvent;
import com.slack.api.model.event.ReactionAddedEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.supportbot.app.platform.DeskLink;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.chat.ConversationLanes;
import org.supportbot.core.chat.SupportDesk;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.DirectoryStore;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.inbox.InboxStore;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.MessageRef;
import org.supportbot.core.intake.Intake;
import org.supportbot.core.outbox.Delivery;

/**
 * The desk in Slack, on Bolt for Java. Translates slash commands, button clicks, modal
 * submissions, the "File as incident" message shortcut and messages into the desk's
 * {@link Inbound}s; writes each to the durable {@link InboxStore} before acknowledging it (a failed
 * write is answered 503, so Slack retries), then does the desk's work on {@link ConversationLanes}:
 * in arrival order within a conversation, conversations side by side; sends the results through
 * {@link SlackChatGateway}, and marks the entry done. At start
 * ({@link #recover()}) what is still in the inbox is handled first, then the history of bound
 * channels and open case threads since the last message seen there is read back (downtime backfill).
 *
 * <ul>
 *   <li>{@code /support} starts the intake and opens it as a modal; if Slack refuses the modal the
 *       intake goes on as ephemeral questions in the channel.
 *   <li>Every inbound is keyed by Slack's own id (the event id, or the interaction's trigger id),
 *       so a retried delivery ({@code X-Slack-Retry-Num}) or a duplicate has no second effect.
 *   <li>In a Slack Connect channel a person keeps their own team id: the identity's workspace is the
 *       author's team ({@code user_team}, {@code team} or {@code user.team_id}), while the place is in
 *       the installing workspace. Where the payload names no team ({@code thread_broadcast} and
 *       {@code file_share} events, the message shortcut's user, messages read back from the history)
 *       the translation leaves it {@link SlackUserTeams#UNKNOWN} and {@link SlackUserTeams} asks
 *       {@code users.info} when the inbound is processed, after the acknowledgement (cached; on failure
 *       the installing workspace).
 *   <li>Deliveries no handler takes are acknowledged with 200; the bot's own messages are recognised
 *       by the ids auth.test gave, not by Bolt's self-event check (which calls {@code bots.info} before
 *       the acknowledgement).
 * </ul>
 */
public final class SlackAdapter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SlackAdapter.class);

  /** How long the desk waits for {@code users.info} when a payload does not name a person's workspace. */
  static final java.time.Duration USERS_INFO_TIMEOUT = java.time.Duration.ofSeconds(2);

  /** The message shortcut's callback id (see config/slack-app-manifest.yaml). */
  public static final String FILE_AS_INCIDENT = "file_as_incident";
  static final String PLATFORM = "slack";
  /** Handling an inbound that failed this often is given up (logged by key), so that it cannot block a start. */
  static final int MAX_ATTEMPTS = 3;
  /** Pages of history read per place at start, {@link #HISTORY_PAGE} messages each; older messages are not read back. */
  static final int HISTORY_PAGES = 5;
  static final int HISTORY_PAGE = 200;
  /** Message subtypes that are a person speaking: a plain message, one also sent to the channel, a file with text. */
  private static final Set<String> SAID_SUBTYPES = Set.of("", "thread_broadcast", "file_share");

  private final SupportDesk desk;
  private final DeskLink link;
  private final DirectoryStore directory;
  private final Function<String, Optional<SupportPolicy>> policies;
  private final SlackChatGateway gateway;
  private final SlackMessageStore messages;
  private final SlackIntakeModal modal = new SlackIntakeModal();
  private final Clock clock;
  private final String homeTeam;
  private final App app;
  private final SlackUserTeams teams;
  /** The bot's own user and bot ids, from Bolt's auth.test at start; its own messages are ignored by them. */
  private volatile Self self = new Self("", "");
  private final ScheduledExecutorService worker;
  private final InboxStore inbox;
  private final MethodsClient api;
  /** The emoji whose reaction files a message; empty: reactions file nothing. */
  private final Optional<String> fileOnReaction;
  private final ObjectMapper json = new ObjectMapper();
  /**
   * How many conversations are handled at once. Handling waits as much as it computes (the group commit, a
   * {@code views.open} or {@code users.info} call): with 8, a busy desk queued work while the CPU had room.
   */
  static final int HANDLERS = 32;
  /**
   * Inbox entries are handled here: in arrival order within a conversation ({@link SupportDesk#conversationOf}),
   * conversations side by side, so a slow one (a knowledge-base search, a users.info call) delays only itself.
   */
  private final ConversationLanes lanes = new ConversationLanes(HANDLERS, "slack-handler");
  /** The raw body of the event being handled: Bolt runs middleware and handler on one thread. */
  private final ThreadLocal<String> eventBody = new ThreadLocal<>();
  /** Inbox entries queued on the lanes and not yet finished: a second delivery of one is not queued again. */
  private final Set<Long> queued = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicLong inboxFailures = new java.util.concurrent.atomic.AtomicLong();

  /**
   * Builds the Bolt app. Bolt calls {@code auth.test} with the bot token here, so {@code slack}
   * must already point at the Web API to use.
   *
   * @param homeTeam the team id of the installing workspace: channels are bound to organizations there
   */
  public SlackAdapter(SlackSettings settings, Slack slack, String homeTeam, SupportDesk desk, DirectoryStore directory,
      Function<String, Optional<SupportPolicy>> policies, SlackChatGateway gateway, SlackMessageStore messages,
      InboxStore inbox, Clock clock) {
    this(settings, slack, homeTeam, desk, directory, policies, gateway, messages, inbox, clock, DeskLink.standalone());
  }

  /**
   * Like the constructor above, linked into a process that may run other adapters on the same desk:
   * the desk's messages for other platforms go to {@code link}'s router, handled inbounds are reported
   * to its metrics, and the desk's timers are fired here only if {@link DeskLink#firesTimers()} (held
   * status updates are always sent from here).
   */
  public SlackAdapter(SlackSettings settings, Slack slack, String homeTeam, SupportDesk desk, DirectoryStore directory,
      Function<String, Optional<SupportPolicy>> policies, SlackChatGateway gateway, SlackMessageStore messages,
      InboxStore inbox, Clock clock, DeskLink link) {
    this(settings, boltApp(settings, slack), slack, homeTeam, desk, directory, policies, gateway, messages, inbox, clock,
        link);
  }

  /**
   * Bolt's app for {@code settings}, without handlers yet: it needs no desk, so a start builds it beside the
   * database open. Our own verifier runs in front ({@link SlackHttpEndpoint}); Socket Mode needs none.
   * Bolt's self-event check would call bots.info before the acknowledgement for any event with a bot_id
   * and no user (a hung or refused call delayed or failed the ack): said() ignores the bot's own messages
   * from the payload instead. The auth.test answer is kept for the process's life, so no acknowledgement
   * waits on it either. Requests no handler takes (message subtypes the subscriptions deliver but the
   * desk does not read) are acknowledged, so Slack does not retry them.
   */
  static App boltApp(SlackSettings settings, Slack slack) {
    return new App(AppConfig.builder().singleTeamBotToken(settings.botToken()).signingSecret(settings.signingSecret())
        .slack(slack).requestVerificationEnabled(false).ignoringSelfEventsEnabled(false)
        .authTestCacheExpirationMillis(-1).unmatchedRequestHandler(SlackAdapter::unmatched).build());
  }

  /** Like the constructor above, on a Bolt app made by {@link #boltApp} (the handlers are registered here). */
  SlackAdapter(SlackSettings settings, App app, Slack slack, String homeTeam, SupportDesk desk,
      DirectoryStore directory, Function<String, Optional<SupportPolicy>> policies, SlackChatGateway gateway,
      SlackMessageStore messages, InboxStore inbox, Clock clock, DeskLink link) {
    Objects.requireNonNull(settings, "settings");
    this.app = Objects.requireNonNull(app, "app");
    this.inbox = Objects.requireNonNull(inbox, "inbox");
    this.link = Objects.requireNonNull(link, "link");
    Objects.requireNonNull(slack, "slack");
    this.homeTeam = Objects.requireNonNull(homeTeam, "homeTeam");
    this.desk = Objects.requireNonNull(desk, "desk");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.policies = Objects.requireNonNull(policies, "policies");
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    this.messages = Objects.requireNonNull(messages, "messages");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.api = slack.methods(settings.botToken());
    this.fileOnReaction = settings.fileOnReaction();
    this.teams = new SlackUserTeams(api, homeTeam, USERS_INFO_TIMEOUT, clock);
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "slack-desk");
      t.setDaemon(true);
      return t;
    });
    pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.worker = pool;
    register();
    link.router().register(PLATFORM, this::deliverLater);
    worker.scheduleWithFixedDelay(this::tickNow, settings.tickEvery().toMillis(), settings.tickEvery().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** The Bolt app, for an HTTP endpoint or Socket Mode to run. */
  public App app() {
    return app;
  }

  public SlackChatGateway gateway() {
    return gateway;
  }

  /** Requests not acknowledged because their inbox write failed (Slack retries them). */
  public long inboxFailures() {
    return inboxFailures.get();
  }

  /** Fires the desk's due timers and sends held status updates, on the desk's executor. */
  public void tick() {
    worker.execute(this::tickNow);
  }

  /** Waits until everything submitted so far has been handled, and its calls to Slack made. */
  public void awaitIdle(java.time.Duration timeout) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!lanes.awaitIdle(timeout)) {
      throw new TimeoutException("the desk's handlers were still busy after " + timeout);
    }
    try {
      worker.submit(() -> { }).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the desk's executor failed", e.getCause());
    }
    gateway.awaitIdle(java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  /**
   * Stops taking work; what is queued finishes first, then posts and updates held by Slack's rate
   * limits are sent as their time comes, for up to {@link #CLOSE_GRACE}, so nothing in flight is lost
   * to a restart. What still waits after that (a long {@code Retry-After}) is kept in memory only: its
   * number is logged.
   */
  @Override
  public void close() {
    close(CLOSE_GRACE);
  }

  /** How long {@link #close()} keeps sending what Slack's rate limits hold back. */
  public static final java.time.Duration CLOSE_GRACE = java.time.Duration.ofSeconds(10);

  /**
   * Like {@link #close()}, waiting at most {@code grace} of real time for held posts and updates; the
   * pace itself follows the adapter's clock. {@code Duration.ZERO} sends only what is due now.
   */
  public void close(java.time.Duration grace) {
    lanes.close(java.time.Duration.ofSeconds(30)); // the inbounds under way and queued are handled first
    try {
      worker.execute(() -> drainHeld(grace));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("slack: the adapter was already closed");
    }
    worker.shutdown();
    try {
      if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("slack: the desk's executor did not finish within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    gateway.close(grace);
    if (gateway.held() > 0 || gateway.postsHeld() > 0) {
      LOG.warn("slack: closed with {} status update(s) and {} post(s) still waiting for Slack's rate limits; they stay"
          + " in the outbox and are sent after the next start", gateway.held(), gateway.postsHeld());
    }
  }

  /**
   * Sends what is due, then what the rate limits release as the adapter's clock moves on, until
   * nothing is held or {@code grace} of real time has passed. A clock that stands still (a driven
   * clock nobody moves) releases nothing, so the wait ends after {@link #STOPPED_CLOCK} without a tick.
   */
  private void drainHeld(java.time.Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    gateway.flushDue();
    Instant seen = clock.instant();
    long moved = System.nanoTime();
    while ((gateway.held() > 0 || gateway.postsHeld() > 0) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(DRAIN_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      gateway.flushDue();
      Instant now = clock.instant();
      if (!now.equals(seen)) {
        seen = now;
        moved = System.nanoTime();
      } else if (System.nanoTime() - moved > STOPPED_CLOCK.toNanos()) {
        return;
      }
    }
  }

  private static final java.time.Duration DRAIN_POLL = java.time.Duration.ofMillis(50);
  private static final java.time.Duration STOPPED_CLOCK = java.time.Duration.ofSeconds(1);

  /** Messages of the desk from elsewhere (timers, other platforms' inbounds), sent in order on the desk's executor. */
  private void deliverLater(List<Delivery> out) {
    try {
      worker.execute(() -> deliver(out));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.warn("slack: the adapter is closed; {} message(s) stay in the outbox", out.size());
      out.forEach(d -> d.notTried("slack adapter closed"));
    }
  }

  /** Hands deliveries to the gateway; if it breaks midway, those it did not report are reported failed. */
  private void deliver(List<Delivery> out) {
    try {
      gateway.deliver(out);
    } catch (RuntimeException e) {
      out.stream().filter(d -> !d.reported()).forEach(d -> d.failed(e.getClass().getSimpleName()));
      throw e;
    }
  }

  private void tickNow() {
    try {
      if (link.firesTimers()) {
        deliver(link.router().keep(PLATFORM, desk.tickTracked()));
      }
      gateway.flushDue();
    } catch (RuntimeException e) {
      LOG.error("slack: a timer tick failed", e);
    }
    takeOver();
  }

  /** How many entries of a dead instance one tick takes over at most. */
  private static final int TAKE_OVER_PAGE = 500;

  /**
   * On a database several instances share: queues the inbox entries another instance acknowledged and did
   * not handle before its lease lapsed (it died), as a start queues its own; renews this instance's leases.
   */
  private void takeOver() {
    try {
      List<InboxStore.Pending> taken = inbox.takeOver(PLATFORM, TAKE_OVER_PAGE);
      if (!taken.isEmpty()) {
        LOG.info("slack: took over {} inbox entr{} another instance left unhandled", taken.size(),
            taken.size() == 1 ? "y" : "ies");
      }
      taken.forEach(this::queue);
    } catch (RuntimeException e) {
      LOG.error("slack: taking over the inbox entries of other instances failed ({}); trying again at the next tick",
          e.getClass().getSimpleName());
    }
  }

  // ---- translation ----------------------------------------------------------------------------

  /**
   * A slash command's text as typed: Slack sends {@code &}, {@code <} and {@code >} escaped, and with
   * the manifest's {@code should_escape: true} (for /support and /assign) a mention as
   * {@code <@U123|name>}, which the desk reads as the person.
   */
  static String unescape(String text) {
    return text == null ? "" : text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  private void register() {
    app.command(Pattern.compile("^/.+$"), (req, ctx) -> {
      SlashCommandPayload p = req.getPayload();
      Identity person = person(p.getTeamId(), p.getUserId());
      String name = p.getCommand().startsWith("/") ? p.getCommand().substring(1) : p.getCommand();
      Inbound in = new Inbound("slack:trigger:" + p.getTriggerId(), person, place(p.getChannelId(), ""),
          p.getChannelId().startsWith("D"), clock.instant(), Optional.empty(), new Inbound.Command(name, unescape(p.getText())));
      return accept(in, name.equalsIgnoreCase("support") ? Optional.of(new ModalAsk(p.getTriggerId(), p.getChannelId(),
          "", Map.of())) : Optional.empty(), Optional.empty()) ? ctx.ack() : unavailable();
    });
    app.blockAction(Pattern.compile("^.+$"), (req, ctx) -> {
      BlockActionPayload p = req.getPayload();
      if (p.getActions() == null || p.getActions().isEmpty() || p.getChannel() == null) {
        return ctx.ack();
      }
      BlockActionPayload.Action a = p.getActions().get(0);
      String value = a.getSelectedOption() != null ? a.getSelectedOption().getValue() : a.getValue();
      String channel = p.getChannel().getId();
      BlockActionPayload.Container c = p.getContainer();
      String thread = c == null ? "" : threadName(channel, c.getThreadTs(), c.getMessageTs());
      Identity person = person(p.getUser().getTeamId(), p.getUser().getId());
      Optional<MessageRef> ref = c == null || c.getMessageTs() == null || c.isEphemeral()
          ? Optional.empty() : Optional.of(new MessageRef(PLATFORM, channel, c.getMessageTs()));
      return accept(new Inbound("slack:action:" + nonBlank(p.getTriggerId(), a.getActionTs()), person,
          place(channel, thread), channel.startsWith("D"), clock.instant(), ref,
          new Inbound.Picked(SlackRenderer.actionId(a.getActionId()), value)), Optional.empty(), Optional.empty())
          ? ctx.ack() : unavailable();
    });
    app.viewSubmission(SlackIntakeModal.CALLBACK, (req, ctx) -> {
      ViewSubmissionPayload p = req.getPayload();
      Optional<SlackIntakeModal.Origin> origin = modal.origin(p.getView().getPrivateMetadata());
      Optional<SupportPolicy> policy = origin.flatMap(o -> policyOf(o.channel()));
      if (origin.isEmpty() || policy.isEmpty()) {
        return ctx.ack();
      }
      SlackIntakeModal.Origin o = origin.get();
      Identity person = person(p.getUser().getTeamId(), p.getUser().getId());
      Map<String, String> values = modal.values(policy.get(), p.getView().getState().getValues());
      return accept(new Inbound("slack:view:" + p.getView().getId(), person, place(o.channel(), ""), false,
          clock.instant(), o.messageTs().isEmpty() ? Optional.empty()
              : Optional.of(new MessageRef(PLATFORM, o.channel(), o.messageTs())),
          new Inbound.Submitted(SlackIntakeModal.CALLBACK, values)), Optional.empty(), Optional.empty())
          ? ctx.ack() : unavailable();
    });
    app.viewClosed(SlackIntakeModal.CALLBACK, (req, ctx) -> {
      ViewClosedPayload p = req.getPayload();
      Optional<SlackIntakeModal.Origin> origin = modal.origin(p.getView().getPrivateMetadata());
      if (origin.isEmpty()) {
        return ctx.ack();
      }
      return accept(new Inbound("slack:view-closed:" + p.getView().getId(),
          person(p.getUser().getTeamId(), p.getUser().getId()),
          place(origin.get().channel(), ""), false, clock.instant(), Optional.empty(),
          new Inbound.Picked(Intake.CANCEL, "")), Optional.empty(), Optional.empty()) ? ctx.ack() : unavailable();
    });
    app.messageShortcut(FILE_AS_INCIDENT, (req, ctx) -> {
      MessageShortcutPayload p = req.getPayload();
      String channel = p.getChannel().getId();
      String ts = p.getMessage().getTs();
      Identity person = person(p.getUser().getTeamId(), p.getUser().getId());
      String text = p.getMessage().getText() == null ? "" : p.getMessage().getText();
      // the message's author: the desk files for them when an engineer used the shortcut (no modal then)
      Identity author = p.getMessage().getUser() == null ? person
          : person(nonBlank(p.getMessage().getTeam(), ""), p.getMessage().getUser());
      return accept(new Inbound("slack:trigger:" + p.getTriggerId(), person, place(channel, ""),
          channel.startsWith("D"), clock.instant(), Optional.of(new MessageRef(PLATFORM, channel, ts)),
          new Inbound.FileMessage(author, text)),
          Optional.of(new ModalAsk(p.getTriggerId(), channel, ts, Map.of("description", text))), Optional.empty())
          ? ctx.ack() : unavailable();
    });
    // Bolt's MessageEvent has no user_team, which Slack Connect needs: the raw body is read instead
    app.use((req, resp, chain) -> {
      if (req instanceof EventRequest e) {
        eventBody.set(e.getRequestBodyAsString());
        if (self.userId().isEmpty() && req.getContext().getBotUserId() != null) {
          self = new Self(req.getContext().getBotUserId(), nonBlank(req.getContext().getBotId(), ""));
        }
      }
      try {
        return chain.next(req);
      } finally {
        eventBody.remove();
      }
    });
    app.event(MessageEvent.class, (req, ctx) -> heard(eventBody.get()) ? ctx.ack() : unavailable());
    app.event(ReactionAddedEvent.class, (req, ctx) -> reacted(req.getEventId(), req.getEvent()) ? ctx.ack() : unavailable());
    app.event(MessageThreadBroadcastEvent.class, (req, ctx) -> heard(eventBody.get()) ? ctx.ack() : unavailable());
    app.event(MessageFileShareEvent.class, (req, ctx) -> heard(eventBody.get()) ? ctx.ack() : unavailable());
    // every other delivery (edits, deletions, bots' and system messages) is acknowledged by unmatched()
  }

  /** A message heard: the desk's inbound and the mark it moves (the channel, or the thread, and the message's ts). */
  record Heard(Inbound inbound, Optional<InboxStore.Seen> seen) {
    Heard {
      Objects.requireNonNull(inbound, "inbound");
      Objects.requireNonNull(seen, "seen");
    }
  }

  /** Puts a message event in the inbox; true when there is nothing to put or it was written. */
  private boolean heard(String body) {
    Optional<Heard> h = said(body);
    return h.isEmpty() || accept(h.get().inbound(), Optional.empty(), h.get().seen());
  }

  /** A message event as the desk's {@link Inbound.Said}; empty for bots, edits and system messages. */
  Optional<Heard> said(String body) {
    if (body == null) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (IOException e) {
      LOG.warn("slack: an event_callback body is not JSON; ignored");
      return Optional.empty();
    }
    JsonNode e = root.path("event");
    return message(e, e.path("channel").asText(""), "im".equals(e.path("channel_type").asText("")),
        root.path("event_id").asText(""));
  }

  /**
   * A message (from an event, or read back from the history) as the desk's {@link Inbound.Said}, keyed by
   * its channel and ts, so that the live event and the same message read back from the history are one
   * inbound; empty for bots, edits and system messages.
   */
  private Optional<Heard> message(JsonNode e, String channel, boolean im, String eventId) {
    String subtype = e.path("subtype").asText("");
    String user = e.path("user").asText("");
    String ts = e.path("ts").asText("");
    Self me = self;
    boolean ours = user.equals(me.userId()) || !me.botId().isEmpty() && me.botId().equals(e.path("bot_id").asText(""));
    if (user.isEmpty() || ours || e.hasNonNull("bot_id") || !SAID_SUBTYPES.contains(subtype) || channel.isEmpty()
        || (ts.isEmpty() && eventId.isEmpty())) {
      return Optional.empty(); // ours (by user id or bot id), another bot's, or not a person speaking
    }
    // thread_broadcast and file_share in Slack Connect may carry neither: then users.info says, when processed
    String team = nonBlank(e.path("user_team").asText(""), e.path("team").asText(""));
    String threadTs = e.path("thread_ts").asText("");
    if (!ts.isEmpty() && !SlackRequestShape.TS.matcher(ts).matches()
        || !threadTs.isEmpty() && !SlackRequestShape.TS.matcher(threadTs).matches()) {
      // the HTTP endpoint answers these 400; over Socket Mode they reach here and are dropped
      LOG.warn("slack: a message in the inbox's way has an unreadable ts or thread_ts; ignored");
      return Optional.empty();
    }
    if (threadTs.equals(ts)) {
      threadTs = ""; // a thread's parent as the history lists it: a message in the channel, as its event said
    }
    String thread = threadName(channel, threadTs, null);
    Instant at = ts.isEmpty() ? clock.instant() : instant(ts);
    String key = ts.isEmpty() ? "slack:event:" + eventId : messageKey(channel, ts);
    Optional<InboxStore.Seen> seen = ts.isEmpty() ? Optional.empty() : Optional.of(new InboxStore.Seen(PLATFORM,
        threadTs.isEmpty() ? channel : channel + "/" + threadTs, ts));
    return Optional.of(new Heard(new Inbound(key, person(team, user), place(channel, thread), im, at,
        ts.isEmpty() ? Optional.empty() : Optional.of(new MessageRef(PLATFORM, channel, ts)),
        new Inbound.Said(e.path("text").asText(""))), seen));
  }

  /**
   * A reaction: the settings' {@code file_on_reaction} emoji on a message files it, as the message
   * shortcut does (an engineer's on behalf of the author); any other reaction is acknowledged and
   * ignored. The event carries no text and no teams: the message is read and the teams are asked
   * of Slack after the acknowledgement ({@link #withMessageText}, {@link SlackUserTeams}).
   */
  private boolean reacted(String eventId, ReactionAddedEvent e) {
    if (fileOnReaction.isEmpty() || !fileOnReaction.get().equals(e.getReaction()) || e.getItem() == null
        || !"message".equals(e.getItem().getType()) || e.getUser() == null || e.getItemUser() == null
        || e.getItem().getChannel() == null || e.getItem().getTs() == null || e.getUser().equals(self.userId())) {
      return true;
    }
    String channel = e.getItem().getChannel();
    return accept(new Inbound("slack:reaction:" + eventId, person("", e.getUser()), place(channel, ""),
        channel.startsWith("D"), clock.instant(), Optional.of(new MessageRef(PLATFORM, channel, e.getItem().getTs())),
        new Inbound.FileMessage(person("", e.getItemUser()), "")), Optional.empty(), Optional.empty());
  }

  /**
   * A message filed by its reaction, with its text read from Slack ({@code conversations.replies}
   * on its ts answers the message itself); when Slack does not answer, the text stays empty and the
   * intake asks for the description.
   */
  private Inbound withMessageText(Inbound in) {
    if (!(in.input() instanceof Inbound.FileMessage m) || !m.text().isEmpty() || in.message().isEmpty()
        || !in.key().startsWith("slack:reaction:")) {
      return in;
    }
    MessageRef ref = in.message().get();
    try {
      ConversationsRepliesResponse r = api.conversationsReplies(q -> q.channel(ref.channel()).ts(ref.messageId()).limit(1));
      if (r.isOk() && r.getMessages() != null) {
        for (Message message : r.getMessages()) {
          if (ref.messageId().equals(message.getTs()) && message.getText() != null) {
            return new Inbound(in.key(), in.person(), in.place(), in.direct(), in.at(), in.message(),
                new Inbound.FileMessage(m.author(), message.getText()));
          }
        }
      }
      LOG.warn("slack: the reacted message {} in {} was not found ({}); filing without its text", ref.messageId(),
          ref.channel(), r.isOk() ? "no such message" : r.getError());
    } catch (IOException | SlackApiException e) {
      LOG.warn("slack: reading the reacted message {} in {} failed ({}); filing without its text", ref.messageId(),
          ref.channel(), e.getClass().getSimpleName());
    }
    return in;
  }

  /** A person of the team the payload gives; without one {@link SlackUserTeams#UNKNOWN}, asked of Slack later. */
  private static Identity person(String teamId, String userId) {
    return new Identity(PLATFORM, nonBlank(teamId, SlackUserTeams.UNKNOWN), userId);
  }

  /** The bot's own ids as auth.test gave them ({@code botId} may be empty). */
  private record Self(String userId, String botId) {}

  /** Bolt's answer to a request no handler takes: Slack's, well-formed (the endpoint checked), of no use here. */
  private static com.slack.api.bolt.response.Response unmatched(com.slack.api.bolt.request.Request<?> req) {
    LOG.debug("slack: acknowledged a {} request no handler takes", req.getRequestType());
    return com.slack.api.bolt.response.Response.ok();
  }

  /** The idempotency key of a Slack message: its channel and ts, the same for its event and its history entry. */
  static String messageKey(String channel, String ts) {
    return "slack:message:" + channel + ":" + ts;
  }

  /** The case thread a Slack thread is, by its root's ts; the raw ts when it is no case's. */
  private String threadName(String channel, String threadTs, String messageTs) {
    if (threadTs != null && !threadTs.isBlank()) {
      return messages.threadAt(homeTeam, channel, threadTs).orElse(threadTs);
    }
    if (messageTs != null && !messageTs.isBlank()) {
      return messages.threadAt(homeTeam, channel, messageTs).orElse("");
    }
    return "";
  }

  private ChatPlace place(String channel, String thread) {
    return new ChatPlace(PLATFORM, homeTeam, channel, thread);
  }

  private Optional<SupportPolicy> policyOf(String channel) {
    return directory.organizationByChannel(PLATFORM, homeTeam, channel).map(Organization::policyId)
        .flatMap(policies);
  }

  /** A modal to open once the desk has started an intake; kept beside its inbox entry as JSON. */
  record ModalAsk(String triggerId, String channel, String messageTs, Map<String, String> prefill) {
    ModalAsk {
      Objects.requireNonNull(triggerId, "triggerId");
      Objects.requireNonNull(channel, "channel");
      messageTs = messageTs == null ? "" : messageTs;
      prefill = prefill == null ? Map.of() : Map.copyOf(prefill);
    }
  }

  /** The answer that makes Slack retry a delivery whose inbox write failed. */
  private static Response unavailable() {
    return Response.builder().statusCode(503).contentType("application/json; charset=utf-8")
        .body("{\"error\":\"the support desk could not store this request; retry later\"}").build();
  }

  /**
   * Writes {@code in} to the inbox, synchronously on the request's thread, then queues its handling; a
   * key already in the inbox is queued again only if it is still pending and not queued (a retry after a
   * failure). Returns false when the write failed: the request must not be acknowledged.
   */
  private boolean accept(Inbound in, Optional<ModalAsk> modalAsk, Optional<InboxStore.Seen> seen) {
    InboxStore.Added added;
    try {
      added = inbox.add(in, modalAsk.map(this::writeAsk), seen);
    } catch (RuntimeException e) {
      inboxFailures.incrementAndGet();
      LOG.error("slack: could not write {} to the inbox ({}); answering 503 so that Slack retries", in.key(),
          e.getClass().getSimpleName());
      return false;
    }
    if (!added.pending()) {
      LOG.debug("slack: {} was delivered again; no second effect", in.key());
      return true;
    }
    queue(new InboxStore.Pending(added.id(), in, modalAsk.map(this::writeAsk), 0));
    return true;
  }

  /** Queues a pending entry's handling on its conversation's lane, unless it is queued already. */
  private void queue(InboxStore.Pending entry) {
    if (!queued.add(entry.id())) {
      return;
    }
    try {
      lanes.execute(SupportDesk.conversationOf(entry.inbound()), () -> process(entry));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      queued.remove(entry.id());
      LOG.info("slack: closing; {} stays in the inbox for the next start", entry.inbound().key());
    }
  }

  /**
   * Handles an inbox entry (on its conversation's lane, or read back at start) and marks it done. The desk ignores a key it has handled, so an
   * entry handled before a crash but not yet marked done has no second effect. A failure leaves the entry
   * pending for Slack's retry or the next start, up to {@link #MAX_ATTEMPTS}.
   *
   * <p>On a database several instances share, the entry is handled only when it is its conversation's turn
   * ({@link InboxStore#takeTurn}): an earlier entry of the conversation another instance holds goes first, and
   * that instance hands this one on when done. Once done here, the conversation's next entry, if handed on to
   * this instance, is queued on the lane.
   */
  private void process(InboxStore.Pending entry) {
    long started = System.nanoTime();
    List<InboxStore.Pending> next = List.of();
    Inbound in = entry.inbound();
    try {
      if (!inbox.takeTurn(entry)) {
        LOG.debug("slack: {} waits for an earlier entry of its conversation", entry.inbound().key());
        return;
      }
      // a workspace the payload did not give, and a reacted message's text, asked of Slack after the ack
      in = withMessageText(teams.resolve(entry.inbound()));
      List<Delivery> out = desk.handleTracked(in);
      Optional<ModalAsk> modalAsk = entry.extra().flatMap(this::readAsk);
      if (modalAsk.isPresent()) {
        out = openModal(in, modalAsk.get(), out);
      }
      deliver(link.router().keep(PLATFORM, out));
      next = inbox.handOn(entry.id(), clock.instant());
      link.metrics().handled(PLATFORM, in, true, java.time.Duration.ofNanos(System.nanoTime() - started));
    } catch (RuntimeException e) {
      LOG.error("slack: handling {} failed", in.key(), e);
      link.metrics().handled(PLATFORM, in, false, java.time.Duration.ofNanos(System.nanoTime() - started));
      giveUpAfterAttempts(entry);
    } finally {
      queued.remove(entry.id());
    }
    next.forEach(this::queue);
  }

  private void giveUpAfterAttempts(InboxStore.Pending entry) {
    try {
      int attempts = inbox.failed(entry.id());
      if (attempts >= MAX_ATTEMPTS) {
        LOG.error("slack: gave up on {} after {} failed attempts", entry.inbound().key(), attempts);
        inbox.done(entry.id(), clock.instant());
      }
    } catch (RuntimeException e) {
      LOG.error("slack: could not record the failure of {} in the inbox ({})", entry.inbound().key(),
          e.getClass().getSimpleName());
    }
  }

  private String writeAsk(ModalAsk ask) {
    try {
      return json.writeValueAsString(ask);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a modal request as JSON", e);
    }
  }

  private Optional<ModalAsk> readAsk(String extra) {
    try {
      return Optional.of(json.readValue(extra, ModalAsk.class));
    } catch (IOException e) {
      LOG.warn("slack: a stored modal request is unreadable ({}); the intake goes on as questions",
          e.getClass().getSimpleName());
      return Optional.empty();
    }
  }

  // ---- start: the inbox, then the history missed while down ------------------------------------

  /**
   * What a start owes: queues every entry still pending in the inbox (acknowledged before a stop but not
   * handled), in order, then reads back the history missed while the bot was down. Call once, before the
   * endpoint takes requests; the work runs on the executor, ahead of new requests.
   */
  public void recover() {
    int pruned = inbox.prune(clock.instant().minus(InboxStore.KEEP_DONE));
    LOG.debug("slack: pruned {} inbox entries done more than {} ago", pruned, InboxStore.KEEP_DONE);
    for (InboxStore.Pending p : inbox.pending(PLATFORM, Integer.MAX_VALUE)) {
      if (p.attempts() >= MAX_ATTEMPTS) {
        LOG.error("slack: gave up on {} after {} failed attempts", p.inbound().key(), p.attempts());
        inbox.done(p.id(), clock.instant());
      } else {
        queue(p);
      }
    }
    worker.execute(this::backfill);
  }

  /**
   * Reads back what people said while the bot was down: in each bound channel of the installing workspace
   * after the last message seen there ({@code conversations.history}), and in each open case's thread after
   * the last reply seen there, or after its root ({@code conversations.replies}); at most
   * {@link #HISTORY_PAGES} pages per place. Each message goes through the inbox under the same key as its live
   * event, so a message seen both ways has one effect. A channel never seen is marked at this start's instant
   * and read from there after the next one.
   */
  private void backfill() {
    try {
      readBackAll();
    } catch (RuntimeException e) {
      LOG.error("slack: reading back the history missed while down failed", e);
    }
  }

  private void readBackAll() {
    int read = 0;
    for (InboxStore.Bound b : inbox.boundChannels(PLATFORM)) {
      if (!b.workspace().equals(homeTeam)) {
        continue;
      }
      Optional<String> mark = inbox.lastSeen(PLATFORM, b.channel());
      if (mark.isPresent()) {
        read += readBack(b.channel(), Optional.empty(), mark.get());
      } else {
        // never seen: nothing before this start is read back, everything after it will be
        inbox.seen(new InboxStore.Seen(PLATFORM, b.channel(), ts(clock.instant())));
      }
    }
    for (InboxStore.OpenCase c : inbox.openCases(PLATFORM)) {
      if (!c.workspace().equals(homeTeam)) {
        continue;
      }
      Optional<SlackMessageStore.Posted> root = messages.find(homeTeam, "thread:" + c.thread());
      if (root.isEmpty()) {
        continue;
      }
      String place = root.get().channel() + "/" + root.get().ts();
      read += readBack(root.get().channel(), Optional.of(root.get().ts()),
          inbox.lastSeen(PLATFORM, place).orElse(root.get().ts()));
    }
    if (read > 0) {
      LOG.info("slack: read back {} message(s) posted while the bot was down", read);
    }
  }

  /** Reads one channel's (or thread's) messages after {@code oldest}, oldest first, into the inbox; returns how many. */
  private int readBack(String channel, Optional<String> threadTs, String oldest) {
    List<Message> found = new ArrayList<>();
    String cursor = null;
    try {
      for (int page = 0; page < HISTORY_PAGES; page++) {
        String c = cursor;
        List<Message> got;
        String next;
        if (threadTs.isPresent()) {
          ConversationsRepliesResponse r = api.conversationsReplies(q -> q.channel(channel).ts(threadTs.get())
              .oldest(oldest).limit(HISTORY_PAGE).cursor(c));
          if (!r.isOk()) {
            LOG.warn("slack: reading back the thread {} in {} failed: {}", threadTs.get(), channel, r.getError());
            break;
          }
          got = r.getMessages();
          next = r.getResponseMetadata() == null ? null : r.getResponseMetadata().getNextCursor();
        } else {
          ConversationsHistoryResponse r = api.conversationsHistory(q -> q.channel(channel).oldest(oldest)
              .limit(HISTORY_PAGE).cursor(c));
          if (!r.isOk()) {
            LOG.warn("slack: reading back the channel {} failed: {}", channel, r.getError());
            break;
          }
          got = r.getMessages();
          next = r.getResponseMetadata() == null ? null : r.getResponseMetadata().getNextCursor();
        }
        if (got != null) {
          found.addAll(got);
        }
        if (next == null || next.isBlank()) {
          break;
        }
        cursor = next;
        if (page == HISTORY_PAGES - 1) {
          LOG.warn("slack: more than {} pages missed in {}; older messages are not read back", HISTORY_PAGES, channel);
        }
      }
    } catch (IOException | SlackApiException e) {
      LOG.warn("slack: reading back {} failed ({})", channel, e.getClass().getSimpleName());
    }
    List<Heard> heard = new ArrayList<>();
    for (Message m : found) {
      // the replies always start with the thread's root; oldest is exclusive, but is checked here too
      if (m.getTs() == null || !InboxStore.Seen.later(m.getTs(), oldest)) {
        continue;
      }
      JsonNode node;
      try {
        node = json.readTree(GsonFactory.createSnakeCase().toJson(m));
      } catch (IOException e) {
        continue;
      }
      message(node, channel, false, "").ifPresent(heard::add);
    }
    heard.sort(java.util.Comparator.comparing((Heard h) -> h.inbound().message().orElseThrow().messageId(),
        (a, b) -> InboxStore.Seen.later(a, b) ? 1 : a.equals(b) ? 0 : -1));
    for (Heard h : heard) {
      // on the executor already: handled here, in order, before the requests that arrived meanwhile
      InboxStore.Added added = inbox.add(h.inbound(), Optional.empty(), h.seen());
      if (added.pending() && queued.add(added.id())) {
        process(new InboxStore.Pending(added.id(), h.inbound(), Optional.empty(), 0));
      }
    }
    return heard.size();
  }

  /**
   * Opens the intake modal when the desk started (or resumed) an intake for this person; the
   * intake's ephemeral questions are then left out, since the modal asks them. When Slack refuses
   * the modal they are sent, and the intake goes on in the channel. The questions the modal asks
   * count as delivered.
   */
  private List<Delivery> openModal(Inbound in, ModalAsk ask, List<Delivery> out) {
    boolean intake = out.stream().map(Delivery::message)
        .anyMatch(o -> o.kind() == Outbound.Kind.INTAKE && o.onlyFor().equals(Optional.of(in.person())));
    Optional<SupportPolicy> policy = policyOf(ask.channel());
    if (!intake || policy.isEmpty()) {
      return out;
    }
    String view = modal.view(policy.get(), new SlackIntakeModal.Origin(homeTeam, ask.channel(), ask.messageTs()),
        ask.prefill());
    if (!gateway.openView(ask.triggerId(), view)) {
      return out;
    }
    List<Delivery> rest = new ArrayList<>();
    for (Delivery d : out) {
      Outbound o = d.message();
      boolean question = (o.kind() == Outbound.Kind.INTAKE || o.kind() == Outbound.Kind.SUGGESTIONS)
          && o.onlyFor().equals(Optional.of(in.person()));
      if (question) {
        d.sent();
      } else {
        rest.add(d);
      }
    }
    return rest;
  }

  /** A Slack ts for an instant, microseconds after the dot as Slack writes them. */
  static String ts(Instant at) {
    return at.getEpochSecond() + "." + String.format("%06d", at.getNano() / 1_000);
  }

  private static Instant instant(String ts) {
    BigDecimal seconds = new BigDecimal(ts);
    return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
  }

  private static String nonBlank(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
