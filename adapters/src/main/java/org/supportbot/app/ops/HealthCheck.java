package org.supportbot.app.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.kb.live.LiveSources;

/**
 * Whether the desk is healthy: every configured platform connected, the database answering, and no
 * timer more than {@link #LATE_AFTER} past its due time without having fired (timers set aside
 * because they fail are reported, not counted as late). While the process is stopping it is unhealthy,
 * so a load balancer stops sending work. It is degraded (also 503, with the reason) while the desk runs
 * but its messages do not get out: the oldest undelivered outbox message is older than its limit, or a
 * platform has refused every call for its limit or longer ({@link RefusalWatch}), or the knowledge base's
 * live sources have not synced successfully for longer than their limit, or a forum has not completed a full
 * sync for longer than its limit ({@link LiveSources}).
 */
public final class HealthCheck {
  /** A timer still unfired this long after its due time is late: the scheduler ticks every second or so. */
  public static final Duration LATE_AFTER = Duration.ofMinutes(1);

  /** The verdict and the JSON body of {@code GET /health}. */
  public record Report(boolean healthy, String json) {}

  private final Map<String, BooleanSupplier> platforms = new LinkedHashMap<>();
  private final Map<String, RefusalWatch> refusals = new LinkedHashMap<>();
  private Duration maxFailing = Duration.ofMinutes(2);
  private Supplier<Optional<Instant>> oldestPending = Optional::empty;
  private Duration maxOutboxAge = Duration.ofMinutes(5);
  private Supplier<LiveSources.Status> knowledgeBase;
  private Duration maxSyncAge = Duration.ofMinutes(45);
  private Duration maxFullSyncAge = Duration.ofHours(48).plusMinutes(15);
  private final Function<java.time.Instant, IncidentDesk.TimerCounts> timers;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private volatile boolean stopping;

  /** @param timers the timer counts, given the instant at or before which an unfired timer is late */
  public HealthCheck(Function<java.time.Instant, IncidentDesk.TimerCounts> timers, Clock clock) {
    this.timers = Objects.requireNonNull(timers, "timers");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Adds a configured platform and how to tell that its connection is up. */
  public synchronized HealthCheck platform(String name, BooleanSupplier connected) {
    platforms.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(connected, "connected"));
    return this;
  }

  /**
   * Degraded while the oldest undelivered outbox message was recorded more than {@code maxAge} ago.
   *
   * @param oldestPending when the oldest undelivered message was recorded; empty when none waits
   */
  public synchronized HealthCheck outbox(Supplier<Optional<Instant>> oldestPending, Duration maxAge) {
    this.oldestPending = Objects.requireNonNull(oldestPending, "oldestPending");
    this.maxOutboxAge = positive(maxAge, "maxAge");
    return this;
  }

  /** Degraded once {@code platform} has refused every call for {@code maxFailing} or longer. */
  public synchronized HealthCheck refusals(String platform, RefusalWatch watch, Duration maxFailing) {
    refusals.put(Objects.requireNonNull(platform, "platform"), Objects.requireNonNull(watch, "watch"));
    this.maxFailing = positive(maxFailing, "maxFailing");
    return this;
  }

  /**
   * Reports the age of the knowledge base's last successful sync (the oldest over its sources), degraded
   * once it is older than {@code maxAge}, and per forum when its last complete full sync started
   * ({@code last_full_sync}, with {@code full_sync_note} while a full sync is in progress and
   * {@code last_full_sync_error} when its last round failed, and {@code full_sync_skipped}, each topic's id and
   * last error, when the last complete one skipped topics whose checks kept failing), degraded once that is
   * older than {@code maxFullAge} (a forum without one counts from the sources' start); skipped topics alone do
   * not degrade it, as that full sync did complete.
   */
  public synchronized HealthCheck knowledgeBase(Supplier<LiveSources.Status> status, Duration maxAge,
      Duration maxFullAge) {
    this.knowledgeBase = Objects.requireNonNull(status, "status");
    this.maxSyncAge = positive(maxAge, "maxAge");
    this.maxFullSyncAge = positive(maxFullAge, "maxFullAge");
    return this;
  }

  /** Samples every platform's call counts (see {@link RefusalWatch#sample()}); the bot does it every second. */
  public void sample() {
    List<RefusalWatch> watches;
    synchronized (this) {
      watches = List.copyOf(refusals.values());
    }
    watches.forEach(RefusalWatch::sample);
  }

