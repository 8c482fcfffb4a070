package org.supportbot.core.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.config.policy.BusinessDuration;
import org.supportbot.config.policy.DroppedCaseRule;
import org.supportbot.core.sla.SlaCalculator;
import org.supportbot.core.sla.SlaClock;
import org.supportbot.core.timer.Timer;

/**
 * The timers an incident needs in its current state: pre-breach warnings at fractions of each
 * running target and the breach itself, reminders and the lapse of an unanswered request for
 * information, and closing after the quiet period. Planned again after every change; the store
 * keeps a timer whose key did not change and cancels the unfired ones no longer planned.
 */
public final class TimerPlan {
  private final List<Integer> warningPercents;
  private final Optional<Duration> countdownEvery;

  /** @param warningPercents e.g. [50, 75, 90]: warn when this share of a target has elapsed */
  public TimerPlan(List<Integer> warningPercents) {
    this(warningPercents, Optional.empty());
  }

  /**
   * @param warningPercents e.g. [50, 75, 90]: warn when this share of a target has elapsed
   * @param countdownEvery how often a running target's live countdown is refreshed, if at all
   */
  public TimerPlan(List<Integer> warningPercents, Optional<Duration> countdownEvery) {
    countdownEvery.ifPresent(d -> {
      if (d.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new IllegalArgumentException("a countdown is refreshed at most once a minute, got every " + d);
      }
    });
    this.countdownEvery = countdownEvery;
    for (int p : warningPercents) {
      if (p <= 0 || p >= 100) {
        throw new IllegalArgumentException("a warning is given at 1-99 % of a target, got " + p + " %");
      }
    }
    this.warningPercents = List.copyOf(warningPercents);
  }

  /** Why a timer exists; its {@link #kind()} is stored with the timer. */
  public sealed interface Purpose {
    String kind();

    record SlaWarning(String target, int percent) implements Purpose {
      @Override
      public String kind() {
        return "sla-warning:" + target + ":" + percent;
      }
    }

    record SlaBreach(String target) implements Purpose {
      @Override
      public String kind() {
        return "sla-breach:" + target;
      }
    }

    /** Refresh the live countdown of a running target; no event, the chat message is edited. */
    record Countdown(String target) implements Purpose {
      @Override
      public String kind() {
        return "countdown:" + target;
      }
    }

    record InfoReminder(int index) implements Purpose {
      @Override
      public String kind() {
        return "info-reminder:" + index;
      }
    }

    record InfoLapse() implements Purpose {
      @Override
      public String kind() {
        return "info-lapse";
      }
    }

    record QuietClose() implements Purpose {
      @Override
      public String kind() {
        return "quiet-close";
      }
    }

    /** Tell the customer a resolved case is about to close on its quiet period. */
    record CloseWarning() implements Purpose {
      @Override
      public String kind() {
        return "close-warning";
      }
    }

    static Purpose parse(String kind) {
      String[] p = kind.split(":");
      return switch (p[0]) {
        case "sla-warning" -> new SlaWarning(p[1], Integer.parseInt(p[2]));
        case "sla-breach" -> new SlaBreach(p[1]);
        case "countdown" -> new Countdown(p[1]);
        case "info-reminder" -> new InfoReminder(Integer.parseInt(p[1]));
        case "info-lapse" -> new InfoLapse();
        case "quiet-close" -> new QuietClose();
        case "close-warning" -> new CloseWarning();
        default -> throw new IllegalArgumentException("unknown timer kind \"" + kind + "\"; this build knows sla-warning,"
            + " sla-breach, countdown, info-reminder, info-lapse, quiet-close and close-warning");
      };
    }
  }

  /** The deadline version of a running clock: its deadline in epoch milliseconds. */
  static Optional<Long> slaVersion(Incident.TargetClock c) {
    return c.clock().state() == SlaClock.State.RUNNING ? c.clock().deadline().map(Instant::toEpochMilli) : Optional.empty();
  }

  /** When the open request of a waiting case counts as unanswered. */
  static Instant lapse(Incident inc, DroppedCaseRule rule) {
    return inc.sla().deadline(rule.waitForReply(), inc.requestedAt()).orElseThrow();
  }

  /** When a resolved case closes by itself: the policy's quiet period after the resolution. */
  static Instant quietClose(Incident inc) {
    return inc.sla().deadline(inc.policy().resolution().closeAfter(), inc.resolvedAt()).orElseThrow();
  }

