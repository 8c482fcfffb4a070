package org.supportbot.app.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.supportbot.app.platform.PlatformMetrics;
import org.supportbot.core.chat.CommandParser;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.desk.IncidentDesk;

/**
 * The metrics of a running desk in a Micrometer registry, scraped in Prometheus' text format. Labels
 * hold only platform names, kinds of input, the desk's command and button names and outcomes: never
 * people, channels, case numbers, text or tokens. Button names are bounded ({@value #MAX_ACTIONS}
 * distinct, then {@code other}) so that a forged action id cannot grow the series without limit.
 *
 * <p>Names as scraped: {@code supportbot_commands_handled_total{platform,kind,command,outcome}},
 * {@code supportbot_command_duration_seconds{platform,kind}} (histogram), {@code supportbot_timers_pending},
 * {@code supportbot_timers_late}, {@code supportbot_timers_set_aside}, {@code supportbot_timers_fired_total},
 * {@code supportbot_timer_lateness_seconds} (histogram), {@code supportbot_platform_connected{platform}},
 * {@code supportbot_platform_errors_total{platform}}, {@code supportbot_rate_limited_total{platform}},
 * {@code supportbot_rate_limit_waits_total{platform}}, {@code supportbot_slack_api_calls_total},
 * {@code supportbot_slack_updates_held}, {@code supportbot_slack_updates_coalesced_total},
 * {@code supportbot_slack_posts_held}, {@code supportbot_slack_posts_retried_total},
 * {@code supportbot_slack_posts_delayed_total},
 * {@code supportbot_outbound_dropped_total}, {@code supportbot_outbox_pending},
 * {@code supportbot_outbox_set_aside}.
 */