  private static Duration positive(Duration d, String name) {
    if (!Objects.requireNonNull(d, name).isPositive()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
    return d;
  }

  /** From now on the desk reports itself unhealthy: it is shutting down. */
  public void stopping() {
    stopping = true;
  }

  private ObjectNode knowledgeBase(Instant now, ArrayNode degradations) {
    LiveSources.Status st = knowledgeBase.get();
    ObjectNode kb = json.createObjectNode();
    Instant oldest = st.oldestSuccess();
    Duration age = Duration.between(oldest, now);
    if (st.allSynced()) {
      kb.put("last_sync", oldest.toString());
    } else {
      kb.putNull("last_sync");
    }
    kb.put("age_seconds", age.toSeconds()).put("max_age_seconds", maxSyncAge.toSeconds());
    ObjectNode sources = kb.putObject("sources");
    StringBuilder errors = new StringBuilder();
    st.sources().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      ObjectNode src = sources.putObject(e.getKey());
      e.getValue().lastSuccess().ifPresentOrElse(at -> src.put("last_success", at.toString()),
          () -> src.putNull("last_success"));
      e.getValue().lastError().ifPresent(err -> {
        src.put("last_error", err);
        errors.append("; ").append(e.getKey()).append(": ").append(err);
      });
      e.getValue().fullSync().ifPresent(full -> {
        full.lastSuccess().ifPresentOrElse(at -> src.put("last_full_sync", at.toString()),
            () -> src.putNull("last_full_sync"));
        full.note().ifPresent(note -> src.put("full_sync_note", note));
        full.lastError().ifPresent(err -> src.put("last_full_sync_error", err));
        if (!full.skipped().isEmpty()) {
          ArrayNode skipped = src.putArray("full_sync_skipped");
          full.skipped().forEach((id, err) -> skipped.addObject().put("id", id).put("error", err));
        }
      });
    });
    if (age.compareTo(maxSyncAge) > 0) {
      degradations.add("the knowledge base last synced all its sources " + age.toSeconds() + " s ago (limit "
          + maxSyncAge.toSeconds() + " s)" + (!errors.isEmpty() ? errors
          : st.allSynced() ? "; no round has ended since" : "; the first round has not ended"));
    }
    kb.put("max_full_sync_age_seconds", maxFullSyncAge.toSeconds());
    st.fullSyncAges(now).forEach((forum, fullAge) -> {
      if (fullAge.compareTo(maxFullSyncAge) > 0) {
        LiveSources.FullSyncStatus full = st.sources().get(forum).fullSync().orElseThrow();
        degradations.add("the forum " + forum + (full.lastSuccess().isPresent()
            ? " last completed a full sync " + fullAge.toSeconds() + " s ago"
            : " has completed no full sync in the " + fullAge.toSeconds() + " s since the start")
            + " (limit " + maxFullSyncAge.toSeconds() + " s), so topics the site deleted may still be suggested; "
            + full.lastError().map(e -> "last full-sync error: " + e)
                .or(full::note).orElse("no full-sync error; no full sync has ended since"));
      }
    });
    return kb;
  }

  /** Checks everything now. */
  public synchronized Report check() {
    sample();
    Instant now = clock.instant();
    ObjectNode root = json.createObjectNode();
    ArrayNode problems = json.createArrayNode();
    ArrayNode degradations = json.createArrayNode();
    ObjectNode ps = json.createObjectNode();
    platforms.forEach((name, connected) -> {
      boolean up = connected.getAsBoolean();
      ObjectNode p = ps.putObject(name).put("connected", up);
      if (!up) {
        problems.add(name + " is not connected");
      }
      RefusalWatch watch = refusals.get(name);
      Optional<Instant> since = watch == null ? Optional.empty() : watch.failingSince();
      if (since.isPresent()) {
        Duration failing = Duration.between(since.get(), now);
        p.put("failing_since", since.get().toString());
        if (failing.compareTo(maxFailing) >= 0) {
          degradations.add(name + " has refused every call for " + failing.toSeconds() + " s (limit "
              + maxFailing.toSeconds() + " s); its error codes are in the log");
        }
      }
    });
    ObjectNode db = json.createObjectNode();
    ObjectNode t = json.createObjectNode();
    try {
      IncidentDesk.TimerCounts counts = timers.apply(clock.instant().minus(LATE_AFTER));
      db.put("reachable", true);
      t.put("pending", counts.pending()).put("late", counts.late()).put("set_aside", counts.setAside());
      if (counts.late() > 0) {
        problems.add(counts.late() + " timer(s) more than " + LATE_AFTER.toSeconds() + " s past due have not fired");
      }
    } catch (RuntimeException e) {
      db.put("reachable", false);
      problems.add("the database does not answer (" + e.getClass().getSimpleName() + ")");
    }
    ObjectNode o = json.createObjectNode();
    try {
      Optional<Instant> oldest = oldestPending.get();
      if (oldest.isPresent()) {
        Duration age = Duration.between(oldest.get(), now);
        o.put("oldest_recorded_at", oldest.get().toString()).put("oldest_age_seconds", age.toSeconds());
        if (age.compareTo(maxOutboxAge) > 0) {
          degradations.add("the oldest undelivered message was recorded " + age.toSeconds() + " s ago (limit "
              + maxOutboxAge.toSeconds() + " s); the platforms are not taking the desk's messages, see the log");
        }
      }
    } catch (RuntimeException e) {
      if (db.path("reachable").asBoolean()) {
        db.put("reachable", false);
        problems.add("the database does not answer (" + e.getClass().getSimpleName() + ")");
      }
    }
    ObjectNode kb = null;
    if (knowledgeBase != null) {
      kb = knowledgeBase(now, degradations);
    }
    if (stopping) {
      problems.add("shutting down");
    }
    boolean healthy = problems.isEmpty() && degradations.isEmpty();
    root.put("status", healthy ? "ok" : problems.isEmpty() ? "degraded" : "unhealthy");
    root.set("platforms", ps);
    root.set("database", db);
    root.set("timers", t);
    root.set("outbox", o);
    if (kb != null) {
      root.set("knowledge_base", kb);
    }
    problems.addAll(degradations);
    root.set("problems", problems);
    return new Report(healthy, root.toString());
  }
}