  /**
   * When the customer is warned that a resolved case is about to close: the policy's
   * {@code warn_before_close} before the quiet period ends, on the quiet period's clock; none when
   * the policy sets no warning or the warning would not come after the resolution.
   */
  static Optional<Instant> closeWarning(Incident inc) {
    var rule = inc.policy().resolution();
    if (rule.warnBeforeClose().isEmpty() || !rule.closeAfter().hasDeadline()) {
      return Optional.empty();
    }
    SlaCalculator sla = inc.sla();
    Duration quiet = sla.length(rule.closeAfter()).orElseThrow();
    Duration lead = sla.length(rule.warnBeforeClose().get()).orElse(Duration.ZERO);
    if (!lead.isPositive() || lead.compareTo(quiet) >= 0) {
      return Optional.empty();
    }
    return Optional.of(sla.clockFor(rule.closeAfter()).add(inc.resolvedAt(), quiet.minus(lead)));
  }

  /** The timers {@code inc} needs, as of its last change. */
  public List<Timer> plan(Incident inc) {
    return plan(inc, inc.lastEventAt());
  }

  /**
   * The timers {@code inc} needs at {@code now}: the warnings, breach, reminders and closing of its
   * state, and the next countdown refresh after {@code now} of each running target (version k for
   * the k-th refresh since the clock last changed, so a refresh is never repeated).
   */
  public List<Timer> plan(Incident inc, Instant now) {
    List<Timer> out = new ArrayList<>();
    String id = inc.number().toString();
    if (inc.state().terminal()) {
      return out;
    }
    inc.clocks().forEach((target, c) -> {
      Optional<Long> version = slaVersion(c);
      Optional<Duration> length = c.clock().target();
      if (version.isEmpty() || length.isEmpty()) {
        return;
      }
      Instant deadline = Instant.ofEpochMilli(version.get());
      for (int p : warningPercents) {
        Instant due = c.clock().retarget(length.get().multipliedBy(p).dividedBy(100)).deadline().orElseThrow();
        if (!due.isBefore(c.changedAt()) && due.isBefore(deadline)) {
          out.add(new Timer(id, new Purpose.SlaWarning(target, p).kind(), version.get(), due));
        }
      }
      out.add(new Timer(id, new Purpose.SlaBreach(target).kind(), version.get(), deadline));
      countdownEvery.ifPresent(every -> {
        Instant from = c.changedAt();
        long k = now.isBefore(from) ? 1 : Duration.between(from, now).dividedBy(every) + 1;
        Instant due = from.plus(every.multipliedBy(k));
        if (due.isBefore(deadline)) {
          out.add(new Timer(id, new Purpose.Countdown(target).kind(), k, due));
        }
      });
    });
    Optional<DroppedCaseRule> dropped = inc.policy().droppedCase();
    if (inc.state() == IncidentState.WAITING_ON_CUSTOMER && inc.openRequest() > 0 && dropped.isPresent()) {
      DroppedCaseRule rule = dropped.get();
      SlaCalculator sla = inc.sla();
      Duration wait = sla.length(rule.waitForReply()).orElseThrow();
      for (int i = 0; i < rule.remindersBefore().size(); i++) {
        BusinessDuration before = rule.remindersBefore().get(i);
        Duration lead = sla.length(before).orElse(Duration.ZERO);
        if (lead.isPositive() && lead.compareTo(wait) < 0) {
          Instant due = sla.clockFor(rule.waitForReply()).add(inc.requestedAt(), wait.minus(lead));
          out.add(new Timer(id, new Purpose.InfoReminder(i + 1).kind(), inc.openRequest(), due));
        }
      }
      out.add(new Timer(id, new Purpose.InfoLapse().kind(), inc.openRequest(), lapse(inc, rule)));
    }
    if (inc.state() == IncidentState.RESOLVED && inc.policy().resolution().closeAfter().hasDeadline()) {
      Instant due = quietClose(inc);
      out.add(new Timer(id, new Purpose.QuietClose().kind(), inc.resolutions(), due));
      closeWarning(inc).ifPresent(at -> out.add(new Timer(id, new Purpose.CloseWarning().kind(), inc.resolutions(), at)));
    }
    return out;
  }

  public Optional<Duration> countdownEvery() {
    return countdownEvery;
  }

  public List<Integer> warningPercents() {
    return warningPercents;
  }

  @Override
  public String toString() {
    return "TimerPlan" + Objects.toString(warningPercents);
  }
}
