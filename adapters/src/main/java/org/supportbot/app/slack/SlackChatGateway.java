package org.supportbot.app.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.SlackFilesUploadV2Exception;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.methods.response.conversations.ConversationsOpenResponse;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.methods.response.files.FilesUploadV2Response;
import com.slack.api.model.Message;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.supportbot.app.platform.LaneWorkers;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.outbox.Delivery;

/**
 * Sends the desk's messages through Slack's Web API, off the desk's thread.
 *
 * <ul>
 *   <li>Calls run on {@link LaneWorkers}: one lane per channel (posts and updates there, in order), one per
 *       person for their ephemeral replies in a channel and one per direct-message conversation. The
 *       desk's thread only decides what goes where; a channel whose calls hang (until the HTTP client's
 *       call timeout) or fail delays only its own lane, and a person's ephemeral reply never waits behind
 *       a failing channel post.
 *   <li>A message for one person in a channel ({@code onlyFor}) goes out with
 *       {@code chat.postEphemeral}; a message to a person is a direct message.
 *   <li>A case's thread ("ACME-1") is rooted at the case's status message, and only at it: a message
 *       for the thread while its status message is not posted yet (it failed, or waits for its retry) is
 *       reported not tried and waits in the outbox; it never becomes the root itself.
 *   <li>A message that {@code replaces} an earlier one is a {@code chat.update} of the remembered
 *       message. Updates are coalesced: at most one per key per {@code perKey} interval and at most
 *       {@code perMinute} per workspace (Slack's Tier 3 for {@code chat.update}); a held update is
 *       replaced by a newer one for the same key and sent by {@link #flushDue()}. A 429 holds the
 *       update for Slack's {@code Retry-After} instead of dropping it.
 *   <li>{@code chat.postMessage} is paced to {@link PostLimits} per channel (Slack allows about one
 *       message a second per channel, short bursts tolerated); a post that must wait is sent by
 *       {@link #flushDue()}. A 429 on a post holds its lane for Slack's {@code Retry-After} and then sends
 *       the same post again. A status message still waiting to be posted takes the newer content of a
 *       later change instead of being posted twice.
 *   <li>Posts are idempotent across an ambiguous failure: each post of the outbox carries Slack message
 *       {@code metadata} ({@value #EVENT_TYPE}, with the outbox id). Before a message that failed before
 *       is posted again, the channel's (or thread's) history since it was recorded is read with
 *       {@code include_all_metadata}; if the earlier attempt did reach Slack (the response timed out),
 *       that message is taken as the post and nothing is posted twice.
 *   <li>Every message arrives as a {@link Delivery} of the desk's outbox and is reported sent when
 *       Slack answered {@code ok} (a message coalesced into a later one is reported with it). A refusal
 *       that no retry changes ({@link #REFUSED}: the channel is gone or archived, the bot is not in it)
 *       reports it {@linkplain Delivery#refused refused}: the outbox sets it aside at once and tells
 *       triage. Any other failure reports it failed, and with it the posts queued behind it in the same
 *       lane, unsent: the outbox hands them out again, in order, after its backoff. Posts and updates
 *       still held when the process stops are not reported, so the outbox sends them after the next start.
 * </ul>
 *
 * <p>State (lanes, held updates, budgets) is guarded by this object's lock; calls to Slack are made
 * outside it, and delivery reports are given outside it too.
 */
public final class SlackChatGateway {
  private static final Logger LOG = LoggerFactory.getLogger(SlackChatGateway.class);
  private static final Pattern TS = Pattern.compile("\\d{6,}\\.\\d{1,9}");

  /** How often chat.update may touch one message, and how many updates a workspace may get per minute. */
  public record UpdateLimits(Duration perKey, int perMinute) {
    /** Slack's Tier 3 is 50+ calls per minute; one update per status message every 5 seconds at most. */
    public static final UpdateLimits TIER_3 = new UpdateLimits(Duration.ofSeconds(5), 50);

    public UpdateLimits {
      Objects.requireNonNull(perKey, "perKey");
      if (perKey.isNegative()) {
        throw new IllegalArgumentException("the per-message update interval cannot be negative, got " + perKey);
      }
      if (perMinute < 1) {
        throw new IllegalArgumentException("chat.update calls per minute must be at least 1, got " + perMinute);
      }
    }
  }

  /**
   * How many {@code chat.postMessage} calls one channel may get: at most {@code perWindow} in any
   * {@code window}.
   */
  public record PostLimits(int perWindow, Duration window) {
    /**
     * Slack documents about one message per second per channel and tolerates short bursts: three in
     * any three seconds keeps to one a second on average with a burst of three.
     */
    public static final PostLimits CHAT_POST_MESSAGE = new PostLimits(3, Duration.ofSeconds(3));

