package org.supportbot.app.discord;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.components.label.Label;
import net.dv8tion.jda.api.components.textinput.TextInput;
import net.dv8tion.jda.api.components.textinput.TextInputStyle;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.MessageHistory;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.entities.channel.Channel;
import net.dv8tion.jda.api.entities.channel.concrete.PrivateChannel;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.GuildMessageChannel;
import net.dv8tion.jda.api.events.interaction.ModalInteractionEvent;
import net.dv8tion.jda.api.entities.MessageType;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.MessageContextInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.UserContextInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.events.message.react.MessageReactionAddEvent;
import net.dv8tion.jda.api.events.session.ShutdownEvent;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.callbacks.IMessageEditCallback;
import net.dv8tion.jda.api.interactions.callbacks.IReplyCallback;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.CommandData;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.modals.Modal;
import net.dv8tion.jda.api.requests.CloseCode;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.sharding.DefaultShardManagerBuilder;
import net.dv8tion.jda.api.sharding.ShardManager;
import net.dv8tion.jda.api.sharding.ThreadPoolProvider;
import net.dv8tion.jda.api.entities.channel.attribute.IGuildChannelContainer;
import net.dv8tion.jda.api.utils.SessionController;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.supportbot.app.platform.DeskLink;
import org.supportbot.app.platform.LaneWorkers;
import org.supportbot.core.chat.CommandParser;
import org.supportbot.core.chat.SupportDesk;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.inbox.InboxStore;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.MessageRef;
import org.supportbot.core.intake.Intake;
import org.supportbot.core.outbox.Delivery;
import org.supportbot.core.outbox.Outbox;

/**
 * The desk on Discord. Connects through JDA with the least it needs (see
 * {@link DiscordSettings#intents()}), replaces the global slash-command set on start, turns slash
 * commands, button presses and modal submissions into {@link Inbound}s keyed by the interaction id,
 * and posts what the desk says: replies meant only for the person who acted as ephemeral follow-ups
 * of the interaction, everything else through the REST API. Each case gets one thread, created on
 * first use; its status message is edited in place.
 *
 * <p>Every interaction is acknowledged at once ({@code deferReply}/{@code deferEdit}, except a
 * button that opens a modal, which must be the first response), so the desk's work may take longer
 * than Discord's 3-second limit; the answers go through the interaction hook, valid for 15 minutes.
 * Listeners run on virtual threads, never on the gateway thread.
 *
 * <p>Every interaction and every message typed in a case thread is written to the durable {@link InboxStore}
 * before it is acknowledged, handled from there and marked done; a write that fails is answered with an
 * ephemeral "try again". At start, what is still in the inbox is handled first; then (with thread replies
 * on) the messages typed in open case threads while the bot was down are read back
 * ({@code GET channels/{id}/messages?after=}) and handled once, keyed by their message id as live, several
 * threads at a time beside the live traffic ({@link ThreadReadBack}): new interactions are answered meanwhile,
 * and a message typed live in a thread not yet read back waits for that thread only.
 *
 * <p>Each message is a {@link Delivery} of the desk's outbox, reported sent once Discord accepted
 * it. One Discord refused is reported failed, and so are the messages after it for the same place
 * in that batch, unsent: the outbox hands them out again, in order, after its backoff. No call is repeated
 * blindly (JDA's retry of a timed-out request and OkHttp's retry after a broken connection are off): a
 * message whose answer was lost is sent again with its nonce, which Discord answers with the message it made,
 * and an interaction follow-up, which has none, is said at most once ({@link #followUp}).
 */
public final class DiscordAdapter extends ListenerAdapter implements AutoCloseable {
  /** What a start without a token says: the variable and where the token is found. */
  public static final String MISSING_TOKEN = "DISCORD_TOKEN is not set; copy the bot token from the Developer Portal"
      + " (Applications > your app > Bot > Reset Token) into the DISCORD_TOKEN environment variable";


  private static final Logger log = LoggerFactory.getLogger(DiscordAdapter.class);
  /**
   * What the bot needs in the support, triage and escalation channels. Mentioning a role that is not
   * "mentionable" needs Mention Everyone too; make the on-call role mentionable instead.
   */
  public static final Set<Permission> PERMISSIONS = Collections.unmodifiableSet(EnumSet.of(Permission.VIEW_CHANNEL,
      Permission.MESSAGE_SEND, Permission.MESSAGE_SEND_IN_THREADS, Permission.CREATE_PUBLIC_THREADS,
      Permission.MESSAGE_EMBED_LINKS));

  /**
   * What the bot needs when it reads replies typed in case threads ({@link DiscordSettings#readThreadReplies()}):
   * {@link #PERMISSIONS} and Read Message History, without which Discord answers the read-back of a thread's
   * messages after a restart with nothing.
   */
  public static final Set<Permission> THREAD_REPLY_PERMISSIONS = Collections.unmodifiableSet(EnumSet.of(
      Permission.VIEW_CHANNEL, Permission.MESSAGE_SEND, Permission.MESSAGE_SEND_IN_THREADS,
      Permission.CREATE_PUBLIC_THREADS, Permission.MESSAGE_EMBED_LINKS, Permission.MESSAGE_HISTORY));

  /** The URL that adds the bot to a server with the commands scope and {@link #PERMISSIONS}. */
  public static String inviteUrl(String applicationId) {
    return "https://discord.com/oauth2/authorize?client_id=" + applicationId + "&scope=bot+applications.commands"
        + "&permissions=" + Permission.getRaw(PERMISSIONS);
  }

  /** The slash-command option that carries everything after the command name. */
  static final String TEXT_OPTION = "text";

  /** Handling an inbound that failed this often is given up (logged by key), so that it cannot block a start. */
  static final int MAX_ATTEMPTS = 3;
  /** Pages of a thread's history read at start, {@link #HISTORY_PAGE} messages each (Discord's maximum). */
  static final int HISTORY_PAGES = 5;
  static final int HISTORY_PAGE = 100;

  private final SupportDesk desk;
  private final InboxStore inbox;
  /** Inbox entries being handled: a second delivery of one is not handled again meanwhile. */
  private final Set<Long> running = ConcurrentHashMap.newKeySet();
  /**
   * The last message seen in each open case's thread, read before connecting: a message the gateway delivers
   * live while the start reads the history back moves the stored mark past what was typed while the bot was
   * down, so the read-back starts from these.
   */
  private final Map<String, Optional<String>> seenBeforeConnecting = new ConcurrentHashMap<>();
  /** The open cases by their thread's id, as found before connecting: the threads the start reads back. */
  private final Map<String, InboxStore.OpenCase> openThreads = new ConcurrentHashMap<>();
  /** The read-back of the open case threads, beside the live traffic (nothing to read until the marks are taken). */
  private volatile ThreadReadBack readBack = new ThreadReadBack(List.of());
  /** Released once what the inbox held at start is handled; live inbounds wait for it (not for the read-back). */
  private final CountDownLatch recovered = new CountDownLatch(1);
  private final DiscordRefs refs;
  private final DiscordRenderer renderer = new DiscordRenderer();
  private final Clock clock;
  private final DiscordSettings settings;
  private final DeskLink link;
  private final ScheduledExecutorService ticker;
  /** Where posts run: one lane per channel (or person), off the desk's and the interactions' threads. */
  private final LaneWorkers lanes = LaneWorkers.pooled("discord", LaneWorkers.DEFAULT_MAX_CALLS);
  private final Map<String, ThreadChannel> created = new ConcurrentHashMap<>();
  /** Direct-message channels by user id; opening one is a REST call, so it is done once per person. */
  private final Map<String, PrivateChannel> directChannels = new ConcurrentHashMap<>();
  private final Object threads = new Object();
  /** Case threads of other instances' servers checked in this process (usable, not locked): not asked again. */
  private final Set<String> checkedElsewhere = ConcurrentHashMap.newKeySet();
  /**
   * Each person's latest interaction per channel, by the lane of the replies only they see there
   * ({@link Outbox#lane}): a reply the outbox hands out later (after a failed attempt, or held behind one)
   * goes through its hook, ephemeral in the channel, while the hook is valid (15 minutes), not as a direct
   * message, where the intake's buttons do not work.
   */
  private final Map<String, Via> hooks = new ConcurrentHashMap<>();
  private final AtomicLong handled = new AtomicLong();
  private final AtomicLong platformErrors = new AtomicLong();
  private final AtomicLong followUpsUnanswered = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean closing;
  /** The connection; with shards, the first shard this instance connects (its REST calls serve any server). */
  private volatile JDA jda;
  /** With {@link DiscordSettings#shards()}: JDA's shard manager holding this instance's shards; null without. */
  private volatile ShardManager shardManager;
  private volatile CloseCode closeCode;
  /** Released when JDA reports its shutdown (on the event pool, so after awaitReady may have returned). */
  private final CountDownLatch shutDown = new CountDownLatch(1);

