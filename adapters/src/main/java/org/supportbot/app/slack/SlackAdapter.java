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
import com.slack.api.model.event.MessageEvent;
import com.slack.api.model.event.MessageFileShareEvent;
import com.slack.api.model.event.MessageThreadBroadcastEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
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
import org.supportbot.core.chat.SupportDesk;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.DirectoryStore;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.MessageRef;
import org.supportbot.core.intake.Intake;
import org.supportbot.core.outbox.Delivery;

/**
 * The desk in Slack, on Bolt for Java. Translates slash commands, button clicks, modal
 * submissions, the "File as incident" message shortcut and messages into the desk's
 * {@link Inbound}s; acknowledges at once and does the desk's work on one executor, in arrival
 * order, sending the results through {@link SlackChatGateway}.
 *
 * <ul>
 *   <li>{@code /support} starts the intake and opens it as a modal; if Slack refuses the modal the
 *       intake goes on as ephemeral questions in the channel.
 *   <li>Every inbound is keyed by Slack's own id (the event id, or the interaction's trigger id),
 *       so a retried delivery ({@code X-Slack-Retry-Num}) or a duplicate has no second effect.
 *   <li>In a Slack Connect channel a person keeps their own team id: the identity's workspace is the
 *       author's team ({@code user_team}, {@code team} or {@code user.team_id}), while the place is in
 *       the installing workspace. Where the payload names no team ({@code thread_broadcast} and
 *       {@code file_share} events, the message shortcut's user) the translation leaves it
 *       {@link SlackUserTeams#UNKNOWN} and {@link SlackUserTeams} asks {@code users.info} when the
 *       inbound is processed, after the acknowledgement (cached; on failure the installing workspace).
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
  private static final int RECENT_KEYS = 10_000;
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
  private final ObjectMapper json = new ObjectMapper();
  /** Modal answers waiting for the person's verdict on suggestions, by channel and person; desk thread only. */
  private final Map<String, Map<String, String>> pendingForms = new java.util.HashMap<>();
  /** The raw body of the event being handled: Bolt runs middleware and handler on one thread. */
  private final ThreadLocal<String> eventBody = new ThreadLocal<>();
  private final Set<String> recent = Collections.newSetFromMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > RECENT_KEYS;
    }
  });

  /**
   * Builds the Bolt app. Bolt calls {@code auth.test} with the bot token here, so {@code slack}
   * must already point at the Web API to use.
   *
   * @param homeTeam the team id of the installing workspace: channels are bound to organizations there
   */
  public SlackAdapter(SlackSettings settings, Slack slack, String homeTeam, SupportDesk desk, DirectoryStore directory,
      Function<String, Optional<SupportPolicy>> policies, SlackChatGateway gateway, SlackMessageStore messages,
      Clock clock) {
    this(settings, slack, homeTeam, desk, directory, policies, gateway, messages, clock, DeskLink.standalone());
  }

  /**
   * Like the constructor above, linked into a process that may run other adapters on the same desk:
   * the desk's messages for other platforms go to {@code link}'s router, handled inbounds are reported
   * to its metrics, and the desk's timers are fired here only if {@link DeskLink#firesTimers()} (held
   * status updates are always sent from here).
   */
  public SlackAdapter(SlackSettings settings, Slack slack, String homeTeam, SupportDesk desk, DirectoryStore directory,
      Function<String, Optional<SupportPolicy>> policies, SlackChatGateway gateway, SlackMessageStore messages,
      Clock clock, DeskLink link) {
    Objects.requireNonNull(settings, "settings");
    this.link = Objects.requireNonNull(link, "link");
    Objects.requireNonNull(slack, "slack");
    this.homeTeam = Objects.requireNonNull(homeTeam, "homeTeam");
    this.desk = Objects.requireNonNull(desk, "desk");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.policies = Objects.requireNonNull(policies, "policies");
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    this.messages = Objects.requireNonNull(messages, "messages");
    this.clock = Objects.requireNonNull(clock, "clock");
    // Our own verifier runs in front (SlackHttpEndpoint); Socket Mode needs none.
    // Bolt's self-event check would call bots.info before the acknowledgement for any event with a
    // bot_id and no user (a hung or refused call delayed or failed the ack): said() ignores the bot's
    // own messages from the payload instead. The auth.test answer is kept for the process's life, so
    // no acknowledgement waits on it either. Requests no handler takes (message subtypes the
    // subscriptions deliver but the desk does not read) are acknowledged, so Slack does not retry them.
    this.app = new App(AppConfig.builder().singleTeamBotToken(settings.botToken()).signingSecret(settings.signingSecret())
        .slack(slack).requestVerificationEnabled(false).ignoringSelfEventsEnabled(false)
        .authTestCacheExpirationMillis(-1).unmatchedRequestHandler(SlackAdapter::unmatched).build());
    this.teams = new SlackUserTeams(slack.methods(settings.botToken()), homeTeam, USERS_INFO_TIMEOUT, clock);
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

  /** Fires the desk's due timers and sends held status updates, on the desk's executor. */
  public void tick() {
    worker.execute(this::tickNow);
  }

  /** Waits until everything submitted so far has been handled, and its calls to Slack made. */
  public void awaitIdle(java.time.Duration timeout) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      worker.submit(() -> { }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
  }

  // ---- translation ----------------------------------------------------------------------------

  private void register() {
    app.command(Pattern.compile("^/.+$"), (req, ctx) -> {
      SlashCommandPayload p = req.getPayload();
      Identity person = person(p.getTeamId(), p.getUserId());
      String name = p.getCommand().startsWith("/") ? p.getCommand().substring(1) : p.getCommand();
      Inbound in = new Inbound("slack:trigger:" + p.getTriggerId(), person, place(p.getChannelId(), ""),
          p.getChannelId().startsWith("D"), clock.instant(), Optional.empty(), new Inbound.Command(name, p.getText()));
      submit(in, name.equalsIgnoreCase("support") ? Optional.of(new ModalAsk(p.getTriggerId(), p.getChannelId(), "",
          Map.of())) : Optional.empty());
      return ctx.ack();
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
      submit(new Inbound("slack:action:" + nonBlank(p.getTriggerId(), a.getActionTs()), person, place(channel, thread),
          channel.startsWith("D"), clock.instant(), ref,
          new Inbound.Picked(SlackRenderer.actionId(a.getActionId()), value)), Optional.empty());
      return ctx.ack();
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
      submit(new Inbound("slack:view:" + p.getView().getId(), person, place(o.channel(), ""), false, clock.instant(),
          o.messageTs().isEmpty() ? Optional.empty() : Optional.of(new MessageRef(PLATFORM, o.channel(), o.messageTs())),
          new Inbound.Submitted(SlackIntakeModal.CALLBACK, values)), Optional.empty());
      return ctx.ack();
    });
    app.viewClosed(SlackIntakeModal.CALLBACK, (req, ctx) -> {
      ViewClosedPayload p = req.getPayload();
      modal.origin(p.getView().getPrivateMetadata()).ifPresent(o -> submit(new Inbound(
          "slack:view-closed:" + p.getView().getId(),
          person(p.getUser().getTeamId(), p.getUser().getId()),
          place(o.channel(), ""), false, clock.instant(), Optional.empty(), new Inbound.Picked(Intake.CANCEL, "")),
          Optional.empty()));
      return ctx.ack();
    });
    app.messageShortcut(FILE_AS_INCIDENT, (req, ctx) -> {
      MessageShortcutPayload p = req.getPayload();
      String channel = p.getChannel().getId();
      String ts = p.getMessage().getTs();
      Identity person = person(p.getUser().getTeamId(), p.getUser().getId());
      String text = p.getMessage().getText() == null ? "" : p.getMessage().getText();
      submit(new Inbound("slack:trigger:" + p.getTriggerId(), person, place(channel, ""), channel.startsWith("D"),
          clock.instant(), Optional.of(new MessageRef(PLATFORM, channel, ts)), new Inbound.Command("support", "")),
          Optional.of(new ModalAsk(p.getTriggerId(), channel, ts, Map.of("description", text))));
      return ctx.ack();
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
    app.event(MessageEvent.class, (req, ctx) -> {
      said(eventBody.get()).ifPresent(in -> submit(in, Optional.empty()));
      return ctx.ack();
    });
    app.event(MessageThreadBroadcastEvent.class, (req, ctx) -> {
      said(eventBody.get()).ifPresent(in -> submit(in, Optional.empty()));
      return ctx.ack();
    });
    app.event(MessageFileShareEvent.class, (req, ctx) -> {
      said(eventBody.get()).ifPresent(in -> submit(in, Optional.empty()));
      return ctx.ack();
    });
    // every other delivery (edits, deletions, bots' and system messages) is acknowledged by unmatched()
  }

  /** A message event as the desk's {@link Inbound.Said}; empty for bots, edits and system messages. */
  Optional<Inbound> said(String body) {
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
    String subtype = e.path("subtype").asText("");
    String user = e.path("user").asText("");
    Self me = self;
    boolean ours = user.equals(me.userId()) || !me.botId().isEmpty() && me.botId().equals(e.path("bot_id").asText(""));
    if (user.isEmpty() || ours || e.hasNonNull("bot_id") || !SAID_SUBTYPES.contains(subtype)
        || root.path("event_id").asText("").isEmpty()) {
      return Optional.empty(); // ours (by user id or bot id), another bot's, or not a person speaking
    }
    String channel = e.path("channel").asText("");
    // thread_broadcast and file_share in Slack Connect may carry neither: then users.info says, when processed
    String team = nonBlank(e.path("user_team").asText(""), e.path("team").asText(""));
    String ts = e.path("ts").asText("");
    String threadTs = e.path("thread_ts").asText("");
    if (!ts.isEmpty() && !SlackRequestShape.TS.matcher(ts).matches()
        || !threadTs.isEmpty() && !SlackRequestShape.TS.matcher(threadTs).matches()) {
      // the HTTP endpoint answers these 400; over Socket Mode they reach here and are dropped
      LOG.warn("slack: event {} has an unreadable ts or thread_ts; ignored", root.path("event_id").asText());
      return Optional.empty();
    }
    String thread = threadName(channel, threadTs, null);
    Instant at = ts.isEmpty() ? clock.instant() : instant(ts);
    return Optional.of(new Inbound("slack:event:" + root.path("event_id").asText(), person(team, user),
        place(channel, thread), "im".equals(e.path("channel_type").asText("")), at,
        ts.isEmpty() ? Optional.empty() : Optional.of(new MessageRef(PLATFORM, channel, ts)),
        new Inbound.Said(e.path("text").asText(""))));
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

  /** A modal to open once the desk has started an intake. */
  private record ModalAsk(String triggerId, String channel, String messageTs, Map<String, String> prefill) {}

  private void submit(Inbound received, Optional<ModalAsk> modalAsk) {
    synchronized (recent) {
      if (!recent.add(received.key())) {
        LOG.debug("slack: {} was delivered again; no second effect", received.key());
        return;
      }
    }
    worker.execute(() -> {
      long started = System.nanoTime();
      Inbound in = teams.resolve(received); // a workspace the payload did not give, asked of Slack after the ack
      try {
        List<Delivery> out = desk.handleTracked(in);
        if (modalAsk.isPresent()) {
          out = openModal(in, modalAsk.get(), out);
        }
        deliver(link.router().keep(PLATFORM, resumeForm(in, out)));
        link.metrics().handled(PLATFORM, in, true, java.time.Duration.ofNanos(System.nanoTime() - started));
      } catch (RuntimeException e) {
        // forget the key so that Slack's retry of the same delivery can try again
        synchronized (recent) {
          recent.remove(in.key());
        }
        LOG.error("slack: handling {} failed", in.key(), e);
        link.metrics().handled(PLATFORM, in, false, java.time.Duration.ofNanos(System.nanoTime() - started));
      }
    });
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

  /**
   * The knowledge base may stop a submitted modal at the description with suggestions; the
   * modal's other answers are kept until the person decides. "Still need help" then hands them to
   * the desk again, which answers the remaining questions from them and files the case; any other
   * choice drops them. Kept in memory only: after a restart the intake goes on question by question.
   */
  private List<Delivery> resumeForm(Inbound in, List<Delivery> out) {
    String who = in.place().channel() + " " + in.person();
    Optional<Identity> person = Optional.of(in.person());
    switch (in.input()) {
      case Inbound.Submitted f -> {
        if (out.stream().map(Delivery::message)
            .anyMatch(o -> o.kind() == Outbound.Kind.SUGGESTIONS && o.onlyFor().equals(person))) {
          pendingForms.put(who, f.values());
        }
        return out;
      }
      case Inbound.Picked p -> {
        Map<String, String> form = pendingForms.remove(who);
        if (form == null || !p.action().equals(Intake.CONTINUE)) {
          return out;
        }
        List<Delivery> rest = new ArrayList<>();
        for (Delivery d : out) {
          if (d.message().kind() == Outbound.Kind.INTAKE && d.message().onlyFor().equals(person)) {
            d.sent(); // the form answers the question
          } else {
            rest.add(d);
          }
        }
        rest.addAll(desk.handleTracked(new Inbound(in.key() + ":form", in.person(), new ChatPlace(PLATFORM, homeTeam,
            in.place().channel(), ""), false, in.at(), in.message(), new Inbound.Submitted(SlackIntakeModal.CALLBACK,
            form))));
        return rest;
      }
      case Inbound.Command c -> {
        return out;
      }
      case Inbound.Said s -> {
        return out;
      }
    }
  }

  private static Instant instant(String ts) {
    BigDecimal seconds = new BigDecimal(ts);
    return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
  }

  private static String nonBlank(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
