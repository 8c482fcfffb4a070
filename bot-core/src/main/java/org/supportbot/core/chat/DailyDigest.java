package org.supportbot.core.chat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.IncidentSnapshot;

/**
 * The managers' daily digest: open cases, those breached and those due within four hours, and this
 * month's availability so far under each policy with a target, and this month's satisfaction
 * ratings so far; once a day at the settings' hour, remembered by a mark committed with the messages.
 */
final class DailyDigest {
  private static final String MARK = "digest";
  private final DeskContext desk;
  private final AvailabilityCommands availability;
  private final SatisfactionCommands satisfaction;

  DailyDigest(DeskContext desk, AvailabilityCommands availability, SatisfactionCommands satisfaction) {
    this.desk = desk;
    this.availability = availability;
    this.satisfaction = satisfaction;
  }

  /** Adds the digest to {@code step} if it is due at {@code now} and not sent today. */
  void addIfDue(Instant now, Step step) {
    ZonedDateTime local = now.atZone(desk.settings.digestZone());
    LocalDate today = local.toLocalDate();
    if (local.toLocalTime().isBefore(desk.settings.digestAt())
        || desk.conversations.mark(MARK).map(d -> d.equals(today.toString())).orElse(false)) {
      return;
    }
    step.marks.put(MARK, today.toString());
    List<IncidentSnapshot> open = desk.incidents.queue(1000);
    List<IncidentSnapshot> breached = open.stream()
        .filter(s -> s.clocks().values().stream().anyMatch(c -> c.breachedAt().isPresent())).toList();
    List<IncidentSnapshot> atRisk = open.stream().filter(s -> !breached.contains(s))
        .filter(s -> CaseViews.next(s).map(n -> n.getValue().isBefore(now.plus(Duration.ofHours(4))))
            .orElse(false)).toList();
    List<String> uptime = new ArrayList<>(availability.digestLines(now));
    uptime.addAll(satisfaction.digestLines(now));
    List<Outbound> out = new ArrayList<>();
    for (Identity manager : desk.settings.managers()) {
      Outbound.Builder b = Outbound.to(new Outbound.ToPerson(manager), Outbound.Kind.DIGEST)
          .text("Daily digest for " + today + ": " + open.size() + " open, " + breached.size() + " breached, "
              + atRisk.size() + " due within 4 hours.");
      if (!breached.isEmpty()) {
        b.text("Breached:");
        breached.forEach(s -> desk.views.queueLine(b, s));
      }
      if (!atRisk.isEmpty()) {
        b.text("At risk:");
        atRisk.forEach(s -> desk.views.queueLine(b, s));
      }
      uptime.forEach(b::text);
      out.add(b.build());
    }
    step.out.addAll(out);
  }
}
