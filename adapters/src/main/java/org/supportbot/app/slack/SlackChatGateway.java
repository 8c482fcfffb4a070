package org.supportbot.app.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
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
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.outbox.Delivery;

/**
 * Sends the desk's messages through Slack's Web API.
 *
 * <ul>
 *   <li>A message for one person in a channel ({@code onlyFor}) goes out with
 *       {@code chat.postEphemeral}; a message to a person is a direct message.
 *   <li>A case's thread ("ACME-1") is rooted at the case's status message, posted in the channel
 *       when the case is filed; everything else about the case is posted under it.
 *   <li>A message that {@code replaces} an earlier one is a {@code chat.update} of the remembered
 *       message. Updates are coalesced: at most one per key per {@code perKey} interval and at most
 *       {@code perMinute} per workspace (Slack's Tier 3 for {@code chat.update}); a held update is
 *       replaced by a newer one for the same key and sent by {@link #flushDue()}. A 429 holds the
 *       update for Slack's {@code Retry-After} instead of dropping it.
 *   <li>Posts ({@code chat.postMessage}, {@code chat.postEphemeral}) wait in one queue per channel and
 *       leave it in order. {@code chat.postMessage} is paced to {@link PostLimits} per channel (Slack
 *       allows about one message a second per channel, short bursts tolerated); a post that must wait is
 *       sent by {@link #flushDue()}. A 429 on a post holds its channel's queue for Slack's
 *       {@code Retry-After} and then sends the same post again: nothing is dropped, and since Slack
 *       refused the first attempt nothing is sent twice. A status message still waiting to be posted
 *       takes the newer content of a later change instead of being posted twice.
 *   <li>Every message arrives as a {@link Delivery} of the desk's outbox and is reported sent when
 *       Slack answered {@code ok} (a message coalesced into a later one is reported with it). A failed
 *       call (transport error, HTTP error, {@code ok:false}) reports it failed, and with it the posts
 *       queued behind it in the same channel, unsent: the outbox hands them out again, in order, after
 *       its backoff. Posts and updates still held when the process stops are not reported, so the
 *       outbox sends them after the next start.
 * </ul>
 *
 * <p>Its methods are synchronized; the adapter calls them from its one desk executor anyway.
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

  /** An update waiting for its slot; {@code receipts} are the deliveries it carries (older ones coalesced into it). */
  private record Held(String workspace, String key, SlackMessageStore.Posted at, SlackRenderer.SlackMessage message,
      Instant due, List<Delivery> receipts) {}

  private final MethodsClient api;
  private final SlackMessageStore store;
  private final SlackRenderer renderer;
  private final Clock clock;
  private final UpdateLimits limits;
  private final Map<String, Instant> lastUpdate = new HashMap<>();
  private final Map<String, Deque<Instant>> window = new HashMap<>();
  private final Map<String, Held> held = new LinkedHashMap<>();
  private final PostLimits postLimits;
  /** The posts waiting to be sent, one queue per workspace and channel, in the order the desk said them. */
  private final Map<String, Lane> lanes = new LinkedHashMap<>();
  private final AtomicLong postsRetried = new AtomicLong();
  private final AtomicLong postsDelayed = new AtomicLong();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong coalesced = new AtomicLong();
  private final AtomicLong rateLimited = new AtomicLong();

  /** A gateway that paces posts to {@link PostLimits#CHAT_POST_MESSAGE}. */
  public SlackChatGateway(MethodsClient api, SlackMessageStore store, SlackRenderer renderer, Clock clock,
      UpdateLimits limits) {
    this(api, store, renderer, clock, limits, PostLimits.CHAT_POST_MESSAGE);
  }

  public SlackChatGateway(MethodsClient api, SlackMessageStore store, SlackRenderer renderer, Clock clock,
      UpdateLimits limits, PostLimits postLimits) {
    this.postLimits = Objects.requireNonNull(postLimits, "postLimits");
    this.api = Objects.requireNonNull(api, "api");
    this.store = Objects.requireNonNull(store, "store");
    this.renderer = Objects.requireNonNull(renderer, "renderer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.limits = Objects.requireNonNull(limits, "limits");
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

  /** Responses 429 from Slack; each held its update or its channel's posts for the time Slack asked. */
  public long rateLimited() {
    return rateLimited.get();
  }

  /** Updates held back by the rate limits, waiting for {@link #flushDue()}. */
  public synchronized int held() {
    return held.size();
  }

  /** Posts waiting in their channel's queue, for the pace or for a 429's {@code Retry-After}. */
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
   * Sends one batch of the desk's messages, in order, reporting each delivery; posts the pace holds
   * back are sent (and reported) by {@link #flushDue()}.
   */
  public synchronized void deliver(List<Delivery> batch) {
    Set<Delivery> first = Collections.newSetFromMap(new IdentityHashMap<>());
    // a case's status message is the root of its thread: queue it first so the rest can go under it
    for (Delivery d : batch) {
      Outbound o = d.message();
      if (o.replaces().isPresent() && o.onlyFor().isEmpty() && o.to() instanceof Outbound.ToPlace p
          && isNamedThread(p.place()) && store.find(p.place().workspace(), o.replaces().get()).isEmpty()
          && store.find(p.place().workspace(), SqliteSlackMessageStore.THREAD + p.place().thread()).isEmpty()) {
        accept(d);
        first.add(d);
      }
    }
    for (Delivery d : batch) {
      if (!first.contains(d)) {
        accept(d);
      }
    }
    sendPosts(clock.instant());
  }

  /** Sends messages outside the desk's outbox (nothing reports them; a failed one is not sent again). */
  public void send(List<Outbound> batch) {
    deliver(batch.stream().map(Delivery::untracked).toList());
  }

  /** Sends the held posts and updates whose time has come; call it periodically. */
  public synchronized void flushDue() {
    Instant now = clock.instant();
    sendPosts(now);
    List<Held> due = held.values().stream().filter(h -> !h.due().isAfter(now))
        .sorted(Comparator.comparing(Held::due)).toList();
    for (Held h : due) {
      if (!budgetLeft(h.workspace(), now)) {
        held.put(h.key(), new Held(h.workspace(), h.key(), h.at(), h.message(), nextSlot(h.workspace(), now),
            h.receipts()));
        continue;
      }
      held.remove(h.key());
      update(h.workspace(), h.key(), h.at(), h.message(), now, h.receipts());
    }
  }

  /** Opens a modal for the interaction {@code triggerId}; false when Slack refused it. */
  public boolean openView(String triggerId, String view) {
    return call("views.open", "-", () -> api.viewsOpen(r -> r.triggerId(triggerId).viewAsString(view)))
        instanceof Attempt.Ok<?>;
  }

  /** One post waiting in its channel's queue; a status message's content may still be replaced. */
  private static final class QueuedPost {
    final Outbound outbound;
    final Instant queuedAt;
    SlackRenderer.SlackMessage message;
    boolean limited;
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
  }

  /** One channel's queue of posts, the instants of its recent chat.postMessage calls, and a 429's hold. */
  private static final class Lane {
    final Deque<QueuedPost> queue = new ArrayDeque<>();
    final Deque<Instant> posted = new ArrayDeque<>();
    Instant heldUntil = Instant.MIN;
  }

  /** Turns a message of the desk into an update of its earlier message, or queues it as a post. */
  private void accept(Delivery d) {
    Outbound o = d.message();
    SlackRenderer.SlackMessage message = renderer.render(o);
    String ws;
    String channel;
    switch (o.to()) {
      case Outbound.ToPerson p -> {
        ws = p.person().workspace();
        channel = p.person().userId();
      }
      case Outbound.ToPlace p -> {
        ws = p.place().workspace();
        channel = p.place().channel();
        if (o.replaces().isPresent() && o.onlyFor().isEmpty()) {
          String key = o.replaces().get();
          Optional<SlackMessageStore.Posted> earlier = store.find(ws, key);
          if (earlier.isPresent()) {
            requestUpdate(ws, key, earlier.get(), message, d);
            return;
          }
          Optional<QueuedPost> waiting = waitingPost(ws, key);
          if (waiting.isPresent()) {
            // not posted yet: post the newest content once instead of posting it twice
            waiting.get().message = message;
            waiting.get().receipts.add(d);
            coalesced.incrementAndGet();
            return;
          }
        }
      }
    }
    lanes.computeIfAbsent(ws + " " + channel, k -> new Lane()).queue.addLast(new QueuedPost(d, message, clock.instant()));
  }

  private Optional<QueuedPost> waitingPost(String ws, String key) {
    for (Lane lane : lanes.values()) {
      for (QueuedPost q : lane.queue) {
        if (q.outbound.replaces().equals(Optional.of(key)) && q.outbound.onlyFor().isEmpty()
            && q.outbound.to() instanceof Outbound.ToPlace p && p.place().workspace().equals(ws)) {
          return Optional.of(q);
        }
      }
    }
    return Optional.empty();
  }

  /** Sends, channel by channel and in order, every post the pace and any 429 allow now. */
  private void sendPosts(Instant now) {
    for (var it = lanes.values().iterator(); it.hasNext(); ) {
      Lane lane = it.next();
      while (!lane.queue.isEmpty() && !now.isBefore(lane.heldUntil)) {
        QueuedPost q = lane.queue.peekFirst();
        if (!q.ephemeral() && !paceLeft(lane, now)) {
          break;
        }
        if (!q.ephemeral()) {
          lane.posted.addLast(now);
        }
        Attempt<?> attempt = sendPost(q);
        if (attempt instanceof Attempt.Limited<?> limited) {
          lane.heldUntil = now.plusSeconds(limited.retryAfterSeconds());
          q.limited = true;
          break;
        }
        lane.queue.pollFirst();
        if (attempt instanceof Attempt.Failed<?> failed) {
          // the outbox sends it again after its backoff; what waits behind it goes then too, in order
          q.receipts.forEach(r -> r.failed(failed.reason()));
          lane.queue.removeIf(behind -> {
            boolean tracked = behind.receipts.stream().anyMatch(Delivery::tracked);
            if (tracked) {
              behind.receipts.forEach(r -> r.notTried("an earlier post to the channel failed"));
            }
            return tracked;
          });
          continue;
        }
        q.receipts.forEach(Delivery::sent);
        if (q.limited) {
          postsRetried.incrementAndGet();
        } else if (now.isAfter(q.queuedAt)) {
          postsDelayed.incrementAndGet();
        }
      }
      if (lane.queue.isEmpty() && !now.isBefore(lane.heldUntil) && !paceStillCounts(lane, now)) {
        it.remove();
      }
    }
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

  /** Makes one post; where it goes under a case's thread is read now, so a root posted just before is found. */
  private Attempt<?> sendPost(QueuedPost q) {
    Outbound o = q.outbound;
    switch (o.to()) {
      case Outbound.ToPerson p -> {
        return post(p.person().userId(), Optional.empty(), q.message);
      }
      case Outbound.ToPlace p -> {
        ChatPlace place = p.place();
        String ws = place.workspace();
        Optional<String> thread = threadTs(place);
        if (o.onlyFor().isPresent()) {
          return ephemeral(place.channel(), thread, o.onlyFor().get(), q.message);
        }
        boolean rootsThread = isNamedThread(place) && thread.isEmpty();
        Attempt<ChatPostMessageResponse> posted = post(place.channel(), thread, q.message);
        if (posted instanceof Attempt.Ok<ChatPostMessageResponse> ok && ok.response().getTs() != null) {
          SlackMessageStore.Posted at = new SlackMessageStore.Posted(place.channel(), ok.response().getTs());
          o.replaces().ifPresent(key -> store.remember(ws, key, at));
          if (rootsThread) {
            store.remember(ws, SqliteSlackMessageStore.THREAD + place.thread(), at);
          }
        }
        return posted;
      }
    }
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
    if (!due.isAfter(now) && budgetLeft(ws, now)) {
      if (held.remove(key) != null) {
        coalesced.incrementAndGet();
      }
      update(ws, key, at, message, now, receipts);
      return;
    }
    if (!budgetLeft(ws, now) && !due.isAfter(now)) {
      due = nextSlot(ws, now);
    }
    if (held.put(key, new Held(ws, key, at, message, due, receipts)) != null) {
      coalesced.incrementAndGet();
    }
  }

  private void update(String ws, String key, SlackMessageStore.Posted at, SlackRenderer.SlackMessage message, Instant now,
      List<Delivery> receipts) {
    lastUpdate.put(ws + " " + key, now);
    window.computeIfAbsent(ws, w -> new ArrayDeque<>()).addLast(now);
    Attempt<ChatUpdateResponse> r = call("chat.update", at.channel(), () -> api.chatUpdate(b -> b.channel(at.channel())
        .ts(at.ts()).text(message.text()).blocksAsString(message.blocks())));
    switch (r) {
      case Attempt.Ok<ChatUpdateResponse> ok -> receipts.forEach(Delivery::sent);
      case Attempt.Failed<ChatUpdateResponse> failed -> receipts.forEach(x -> x.failed(failed.reason()));
      case Attempt.Limited<ChatUpdateResponse> limited -> {
        // someone else used the workspace's budget: wait as told and send it then, unless a newer one comes
        Held newer = held.get(key);
        if (newer == null) {
          held.put(key, new Held(ws, key, at, message, now.plusSeconds(limited.retryAfterSeconds()), receipts));
        } else {
          newer.receipts().addAll(0, receipts);
        }
      }
    }
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

  private Attempt<ChatPostMessageResponse> post(String channel, Optional<String> thread,
      SlackRenderer.SlackMessage message) {
    return call("chat.postMessage", channel, () -> api.chatPostMessage(b -> {
      b.channel(channel).text(message.text()).blocksAsString(message.blocks()).unfurlLinks(false);
      thread.ifPresent(b::threadTs);
      return b;
    }));
  }

  private Attempt<?> ephemeral(String channel, Optional<String> thread, Identity person,
      SlackRenderer.SlackMessage message) {
    return call("chat.postEphemeral", channel, () -> api.chatPostEphemeral(b -> {
      b.channel(channel).user(person.userId()).text(message.text()).blocksAsString(message.blocks());
      thread.ifPresent(b::threadTs);
      return b;
    }));
  }

  private Optional<String> threadTs(ChatPlace place) {
    if (place.thread().isEmpty()) {
      return Optional.empty();
    }
    if (TS.matcher(place.thread()).matches()) {
      return Optional.of(place.thread());
    }
    return store.find(place.workspace(), SqliteSlackMessageStore.THREAD + place.thread())
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

    /** @param reason for the outbox's log: Slack's error code, the HTTP status or the exception's class */
    record Failed<T>(String reason) implements Attempt<T> {}
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
        return new Attempt.Failed<>(String.valueOf(response.getError()));
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
      return new Attempt.Failed<>("HTTP " + e.getResponse().code());
    } catch (IOException e) {
      errors.incrementAndGet();
      LOG.warn("slack: {} in {} failed: {}", method, channel, e.getClass().getSimpleName());
      return new Attempt.Failed<>(e.getClass().getSimpleName());
    }
  }
}