  private DiscordAdapter(SupportDesk desk, DiscordRefs refs, InboxStore inbox, Clock clock, DiscordSettings settings,
      DeskLink link) {
    this.link = Objects.requireNonNull(link, "link");
    this.inbox = Objects.requireNonNull(inbox, "inbox");
    this.desk = Objects.requireNonNull(desk, "desk");
    this.refs = Objects.requireNonNull(refs, "refs");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("discord-ticker").daemon()
        .factory());
  }

  /**
   * Logs in, waits until the gateway is ready, registers the slash commands and starts firing the
   * desk's timers every {@link DiscordSettings#tickEvery()}.
   *
   * @throws DiscordStartException with a one-line reason and its fix when the token is missing or
   *     rejected, an intent is not enabled, or the bot may not register commands
   */
  public static DiscordAdapter start(String token, SupportDesk desk, DiscordRefs refs, Clock clock,
      DiscordSettings settings) throws DiscordStartException {
    return start(token, desk, refs, clock, settings, DeskLink.standalone());
  }

  /**
   * Like {@link #start(String, SupportDesk, DiscordRefs, Clock, DiscordSettings)}, linked into a process
   * that may run other adapters on the same desk: messages for other platforms go to {@code link}'s
   * router, handled interactions and rate limits are reported to its metrics, and the desk's timers are
   * fired here only if {@link DeskLink#firesTimers()}.
   */
  public static DiscordAdapter start(String token, SupportDesk desk, DiscordRefs refs, Clock clock,
      DiscordSettings settings, DeskLink link) throws DiscordStartException {
    return start(token, desk, refs, refs.inbox(clock), clock, settings, link);
  }

  /**
   * Like {@link #start(String, SupportDesk, DiscordRefs, Clock, DiscordSettings, DeskLink)}, with the inbox
   * that inbounds are written to before they are acknowledged. Before returning, handles what the inbox
   * still holds and starts reading back, beside the live traffic, what was typed in open case threads while
   * the bot was down.
   */
  public static DiscordAdapter start(String token, SupportDesk desk, DiscordRefs refs, InboxStore inbox, Clock clock,
      DiscordSettings settings, DeskLink link) throws DiscordStartException {
    if (token == null || token.isBlank()) {
      throw new DiscordStartException(MISSING_TOKEN, null);
    }
    DiscordAdapter adapter = new DiscordAdapter(desk, refs, inbox, clock, settings, link);
    if (settings.readThreadReplies()) {
      adapter.rememberMarks();
    }
    if (settings.shards().isPresent()) {
      connectShards(adapter, token, settings, link);
    } else {
      connect(adapter, token, settings, link);
    }
    adapter.recover();
    link.router().register(DiscordRenderer.PLATFORM, adapter::deliverLater);
    long every = settings.tickEvery().toMillis();
    adapter.ticker.scheduleWithFixedDelay(adapter::tickSafely, every, every, TimeUnit.MILLISECONDS);
    log.info("Discord adapter ready as {} with intents {}{}", adapter.jda.getSelfUser().getName(), settings.intents(),
        settings.shards().map(sh -> ", shards " + sh.thisInstance() + " of " + sh.total()).orElse(""));
    return adapter;
  }

  /** One gateway connection for every server: JDA itself, as without {@code discord.shards}. */
  private static void connect(DiscordAdapter adapter, String token, DiscordSettings settings, DeskLink link)
      throws DiscordStartException {
    JDABuilder builder = JDABuilder.createLight(token.strip(), settings.intents())
        .setEventPool(Executors.newVirtualThreadPerTaskExecutor(), true)
        .setHttpClientBuilder(RateLimitCounter.httpClient(link.metrics(), settings.requestTimeout()))
        // a call that timed out may have been carried out: the adapter decides what to do, JDA does not repeat it
        .setRequestTimeoutRetry(false)
        .addEventListeners(adapter);
    settings.restBaseUrl().ifPresent(url -> builder.setRestConfig(new RestConfig().setBaseUrl(url.toString())));
    settings.gatewayUrl().ifPresent(url -> builder
        .setSessionController(new SessionControllerAdapter() {
          @Override
          public String getGateway() {
            return url.toString();
          }
        })
        .setCompression(Compression.NONE));
    adapter.jda = adapter.connecting(settings, builder::build);
    try {
      adapter.jda.awaitReady();
      adapter.jda.updateCommands().addCommands(allCommands()).complete();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      adapter.close();
      throw new DiscordStartException("interrupted while connecting to Discord", e);
    } catch (IllegalStateException e) {
      adapter.awaitShutdownEvent();
      CloseCode code = adapter.closeCode;
      adapter.close();
      throw new DiscordStartException(code == CloseCode.DISALLOWED_INTENTS
          ? "Discord refused the Message Content intent; enable it in the Developer Portal (Bot > Privileged Gateway"
              + " Intents > Message Content) or turn off reading thread replies"
          : "the Discord gateway closed the connection while logging in" + (code == null ? "" : " (" + code + ")"), e);
    } catch (ErrorResponseException e) {
      adapter.close();
      throw new DiscordStartException(e.getErrorResponse() == ErrorResponse.MISSING_ACCESS
          ? "Discord refused to register the slash commands (Missing Access); invite the bot with the"
              + " applications.commands scope (see the invite URL in the README)"
          : "registering the slash commands failed: " + e.getMeaning(), e);
    }
  }

  /**
   * This instance's shards of the bot's gateway ({@code discord.shards}), through JDA's shard manager: it asks
   * {@code GET gateway/bot} where the gateway is, then identifies each shard with {@code [id, total]}, so that
   * Discord sends each shard the events of its servers only. Returns once every shard is ready.
   */
  /** Builds the connection (one, or the shard manager); a rejected token or an unreachable Discord is one line. */
  private <T> T connecting(DiscordSettings settings, java.util.function.Supplier<T> build) throws DiscordStartException {
    try {
      return build.get();
    } catch (InvalidTokenException e) {
      ticker.shutdownNow();
      throw new DiscordStartException("Discord rejected the token in DISCORD_TOKEN (401 Unauthorized); reset it in the"
          + " Developer Portal (Bot > Reset Token) and set the new one", e);
    } catch (ErrorResponseException e) {
      ticker.shutdownNow();
      throw new DiscordStartException(unreachable(settings, e), e);
    }
  }

  private static void connectShards(DiscordAdapter adapter, String token, DiscordSettings settings, DeskLink link)
      throws DiscordStartException {
    org.supportbot.config.settings.BotSettings.Shards shards = settings.shards().orElseThrow();
    DefaultShardManagerBuilder builder = DefaultShardManagerBuilder.createLight(token.strip(), settings.intents())
        .setShardsTotal(shards.total())
        .setShards(shards.thisInstance())
        .setEventPoolProvider(new ThreadPoolProvider<>() {
          @Override
          public java.util.concurrent.ExecutorService provide(int shardId) {
            return Executors.newVirtualThreadPerTaskExecutor();
          }

          @Override
          public boolean shouldShutdownAutomatically(int shardId) {
            return true;
          }
        })
        .setHttpClientBuilder(RateLimitCounter.httpClient(link.metrics(), settings.requestTimeout()))
        // a call that timed out may have been carried out: the adapter decides what to do, JDA does not repeat it
        .setRequestTimeoutRetry(false)
        .addEventListeners(adapter);
    settings.restBaseUrl().ifPresent(url -> builder.setRestConfig(new RestConfig().setBaseUrl(url.toString())));
    settings.gatewayUrl().ifPresent(url -> builder
        .setSessionController(new SessionControllerAdapter() {
          @Override
          public String getGateway() {
            return url.toString();
          }

          @Override
          public SessionController.ShardedGateway getShardedGateway(JDA api) {
            SessionController.ShardedGateway asked = super.getShardedGateway(api);
            return new SessionController.ShardedGateway(url.toString(), asked.getShardTotal(), asked.getConcurrency());
          }
        })
        .setCompression(Compression.NONE));
    adapter.shardManager = adapter.connecting(settings, builder::build);
    try {
      for (int id : shards.thisInstance()) {
        JDA shard;
        // the manager builds the first shard at once and the others one after another on its own thread
        while ((shard = adapter.shardManager.getShardById(id)) == null) {
          if (adapter.shutDown.getCount() == 0) {
            throw new IllegalStateException("a shard shut down while the others were connecting");
          }
          Thread.sleep(20);
        }
        shard.awaitReady();
      }
      adapter.jda = adapter.shardManager.getShardById(shards.thisInstance().getFirst());
      adapter.jda.updateCommands().addCommands(allCommands()).complete();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      adapter.close();
      throw new DiscordStartException("interrupted while connecting to Discord", e);
    } catch (IllegalStateException e) {
      adapter.awaitShutdownEvent();
      CloseCode code = adapter.closeCode;
      adapter.close();
      throw new DiscordStartException(code == CloseCode.DISALLOWED_INTENTS
          ? "Discord refused the Message Content intent; enable it in the Developer Portal (Bot > Privileged Gateway"
              + " Intents > Message Content) or turn off reading thread replies"
          : code == CloseCode.INVALID_SHARD || code == CloseCode.SHARDING_REQUIRED
              ? "Discord refused the shards " + shards.thisInstance() + " of " + shards.total() + " (" + code.name()
                  + "); set"
                  + " discord.shards.total to what the bot needs (Discord asks for one shard per 2,500 servers at"
                  + " most) on every instance"
              : "the Discord gateway closed the connection while logging in" + (code == null ? "" : " (" + code + ")"), e);
    } catch (ErrorResponseException e) {
      adapter.close();
      throw new DiscordStartException(e.getErrorResponse() == ErrorResponse.MISSING_ACCESS
          ? "Discord refused to register the slash commands (Missing Access); invite the bot with the"
              + " applications.commands scope (see the invite URL in the README)"
          : "registering the slash commands failed: " + e.getMeaning(), e);
    }
  }

  /** Why logging in failed before Discord answered (no network, a proxy, a wrong {@code rest_url}), with the fix. */
  private static String unreachable(DiscordSettings settings, ErrorResponseException e) {
    String where = settings.restBaseUrl().map(u -> "Discord's API at " + u).orElse("Discord's API");
    if (!(e.getCause() instanceof java.io.IOException)) {
      return where + " answered the login with an error (" + e.getMeaning() + "); check Discord's status page and"
          + " start again";
    }
    return "cannot reach " + where + " to log in (" + e.getCause().getClass().getSimpleName() + "); check the network"
        + " and proxy settings"
        + (settings.restBaseUrl().isPresent() ? ", or discord.rest_url" : "");
  }

  /** The desk's slash commands, one per command the desk understands, each taking the rest as text. */
  static List<SlashCommandData> commands() {
    List<SlashCommandData> out = new ArrayList<>();
    CommandParser.USAGE.forEach((name, usage) -> {
      // usage reads "/name [arguments] - description"
      int dash = usage.indexOf(" - ");
      String description = DiscordRenderer.truncate(usage.substring(dash + 3), 100);
      String syntax = usage.substring(0, dash).substring(name.length() + 1).strip();
      SlashCommandData command = Commands.slash(name, description).setContexts(InteractionContextType.GUILD);
      if (!syntax.isEmpty()) {
        command.addOption(OptionType.STRING, TEXT_OPTION, DiscordRenderer.truncate(syntax, 100), false);
      }
      out.add(command);
    });
    return out;
  }

  /** The message context-menu command that files the message as a case, as Slack's message shortcut does. */
  public static final String FILE_AS_INCIDENT = "File as incident";

  /** Every command registered on start: the slash commands, then the message command "File as incident". */
  static List<CommandData> allCommands() {
    List<CommandData> out = new ArrayList<>(commands());
    out.add(Commands.message(FILE_AS_INCIDENT).setContexts(InteractionContextType.GUILD));
    return out;
  }

  /** The connection, for tests and for shutdown hooks. */
  public JDA jda() {
    return jda;
  }

  /** Inbounds handled since start. */
  public long handled() {
    return handled.get();
  }

  /** Messages Discord refused (after JDA's own retries of rate limits and server errors). */
  public long platformErrors() {
    return platformErrors.get();
  }

  /** Whether the gateway connection is up (JDA's status is CONNECTED), for the health check. */
  public boolean connected() {
    ShardManager m = shardManager;
    if (m != null) {
      List<JDA> shards = m.getShards();
      return !closing && shards.size() == settings.shards().orElseThrow().thisInstance().size()
          && shards.stream().allMatch(s -> s.getStatus() == JDA.Status.CONNECTED);
    }
    JDA j = jda;
    return j != null && !closing && j.getStatus() == JDA.Status.CONNECTED;
  }

  /** Where cached channels are looked up: every shard this instance connects, or the one connection. */
  private IGuildChannelContainer<Channel> cache() {
    ShardManager m = shardManager;
    return m != null ? m : jda;
  }

  /** The connection that holds the server {@code guild} (with shards, its shard; it must be one of ours). */
  private JDA connectionOf(String guild) {
    ShardManager m = shardManager;
    if (m == null) {
      return jda;
    }
    try {
      JDA shard = m.getShardById(settings.shards().orElseThrow().shardOf(Long.parseUnsignedLong(guild)));
      return shard != null ? shard : jda;
    } catch (NumberFormatException e) {
      return jda;
    }
  }

  /** Interactions and messages being handled right now. */
  int inFlight() {
    return inFlight.get();
  }

  /** Whether closing has begun (new interactions are asked to retry). */
  boolean closing() {
    return closing;
  }

  /** Messages of the desk from elsewhere (timers, other platforms' inbounds), queued on their lanes. */
  private void deliverLater(List<Delivery> out) {
    deliver(out, null);
  }

  /** Queues {@code task} on a lane's worker, as a post would be (for tests that hold a lane). */
  void runInLane(String lane, Runnable task) {
    lanes.run(lane, task);
  }

  /** Waits until no lane has a post queued or under way (for tests). */
  void awaitIdle(Duration timeout) throws InterruptedException, java.util.concurrent.TimeoutException {
    lanes.awaitIdle(timeout);
  }

  /** Fires the desk's due timers now and queues what they say on its lanes ({@link #awaitIdle} waits for the posts). */
  public void tick() {
    deliver(desk.tickTracked(), null);
  }

  /** Fires the timers when this adapter is the one that does, and takes over what other instances left. */
  private void tickSafely() {
    try {
      if (link.firesTimers()) {
        tick();
      }
    } catch (RuntimeException e) {
      log.error("firing the desk's timers failed", e);
    }
    try {
      // on a database several instances share: what another instance acknowledged and did not handle; a
      // takeover gives the first pending entry of each conversation, so take again until none is left
      for (List<InboxStore.Pending> taken; !(taken = inbox.takeOver(DiscordRenderer.PLATFORM, 500)).isEmpty(); ) {
        for (InboxStore.Pending p : taken) {
          run(new InboxStore.Added(p.id(), false, true), p.inbound(), null, false);
        }
      }
    } catch (RuntimeException e) {
      log.error("taking over the inbox entries of other instances failed ({})", e.getClass().getSimpleName());
    }
  }

  // ---- interactions ---------------------------------------------------------------------------

  /** The interaction being answered: who acted and the hook for ephemeral follow-ups. */
  private static final class Via {
    final Identity actor;
    final InteractionHook hook;
    /** When the interaction came, by the desk's clock. */
    final java.time.Instant at;
    boolean answered;

    Via(Identity actor, InteractionHook hook, java.time.Instant at) {
      this.actor = actor;
      this.hook = hook;
      this.at = at;
    }
  }

  @Override
  public void onSlashCommandInteraction(SlashCommandInteractionEvent e) {
    if (refusedWhileClosing(e)) {
      return;
    }
    try {
      slash(e);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void slash(SlashCommandInteractionEvent e) {
    Guild guild = e.getGuild();
    if (guild == null) {
      e.reply("Please use the desk's commands in your organization's support channel.").setEphemeral(true).queue();
      return;
    }
    String text = Objects.requireNonNullElse(e.getOption(TEXT_OPTION, OptionMapping::getAsString), "");
    Inbound in = inbound(e.getId(), guild.getId(), e.getUser(), e.getChannel(), Optional.empty(),
        new Inbound.Command(e.getName(), text));
    storeThenDefer(e, in);
  }

  /**
   * "File as incident" on a message: starts /support with the message's text as what is wrong, keyed by the
   * interaction, the message remembered as where it came from.
   */
  @Override
  public void onMessageContextInteraction(MessageContextInteractionEvent e) {
    if (refusedWhileClosing(e)) {
      return;
    }
    try {
      fileMessage(e);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void fileMessage(MessageContextInteractionEvent e) {
    Guild guild = e.getGuild();
    if (!FILE_AS_INCIDENT.equals(e.getName())) {
      e.reply(UNKNOWN_COMMAND).setEphemeral(true).queue();
      return;
    }
    if (guild == null || e.getChannel() == null) {
      e.reply("Please use the desk's commands in your organization's support channel.").setEphemeral(true).queue();
      return;
    }
    Message target = e.getTarget();
    Inbound in = inbound(e.getId(), guild.getId(), e.getUser(), e.getChannel(),
        Optional.of(new MessageRef(DiscordRenderer.PLATFORM, e.getChannel().getId(), target.getId())),
        new Inbound.FileMessage(new Identity(DiscordRenderer.PLATFORM, guild.getId(), target.getAuthor().getId()),
            said(target)));
    storeThenDefer(e, in);
  }

  /** What a person is told for a command the desk does not register (a stale registration, another app's name). */
  static final String UNKNOWN_COMMAND = "This is not a command of the support desk; type / to see its commands.";

  /** No option of the desk asks for completion; a request for it (a stale registration) gets no choices. */
  @Override
  public void onCommandAutoCompleteInteraction(CommandAutoCompleteInteractionEvent e) {
    e.replyChoices(List.of()).queue();
  }

  /** The desk registers no user command; one that arrives anyway (a stale registration) is answered, not left to fail. */
  @Override
  public void onUserContextInteraction(UserContextInteractionEvent e) {
    e.reply(UNKNOWN_COMMAND).setEphemeral(true).queue();
  }

  @Override
  public void onButtonInteraction(ButtonInteractionEvent e) {
    if (refusedWhileClosing(e)) {
      return;
    }
    try {
      button(e);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void button(ButtonInteractionEvent e) {
    Guild guild = e.getGuild();
    if (guild == null) {
      e.reply("This button only works in a server.").setEphemeral(true).queue();
      return;
    }
    String id = e.getComponentId();
    if (id.startsWith(DiscordRenderer.FORM)) {
      e.replyModal(answerForm(id)).queue();
      return;
    }
    Inbound in = inbound(e.getId(), guild.getId(), e.getUser(), e.getChannel(),
        Optional.of(new MessageRef(DiscordRenderer.PLATFORM, e.getChannelId(), e.getMessageId())),
        DiscordRenderer.picked(id));
    storeThenEdit(e, in);
  }

  @Override
  public void onModalInteraction(ModalInteractionEvent e) {
    if (refusedWhileClosing(e)) {
      return;
    }
    try {
      modal(e);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void modal(ModalInteractionEvent e) {
    Guild guild = e.getGuild();
    if (guild == null) {
      e.reply("This form only works in a server.").setEphemeral(true).queue();
      return;
    }
    Inbound.Input input;
    if (e.getModalId().startsWith(DiscordRenderer.FORM) && e.getValue(DiscordRenderer.ANSWER_INPUT) != null) {
      input = new Inbound.Picked(Intake.ANSWER, e.getValue(DiscordRenderer.ANSWER_INPUT).getAsString());
    } else {
      Map<String, String> values = new LinkedHashMap<>();
      e.getValues().forEach(v -> values.put(v.getCustomId(), v.getAsString()));
      input = new Inbound.Submitted(e.getModalId(), values);
    }
    Inbound in = inbound(e.getId(), guild.getId(), e.getUser(), e.getChannel(), Optional.empty(), input);
    storeThenEdit(e, in);
  }

  /**
   * Stores the inbound of a command, then acknowledges it with an ephemeral deferred reply and handles it;
   * when it cannot be stored the person is told to try again and nothing is done. A deferred reply the desk
   * said nothing into is deleted.
   */
  private void storeThenDefer(IReplyCallback e, Inbound in) {
    Optional<InboxStore.Added> stored = store(in, Optional.empty());
    if (stored.isEmpty()) {
      e.reply(NOT_STORED).setEphemeral(true).queue();
      return;
    }
    e.deferReply(true).queue();
    Via via = remember(in, new Via(in.person(), e.getHook(), in.at()));
    run(stored.get(), in, via, true);
    if (!via.answered) {
      e.getHook().deleteOriginal().queue(null, failure -> log.debug("deleting the deferred reply failed: {}",
          failure.getMessage()));
    }
  }

  /**
   * Stores the inbound of a button press or form, then acknowledges it with a deferred edit and handles it;
   * when it cannot be stored the person is told to try again and nothing is done.
   */
  private <E extends IReplyCallback & IMessageEditCallback> void storeThenEdit(E e, Inbound in) {
    Optional<InboxStore.Added> stored = store(in, Optional.empty());
    if (stored.isEmpty()) {
      e.reply(NOT_STORED).setEphemeral(true).queue();
      return;
    }
    e.deferEdit().queue();
    run(stored.get(), in, remember(in, new Via(in.person(), e.getHook(), in.at())), true);
  }

  /**
   * How long after an interaction its hook is used for replies handed out later: Discord keeps it 15 minutes;
   * the margin leaves time for the post itself.
   */
  static final Duration HOOK_USABLE = Duration.ofMinutes(14);

  /** Whether a remembered interaction may still carry a reply: by the desk's clock and by JDA's own check. */
  private boolean usable(Via via) {
    return clock.instant().isBefore(via.at.plus(HOOK_USABLE)) && !via.hook.isExpired();
  }

  /** Keeps {@code via} as the person's latest interaction in the inbound's channel (see {@link #hooks}). */
  private Via remember(Inbound in, Via via) {
    if (hooks.size() > 10_000) {
      hooks.values().removeIf(v -> !usable(v));
    }
    ChatPlace p = in.place();
    hooks.put(p.platform() + "/" + p.workspace() + "/" + p.channel() + "/@" + in.person().userId(), via);
    return via;
  }

  /** Replies typed in a case thread; only with {@link DiscordSettings#readThreadReplies()}. */
  @Override
  public void onMessageReceived(MessageReceivedEvent e) {
    if (!settings.readThreadReplies() || !e.isFromGuild() || !e.getChannelType().isThread()
        || !writtenByAPerson(e.getMessage())) {
      return;
    }
    Message m = e.getMessage();
    Inbound in = inbound(m.getId(), e.getGuild().getId(), e.getAuthor(), e.getChannel(),
        Optional.of(new MessageRef(DiscordRenderer.PLATFORM, e.getChannel().getId(), m.getId())),
        new Inbound.Said(said(m)));
    inFlight.incrementAndGet();
    try {
      // in a thread still to be read back the mark is left to the read-back: a crash before it must not leave
      // the mark past the messages typed while the bot was down
      String thread = e.getChannel().getId();
      Optional<InboxStore.Seen> seen = readBack.pending(thread) ? Optional.empty()
          : Optional.of(new InboxStore.Seen(DiscordRenderer.PLATFORM, thread, m.getId()));
      store(in, seen).ifPresent(added -> {
        readBack.awaitThread(thread); // the thread's earlier messages, typed while the bot was down, first
        run(added, in, null, true);
      });
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /**
   * A reaction: the settings' {@code file_on_reaction} emoji on a message in a server files it on its
   * author's behalf, as "File as incident" does; any other reaction is ignored. The gateway gives
   * the author but not the text (that needs the privileged Message Content intent), so the intake
   * asks the author for the description. One filing per message and reacting person: the key is
   * both, so taking the reaction away and adding it again files nothing new.
   */
  @Override
  public void onMessageReactionAdd(MessageReactionAddEvent e) {
    Optional<String> emoji = settings.fileOnReaction();
    if (emoji.isEmpty() || !e.isFromGuild() || !emoji.get().equals(e.getEmoji().getName())
        || e.getMessageAuthorIdLong() == 0 || e.getUserIdLong() == e.getJDA().getSelfUser().getIdLong()) {
      return;
    }
    String guild = e.getGuild().getId();
    Inbound in = new Inbound("discord:reaction:" + e.getMessageId() + ":" + e.getUserId(),
        new Identity(DiscordRenderer.PLATFORM, guild, e.getUserId()), place(guild, e.getChannel()), false,
        clock.instant(), Optional.of(new MessageRef(DiscordRenderer.PLATFORM, e.getChannel().getId(), e.getMessageId())),
        new Inbound.FileMessage(new Identity(DiscordRenderer.PLATFORM, guild, e.getMessageAuthorId()), ""));
    inFlight.incrementAndGet();
    try {
      store(in, Optional.empty()).ifPresent(added -> run(added, in, null, true));
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /**
   * Whether a message is one a person wrote: not a bot's or a webhook's, and a plain message or a reply, not
   * one of Discord's system messages (pins, joins, thread and call notices), which carry the acting person as
   * author but no text of theirs.
   */
  static boolean writtenByAPerson(Message m) {
    return !m.getAuthor().isBot() && !m.isWebhookMessage() && !m.getAuthor().isSystem()
        && (m.getType() == MessageType.DEFAULT || m.getType() == MessageType.INLINE_REPLY);
  }

  /**
   * The text of a message for the desk: what was typed, then one line per attachment (its file name and
   * link), so that a file a customer uploads to the case thread is part of the case and not an empty reply.
   */
  static String said(Message m) {
    StringBuilder text = new StringBuilder(m.getContentRaw());
    for (Message.Attachment a : m.getAttachments()) {
      text.append(text.isEmpty() ? "" : "\n").append("[attachment] ").append(a.getFileName()).append(' ')
          .append(a.getUrl());
    }
    return text.toString();
  }

  /** What a person is told when their interaction could not be stored: nothing was done, and Discord does not retry. */
  static final String NOT_STORED = "The support desk could not take this right now and nothing was changed; please try"
      + " again in a minute.";

  /** Writes an inbound to the inbox; empty when the write failed (logged by key and error type only). */
  private Optional<InboxStore.Added> store(Inbound in, Optional<InboxStore.Seen> seen) {
    try {
      return Optional.of(inbox.add(in, Optional.empty(), seen));
    } catch (RuntimeException e) {
      platformErrors.incrementAndGet();
      log.error("could not write {} to the inbox ({})", in.key(), e.getClass().getSimpleName());
      return Optional.empty();
    }
  }

  /**
   * Handles an inbox entry and marks it done, unless it is done already or being handled. Live inbounds
   * ({@code live}) wait until the start's own work is done, so that what was pending is handled first. The
   * desk ignores a key it has handled, so an entry handled before a crash but not marked done has no second
   * effect. A message that failed stays pending for the next start, up to {@link #MAX_ATTEMPTS}.
   */
  private void run(InboxStore.Added added, Inbound in, Via via, boolean live) {
    if (!added.pending() || !running.add(added.id())) {
      return;
    }
    try {
      if (live) {
        awaitRecovered();
      }
      if (handle(in, via) || via != null) {
        // an interaction that failed was answered "try again": its retry is a new interaction, so this one is done
        inbox.done(added.id(), clock.instant());
      } else {
        int attempts = inbox.failed(added.id());
        if (attempts >= MAX_ATTEMPTS) {
          log.error("gave up on {} after {} failed attempts", in.key(), attempts);
          inbox.done(added.id(), clock.instant());
        }
      }
    } catch (RuntimeException e) {
      log.error("could not record the outcome of {} in the inbox ({})", in.key(), e.getClass().getSimpleName());
    } finally {
      running.remove(added.id());
    }
  }

  private void awaitRecovered() {
    try {
      if (!recovered.await(60, TimeUnit.SECONDS)) {
        log.warn("the start's own work took more than 60 s; handling a new inbound anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- start: the inbox, then the history missed while down ------------------------------------

  /**
   * Handles what the inbox still holds, in order, then starts reading back the open case threads beside the
   * live traffic ({@link ThreadReadBack}) and lets live inbounds in.
   */
  private void recover() {
    try {
      inbox.prune(clock.instant().minus(InboxStore.KEEP_DONE));
      for (InboxStore.Pending p : inbox.pending(DiscordRenderer.PLATFORM, Integer.MAX_VALUE)) {
        if (p.attempts() >= MAX_ATTEMPTS) {
          log.error("gave up on {} after {} failed attempts", p.inbound().key(), p.attempts());
          inbox.done(p.id(), clock.instant());
        } else {
          // the interaction's hook may have expired: what was only for the person goes as a direct message
          run(new InboxStore.Added(p.id(), false, true), p.inbound(), null, false);
        }
      }
    } catch (RuntimeException e) {
      log.error("handling what was pending at start failed", e);
    } finally {
      if (settings.readThreadReplies()) {
        readBack.start(this::backfill); // also after a failure above: live messages in its threads wait for it
      }
      recovered.countDown();
    }
  }

  /** Reads the last message seen in each open case's thread, before live messages can move the marks. */
  private void rememberMarks() {
    for (InboxStore.OpenCase c : inbox.openCases(DiscordRenderer.PLATFORM)) {
      if (!settings.serves(c.workspace())) {
        continue; // the instance that connects its server's shard reads it back
      }
      refs.thread(c.workspace(), c.channel(), c.thread()).ifPresent(thread -> {
        seenBeforeConnecting.put(thread, inbox.lastSeen(DiscordRenderer.PLATFORM, thread));
        openThreads.putIfAbsent(thread, c);
      });
    }
    readBack = new ThreadReadBack(List.copyOf(openThreads.keySet()));
  }

  /** Waits until the start's read-back of the open case threads is done (for tests); false on timeout. */
  boolean awaitReadBack(Duration timeout) throws InterruptedException {
    return readBack.awaitDone(timeout);
  }

  /**
   * Reads back the messages typed in one open case's thread after the last one seen there (or since the
   * thread was created, its id being the first possible message id), at most {@link #HISTORY_PAGES} pages
   * of {@link #HISTORY_PAGE}, and handles them in order through the inbox, keyed by message id; returns how
   * many it handed to the desk. Runs on a read-back task ({@link ThreadReadBack}), never on JDA's threads.
   */
  private int backfill(String threadId) {
    InboxStore.OpenCase c = openThreads.get(threadId);
    if (c == null) {
      return 0;
    }
    ThreadChannel thread = cache().getThreadChannelById(threadId);
    if (thread == null) {
      thread = ThreadLookup.retrieve(connectionOf(c.workspace()), threadId).orElse(null);
    }
    if (thread == null) {
      return 0;
    }
    Optional<String> before = seenBeforeConnecting.get(threadId);
    String after = (before != null ? before : inbox.lastSeen(DiscordRenderer.PLATFORM, threadId)).orElse(threadId);
    List<Message> found = new ArrayList<>();
    try {
      MessageHistory history = MessageHistory.getHistoryAfter(thread, after).limit(HISTORY_PAGE).complete();
      found.addAll(history.getRetrievedHistory());
      List<Message> page = history.getRetrievedHistory();
      for (int n = 1; n < HISTORY_PAGES && page.size() == HISTORY_PAGE; n++) {
        page = history.retrieveFuture(HISTORY_PAGE).complete();
        found.addAll(page);
      }
    } catch (net.dv8tion.jda.api.exceptions.InsufficientPermissionException e) {
      log.warn("cannot read back the thread {}: the bot lacks {}; give it Read Message History in {}", threadId,
          e.getPermission().getName(), c.channel());
      return 0;
    } catch (ErrorResponseException e) {
      log.warn("reading back the thread {} failed: {}", threadId, reason(e));
      return 0;
    }
    found.sort(java.util.Comparator.comparingLong(Message::getIdLong));
    int read = 0;
    for (Message m : found) {
      if (!writtenByAPerson(m)) {
        continue;
      }
      Inbound in = new Inbound(m.getId(), new Identity(DiscordRenderer.PLATFORM, c.workspace(), m.getAuthor().getId()),
          place(c.workspace(), thread), false, m.getTimeCreated().toInstant(),
          Optional.of(new MessageRef(DiscordRenderer.PLATFORM, threadId, m.getId())),
          new Inbound.Said(said(m)));
      Optional<InboxStore.Added> stored = store(in, Optional.of(new InboxStore.Seen(DiscordRenderer.PLATFORM,
          threadId, m.getId())));
      if (stored.isPresent()) {
        run(stored.get(), in, null, false);
        read++;
      }
    }
    return read;
  }

  /** Counts the interaction as in flight, or, once closing, tells the person to try again shortly. */
  private boolean refusedWhileClosing(IReplyCallback e) {
    inFlight.incrementAndGet();
    if (closing) {
      inFlight.decrementAndGet();
      e.reply("The support desk is restarting; please try again in a minute.").setEphemeral(true).queue();
      return true;
    }
    return false;
  }

  @Override
  public void onShutdown(ShutdownEvent e) {
    closeCode = e.getCloseCode();
    shutDown.countDown();
  }

  private void awaitShutdownEvent() {
    try {
      shutDown.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Modal answerForm(String customId) {
    String counter = customId.substring(DiscordRenderer.FORM.length());
    return Modal.create(customId, DiscordRenderer.truncate("Answer question " + counter, Modal.MAX_TITLE_LENGTH))
        .addComponents(Label.of("Your answer", TextInput.create(DiscordRenderer.ANSWER_INPUT, TextInputStyle.PARAGRAPH)
            .setRequiredRange(1, TextInput.MAX_VALUE_LENGTH).build()))
        .build();
  }

  private Inbound inbound(String key, String guild, User user, Channel channel, Optional<MessageRef> message,
      Inbound.Input input) {
    return new Inbound(key, new Identity(DiscordRenderer.PLATFORM, guild, user.getId()), place(guild, channel), false,
        clock.instant(), message, input);
  }

  /** Where an interaction happened; a case thread the adapter created maps back to the case's place. */
  private ChatPlace place(String guild, Channel channel) {
    if (!channel.getType().isThread()) {
      return new ChatPlace(DiscordRenderer.PLATFORM, guild, channel.getId(), "");
    }
    Optional<DiscordRefs.CaseThread> known = refs.caseOf(channel.getId());
    if (known.isEmpty()) {
      // a case thread is created and remembered under this lock: a message typed in it that arrives before it
      // is remembered waits for that, instead of being taken for a thread of no case (whose parent JDA may not know)
      synchronized (threads) {
        known = refs.caseOf(channel.getId());
      }
    }
    if (known.isPresent()) {
      return new ChatPlace(DiscordRenderer.PLATFORM, guild, known.get().channel(), known.get().caseKey());
    }
    String parent = ((ThreadChannel) channel).getParentChannel().getId();
    return new ChatPlace(DiscordRenderer.PLATFORM, guild, parent, channel.getId());
  }

  /** Hands one inbound to the desk and delivers what it says; false when the desk failed (nothing was changed). */
  private boolean handle(Inbound in, Via via) {
    long started = System.nanoTime();
    List<Delivery> out;
    try {
      out = desk.handleTracked(in);
      handled.incrementAndGet();
    } catch (RuntimeException e) {
      log.error("handling {} failed", in.input().getClass().getSimpleName(), e);
      if (via != null) {
        via.hook.sendMessage("Something went wrong on our side and nothing was changed; please try again.")
            .setEphemeral(true).queue();
        via.answered = true;
      }
      link.metrics().handled(DiscordRenderer.PLATFORM, in, false, Duration.ofNanos(System.nanoTime() - started));
      return false;
    }
    deliver(out, via);
    link.metrics().handled(DiscordRenderer.PLATFORM, in, true, Duration.ofNanos(System.nanoTime() - started));
    return true;
  }

  // ---- posting --------------------------------------------------------------------------------

  /**
   * Sends the desk's messages. A reply only the person who acted may see goes at once as the
   * interaction's ephemeral follow-up (its own route, never behind a channel's posts); every other
   * message is queued on its lane ({@link Outbox#lane}) and posted there in order, off this thread.
   */
  private void deliver(List<Delivery> all, Via via) {
    Map<String, List<Delivery>> byLane = new LinkedHashMap<>();
    for (Delivery d : link.router().keep(DiscordRenderer.PLATFORM, all)) {
      Outbound o = d.message();
      if (via != null && o.onlyFor().equals(Optional.of(via.actor)) && o.to() instanceof Outbound.ToPlace) {
        try {
          awaitEarlier(d);
          d.ownRoute();
          followUp(via, d);
          via.answered = true;
          d.sent();
        } catch (RuntimeException e) {
          report(d, e);
        }
        continue;
      }
      byLane.computeIfAbsent(Outbox.lane(o), k -> new ArrayList<>()).add(d);
    }
    byLane.forEach((lane, ds) -> {
      if (!lanes.run(lane, () -> deliverLane(lane, ds))) {
        log.warn("the Discord adapter is closed; {} message(s) stay in the outbox", ds.size());
        ds.forEach(d -> d.notTried("discord adapter closed"));
      }
    });
  }

  /**
   * Before a follow-up goes on its own route: an earlier message of the person's ephemeral lane that the
   * lane's worker is posting (a retry the ticker handed out at the same moment) is let finish first, so a
   * question never appears before the welcome it follows. Waits at most a few request timeouts (the lane's
   * worker may be behind a slow call); after that the follow-up goes anyway (logged), as the person is
   * waiting for it.
   */
  private void awaitEarlier(Delivery d) {
    try {
      if (!d.awaitEarlier(settings.requestTimeout().multipliedBy(3))) {
        log.warn("an earlier message to {} is still being sent; the {} follow-up ({}) goes without waiting longer",
            Outbox.lane(d.message()), d.message().kind(), d);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Posts one lane's messages in order, on the lane's worker. A refusal no retry changes sets the
   * message aside and the lane goes on; any other failure leaves the rest of the lane's batch untried,
   * so the outbox sends them again after it, in order.
   */
  private void deliverLane(String lane, List<Delivery> ds) {
    boolean failed = false;
    for (Delivery d : ds) {
      if (failed) {
        d.notTried("an earlier message to the same place failed");
        continue;
      }
      try {
        post(d);
        d.sent();
      } catch (RuntimeException e) {
        failed = !report(d, e) && d.tracked();
      }
    }
  }

  /** Reports a failed send; true when it was a refusal for good (the message is set aside). */
  private boolean report(Delivery d, RuntimeException e) {
    platformErrors.incrementAndGet();
    Outbound o = d.message();
    log.warn("Discord did not take a {} message to {}: {}", o.kind(), Outbox.lane(o), reason(e));
    if (e instanceof ErrorResponseException r && REFUSED.contains(r.getErrorCode())) {
      d.refused("discord error " + r.getErrorCode());
      return true;
    }
    if (e instanceof NotVisible) {
      d.refused("discord channel not visible");
      return true;
    }
    d.failed(e instanceof ErrorResponseException r ? "discord error " + r.getErrorCode() : e.getClass().getSimpleName());
    return false;
  }

  /** Discord errors no retry changes: 10003 Unknown Channel, 50001 Missing Access. */
  static final Set<Integer> REFUSED = Set.of(10003, 50001);

  /**
   * The nonce of an outbox message, sent with {@code enforce_nonce} (JDA 6 always sets it): Discord
   * answers a create with a nonce it saw from this bot in the last few minutes with the message it made
   * then, so a retry after a lost answer does not post twice. Empty for messages outside the outbox.
   */
  static Optional<String> nonce(Delivery d) {
    return d.tracked() ? Optional.of("sb" + d.id()) : Optional.empty();
  }

  private void post(Delivery d) {
    Outbound o = d.message();
    switch (o.to()) {
      case Outbound.ToPerson p -> direct(p.person(), o, nonce(d));
      case Outbound.ToPlace p -> {
        if (o.onlyFor().isPresent()) {
          Via live = hooks.get(Outbox.lane(o));
          if (live != null && live.actor.equals(o.onlyFor().get()) && usable(live)) {
            followUp(live, d);
          } else if (interactive(o)) {
            addressed(p.place(), o, nonce(d));
          } else {
            direct(o.onlyFor().get(), o, nonce(d)); // with no live interaction, "only for you" is a direct message
          }
        } else {
          post(p.place(), o, nonce(d));
        }
      }
    }
  }

  /**
   * Says a reply only the person sees as an ephemeral follow-up of their interaction, at most once. A follow-up
   * ({@code POST webhooks/{application}/{token}}) carries no nonce and cannot be looked up afterwards, so one whose
   * answer was lost after it was sent (a timeout, a broken connection, the edge's 502 or 504) may have been made,
   * and sending it again could show it twice: it counts as said, is logged and counted
   * ({@link #followUpsUnanswered()}), and is not sent again. Refusals Discord answered (an expired token, a rate
   * limit JDA could not wait out, a 500 that JDA's retries did not get past) were not made and fail as before, for
   * the outbox to send again. If a lost follow-up was an intake's question, {@code /support} asks it again, and an
   * intake left waiting expires with its notice.
   */
  private void followUp(Via via, Delivery d) {
    try {
      via.hook.sendMessage(renderer.render(d.message(), true).create()).setEphemeral(true).complete();
    } catch (RuntimeException e) {
      if (!answerLost(e)) {
        throw e;
      }
      followUpsUnanswered.incrementAndGet();
      platformErrors.incrementAndGet();
      log.warn("the answer to a {} follow-up ({}) was lost after it was sent; it may have been made and is not sent"
          + " again", d.message().kind(), d);
    }
  }

  /**
   * Whether a failed call was sent and may have been carried out, without Discord's answer saying so: it timed
   * out or its connection broke after the request went out (not a connection that was never made), or the edge
   * lost the answer ({@link RateLimitCounter.AnswerLost}).
   */
  static boolean answerLost(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException) {
        return false;
      }
      if (t instanceof java.io.IOException) {
        // a connect timeout ("Connect timed out") sent nothing; a read or write timeout may hide a call carried out
        return !(t instanceof java.net.SocketTimeoutException)
            || !String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT).startsWith("connect");
      }
    }
    return false;
  }

  /** Follow-ups whose answer was lost after they were sent: counted as said, not sent again. */
  public long followUpsUnanswered() {
    return followUpsUnanswered.get();
  }

  private static net.dv8tion.jda.api.requests.restaction.MessageCreateAction withNonce(
      net.dv8tion.jda.api.requests.restaction.MessageCreateAction action, Optional<String> nonce) {
    return nonce.isPresent() ? action.setNonce(nonce.get()) : action;
  }

  private void direct(Identity person, Outbound o, Optional<String> nonce) {
    if (!DiscordRenderer.PLATFORM.equals(person.platform())) {
      return;
    }
    PrivateChannel channel = directChannels.computeIfAbsent(person.userId(),
        id -> jda.openPrivateChannelById(id).complete());
    withNonce(channel.sendMessage(renderer.render(o, false).create()), nonce).complete();
  }

  /**
   * Whether a message only for one person must stay where its buttons work: an intake's question or step, or
   * any message with buttons. Discord delivers no button click from a direct message to a server's desk, so
   * when no interaction of the person is at hand (the process restarted mid-intake) such a message goes to the
   * channel where it belongs, addressed to them, rather than by direct message.
   */
  private boolean interactive(Outbound o) {
    return o.kind() == Outbound.Kind.INTAKE || !renderer.render(o, false).rows().isEmpty();
  }

  /** Posts a message only for one person in its place, as a normal message opening with their mention. */
  private void addressed(ChatPlace place, Outbound o, Optional<String> nonce) {
    if (!DiscordRenderer.PLATFORM.equals(place.platform())) {
      return;
    }
    withNonce(channel(place).sendMessage(renderer.addressed(o, o.onlyFor().orElseThrow()).create()), nonce).complete();
  }

  private void post(ChatPlace place, Outbound o, Optional<String> nonce) {
    if (!DiscordRenderer.PLATFORM.equals(place.platform())) {
      return;
    }
    if (!settings.serves(place.workspace())) {
      postElsewhere(place, o, nonce);
      return;
    }
    GuildMessageChannel channel = channel(place);
    DiscordMessage m = renderer.render(o, false);
    if (o.replaces().isEmpty()) {
      withNonce(channel.sendMessage(m.create()), nonce).complete();
      return;
    }
    String key = o.replaces().get();
    Optional<String> earlier = refs.message(place.workspace(), key);
    if (earlier.isPresent()) {
      try {
        edit(channel, earlier.get(), m);
        return;
      } catch (ErrorResponseException e) {
        if (e.getErrorResponse() != ErrorResponse.UNKNOWN_MESSAGE) {
          throw e;
        }
        log.info("the earlier {} message was deleted; posting it again", key);
      }
    }
    Message sent = withNonce(channel.sendMessage(m.create()), nonce).complete();
    refs.saveMessage(place.workspace(), key, sent.getId());
  }

  /**
   * Posts to a server whose shard another instance connects, by channel id through the REST API (no cached
   * channel here), as {@link #post(ChatPlace, Outbound, Optional)} does for this instance's servers: a case's
   * thread is created on first use and remembered, a status message is edited in place, an archived thread
   * is unarchived for an edit, and a locked or deleted thread is replaced by a new one.
   */
  private void postElsewhere(ChatPlace place, Outbound o, Optional<String> nonce) {
    JDA rest = jda;
    String target = remoteTarget(rest, place);
    DiscordMessage m = renderer.render(o, false);
    if (o.replaces().isEmpty()) {
      RemoteChannels.send(rest, target, m.create(), nonce);
      return;
    }
    String key = o.replaces().get();
    Optional<String> earlier = refs.message(place.workspace(), key);
    if (earlier.isPresent()) {
      try {
        try {
          RemoteChannels.edit(rest, target, earlier.get(), m.edit());
        } catch (ErrorResponseException e) {
          if (e.getErrorResponse() != ErrorResponse.ILLEGAL_OPERATION_ARCHIVED_THREAD) {
            throw e;
          }
          RemoteChannels.unarchive(rest, target);
          RemoteChannels.edit(rest, target, earlier.get(), m.edit());
        }
        return;
      } catch (ErrorResponseException e) {
        if (e.getErrorResponse() != ErrorResponse.UNKNOWN_MESSAGE) {
          throw e;
        }
        log.info("the earlier {} message was deleted; posting it again", key);
      }
    }
    String sent = RemoteChannels.send(rest, target, m.create(), nonce);
    refs.saveMessage(place.workspace(), key, sent);
  }

  /** The channel id to post to for a place on another instance's shard; a case's thread is made on first use. */
  private String remoteTarget(JDA rest, ChatPlace place) {
    String thread = place.thread();
    if (thread.isEmpty() || thread.chars().allMatch(Character::isDigit)) {
      return thread.isEmpty() ? place.channel() : thread;
    }
    synchronized (threads) {
      Optional<String> known = refs.thread(place.workspace(), place.channel(), place.thread());
      if (known.isPresent()) {
        if (checkedElsewhere.contains(known.get())) {
          return known.get();
        }
        Optional<RemoteChannels.ThreadState> state = RemoteChannels.thread(rest, known.get());
        if (state.isEmpty()) {
          log.info("the thread of {} is gone; opening a new one", place.thread());
        } else if (state.get().locked()) {
          log.info("the thread of {} is locked; opening a new one", place.thread());
        } else {
          if (state.get().archived()) {
            RemoteChannels.unarchive(rest, known.get());
          }
          checkedElsewhere.add(known.get());
          return known.get();
        }
      }
      String id = RemoteChannels.createThread(rest, place.channel(), place.thread());
      checkedElsewhere.add(id);
      refs.saveThread(place.workspace(), place.channel(), place.thread(), id);
      return id;
    }
  }

  /**
   * Edits a message; in a thread Discord archived while the bot ran (its messages cannot be edited then),
   * the thread is unarchived and the edit made again.
   */
  private static void edit(GuildMessageChannel channel, String messageId, DiscordMessage m) {
    try {
      channel.editMessageById(messageId, m.edit()).complete();
    } catch (ErrorResponseException e) {
      if (e.getErrorResponse() != ErrorResponse.ILLEGAL_OPERATION_ARCHIVED_THREAD
          || !(channel instanceof ThreadChannel thread)) {
        throw e;
      }
      thread.getManager().setArchived(false).complete();
      channel.editMessageById(messageId, m.edit()).complete();
    }
  }

  private GuildMessageChannel channel(ChatPlace place) {
    String thread = place.thread();
    if (thread.isEmpty() || thread.chars().allMatch(Character::isDigit)) {
      String id = thread.isEmpty() ? place.channel() : thread;
      return require(cache().getChannelById(GuildMessageChannel.class, id), () -> "channel " + id);
    }
    return caseThread(place);
  }

  /**
   * The case's own thread, created in its channel on first use and remembered. A remembered thread that
   * is not in JDA's cache (Discord lists only active threads on connect) is fetched by its id; if it is
   * archived it is unarchived before use, since Discord refuses edits of its messages while it is
   * archived (a bot that may send messages in threads may unarchive a thread that is not locked). A
   * locked thread, or one Discord no longer has, is replaced by a new thread, which is remembered instead.
   */
  private ThreadChannel caseThread(ChatPlace place) {
    synchronized (threads) {
      Optional<String> known = refs.thread(place.workspace(), place.channel(), place.thread());
      if (known.isPresent()) {
        ThreadChannel t = created.get(known.get());
        if (t == null) {
          t = cache().getThreadChannelById(known.get());
        }
        boolean fetched = false;
        if (t == null) {
          t = ThreadLookup.retrieve(connectionOf(place.workspace()), known.get()).orElse(null);
          fetched = true;
          if (t == null) {
            log.info("the thread of {} is gone; opening a new one", place.thread());
          }
        }
        if (t != null && t.isLocked()) {
          log.info("the thread of {} is locked; opening a new one", place.thread());
        } else if (t != null) {
          if (fetched && t.isArchived()) {
            t.getManager().setArchived(false).complete();
          }
          created.put(t.getId(), t);
          return t;
        }
      }
      TextChannel parent = require(cache().getTextChannelById(place.channel()), () -> "channel " + place.channel());
      if (known.isEmpty()) {
        Optional<ThreadChannel> made = unremembered(parent, place.thread());
        if (made.isPresent()) {
          log.info("adopting the thread of {} made before a restart that did not store it", place.thread());
          created.put(made.get().getId(), made.get());
          refs.saveThread(place.workspace(), place.channel(), place.thread(), made.get().getId());
          return made.get();
        }
      }
      ThreadChannel t = parent.createThreadChannel(place.thread())
          .setAutoArchiveDuration(ThreadChannel.AutoArchiveDuration.TIME_1_WEEK)
          .complete();
      created.put(t.getId(), t);
      refs.saveThread(place.workspace(), place.channel(), place.thread(), t.getId());
      return t;
    }
  }

  /**
   * A thread this bot made for the case in {@code parent} whose id it never stored: Discord made it, and the
   * process stopped before the answer was stored. Discord lists active threads on connect, so it is in JDA's
   * cache; taking it keeps one thread per case and the messages typed there (which the read-back of open case
   * threads would not see in a thread the bot does not know).
   */
  private Optional<ThreadChannel> unremembered(TextChannel parent, String caseKey) {
    long self = jda.getSelfUser().getIdLong();
    return parent.getThreadChannels().stream()
        .filter(t -> t.getName().equals(caseKey) && t.getOwnerIdLong() == self && !t.isLocked() && !t.isArchived())
        .filter(t -> refs.caseOf(t.getId()).isEmpty())
        .findFirst();
  }

  /** A channel the bot cannot see: gone, or the bot was removed from it. */
  private static final class NotVisible extends IllegalStateException {
    NotVisible(String message) {
      super(message);
    }
  }

  private static <T> T require(T found, Supplier<String> what) {
    if (found == null) {
      throw new NotVisible(what.get() + " is not visible to the bot; add the bot to the server and give it"
          + " View Channel there");
    }
    return found;
  }

  private static String reason(RuntimeException e) {
    if (e instanceof ErrorResponseException r) {
      return r.getErrorResponse() == ErrorResponse.MISSING_PERMISSIONS
          ? "Missing Permissions; give the bot View Channel, Send Messages, Send Messages in Threads, Create Public"
              + " Threads and Embed Links in that channel"
          : r.getMeaning() + " (" + r.getErrorCode() + ")";
    }
    return e.getMessage();
  }

  /** The first step of closing: from now on interactions are answered with "try again in a minute". */
  void stopAccepting() {
    closing = true;
  }

  /**
   * Shuts down gracefully: new interactions are asked to retry shortly, the timer run and the
   * interactions in flight finish (up to 10 seconds each), then JDA disconnects after its queued
   * requests. Timers are durable in SQLite, so nothing due is lost while the bot is down.
   */
  @Override
  public void close() {
    stopAccepting();
    recovered.countDown(); // a start that failed midway must not keep live inbounds waiting
    readBack.close(); // what it has not read is read at the next start: its threads' marks have not moved past it
    ticker.shutdown();
    try {
      if (!ticker.awaitTermination(10, TimeUnit.SECONDS)) {
        ticker.shutdownNow();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (inFlight.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      ticker.shutdownNow();
      Thread.currentThread().interrupt();
    }
    // the posts queued by the timer run and the interactions go out before JDA disconnects
    lanes.close(Duration.ofSeconds(10));
    ShardManager m = shardManager;
    if (m != null) {
      List<JDA> shards = m.getShards();
      m.shutdown();
      try {
        for (JDA shard : shards) {
          if (!shard.awaitShutdown(Duration.ofSeconds(10))) {
            shard.shutdownNow();
            shard.awaitShutdown();
          }
        }
      } catch (InterruptedException e) {
        shards.forEach(JDA::shutdownNow);
        Thread.currentThread().interrupt();
      }
      return;
    }
    JDA j = jda;
    if (j == null) {
      return;
    }
    j.shutdown();
    try {
      if (!j.awaitShutdown(Duration.ofSeconds(10))) {
        j.shutdownNow();
        j.awaitShutdown();
      }
    } catch (InterruptedException e) {
      j.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
