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
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
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

  private record Held(String workspace, String key, SlackMessageStore.Posted at, SlackRenderer.SlackMessage message,
      Instant due) {}

  private final MethodsClient api;
  private final SlackMessageStore store;
  private final SlackRenderer renderer;
  private final Clock clock;
  private final UpdateLimits limits;
  private final Map<String, Instant> lastUpdate = new HashMap<>();
  private final Map<String, Deque<Instant>> window = new HashMap<>();
  private final Map<String, Held> held = new LinkedHashMap<>();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong coalesced = new AtomicLong();
  private final AtomicLong rateLimited = new AtomicLong();

  public SlackChatGateway(MethodsClient api, SlackMessageStore store, SlackRenderer renderer, Clock clock,
      UpdateLimits limits) {
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

  /** Responses 429 from Slack; each held its update for the time Slack asked. */
  public long rateLimited() {
    return rateLimited.get();
  }

  /** Updates held back by the rate limits, waiting for {@link #flushDue()}. */
  public synchronized int held() {
    return held.size();
  }

  /** Sends one batch of the desk's messages, in order. */
  public synchronized void deliver(List<Outbound> batch) {
    Set<Outbound> sent = new HashSet<>();
    // a case's status message is the root of its thread: post it first so the rest can go under it
    for (Outbound o : batch) {
      if (o.replaces().isPresent() && o.onlyFor().isEmpty() && o.to() instanceof Outbound.ToPlace p
          && isNamedThread(p.place()) && store.find(p.place().workspace(), o.replaces().get()).isEmpty()
          && store.find(p.place().workspace(), SqliteSlackMessageStore.THREAD + p.place().thread()).isEmpty()) {
        ChatPlace place = p.place();
        post(place.workspace(), place.channel(), Optional.empty(), renderer.render(o)).ifPresent(ts -> {
          SlackMessageStore.Posted at = new SlackMessageStore.Posted(place.channel(), ts);
          store.remember(place.workspace(), o.replaces().get(), at);
          store.remember(place.workspace(), SqliteSlackMessageStore.THREAD + place.thread(), at);
        });
        sent.add(o);
      }
    }
    for (Outbound o : batch) {
      if (!sent.contains(o)) {
        send(o);
      }
    }
  }

  /** Sends the held updates whose time has come; call it periodically. */
  public synchronized void flushDue() {
    Instant now = clock.instant();
    List<Held> due = held.values().stream().filter(h -> !h.due().isAfter(now))
        .sorted(Comparator.comparing(Held::due)).toList();
    for (Held h : due) {
      if (!budgetLeft(h.workspace(), now)) {
        held.put(h.key(), new Held(h.workspace(), h.key(), h.at(), h.message(), nextSlot(h.workspace(), now)));
        continue;
      }
      held.remove(h.key());
      update(h.workspace(), h.key(), h.at(), h.message(), now);
    }
  }

  /** Opens a modal for the interaction {@code triggerId}; false when Slack refused it. */
  public boolean openView(String triggerId, String view) {
    return call("views.open", "-", () -> api.viewsOpen(r -> r.triggerId(triggerId).viewAsString(view))) != null;
  }

  private void send(Outbound o) {
    SlackRenderer.SlackMessage message = renderer.render(o);
    switch (o.to()) {
      case Outbound.ToPerson p -> post(p.person().workspace(), p.person().userId(), Optional.empty(), message);
      case Outbound.ToPlace p -> {
        ChatPlace place = p.place();
        String ws = place.workspace();
        Optional<String> thread = threadTs(place);
        boolean rootsThread = isNamedThread(place) && thread.isEmpty();
        if (o.onlyFor().isPresent()) {
          ephemeral(place.channel(), thread, o.onlyFor().get(), message);
          return;
        }
        if (o.replaces().isPresent()) {
          Optional<SlackMessageStore.Posted> earlier = store.find(ws, o.replaces().get());
          if (earlier.isPresent()) {
            requestUpdate(ws, o.replaces().get(), earlier.get(), message);
            return;
          }
        }
        Optional<String> ts = post(ws, place.channel(), thread, message);
        if (ts.isPresent()) {
          SlackMessageStore.Posted at = new SlackMessageStore.Posted(place.channel(), ts.get());
          o.replaces().ifPresent(key -> store.remember(ws, key, at));
          if (rootsThread) {
            store.remember(ws, SqliteSlackMessageStore.THREAD + place.thread(), at);
          }
        }
      }
    }
  }

  private void requestUpdate(String ws, String key, SlackMessageStore.Posted at, SlackRenderer.SlackMessage message) {
    Instant now = clock.instant();
    Instant last = lastUpdate.get(ws + " " + key);
    Instant due = last == null ? now : last.plus(limits.perKey());
    if (!due.isAfter(now) && budgetLeft(ws, now)) {
      if (held.remove(key) != null) {
        coalesced.incrementAndGet();
      }
      update(ws, key, at, message, now);
      return;
    }
    if (!budgetLeft(ws, now) && !due.isAfter(now)) {
      due = nextSlot(ws, now);
    }
    if (held.put(key, new Held(ws, key, at, message, due)) != null) {
      coalesced.incrementAndGet();
    }
  }

  private void update(String ws, String key, SlackMessageStore.Posted at, SlackRenderer.SlackMessage message, Instant now) {
    lastUpdate.put(ws + " " + key, now);
    window.computeIfAbsent(ws, w -> new ArrayDeque<>()).addLast(now);
    calls.incrementAndGet();
    try {
      ChatUpdateResponse r = api.chatUpdate(b -> b.channel(at.channel()).ts(at.ts()).text(message.text())
          .blocksAsString(message.blocks()));
      if (!r.isOk()) {
        errors.incrementAndGet();
        LOG.warn("slack: chat.update in {} failed: {}", at.channel(), r.getError());
      }
    } catch (SlackApiException e) {
      errors.incrementAndGet();
      if (e.getResponse().code() == 429) {
        // someone else used the workspace's budget: wait as told and send it then, unless a newer one comes
        rateLimited.incrementAndGet();
        long wait = retryAfter(e.getResponse().header("Retry-After"));
        held.putIfAbsent(key, new Held(ws, key, at, message, now.plusSeconds(wait)));
        LOG.info("slack: chat.update in {} was rate limited; retrying in {} s", at.channel(), wait);
      } else {
        LOG.warn("slack: chat.update in {} failed with HTTP {}", at.channel(), e.getResponse().code());
      }
    } catch (IOException e) {
      errors.incrementAndGet();
      LOG.warn("slack: chat.update in {} failed: {}", at.channel(), e.getClass().getSimpleName());
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

  private Optional<String> post(String ws, String channel, Optional<String> thread, SlackRenderer.SlackMessage message) {
    ChatPostMessageResponse r = call("chat.postMessage", channel, () -> api.chatPostMessage(b -> {
      b.channel(channel).text(message.text()).blocksAsString(message.blocks()).unfurlLinks(false);
      thread.ifPresent(b::threadTs);
      return b;
    }));
    return r == null ? Optional.empty() : Optional.ofNullable(r.getTs());
  }

  private void ephemeral(String channel, Optional<String> thread, Identity person, SlackRenderer.SlackMessage message) {
    call("chat.postEphemeral", channel, () -> api.chatPostEphemeral(b -> {
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

  /** Makes one call; failures are logged with the method, channel and Slack's error code, and counted. */
  private <T extends SlackApiTextResponse> T call(String method, String channel, ApiCall<T> call) {
    calls.incrementAndGet();
    try {
      T response = call.run();
      if (!response.isOk()) {
        errors.incrementAndGet();
        LOG.warn("slack: {} in {} failed: {}{}", method, channel, response.getError(),
            response.getNeeded() == null ? "" : " (missing scope " + response.getNeeded() + "; add it in the app"
                + " manifest and reinstall)");
        return null;
      }
      return response;
    } catch (SlackApiException e) {
      errors.incrementAndGet();
      LOG.warn("slack: {} in {} failed with HTTP {}", method, channel, e.getResponse().code());
      return null;
    } catch (IOException e) {
      errors.incrementAndGet();
      LOG.warn("slack: {} in {} failed: {}", method, channel, e.getClass().getSimpleName());
      return null;
    }
  }
}
