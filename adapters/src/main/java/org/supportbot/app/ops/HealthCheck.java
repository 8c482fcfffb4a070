package org.supportbot.app.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.supportbot.core.desk.IncidentDesk;

/**
 * Whether the desk is healthy: every configured platform connected, the database answering, and no
 * timer more than {@link #LATE_AFTER} past its due time without having fired (timers set aside
 * because they fail are reported, not counted as late). While the process is stopping it is unhealthy,
 * so a load balancer stops sending work.
 */
public final class HealthCheck {
  /** A timer still unfired this long after its due time is late: the scheduler ticks every second or so. */
  public static final Duration LATE_AFTER = Duration.ofMinutes(1);

  /** The verdict and the JSON body of {@code GET /health}. */
  public record Report(boolean healthy, String json) {}

  private final Map<String, BooleanSupplier> platforms = new LinkedHashMap<>();
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

  /** From now on the desk reports itself unhealthy: it is shutting down. */
  public void stopping() {
    stopping = true;
  }

  /** Checks everything now. */
  public synchronized Report check() {
    ObjectNode root = json.createObjectNode();
    ArrayNode problems = json.createArrayNode();
    ObjectNode ps = json.createObjectNode();
    platforms.forEach((name, connected) -> {
      boolean up = connected.getAsBoolean();
      ps.putObject(name).put("connected", up);
      if (!up) {
        problems.add(name + " is not connected");
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
    if (stopping) {
      problems.add("shutting down");
    }
    boolean healthy = problems.isEmpty();
    root.put("status", healthy ? "ok" : "unhealthy");
    root.set("platforms", ps);
    root.set("database", db);
    root.set("timers", t);
    root.set("problems", problems);
    return new Report(healthy, root.toString());
  }
}
