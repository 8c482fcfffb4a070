package org.supportbot.core.sla;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.supportbot.config.calendar.BusinessCalendar;
import org.supportbot.config.policy.BusinessDuration;
import org.supportbot.config.policy.Severity;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.config.policy.TargetKind;

/**
 * Deadlines of one support policy: turns its targets ("4 business hours", "2 business days",
 * "3 days", "best effort") into instants on the policy's calendar, and starts {@link SlaClock}s.
 * Business units count on the policy's calendar (a business day being the calendar's business-day
 * length); calendar units count every hour. Thread-safe; build one per policy and keep it.
 */
public final class SlaCalculator {
  private static final BusinessClock ALWAYS = new BusinessClock(BusinessCalendar.alwaysOpen(ZoneOffset.UTC));

  private final SupportPolicy policy;
  private final BusinessClock business;

  public SlaCalculator(SupportPolicy policy) {
    this.policy = policy;
    this.business = new BusinessClock(policy.calendar());
  }

  public SupportPolicy policy() {
    return policy;
  }

  /** The clock of the policy's support hours. */
  public BusinessClock businessClock() {
    return business;
  }

  /** The clock that a duration counts on: support hours for business units, every hour otherwise. */
  public BusinessClock clockFor(BusinessDuration d) {
    return d.isBusiness() ? business : ALWAYS;
  }

  /** The business (or elapsed) time a duration stands for; empty for "best effort". */
  public Optional<Duration> length(BusinessDuration d) {
    return d.hasDeadline() ? Optional.of(d.toDuration(policy.calendar().businessDay())) : Optional.empty();
  }

  /** The deadline of a duration started at {@code from}; empty for "best effort". */
  public Optional<Instant> deadline(BusinessDuration d, Instant from) {
    return length(d).map(len -> clockFor(d).add(from, len));
  }

  /**
   * The deadline of every target of a severity, each as if its clock started at {@code from}, in
   * the policy's target order; a target without a deadline maps to an empty optional.
   */
  public Map<String, Optional<Instant>> deadlines(Severity severity, Instant from) {
    Map<String, Optional<Instant>> out = new LinkedHashMap<>();
    for (TargetKind t : policy.targets()) {
      BusinessDuration d = severity.targets().get(t.id());
      out.put(t.id(), d == null ? Optional.empty() : deadline(d, from));
    }
    return out;
  }

  /**
   * Where a target's clock starts, as the desk starts it: at submission, or at the vendor's first
   * public response for targets that start then (Alectrona's update target).
   *
   * @param from what starts the clock
   * @param at when it starts
   * @param assumed whether {@code at} is the first response's deadline, standing in for a first
   *     response that has not happened (or was not given)
   */
  public record TargetStart(TargetKind.Start from, Instant at, boolean assumed) {}

  /**
   * Where each target of a severity starts for a case submitted at {@code submitted} whose first
   * public response came at {@code firstResponse}; without one, a target that starts at the first
   * response is counted from the first-response deadline (the latest the response may come), and
   * says so. A target whose start cannot be known (the first response is best effort) is left out.
   */
  public Map<String, TargetStart> starts(Severity severity, Instant submitted, Optional<Instant> firstResponse) {
    Optional<Instant> responseDue = policy.targets().stream()
        .filter(t -> t.startsAt() == TargetKind.Start.SUBMISSION && t.metBy() == TargetKind.MetBy.PUBLIC_RESPONSE)
        .map(t -> severity.targets().get(t.id())).filter(d -> d != null && d.hasDeadline())
        .map(d -> deadline(d, submitted).orElseThrow()).findFirst();
    Map<String, TargetStart> out = new LinkedHashMap<>();
    for (TargetKind t : policy.targets()) {
      switch (t.startsAt()) {
        case SUBMISSION -> out.put(t.id(), new TargetStart(TargetKind.Start.SUBMISSION, submitted, false));
        case FIRST_RESPONSE -> firstResponse.map(at -> new TargetStart(TargetKind.Start.FIRST_RESPONSE, at, false))
            .or(() -> responseDue.map(at -> new TargetStart(TargetKind.Start.FIRST_RESPONSE, at, true)))
            .ifPresent(st -> out.put(t.id(), st));
      }
    }
    return out;
  }

  /**
   * The deadline of every target of a severity for a case submitted at {@code submitted}, each
   * counted from where {@link #starts} puts it; a target without a deadline (best effort, or a start
   * that cannot be known) maps to an empty optional.
   */
  public Map<String, Optional<Instant>> deadlines(Severity severity, Instant submitted, Optional<Instant> firstResponse) {
    Map<String, TargetStart> starts = starts(severity, submitted, firstResponse);
    Map<String, Optional<Instant>> out = new LinkedHashMap<>();
    for (TargetKind t : policy.targets()) {
      BusinessDuration d = severity.targets().get(t.id());
      TargetStart st = starts.get(t.id());
      out.put(t.id(), d == null || st == null ? Optional.empty() : deadline(d, st.at()));
    }
    return out;
  }

  /** Starts the clock of one target of a severity at {@code at}. */
  public SlaClock startClock(TargetKind target, Severity severity, Instant at) {
    BusinessDuration d = severity.targets().get(target.id());
    if (d == null) {
      throw new IllegalArgumentException("severity " + severity.id() + " of " + policy.id() + " has no " + target.id() + " target");
    }
    return SlaClock.start(target.id(), clockFor(d), length(d).orElse(null), at);
  }

  /** The target length of a severity for a target kind, for re-targeting a running clock. */
  public Optional<Duration> targetLength(TargetKind target, Severity severity) {
    BusinessDuration d = severity.targets().get(target.id());
    return d == null ? Optional.empty() : length(d);
  }
}
