package org.supportbot.core.sla;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The clock of one response target on one case: business time elapsed toward the target, which
 * may be paused and resumed (waiting on the customer, where the policy says so), re-targeted (a
 * severity change: time already spent counts against the new target), re-armed (a new update
 * interval) and stopped (the target was met). Immutable: every change returns a new clock.
 */
public final class SlaClock {
  /** Where a clock stands. */
  public enum State {
    RUNNING,
    PAUSED,
    STOPPED
  }

  private final String targetId;
  private final BusinessClock clock;
  private final Duration target;
  private final List<Instant> runStarts;
  private final List<Instant> runEnds;
  private final State state;

  private SlaClock(String targetId, BusinessClock clock, Duration target, List<Instant> runStarts, List<Instant> runEnds,
      State state) {
    this.targetId = Objects.requireNonNull(targetId, "targetId");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (target != null && target.isNegative()) {
      throw new IllegalArgumentException("a target cannot be negative: " + target);
    }
    this.target = target;
    this.runStarts = List.copyOf(runStarts);
    this.runEnds = List.copyOf(runEnds);
    this.state = state;
  }

  /**
   * Starts a clock at {@code at}.
   *
   * @param target the business time allowed, or null for a target with no deadline ("best effort")
   */
  public static SlaClock start(String targetId, BusinessClock clock, Duration target, Instant at) {
    return new SlaClock(targetId, clock, target, List.of(at), List.of(), State.RUNNING);
  }

  public String targetId() {
    return targetId;
  }

  public State state() {
    return state;
  }

  /** The business time allowed; empty for a target without a deadline. */
  public Optional<Duration> target() {
    return Optional.ofNullable(target);
  }

  /** When the clock was first started. */
  public Instant startedAt() {
    return runStarts.get(0);
  }

  public SlaClock pause(Instant at) {
    requireState(State.RUNNING, "pause");
    requireNotBefore(at);
    List<Instant> ends = new ArrayList<>(runEnds);
    ends.add(at);
    return new SlaClock(targetId, clock, target, runStarts, ends, State.PAUSED);
  }

  public SlaClock resume(Instant at) {
    requireState(State.PAUSED, "resume");
    requireNotBefore(at);
    List<Instant> starts = new ArrayList<>(runStarts);
    starts.add(at);
    return new SlaClock(targetId, clock, target, starts, runEnds, State.RUNNING);
  }

  /** Stops the clock for good: the target was met at {@code at}. */
  public SlaClock stop(Instant at) {
    if (state == State.STOPPED) {
      throw new IllegalStateException("the " + targetId + " clock is already stopped");
    }
    requireNotBefore(at);
    List<Instant> ends = new ArrayList<>(runEnds);
    if (state == State.RUNNING) {
      ends.add(at);
    }
    return new SlaClock(targetId, clock, target, runStarts, ends, State.STOPPED);
  }

  /** A new target (severity change); business time already spent counts against it. */
  public SlaClock retarget(Duration newTarget) {
    return new SlaClock(targetId, clock, newTarget, runStarts, runEnds, state);
  }

  /** Starts a fresh interval at {@code at} (an update target after each public update). */
  public SlaClock rearm(Instant at) {
    return start(targetId, clock, target, at);
  }

  /** Business time counted up to {@code now}. */
  public Duration elapsed(Instant now) {
    Duration sum = Duration.ZERO;
    for (int i = 0; i < runStarts.size(); i++) {
      Instant end = i < runEnds.size() ? runEnds.get(i) : now;
      if (end.isAfter(runStarts.get(i))) {
        sum = sum.plus(clock.between(runStarts.get(i), end.isAfter(now) ? now : end));
      }
    }
    return sum;
  }

  /**
   * The instant the target is (or was) reached while running; empty while paused, when stopped
   * before reaching it, or when the target has no deadline. A deadline already passed is returned
   * as is: the case is in breach.
   */
  public Optional<Instant> deadline() {
    if (target == null) {
      return Optional.empty();
    }
    Duration left = target;
    for (int i = 0; i < runStarts.size(); i++) {
      Instant s = runStarts.get(i);
      Instant reached = clock.add(s, left);
      if (i >= runEnds.size() || !reached.isAfter(runEnds.get(i))) {
        return Optional.of(reached);
      }
      left = left.minus(clock.between(s, runEnds.get(i)));
    }
    return Optional.empty();
  }

  /** Whether the target was exceeded by {@code now} (or, when stopped, before it was met). */
  public boolean breached(Instant now) {
    Optional<Instant> d = deadline();
    return d.isPresent() && d.get().isBefore(now) && (state != State.STOPPED || d.get().isBefore(runEnds.get(runEnds.size() - 1)));
  }

  /**
   * The segments behind the deadline (or up to {@code now} when there is none or it lies later):
   * counted, out-of-hours and holiday stretches while running, and paused stretches.
   */
  public List<Segment> explain(Instant now) {
    Instant until = deadline().filter(d -> state == State.RUNNING).orElse(now);
    if (until.isBefore(now) && state != State.RUNNING) {
      until = now;
    }
    List<Segment> out = new ArrayList<>();
    for (int i = 0; i < runStarts.size(); i++) {
      Instant s = runStarts.get(i);
      Instant e = i < runEnds.size() ? runEnds.get(i) : until;
      if (e.isAfter(s)) {
        out.addAll(clock.explain(s, e));
      }
      Instant nextStart = i + 1 < runStarts.size() ? runStarts.get(i + 1) : null;
      if (i < runEnds.size()) {
        Instant pauseEnd = nextStart != null ? nextStart : (state == State.PAUSED ? now : null);
        if (pauseEnd != null && pauseEnd.isAfter(runEnds.get(i))) {
          out.add(new Segment(Segment.Kind.PAUSED, runEnds.get(i), pauseEnd, "clock paused"));
        }
      }
    }
    return out;
  }

  private void requireState(State expected, String action) {
    if (state != expected) {
      throw new IllegalStateException("cannot " + action + " the " + targetId + " clock: it is " + state.name().toLowerCase()
          + ", not " + expected.name().toLowerCase());
    }
  }

  private void requireNotBefore(Instant at) {
    Instant lastChange = runEnds.size() == runStarts.size() ? runEnds.get(runEnds.size() - 1) : runStarts.get(runStarts.size() - 1);
    if (at.isBefore(lastChange)) {
      throw new IllegalArgumentException("clock change at " + at + " is before the previous change at " + lastChange);
    }
  }

  @Override
  public String toString() {
    return "SlaClock[" + targetId + ", " + state + ", target=" + target + ", deadline=" + deadline().orElse(null) + "]";
  }
}
