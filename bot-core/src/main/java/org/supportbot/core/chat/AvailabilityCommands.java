package org.supportbot.core.chat;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.supportbot.config.policy.Availability;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.availability.MonthlyAvailability;
import org.supportbot.core.chatstate.ConversationStore.Maintenance;
import org.supportbot.core.chatstate.ConversationStore.Outage;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.DirectoryStore;
import org.supportbot.core.incident.ChatPlace;

/**
 * The service's availability, for policies with an {@code availability} section (Atheer, seed 002):
 * {@code /outage start|end} records outages, {@code /maintenance schedule} plans maintenance within
 * the policy's notice and monthly limit, {@code /availability} reports a month against the target
 * (scheduled maintenance is excluded downtime), and the organizations under such a policy are told
 * in their channels when maintenance is scheduled, starts and ends. {@code /maintenance emergency}
 * starts maintenance at once without notice: seed 002 counts "reasonable emergency maintenance" as
 * Scheduled Maintenance, so it is excluded downtime within the same monthly limit (beyond it, it is
 * refused: the unavailability is then an outage, downtime). {@code /maintenance cancel} cancels a
 * window that has not started, and the organizations told of it are told it is cancelled.
 *
 * <p>The notices are sent by the rendering step ({@link #announce}): each window keeps the last
 * phase announced in a desk mark committed with the notices, so a crash neither loses nor repeats
 * one, and a notice due while the desk was down goes out with the next tick.
 */