public final class OpsMetrics implements PlatformMetrics {
  static final int MAX_ACTIONS = 50;
  private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9._-]{0,40}");
  /** Buckets of the handling latency: the 3-second acknowledgement deadline sits among them. */
  private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
  /** Buckets of timer lateness: a tick's delay, a minute, and a restart's worth of downtime. */
  private static final Duration[] LATENESS_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
      Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1),
      Duration.ofHours(6), Duration.ofDays(1)};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer lateness;
  private final Counter fired;
  private final Set<String> actions = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, AtomicLong> rateLimited = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong> waits = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong> answeredOk = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong> answeredFailed = new ConcurrentHashMap<>();
  private volatile Supplier<IncidentDesk.TimerCounts> timerSource;
  /** The timer counts read for the scrape under way (see {@link #bindTimers}). */
  private volatile IncidentDesk.TimerCounts timerCounts = new IncidentDesk.TimerCounts(0, 0, 0);
  /** The sources of the function counters, which Micrometer holds only weakly: kept alive here. */
  private final List<Object> sources = new java.util.concurrent.CopyOnWriteArrayList<>();

  public OpsMetrics() {
    lateness = Timer.builder("supportbot.timer.lateness")
        .description("How long after its due time each timer fired (a restart after downtime shows here)")
        .serviceLevelObjectives(LATENESS_BUCKETS).register(registry);
    fired = Counter.builder("supportbot.timers.fired").description("Timers whose firing committed").register(registry);
  }

  /** The registry, e.g. for a test to read a meter. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Everything in Prometheus' text exposition format; the timer counts are read once for it. */
  public String scrape() {
    Supplier<IncidentDesk.TimerCounts> source = timerSource;
    if (source != null) {
      timerCounts = source.get();
    }
    return registry.scrape();
  }

  @Override
  public void handled(String platform, Inbound in, boolean ok, Duration took) {
    String kind = kind(in.input());
    Counter.builder("supportbot.commands.handled").description("Inbounds (commands, buttons, forms, messages) handled")
        .tags("platform", platform, "kind", kind, "command", command(in.input()), "outcome", ok ? "ok" : "error")
        .register(registry).increment();
    Timer.builder("supportbot.command.duration")
        .description("Time to handle one inbound: the desk's work and the platform calls it caused")
        .serviceLevelObjectives(LATENCY_BUCKETS).tags("platform", platform, "kind", kind).register(registry)
        .record(took);
  }

  @Override
  public void rateLimited(String platform) {
    counter(rateLimited, platform).incrementAndGet();
  }

  @Override
  public void bucketEmptied(String platform) {
    counter(waits, platform).incrementAndGet();
  }

  @Override
  public void answered(String platform, boolean ok) {
    counter(ok ? answeredOk : answeredFailed, platform).incrementAndGet();
  }

  /** Calls {@linkplain #answered reported answered} for {@code platform} so far: ok ones, or refused and failed ones. */
  public long answeredCount(String platform, boolean ok) {
    return counter(ok ? answeredOk : answeredFailed, platform).get();
  }

  /** Records the timers that fired for {@code at}: each one's lateness {@code at - dueAt}. */
  public void timersFired(List<org.supportbot.core.timer.Timer> timers, Instant at) {
    for (org.supportbot.core.timer.Timer t : timers) {
      Duration late = Duration.between(t.dueAt(), at);
      lateness.record(late.isNegative() ? Duration.ZERO : late);
      fired.increment();
    }
  }

  /**
   * The gauges of the durable timers. The counts are one database query, made once per
   * {@link #scrape()} and shared by the three gauges.
   */
  public void bindTimers(Supplier<IncidentDesk.TimerCounts> counts) {
    timerSource = java.util.Objects.requireNonNull(counts, "counts");
    gauge("supportbot.timers.pending", "Timers not fired yet", () -> timerCounts.pending());
    gauge("supportbot.timers.late", "Timers not fired although due more than " + HealthCheck.LATE_AFTER.toSeconds()
        + " s ago", () -> timerCounts.late());
    gauge("supportbot.timers.set.aside", "Timers that failed to fire, set aside until the next start",
        () -> timerCounts.setAside());
  }

  /**
   * How many batches of commands or firings were decided again because another instance on the same
   * database wrote their case (or number, or timer) first: 0 on SQLite.
   */
  public void bindDecidedAgain(LongSupplier decidedAgain) {
    counter("supportbot.desk.decided.again", "Batches of commands or timer firings decided again because another"
        + " instance wrote first", decidedAgain);
  }

  /**
   * A platform's connection state, error count and rate limiting. The 429s counted are those reported
   * through {@link #rateLimited} plus {@code received429}, for a client that counts them itself.
   */
  public void bindPlatform(String platform, BooleanSupplier connected, LongSupplier errors, LongSupplier received429) {
    gauge("supportbot.platform.connected", "1 while the platform connection is up", () -> connected.getAsBoolean() ? 1 : 0,
        "platform", platform);
    counter("supportbot.platform.errors", "Platform calls that failed after the client's own retries", errors,
        "platform", platform);
    AtomicLong reported = counter(rateLimited, platform);
    counter("supportbot.rate.limited", "Responses 429 (Too Many Requests) received",
        () -> reported.get() + received429.getAsLong(), "platform", platform);
    AtomicLong emptied = counter(waits, platform);
    counter("supportbot.rate.limit.waits", "Responses that emptied a rate-limit bucket (X-RateLimit-Remaining: 0); the"
        + " client waited for its reset before the next call", emptied::get, "platform", platform);
  }

  /**
   * Slack's Web API counts: calls made, status updates held back by the rate limits, and updates
   * coalesced (replaced by a newer one before sending).
   */
  public void bindSlack(LongSupplier calls, LongSupplier held, LongSupplier coalesced) {
    counter("supportbot.slack.api.calls", "Slack Web API calls made", calls);
    gauge("supportbot.slack.updates.held", "Status updates held back by Slack's rate limits, waiting to be sent", held);
    counter("supportbot.slack.updates.coalesced", "Status updates replaced by a newer one before they were sent",
        coalesced);
  }

  /**
   * Slack's posts ({@code chat.postMessage}, {@code chat.postEphemeral}): how many wait in their
   * channel's queue, how many were sent again after a 429, and how many were sent later than said
   * (the channel's pace, or a 429 on a post ahead of them).
   */
  public void bindSlackPosts(LongSupplier held, LongSupplier retried, LongSupplier delayed) {
    gauge("supportbot.slack.posts.held", "Posts waiting for their channel's pace or a 429's Retry-After", held);
    counter("supportbot.slack.posts.retried", "Posts sent again after Slack answered 429", retried);
    counter("supportbot.slack.posts.delayed", "Posts sent later than said: their channel's pace (about one a second)"
        + " or a 429 ahead of them", delayed);
  }

  /**
   * Messages no adapter took because none in the process serves their platform (each stays in the
   * outbox and is tried again after its backoff).
   */
  public void bindDropped(LongSupplier dropped) {
    counter("supportbot.outbound.dropped", "Desk messages for a platform no adapter in this process serves (kept in"
        + " the outbox)", dropped);
  }

  /** Messages in the desk's outbox: recorded and not yet reported sent (in flight or waiting for a retry). */
  public void bindOutbox(LongSupplier pending, LongSupplier setAside) {
    gauge("supportbot.outbox.pending", "Desk messages recorded and not yet delivered", pending);
    gauge("supportbot.outbox.set_aside", "Desk messages set aside undelivered after too many refused attempts (kept"
        + " in outbox_set_aside)", setAside);
  }

  /**
   * A gauge that holds its source strongly. Micrometer keeps a gauge's object only weakly by default: a
   * lambda or method reference no one else holds is collected, and the gauge then reads NaN.
   */
  private void gauge(String name, String description, LongSupplier value, String... tags) {
    Gauge.builder(name, value, v -> (double) v.getAsLong()).description(description).tags(tags).strongReference(true)
        .register(registry);
  }

  /**
   * A counter read from {@code value}. Micrometer holds a function counter's object weakly and has no
   * strong option for it, so the source is kept alive in {@link #sources}.
   */
  private void counter(String name, String description, LongSupplier value, String... tags) {
    sources.add(value);
    FunctionCounter.builder(name, value, LongSupplier::getAsLong).description(description).tags(tags)
        .register(registry);
  }

  private static AtomicLong counter(ConcurrentHashMap<String, AtomicLong> counts, String platform) {
    return counts.computeIfAbsent(platform, p -> new AtomicLong());
  }

  static String kind(Inbound.Input input) {
    return switch (input) {
      case Inbound.Command c -> "command";
      case Inbound.Picked p -> "button";
      case Inbound.Submitted f -> "form";
      case Inbound.Said s -> "message";
      case Inbound.FileMessage m -> "file_message";
    };
  }

  private String command(Inbound.Input input) {
    return switch (input) {
      case Inbound.Command c -> {
        String name = c.name().toLowerCase(Locale.ROOT);
        yield CommandParser.USAGE.containsKey(name) ? name : "unknown";
      }
      case Inbound.Picked p -> {
        String action = p.action().toLowerCase(Locale.ROOT);
        if (!ACTION.matcher(action).matches()) {
          yield "other";
        }
        if (actions.contains(action) || (actions.size() < MAX_ACTIONS && actions.add(action))) {
          yield action;
        }
        yield "other";
      }
      case Inbound.Submitted f -> "form";
      case Inbound.Said s -> "message";
      case Inbound.FileMessage m -> "file_message";
    };
  }
}