    public PostLimits {
      Objects.requireNonNull(window, "window");
      if (perWindow < 1) {
        throw new IllegalArgumentException("chat.postMessage calls per window must be at least 1, got " + perWindow);
      }
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("the chat.postMessage window must be positive, got " + window);
      }
    }
  }

  /** The {@code event_type} of the metadata every post of the outbox carries. */
  public static final String EVENT_TYPE = "supportbot_outbox";

  /** Slack errors that no retry changes: the message is set aside at once and triage is told. */
  public static final Set<String> REFUSED = Set.of("channel_not_found", "not_in_channel", "is_archived",
      "channel_is_archived", "user_not_in_channel");

  /** How long one Web API call may take in all, for the HTTP client ({@code SlackConfig}) of a running bot. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  /** How far before a message was recorded its channel's history is read (our clock against Slack's). */
  static final Duration LOOK_BACK = Duration.ofMinutes(1);

  /** An update waiting for its slot; {@code receipts} are the deliveries it carries (older ones coalesced into it). */
  private record Held(String workspace, String key, SlackMessageStore.Posted at, SlackRenderer.SlackMessage message,
      Instant due, List<Delivery> receipts) {
    String lane() {
      return workspace + " " + at.channel();
    }
  }

  private final MethodsClient api;
  private final SlackForm form;
  private final SlackMessageStore store;
  private final SlackRenderer renderer;
  private final Clock clock;
  private final UpdateLimits limits;
  private final LaneWorkers workers;
  private final Map<String, Instant> lastUpdate = new HashMap<>();
  private final Map<String, Deque<Instant>> window = new HashMap<>();
  private final Map<String, Held> held = new LinkedHashMap<>();
  /** The keys of {@link #held} by lane, so a lane finds its own held updates without reading everyone's. */
  private final Map<String, java.util.Set<String>> heldByLane = new HashMap<>();

  /** Holds {@code h}, replacing an update held for the same key; returns the one replaced, or null. */
  private Held putHeld(Held h) {
    Held before = held.put(h.key(), h);
    if (before != null && !before.lane().equals(h.lane())) {
      forgetLane(before);
    }
    heldByLane.computeIfAbsent(h.lane(), l -> new java.util.LinkedHashSet<>()).add(h.key());
    return before;
  }

  private void removeHeld(String key) {
    Held h = held.remove(key);
    if (h != null) {
      forgetLane(h);
    }
  }

  private void forgetLane(Held h) {
    java.util.Set<String> keys = heldByLane.get(h.lane());
    if (keys != null) {
      keys.remove(h.key());
      if (keys.isEmpty()) {
        heldByLane.remove(h.lane());
      }
    }
  }
  private final PostLimits postLimits;
  /** The posts waiting to be sent, one queue per lane, in the order the desk said them. */
  private final Map<String, Lane> lanes = new LinkedHashMap<>();
  /** The queued posts of messages that later contents replace (status messages), by workspace and key. */
  private final Map<String, QueuedPost> waitingByKey = new HashMap<>();
  private final AtomicLong postsRetried = new AtomicLong();
  private final AtomicLong postsDelayed = new AtomicLong();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong coalesced = new AtomicLong();
  private final AtomicLong rateLimited = new AtomicLong();
  private final AtomicLong foundAfterTimeout = new AtomicLong();

  /** A gateway that paces posts to {@link PostLimits#CHAT_POST_MESSAGE} and calls Slack on the caller's thread. */
  public SlackChatGateway(MethodsClient api, String token, SlackMessageStore store, SlackRenderer renderer, Clock clock,
      UpdateLimits limits) {
    this(api, token, store, renderer, clock, limits, PostLimits.CHAT_POST_MESSAGE);
  }

  /** A gateway that calls Slack on the caller's thread (one lane at a time): for tests that assert calls at once. */
  public SlackChatGateway(MethodsClient api, String token, SlackMessageStore store, SlackRenderer renderer, Clock clock,
      UpdateLimits limits, PostLimits postLimits) {
    this(api, token, store, renderer, clock, limits, postLimits, LaneWorkers.inline());
  }

  /**
   * @param workers where the calls run; {@link LaneWorkers#pooled} in a running bot, so that no call runs
   *     on the desk's thread. The gateway closes them in {@link #close}.
   */
  public SlackChatGateway(MethodsClient api, String token, SlackMessageStore store, SlackRenderer renderer, Clock clock,
      UpdateLimits limits, PostLimits postLimits, LaneWorkers workers) {
    this.postLimits = Objects.requireNonNull(postLimits, "postLimits");
    this.api = Objects.requireNonNull(api, "api");
    this.form = new SlackForm(api, token);
    this.store = Objects.requireNonNull(store, "store");
    this.renderer = Objects.requireNonNull(renderer, "renderer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.workers = Objects.requireNonNull(workers, "workers");
  }

  /** Web API calls made so far. */
  public long calls() {
    return calls.get();
  }

  /** Web API calls that failed (transport errors or {@code ok:false}). */
  public long errors() {
    return errors.get();
  }

  /** Updates that were held back and replaced by a newer one before they were sent. */
  public long coalesced() {
    return coalesced.get();
  }

  /** Responses 429 from Slack; each held its update or its lane's posts for the time Slack asked. */
  public long rateLimited() {
    return rateLimited.get();
  }

  /** Posts found in the channel's history after an ambiguous failure, and so not posted again. */
  public long foundAfterTimeout() {
    return foundAfterTimeout.get();
  }

  /** Updates held back by the rate limits, waiting for {@link #flushDue()}. */
  public synchronized int held() {
    return held.size();
  }

  /** Posts waiting in their lane's queue, for the pace, a 429's {@code Retry-After} or a call under way. */
  public synchronized int postsHeld() {
    return lanes.values().stream().mapToInt(l -> l.queue.size()).sum();
  }

  /** Posts sent again after Slack answered them 429. */
  public long postsRetried() {
    return postsRetried.get();
  }

  /**
   * Posts sent later than the desk said them, because of their channel's pace or a 429 on a post ahead
   * of them (posts answered 429 themselves are counted by {@link #postsRetried()}).
   */
  public long postsDelayed() {
    return postsDelayed.get();
  }

  /**
   * Queues one batch of the desk's messages, in order, and has each lane they touch send what it may
   * now; every delivery is reported by its lane. Returns at once unless the workers are
   * {@linkplain LaneWorkers#inline() inline}.
   */
  public void deliver(List<Delivery> batch) {
    Set<String> touched = new java.util.LinkedHashSet<>();
    synchronized (this) {
      Set<Delivery> first = Collections.newSetFromMap(new IdentityHashMap<>());
      // a case's status message is the root of its thread: queue it first so the rest can go under it
      for (Delivery d : batch) {
        if (rootsThread(d.message()) && store.find(workspaceOf(d.message()), d.message().replaces().get()).isEmpty()
            && store.find(workspaceOf(d.message()), JdbcSlackMessageStore.THREAD + placeOf(d.message()).thread())
            .isEmpty()) {
          touched.add(accept(d));
          first.add(d);
        }
      }
      for (Delivery d : batch) {
        if (!first.contains(d)) {
          touched.add(accept(d));
        }
      }
    }
    touched.forEach(this::schedule);
  }

  /** Sends messages outside the desk's outbox (nothing reports them; a failed one is not sent again). */
  public void send(List<Outbound> batch) {
    deliver(batch.stream().map(Delivery::untracked).toList());
  }

  /** Has every lane with a post or update whose time has come send it; call it periodically. */
  public void flushDue() {
    Set<String> due = new java.util.LinkedHashSet<>();
    synchronized (this) {
      Instant now = clock.instant();
      lanes.forEach((k, lane) -> {
        if (!lane.queue.isEmpty()) {
          due.add(k);
        }
      });
      held.values().stream().filter(h -> !h.due().isAfter(now)).sorted(Comparator.comparing(Held::due))
          .forEach(h -> due.add(h.lane()));
    }
    due.forEach(this::schedule);
  }

  /** Waits until no lane has a call queued or under way (held posts and updates may still wait for their time). */
  public void awaitIdle(Duration timeout) throws InterruptedException, java.util.concurrent.TimeoutException {
    workers.awaitIdle(timeout);
  }

  /** Stops the lanes, waiting up to {@code grace} for calls under way; what is not reported stays in the outbox. */
  public void close(Duration grace) {
    workers.close(grace);
  }

  /** Opens a modal for the interaction {@code triggerId}; false when Slack refused it. */
  public boolean openView(String triggerId, String view) {
    return call("views.open", "-", () -> form.openView(triggerId, view))
        instanceof Attempt.Ok<?>;
  }

  private void schedule(String lane) {
    if (!workers.run(lane, () -> drain(lane))) {
      LOG.debug("slack: lane {} was not run: the gateway is closed; its messages stay in the outbox", lane);
    }
  }

  /** One post waiting in its lane's queue; a status message's content may still be replaced until it is sent. */
  private static final class QueuedPost {
    final Outbound outbound;
    final Instant queuedAt;
    SlackRenderer.SlackMessage message;
    boolean limited;
    /** Set while its call is under way: no later content may join it then. */
    boolean sending;
    /** The deliveries this post carries: its own, and those of later contents it took. */
    final List<Delivery> receipts = new ArrayList<>();

    QueuedPost(Delivery delivery, SlackRenderer.SlackMessage message, Instant queuedAt) {
      this.outbound = delivery.message();
      this.message = message;
      this.queuedAt = queuedAt;
      receipts.add(delivery);
    }

    boolean ephemeral() {
      return outbound.onlyFor().isPresent() && outbound.to() instanceof Outbound.ToPlace;
    }

    /** The delivery whose outbox id the post carries: the first tracked one. */
    Optional<Delivery> tracked() {
      return receipts.stream().filter(Delivery::tracked).findFirst();
    }
  }

  /** One lane's queue of posts, the instants of its recent chat.postMessage calls, and a 429's hold. */
  private static final class Lane {
    final Deque<QueuedPost> queue = new ArrayDeque<>();
    final Deque<Instant> posted = new ArrayDeque<>();
    Instant heldUntil = Instant.MIN;
  }

  private static boolean rootsThread(Outbound o) {
    return o.replaces().isPresent() && o.onlyFor().isEmpty() && o.to() instanceof Outbound.ToPlace p
        && isNamedThread(p.place());
  }

  private static String workspaceOf(Outbound o) {
    return switch (o.to()) {
      case Outbound.ToPerson p -> p.person().workspace();
      case Outbound.ToPlace p -> p.place().workspace();
    };
  }

  private static ChatPlace placeOf(Outbound o) {
    return ((Outbound.ToPlace) o.to()).place();
  }

  /** The lane of a message: its channel, a person's ephemeral replies in a channel, or a direct conversation. */
  private static String laneOf(Outbound o) {
    return switch (o.to()) {
      case Outbound.ToPerson p -> p.person().workspace() + " @" + p.person().userId();
      case Outbound.ToPlace p -> p.place().workspace() + " " + p.place().channel()
          + o.onlyFor().map(who -> " @" + who.userId()).orElse("");
    };
  }

  /** Turns a message of the desk into an update of its earlier message, or queues it as a post; returns its lane. */
  private String accept(Delivery d) {
    Outbound o = d.message();
    SlackRenderer.SlackMessage message = renderer.render(o);
    String lane = laneOf(o);
    if (o.to() instanceof Outbound.ToPlace p && o.replaces().isPresent() && o.onlyFor().isEmpty()) {
      String ws = p.place().workspace();
      String key = o.replaces().get();
      Optional<SlackMessageStore.Posted> earlier = store.find(ws, key);
      if (earlier.isPresent()) {
        requestUpdate(ws, key, earlier.get(), message, d);
        return ws + " " + earlier.get().channel();
      }
      Optional<QueuedPost> waiting = waitingPost(ws, key);
      if (waiting.isPresent()) {
        // not posted yet: post the newest content once instead of posting it twice
        waiting.get().message = message;
        waiting.get().receipts.add(d);
        coalesced.incrementAndGet();
        return lane;
      }
    }
    QueuedPost q = new QueuedPost(d, message, clock.instant());
    lanes.computeIfAbsent(lane, k -> new Lane()).queue.addLast(q);
    waitingKeyOf(q).ifPresent(k -> waitingByKey.put(k, q));
    return lane;
  }

  /** The post waiting for message {@code key} of workspace {@code ws} that may still take newer content. */
  private Optional<QueuedPost> waitingPost(String ws, String key) {
    return Optional.ofNullable(waitingByKey.get(ws + " " + key)).filter(q -> !q.sending);
  }

  /** Under which key a queued post is found by {@link #waitingPost}: a message that later contents replace. */
  private static Optional<String> waitingKeyOf(QueuedPost q) {
    Outbound o = q.outbound;
    return o.replaces().isPresent() && o.onlyFor().isEmpty() && o.to() instanceof Outbound.ToPlace p
        ? Optional.of(p.place().workspace() + " " + o.replaces().get()) : Optional.empty();
  }

  /** Forgets a post taken out of its lane's queue. */
  private void dequeued(QueuedPost q) {
    waitingKeyOf(q).ifPresent(k -> waitingByKey.remove(k, q));
  }

  /** One call a lane makes next, taken from the state under the lock and made outside it. */
  private sealed interface Work {
    record Update(Held held) implements Work {}

    record Post(Lane lane, QueuedPost post) implements Work {}
  }

  /**
   * Sends, in order, everything of one lane the pace, the update budget and any 429 allow now. Runs on
   * the lane's worker only, so two calls of one lane are never under way at once.
   */
  private void drain(String laneKey) {
    while (true) {
      Work work;
      synchronized (this) {
        work = next(laneKey, clock.instant());
      }
      if (work == null) {
        return;
      }
      switch (work) {
        case Work.Update u -> updateNow(u.held()).forEach(Runnable::run);
        case Work.Post p -> postNow(laneKey, p.lane(), p.post());
      }
    }
  }

  /** The lane's next call, or null when it has nothing it may send now; the caller holds the lock. */
  private Work next(String laneKey, Instant now) {
    for (Held h : heldByLane.getOrDefault(laneKey, java.util.Set.of()).stream().map(held::get)
        .filter(h -> !h.due().isAfter(now)).sorted(Comparator.comparing(Held::due)).toList()) {
      if (!budgetLeft(h.workspace(), now)) {
        putHeld(new Held(h.workspace(), h.key(), h.at(), h.message(), nextSlot(h.workspace(), now),
            h.receipts()));
        continue;
      }
      removeHeld(h.key());
      lastUpdate.put(h.workspace() + " " + h.key(), now);
      window.computeIfAbsent(h.workspace(), w -> new ArrayDeque<>()).addLast(now);
      return new Work.Update(h);
    }
    Lane lane = lanes.get(laneKey);
    if (lane == null) {
      return null;
    }
    if (lane.queue.isEmpty() || now.isBefore(lane.heldUntil)) {
      if (lane.queue.isEmpty() && !now.isBefore(lane.heldUntil) && !paceStillCounts(lane, now)) {
        lanes.remove(laneKey);
      }
      return null;
    }
    QueuedPost q = lane.queue.peekFirst();
    if (!q.ephemeral() && !paceLeft(lane, now)) {
      return null;
    }
    if (!q.ephemeral()) {
      lane.posted.addLast(now);
    }
    q.sending = true;
    return new Work.Post(lane, q);
  }

  /**
   * Makes one post of a lane and applies its outcome. The reports are given under the lock, together
   * with cleaning the lane's queue, so the outbox knows of a failure before the desk's next batch can be
   * accepted into the lane: messages it records from then on wait behind the failed one.
   */
  private void postNow(String laneKey, Lane lane, QueuedPost q) {
    Sent outcome = sendPost(q);
    Instant now = clock.instant();
    List<Runnable> reports = new ArrayList<>();
    synchronized (this) {
      q.sending = false;
      if (outcome instanceof Sent.Limited limited) {
        lane.heldUntil = now.plusSeconds(limited.retryAfterSeconds());
        q.limited = true;
        return;
      }
      settle(laneKey, lane, q, outcome, now, reports);
      reports.forEach(Runnable::run);
    }
  }

  private void settle(String laneKey, Lane lane, QueuedPost q, Sent outcome, Instant now, List<Runnable> reports) {
    {
      lane.queue.remove(q);
      dequeued(q);
      switch (outcome) {
        case Sent.Done done -> {
          List<Delivery> rs = List.copyOf(q.receipts);
          reports.add(() -> rs.forEach(Delivery::sent));
          if (q.limited) {
            postsRetried.incrementAndGet();
          } else if (now.isAfter(q.queuedAt)) {
            postsDelayed.incrementAndGet();
          }
          return;
        }
        case Sent.Refused refused -> {
          List<Delivery> rs = List.copyOf(q.receipts);
          reports.add(() -> rs.forEach(r -> r.refused(refused.reason())));
        }
        case Sent.Failed failed -> {
          List<Delivery> rs = List.copyOf(q.receipts);
          reports.add(() -> rs.forEach(r -> r.failed(failed.reason())));
        }
        case Sent.NoRoot noRoot -> {
          List<Delivery> rs = List.copyOf(q.receipts);
          reports.add(() -> rs.forEach(r -> r.notTried("the case thread's status message is not posted yet")));
        }
        case Sent.Limited limited -> throw new IllegalStateException("handled above");
      }
      // the outbox sends it again after its backoff; what waits behind it goes then too, in order
      lane.queue.removeIf(behind -> {
        boolean tracked = behind.receipts.stream().anyMatch(Delivery::tracked);
        if (tracked) {
          dequeued(behind);
          List<Delivery> rs = List.copyOf(behind.receipts);
          reports.add(() -> rs.forEach(r -> r.notTried("an earlier post in lane " + laneKey + " was not delivered")));
        }
        return tracked;
      });
    }
  }

  /** How one post went. */
  private sealed interface Sent {
    record Done() implements Sent {}

    record Limited(long retryAfterSeconds) implements Sent {}

    record Failed(String reason) implements Sent {}

    record Refused(String reason) implements Sent {}

    /** A message for a case thread whose status message (its root) is not posted yet. */
    record NoRoot() implements Sent {}
  }

  private boolean paceLeft(Lane lane, Instant now) {
    while (!lane.posted.isEmpty() && !lane.posted.peekFirst().isAfter(now.minus(postLimits.window()))) {
      lane.posted.pollFirst();
    }
    return lane.posted.size() < postLimits.perWindow();
  }

  /** Whether the lane's recent posts still limit what the channel may get next. */
  private boolean paceStillCounts(Lane lane, Instant now) {
    return !lane.posted.isEmpty() && lane.posted.peekLast().isAfter(now.minus(postLimits.window()));
  }

  /**
   * Makes one post; where it goes under a case's thread is read now, so a root posted just before is
   * found. A message for a case thread without its root is not posted (only the status message roots a
   * thread); a tracked message that failed before is first looked for in the channel's history.
   */
  private Sent sendPost(QueuedPost q) {
    Outbound o = q.outbound;
    Optional<Delivery> tracked = q.tracked();
    Optional<Outbound.File> file = o.blocks().stream().filter(b -> b instanceof Outbound.File)
        .map(b -> (Outbound.File) b).findFirst();
    if (file.isPresent() && o.onlyFor().isEmpty() && filesWritable) {
      Optional<Sent> uploaded = upload(o, file.get(), tracked);
      if (uploaded.isPresent()) {
        return uploaded.get();
      }
      // no files:write scope: the file goes out as code blocks in a message, as it is rendered
    }
    switch (o.to()) {
      case Outbound.ToPerson p -> {
        String user = p.person().userId();
        if (tracked.isPresent() && tracked.get().mayHaveBeenSent()) {
          // a direct message is posted to the user id, but its history is the app's IM with them
          Attempt<ConversationsOpenResponse> im = call("conversations.open", user,
              () -> api.conversationsOpen(b -> b.users(List.of(user)).returnIm(false)));
          if (!(im instanceof Attempt.Ok<ConversationsOpenResponse> opened) || opened.response().getChannel() == null) {
            return im instanceof Attempt.Ok<?> ? new Sent.Failed("conversations.open gave no channel") : outcome(im);
          }
          String channel = opened.response().getChannel().getId();
          switch (lookUp(channel, Optional.empty(), tracked.get())) {
            case Lookup.Found found -> {
              return new Sent.Done();
            }
            case Lookup.NotFound notFound -> { }
            case Lookup.Failed failed -> {
              return failed.outcome();
            }
          }
        }
        return outcome(post(user, Optional.empty(), q.message, tracked));
      }
      case Outbound.ToPlace p -> {
        ChatPlace place = p.place();
        String ws = place.workspace();
        Optional<String> thread = threadTs(place);
        if (o.onlyFor().isPresent()) {
          return outcome(ephemeral(place.channel(), thread, o.onlyFor().get(), q.message));
        }
        boolean roots = rootsThread(o) && thread.isEmpty();
        if (isNamedThread(place) && thread.isEmpty() && !roots) {
          return new Sent.NoRoot();
        }
        if (o.replaces().isPresent()) {
          Optional<SlackMessageStore.Posted> earlier = store.find(ws, o.replaces().get());
          if (earlier.isPresent()) {
            // posted by an earlier content whose call was under way when this one came: update it instead
            SlackMessageStore.Posted at = earlier.get();
            return outcome(call("chat.update", at.channel(), () -> form.update(at.channel(), at.ts(), q.message.text(),
                q.message.blocks())));
          }
        }
        Optional<String> ts = Optional.empty();
        if (tracked.isPresent() && tracked.get().mayHaveBeenSent()) {
          switch (lookUp(place.channel(), thread, tracked.get())) {
            case Lookup.Found found -> ts = Optional.of(found.ts());
            case Lookup.NotFound notFound -> { }
            case Lookup.Failed failed -> {
              return failed.outcome();
            }
          }
        }
        if (ts.isEmpty()) {
          Attempt<ChatPostMessageResponse> posted = post(place.channel(), thread, q.message, tracked);
          if (!(posted instanceof Attempt.Ok<ChatPostMessageResponse> ok)) {
            return outcome(posted);
          }
          ts = Optional.ofNullable(ok.response().getTs());
        }
        if (ts.isPresent()) {
          SlackMessageStore.Posted at = new SlackMessageStore.Posted(place.channel(), ts.get());
          o.replaces().ifPresent(key -> store.remember(ws, key, at));
          if (roots) {
            store.remember(ws, JdbcSlackMessageStore.THREAD + place.thread(), at);
          }
        }
        return new Sent.Done();
      }
    }
  }

  /**
   * Uploads a message's file ({@code files.uploadV2}: {@code files.getUploadURLExternal}, the upload,
   * {@code files.completeUploadExternal}) into its channel and thread, or the person's direct
   * conversation, with the message's text as the comment. Empty when Slack refuses it for a missing
   * {@code files:write} scope (the file is then posted as code blocks, and no upload is tried again
   * by this process). A tracked upload's title carries its outbox id ({@link #fileTitle}); a retry
   * after an attempt whose answer was lost first looks for a file share with that title in the
   * channel's history (or the thread's replies), as {@link #lookUp} does for posts, and uploads
   * again only when there is none.
   */
  private Optional<Sent> upload(Outbound o, Outbound.File file, Optional<Delivery> tracked) {
    String channel;
    Optional<String> thread = Optional.empty();
    switch (o.to()) {
      case Outbound.ToPerson p -> {
        String user = p.person().userId();
        Attempt<ConversationsOpenResponse> im = call("conversations.open", user,
            () -> api.conversationsOpen(b -> b.users(List.of(user)).returnIm(false)));
        if (!(im instanceof Attempt.Ok<ConversationsOpenResponse> opened) || opened.response().getChannel() == null) {
          return Optional.of(im instanceof Attempt.Ok<?> ? new Sent.Failed("conversations.open gave no channel")
              : outcome(im));
        }
        channel = opened.response().getChannel().getId();
      }
      case Outbound.ToPlace p -> {
        channel = p.place().channel();
        thread = threadTs(p.place());
        if (isNamedThread(p.place()) && thread.isEmpty()) {
          return Optional.of(new Sent.NoRoot());
        }
      }
    }
    if (tracked.isPresent() && tracked.get().mayHaveBeenSent()) {
      switch (lookUp(channel, thread, tracked.get())) {
        case Lookup.Found found -> {
          return Optional.of(new Sent.Done());
        }
        case Lookup.NotFound notFound -> { }
        case Lookup.Failed failed -> {
          return Optional.of(failed.outcome());
        }
      }
    }
    String title = tracked.map(d -> fileTitle(file.name(), d.id())).orElse(file.name());
    StringBuilder comment = new StringBuilder();
    for (Outbound.Block b : o.blocks()) {
      if (b instanceof Outbound.Text t) {
        comment.append(comment.isEmpty() ? "" : "\n").append(SlackRenderer.mrkdwn(t.spans()));
      }
    }
    String to = channel;
    Optional<String> threadTs = thread;
    Attempt<FilesUploadV2Response> up = call("files.uploadV2", channel, () -> {
      try {
        return api.filesUploadV2(b -> {
          b.channel(to).filename(file.name()).title(title).content(file.content()).requestFileInfo(false);
          threadTs.ifPresent(b::threadTs);
          if (!comment.isEmpty()) {
            b.initialComment(comment.toString());
          }
          return b;
        });
      } catch (SlackFilesUploadV2Exception e) {
        FilesUploadV2Response refused = new FilesUploadV2Response();
        refused.setOk(false);
        refused.setError(e.getGetURLResponses() == null ? "upload_failed" : e.getGetURLResponses().stream()
            .filter(r -> !r.isOk()).map(r -> r.getError()).findFirst().orElse("upload_failed"));
        refused.setNeeded(e.getGetURLResponses() == null ? null : e.getGetURLResponses().stream()
            .map(r -> r.getNeeded()).filter(Objects::nonNull).findFirst().orElse(null));
        return refused;
      }
    });
    if (up instanceof Attempt.Failed<?> f && f.reason().equals("missing_scope")) {
      filesWritable = false;
      LOG.warn("slack: uploading {} needs the files:write scope; files are posted as code blocks until the app is"
          + " reinstalled with it", file.name());
      return Optional.empty();
    }
    return Optional.of(outcome(up));
  }

  /** Whether uploads are tried: false once Slack said the files:write scope is missing. */
  private volatile boolean filesWritable = true;

  private static Sent outcome(Attempt<?> attempt) {
    return switch (attempt) {
      case Attempt.Ok<?> ok -> new Sent.Done();
      case Attempt.Limited<?> limited -> new Sent.Limited(limited.retryAfterSeconds());
      case Attempt.Failed<?> failed -> new Sent.Failed(failed.reason());
      case Attempt.Refused<?> refused -> new Sent.Refused(refused.reason());
    };
  }

  /** What reading the history for an earlier attempt found. */
  private sealed interface Lookup {
    record Found(String ts) implements Lookup {}

    record NotFound() implements Lookup {}

    /** The history could not be read for a reason that may pass (or the channel refuses us): do not post now. */
    record Failed(Sent outcome) implements Lookup {}
  }

  /**
   * Looks for the post of outbox message {@code d} in the channel's history (or its thread's replies)
   * since shortly before it was recorded, by its metadata; a post found is counted and logged here. A history Slack will not give us (a missing
   * scope) counts as not found: the post is made, as it would have been without this look-up.
   */
  private Lookup lookUp(String channel, Optional<String> thread, Delivery d) {
    String oldest = slackTs(d.recordedAt().minus(LOOK_BACK));
    Attempt<? extends SlackApiTextResponse> read = thread.isPresent()
        ? call("conversations.replies", channel, () -> api.conversationsReplies(b -> b.channel(channel)
            .ts(thread.get()).oldest(oldest).includeAllMetadata(true).limit(200)))
        : call("conversations.history", channel, () -> api.conversationsHistory(b -> b.channel(channel)
            .oldest(oldest).includeAllMetadata(true).limit(200)));
    return switch (read) {
      case Attempt.Ok<?> ok -> {
        List<Message> messages = ok.response() instanceof ConversationsRepliesResponse r ? r.getMessages()
            : ((ConversationsHistoryResponse) ok.response()).getMessages();
        Optional<String> ts = (messages == null ? List.<Message>of() : messages).stream()
            .filter(m -> carries(m, d.id()) && m.getTs() != null).map(Message::getTs).findFirst();
        if (ts.isEmpty()) {
          yield new Lookup.NotFound();
        }
        foundAfterTimeout.incrementAndGet();
        LOG.info("slack: outbox message {} was already posted in {} (an earlier attempt's answer was lost);"
            + " not posting it again", d.id(), channel);
        yield new Lookup.Found(ts.get());
      }
      case Attempt.Limited<?> limited -> new Lookup.Failed(new Sent.Limited(limited.retryAfterSeconds()));
      case Attempt.Refused<?> refused -> new Lookup.Failed(new Sent.Refused(refused.reason()));
      case Attempt.Failed<?> failed -> failed.ambiguous() ? new Lookup.Failed(new Sent.Failed(failed.reason()))
          : new Lookup.NotFound();
    };
  }

  /**
   * The title of an uploaded file of outbox message {@code id}: its name and the id, by which a
   * retry finds a file share whose answer was lost ({@code ACME-1-transcript.md · #42}).
   */
  static String fileTitle(String name, long id) {
    return name + " · #" + id;
  }

  /**
   * Whether a message from the history carries the metadata of outbox message {@code id}, or shares
   * a file uploaded for it (titled by {@link #fileTitle}).
   */
  static boolean carries(Message m, long id) {
    if (m.getFiles() != null && m.getFiles().stream()
        .anyMatch(f -> f.getTitle() != null && f.getTitle().endsWith(" · #" + id))) {
      return true;
    }
    if (m.getMetadata() == null || !EVENT_TYPE.equals(m.getMetadata().getEventType())
        || m.getMetadata().getEventPayload() == null) {
      return false;
    }
    Object value = m.getMetadata().getEventPayload().get("outbox_id");
    if (value instanceof Number n) {
      return n.longValue() == id;
    }
    return value != null && value.toString().equals(Long.toString(id));
  }

  /** An instant as Slack's ts: seconds and microseconds. */
  static String slackTs(Instant at) {
    return at.getEpochSecond() + "." + String.format(java.util.Locale.ROOT, "%06d", at.getNano() / 1_000);
  }

  private void requestUpdate(String ws, String key, SlackMessageStore.Posted at, SlackRenderer.SlackMessage message,
      Delivery d) {
    Instant now = clock.instant();
    Instant last = lastUpdate.get(ws + " " + key);
    Instant due = last == null ? now : last.plus(limits.perKey());
    List<Delivery> receipts = new ArrayList<>();
    Held before = held.get(key);
    if (before != null) {
      receipts.addAll(before.receipts());
    }
    receipts.add(d);
    if (!budgetLeft(ws, now) && !due.isAfter(now)) {
      due = nextSlot(ws, now);
    }
    // due now: the lane sends it at once (drain); later: flushDue has the lane send it then
    if (putHeld(new Held(ws, key, at, message, due, receipts)) != null) {
      coalesced.incrementAndGet();
    }
  }

  /** Makes one update a lane took from the held ones; returns the delivery reports to give outside the lock. */
  private List<Runnable> updateNow(Held h) {
    SlackMessageStore.Posted at = h.at();
    Attempt<ChatUpdateResponse> r = call("chat.update", at.channel(), () -> form.update(at.channel(), at.ts(),
        h.message().text(), h.message().blocks()));
    List<Delivery> receipts = List.copyOf(h.receipts());
    return switch (r) {
      case Attempt.Ok<ChatUpdateResponse> ok -> List.of(() -> receipts.forEach(Delivery::sent));
      case Attempt.Failed<ChatUpdateResponse> failed -> List.of(() -> receipts.forEach(x -> x.failed(failed.reason())));
      case Attempt.Refused<ChatUpdateResponse> refused ->
          List.of(() -> receipts.forEach(x -> x.refused(refused.reason())));
      case Attempt.Limited<ChatUpdateResponse> limited -> {
        // someone else used the workspace's budget: wait as told and send it then, unless a newer one comes
        synchronized (this) {
          Held newer = held.get(h.key());
          if (newer == null) {
            putHeld(new Held(h.workspace(), h.key(), at, h.message(),
                clock.instant().plusSeconds(limited.retryAfterSeconds()), new ArrayList<>(receipts)));
          } else {
            newer.receipts().addAll(0, receipts);
          }
        }
        yield List.of();
      }
    };
  }

  private static long retryAfter(String header) {
    try {
      return header == null ? 30 : Math.max(1, Long.parseLong(header.strip()));
    } catch (NumberFormatException e) {
      return 30;
    }
  }

  private boolean budgetLeft(String ws, Instant now) {
    Deque<Instant> sent = window.computeIfAbsent(ws, w -> new ArrayDeque<>());
    while (!sent.isEmpty() && !sent.peekFirst().isAfter(now.minus(Duration.ofMinutes(1)))) {
      sent.pollFirst();
    }
    return sent.size() < limits.perMinute();
  }

  private Instant nextSlot(String ws, Instant now) {
    Deque<Instant> sent = window.get(ws);
    return sent == null || sent.isEmpty() ? now : sent.peekFirst().plus(Duration.ofMinutes(1)).plusMillis(1);
  }

  /** A post; one of the outbox carries its id in the message's metadata, to be recognised after a timeout. */
  private Attempt<ChatPostMessageResponse> post(String channel, Optional<String> thread,
      SlackRenderer.SlackMessage message, Optional<Delivery> tracked) {
    return call("chat.postMessage", channel, () -> form.postMessage(channel, thread, message.text(), message.blocks(),
        tracked.map(Delivery::id)));
  }

  private Attempt<?> ephemeral(String channel, Optional<String> thread, Identity person,
      SlackRenderer.SlackMessage message) {
    return call("chat.postEphemeral", channel, () -> form.postEphemeral(channel, thread, person.userId(),
        message.text(), message.blocks()));
  }

  private Optional<String> threadTs(ChatPlace place) {
    if (place.thread().isEmpty()) {
      return Optional.empty();
    }
    if (TS.matcher(place.thread()).matches()) {
      return Optional.of(place.thread());
    }
    return store.find(place.workspace(), JdbcSlackMessageStore.THREAD + place.thread())
        .filter(p -> p.channel().equals(place.channel())).map(SlackMessageStore.Posted::ts);
  }

  private static boolean isNamedThread(ChatPlace place) {
    return !place.thread().isEmpty() && !TS.matcher(place.thread()).matches();
  }

  /** A Web API call. */
  @FunctionalInterface
  interface ApiCall<T extends SlackApiTextResponse> {
    T run() throws IOException, SlackApiException;
  }

  /** How one call went: answered, refused with 429 (to be made again after Retry-After), or failed. */
  private sealed interface Attempt<T> {
    record Ok<T>(T response) implements Attempt<T> {}

    record Limited<T>(long retryAfterSeconds) implements Attempt<T> {}

    /**
     * @param reason for the outbox's log: Slack's error code, the HTTP status or the exception's class
     * @param ambiguous whether Slack may have done what was asked all the same (a timeout, a broken
     *     connection, an HTTP 5xx), as opposed to answering {@code ok:false}
     */
    record Failed<T>(String reason, boolean ambiguous) implements Attempt<T> {}

    /** Slack refused for good ({@link #REFUSED}). */
    record Refused<T>(String reason) implements Attempt<T> {}
  }

  /**
   * Makes one call; failures are logged with the method, channel and Slack's error code, and counted.
   * A 429 is counted as rate limited, not as a failure: the caller makes the call again.
   */
  private <T extends SlackApiTextResponse> Attempt<T> call(String method, String channel, ApiCall<T> call) {
    calls.incrementAndGet();
    try {
      T response = call.run();
      if (!response.isOk()) {
        errors.incrementAndGet();
        LOG.warn("slack: {} in {} failed: {}{}", method, channel, response.getError(),
            response.getNeeded() == null ? "" : " (missing scope " + response.getNeeded() + "; add it in the app"
                + " manifest and reinstall)");
        String error = String.valueOf(response.getError());
        return REFUSED.contains(error) ? new Attempt.Refused<>(error) : new Attempt.Failed<>(error, false);
      }
      return new Attempt.Ok<>(response);
    } catch (SlackApiException e) {
      if (e.getResponse().code() == 429) {
        rateLimited.incrementAndGet();
        long wait = retryAfter(e.getResponse().header("Retry-After"));
        LOG.info("slack: {} in {} was rate limited; sending it again in {} s", method, channel, wait);
        return new Attempt.Limited<>(wait);
      }
      errors.incrementAndGet();
      LOG.warn("slack: {} in {} failed with HTTP {}", method, channel, e.getResponse().code());
      return new Attempt.Failed<>("HTTP " + e.getResponse().code(), e.getResponse().code() >= 500);
    } catch (IOException e) {
      errors.incrementAndGet();
      LOG.warn("slack: {} in {} failed: {}", method, channel, e.getClass().getSimpleName());
      return new Attempt.Failed<>(e.getClass().getSimpleName(), true);
    }
  }
}