final class AvailabilityCommands {
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);
  private static final List<String> PHASES = List.of("scheduled", "started", "ended", "cancelled");
  /** How long after its end a window's end notice is still sent (after a longer outage of the desk it is not). */
  private static final Duration STALE = Duration.ofDays(1);
  /** How far ahead windows are looked at for their notices. */
  private static final Duration AHEAD = Duration.ofDays(3660);

  private final DeskContext desk;
  /** Serializes the check of the monthly limit with the insert of the window it admits. */
  private final ReentrantLock scheduling = new ReentrantLock();

  AvailabilityCommands(DeskContext desk) {
    this.desk = desk;
  }

  void apply(Who who, DeskCommand.Availability command, Step step) {
    switch (command) {
      case DeskCommand.OutageStart s -> startOutage(who, s.note(), step);
      case DeskCommand.OutageEnd e -> endOutage(who, e.note(), step);
      case DeskCommand.ScheduleMaintenance m -> schedule(who, m.start().toInstant(), m.duration(), m.note(), false, step);
      case DeskCommand.EmergencyMaintenance m -> schedule(who, desk.clock.instant(), m.duration(), m.note(), true, step);
      case DeskCommand.CancelMaintenance c -> cancel(who, c, step);
      case DeskCommand.AvailabilityReport r -> step.out.add(report(who, r.month()));
    }
  }

  // ---- outages ---------------------------------------------------------------------------------

  private void startOutage(Who who, String note, Step step) {
    Instant now = desk.clock.instant();
    Optional<Outage> open = desk.conversations.openOutage();
    if (open.isPresent()) {
      step.out.add(reply(who, "Nothing recorded: an outage is already recorded since ", open.get().start(),
          " (" + open.get().note() + "). End it with /outage end when the service is back."));
      return;
    }
    String clean = desk.redactor.clean(note.isBlank() ? "no note" : note.strip());
    desk.conversations.startOutage(now, who.in().person().toString(), clean);
    step.out.add(reply(who, "Outage recorded from ", now, " (" + clean + "). It counts as downtime until"
        + " /outage end, except while scheduled maintenance runs."));
  }

  private void endOutage(Who who, String note, Step step) {
    Instant now = desk.clock.instant();
    Optional<Outage> open = desk.conversations.openOutage();
    if (open.isEmpty()) {
      step.out.add(desk.reply(who, "Nothing recorded: no outage is going on. Record one with /outage start [note]."));
      return;
    }
    desk.conversations.endOutage(now, desk.redactor.clean(note.strip()));
    step.out.add(reply(who, "Outage ended at ", now, "; it lasted " + CaseViews.hours(
        Duration.between(open.get().start(), now)) + " from ", open.get().start(), "."));
  }

  // ---- maintenance -----------------------------------------------------------------------------

  /**
   * A window {@code [start, start + duration)}: with notice as the policies ask, or in an
   * {@code emergency} from now without notice; both within the monthly limit and apart from the
   * windows already scheduled.
   */
  private void schedule(Who who, Instant start, Duration duration, String typedNote, boolean emergency, Step step) {
    Map<String, SupportPolicy> policies = policies();
    if (policies.isEmpty()) {
      step.out.add(desk.reply(who, "Nothing scheduled: no organization's policy has an availability section, so"
          + " there is nobody to tell. Bind a channel to an organization under such a policy first."));
      return;
    }
    Instant now = desk.clock.instant();
    Instant end = start.plus(duration);
    String note = desk.redactor.clean(typedNote);
    scheduling.lock();
    try {
      List<Maintenance> overlapping = desk.conversations.maintenance(start, end);
      if (!overlapping.isEmpty()) {
        Maintenance o = overlapping.getFirst();
        step.out.add(reply(who, "Nothing scheduled: it overlaps the maintenance already scheduled from ", o.start(),
            " to ", o.end(), " (" + o.note() + "). Choose a time outside it."));
        return;
      }
      for (SupportPolicy p : policies.values()) {
        Availability a = p.availability().orElseThrow();
        ZoneId zone = p.calendar().zone();
        if (!emergency && (!start.isAfter(now) || Duration.between(now, start).compareTo(a.maintenanceNotice()) < 0)) {
          step.out.add(reply(who, "Nothing scheduled: " + p.vendor() + "'s policy (" + p.id() + ") needs at least "
              + CaseViews.hours(a.maintenanceNotice()) + " of notice, and ", start, " is "
              + (start.isAfter(now) ? "only " + CaseViews.hours(Duration.between(now, start)) + " from now" : "not ahead")
              + ". The earliest start is ", now.plus(a.maintenanceNotice()), "."));
          return;
        }
        if (a.maxScheduledMaintenancePerMonth() == null) {
          continue;
        }
        for (YearMonth month = YearMonth.from(start.atZone(zone)); MonthlyAvailability.start(month, zone).isBefore(end);
            month = month.plusMonths(1)) {
          Duration adds = MonthlyAvailability.within(month, zone, start, end);
          Duration already = Duration.ZERO;
          for (Maintenance w : desk.conversations.maintenance(MonthlyAvailability.start(month, zone),
              MonthlyAvailability.start(month.plusMonths(1), zone))) {
            already = already.plus(MonthlyAvailability.within(month, zone, w.start(), w.end()));
          }
          if (already.plus(adds).compareTo(a.maxScheduledMaintenancePerMonth()) > 0) {
            step.out.add(desk.reply(who, "Nothing scheduled: " + p.vendor() + "'s policy (" + p.id() + ") allows at"
                + " most " + CaseViews.hours(a.maxScheduledMaintenancePerMonth()) + " of scheduled maintenance a month; "
                + month.format(MONTH) + " has " + CaseViews.hours(already) + " scheduled and this adds "
                + CaseViews.hours(adds) + " (" + CaseViews.hours(already.plus(adds)) + ")." + (emergency
                ? " Emergency maintenance counts toward the same limit; record the service's unavailability with"
                    + " /outage start instead, where it counts as downtime."
                : " Shorten it or move it to another month.")));
            return;
          }
        }
      }
      desk.conversations.scheduleMaintenance(start, end, now, who.in().person().toString(), note, emergency);
    } finally {
      scheduling.unlock();
    }
    step.availability = true;
    step.out.add(emergency
        ? reply(who, "Emergency maintenance recorded from ", start, " to ", end, " (" + CaseViews.hours(duration)
            + "): " + note + ". It is excluded downtime within the monthly limit. " + channels().size()
            + " organization channel(s) are told now and when it ends.")
        : reply(who, "Maintenance scheduled from ", start, " to ", end, " (" + CaseViews.hours(duration)
            + "): " + note + ". " + channels().size() + " organization channel(s) are told now, when it starts and"
            + " when it ends."));
  }

  /** Cancels the window that starts at the given instant, if it has not started; its organizations are told. */
  private void cancel(Who who, DeskCommand.CancelMaintenance c, Step step) {
    Instant now = desk.clock.instant();
    Instant start = c.start().toInstant();
    scheduling.lock();
    try {
      Optional<Maintenance> window = desk.conversations.maintenance(start, start.plusMillis(1)).stream()
          .filter(w -> w.start().equals(start)).findFirst();
      if (window.isEmpty()) {
        step.out.add(reply(who, "Nothing cancelled: no maintenance is scheduled to start at ", start, ". Give the"
            + " start as it was scheduled, with its offset."));
        return;
      }
      Maintenance w = window.get();
      if (!now.isBefore(w.start())) {
        step.out.add(reply(who, "Nothing cancelled: the maintenance from ", w.start(), " to ", w.end(), " ("
            + w.note() + ") has " + (now.isBefore(w.end()) ? "started" : "ended") + "; only a window that has not"
            + " started can be cancelled."));
        return;
      }
      desk.conversations.cancelMaintenance(w.id(), now, who.in().person().toString(),
          desk.redactor.clean(c.reason().strip()));
    } finally {
      scheduling.unlock();
    }
    step.availability = true;
    step.out.add(reply(who, "Maintenance from ", start, " cancelled. The organization channels told of it are told"
        + " now."));
  }

  /**
   * Adds the maintenance notices due at {@code now} to {@code step}: for each window the phase it is
   * in (scheduled, started, ended), once, to every channel of an organization under a policy with
   * an availability section. Runs in the rendering step; the marks commit with the notices.
   */
  void announce(Instant now, Step step) {
    List<Maintenance> windows = desk.conversations.maintenance(now.minus(STALE), now.plus(AHEAD));
    List<Maintenance> cancelled = desk.conversations.cancelledMaintenance(now, now.plus(AHEAD));
    if (windows.isEmpty() && cancelled.isEmpty()) {
      return;
    }
    List<DirectoryStore.Bound> channels = channels();
    for (Maintenance w : cancelled) {
      String mark = "maintenance:" + w.id();
      Optional<String> done = desk.conversations.mark(mark);
      if (done.isEmpty() || done.get().equals("cancelled")) {
        continue; // never announced, or its cancellation already was
      }
      step.marks.put(mark, "cancelled");
      for (DirectoryStore.Bound b : channels) {
        String vendor = desk.loadedPolicy(b.organization().policyId()).orElseThrow().vendor();
        step.out.add(Outbound.toPlace(new ChatPlace(b.platform(), b.workspace(), b.channel(), ""), Outbound.Kind.NOTICE)
            .text("The maintenance of the " + vendor + " service scheduled from ", w.start(), " to ", w.end(), " ("
                + w.note() + ") is cancelled" + (w.cancelNote().isBlank() ? "." : ": " + w.cancelNote() + ".")
                + " The service stays available then.")
            .build());
      }
    }
    for (Maintenance w : windows) {
      String mark = "maintenance:" + w.id();
      int done = desk.conversations.mark(mark).map(PHASES::indexOf).orElse(-1);
      int due = now.isBefore(w.start()) ? 0 : now.isBefore(w.end()) ? 1 : 2;
      if (due <= done) {
        continue;
      }
      step.marks.put(mark, PHASES.get(due));
      for (DirectoryStore.Bound b : channels) {
        String vendor = desk.loadedPolicy(b.organization().policyId()).orElseThrow().vendor();
        Outbound.Builder n = Outbound.toPlace(new ChatPlace(b.platform(), b.workspace(), b.channel(), ""),
            Outbound.Kind.NOTICE);
        String kind = w.emergency() ? "Emergency" : "Scheduled";
        switch (due) {
          case 0 -> n.text("Scheduled maintenance of the " + vendor + " service from ", w.start(), " to ", w.end(),
              " (" + CaseViews.hours(Duration.between(w.start(), w.end())) + "): " + w.note() + ". The service may"
              + " be unavailable then; scheduled maintenance is excluded downtime under your support policy.");
          case 1 -> n.text(kind + " maintenance of the " + vendor + " service has started" + (w.emergency()
              ? " without notice" : "") + "; it ends by ", w.end(), ": " + w.note() + "." + (w.emergency()
              ? " Reasonable emergency maintenance is excluded downtime under your support policy." : ""));
          default -> n.text(kind + " maintenance of the " + vendor + " service has ended (", w.start(), " to ",
              w.end(), "): " + w.note() + ".");
        }
        step.out.add(n.build());
      }
    }
  }

  /** The next start or end of a maintenance window after {@code now}, when a notice falls due. */
  Optional<Instant> nextBoundary(Instant now) {
    return desk.conversations.maintenance(now, now.plus(AHEAD)).stream()
        .flatMap(w -> java.util.stream.Stream.of(w.start(), w.end()))
        .filter(t -> t.isAfter(now)).min(Instant::compareTo);
  }

  // ---- the monthly figure ----------------------------------------------------------------------

  private Outbound report(Who who, Optional<YearMonth> asked) {
    Instant now = desk.clock.instant();
    Map<String, SupportPolicy> policies = who.channelOrg()
        .map(o -> desk.policy(o.policyId()))
        .filter(p -> p.availability().isPresent())
        .map(p -> Map.of(p.id(), p))
        .orElseGet(() -> who.vendor() && who.channelOrg().isEmpty() ? policies() : Map.of());
    Outbound.Builder b = Outbound.toPlace(who.in().place(), Outbound.Kind.REPLY).onlyFor(who.in().person());
    if (policies.isEmpty()) {
      return b.text(who.channelOrg().isPresent() ? "This organization's support policy sets no availability target."
          : "No organization here is under a policy with an availability target.").build();
    }
    for (SupportPolicy p : policies.values()) {
      ZoneId zone = p.calendar().zone();
      YearMonth month = asked.orElse(YearMonth.from(now.atZone(zone)));
      if (MonthlyAvailability.start(month, zone).isAfter(now)) {
        b.text(month.format(MONTH) + " has not begun; nothing to report for " + p.vendor() + ".");
        continue;
      }
      MonthlyAvailability a = compute(p, month, now);
      b.text(line(p, a));
      b.fact("Downtime", CaseViews.hours(Duration.ofMinutes(a.downtimeMinutes())) + " in " + a.outages()
          + " outage(s), of " + a.minutesInMonth() + " minutes in the month (24/7, "
          + zone.getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + ")");
      b.fact("Scheduled maintenance", CaseViews.hours(Duration.ofMinutes(a.maintenanceMinutes())) + " ("
          + CaseViews.hours(Duration.ofMinutes(a.excludedMinutes())) + " of outage in it excluded)"
          + Optional.ofNullable(p.availability().orElseThrow().maxScheduledMaintenancePerMonth())
              .map(max -> "; at most " + CaseViews.hours(max) + " a month").orElse(""));
    }
    return b.build();
  }

  /** One line per policy with an availability target, for the daily digest: this month so far. */
  List<String> digestLines(Instant now) {
    List<String> out = new ArrayList<>();
    for (SupportPolicy p : policies().values()) {
      MonthlyAvailability a = compute(p, YearMonth.from(now.atZone(p.calendar().zone())), now);
      out.add(line(p, a));
    }
    return out;
  }

  private MonthlyAvailability compute(SupportPolicy p, YearMonth month, Instant now) {
    ZoneId zone = p.calendar().zone();
    Instant from = MonthlyAvailability.start(month, zone);
    Instant to = MonthlyAvailability.start(month.plusMonths(1), zone);
    return MonthlyAvailability.of(month, zone, p.availability().orElseThrow(), now,
        desk.conversations.outages(from, to), desk.conversations.maintenance(from, to));
  }

  private static String line(SupportPolicy p, MonthlyAvailability a) {
    String target = a.target().stripTrailingZeros().toPlainString() + "%";
    return "Availability of " + p.vendor() + " for " + a.month().format(MONTH) + (a.complete() ? ": " : " so far: ")
        + a.shown() + " (target " + target + ", " + (a.met() ? "met" : "missed") + (a.complete() ? "" : " so far")
        + "; " + a.downtimeMinutes() + " minutes of downtime, scheduled maintenance excluded).";
  }

  // ---- shared ----------------------------------------------------------------------------------

  /** The policies with an availability section that organizations with a bound channel are under, by id. */
  private Map<String, SupportPolicy> policies() {
    Map<String, SupportPolicy> out = new LinkedHashMap<>();
    for (DirectoryStore.Bound b : channels()) {
      desk.loadedPolicy(b.organization().policyId()).ifPresent(p -> out.putIfAbsent(p.id(), p));
    }
    return out;
  }

  /**
   * The channels of organizations under a loaded policy with an availability section (an
   * organization whose policy is no longer configured is left out rather than stopping the tick).
   */
  private List<DirectoryStore.Bound> channels() {
    return desk.directory.store().channels().stream()
        .filter(b -> desk.loadedPolicy(b.organization().policyId()).flatMap(SupportPolicy::availability).isPresent())
        .toList();
  }

  private Outbound reply(Who who, Object... parts) {
    return Outbound.toPlace(who.in().place(), Outbound.Kind.REPLY).onlyFor(who.in().person()).text(parts).build();
  }
}
