package org.supportbot.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.supportbot.core.chat.ChatFixture.ACME;
import static org.supportbot.core.chat.ChatFixture.ANA;
import static org.supportbot.core.chat.ChatFixture.EVE;
import static org.supportbot.core.chat.ChatFixture.IAN;
import static org.supportbot.core.chat.ChatFixture.INITECH;
import static org.supportbot.core.chat.ChatFixture.MAX;
import static org.supportbot.core.chat.ChatFixture.TRIAGE;
import static org.supportbot.core.chat.ChatFixture.text;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.conversation.Outbound;

/**
 * Atheer's availability (seed 002) through the desk: outages and scheduled maintenance recorded by
 * the vendor, the 24 hours' notice and the 8 hours a month, the notices to the organizations under
 * the policy, and the monthly figure against 98.5 % with scheduled maintenance excluded.
 */
class AvailabilityTest {

  /** The availability commands; they name no case, so their manifest hints are run here, not in CaseNumbersTest. */
  static final java.util.Set<String> COMMANDS = java.util.Set.of("/outage", "/maintenance", "/availability");

  /** Tuesday 1 December 2026, 09:00 in Los Angeles. */
  private static final Instant TUESDAY_9AM = Instant.parse("2026-12-01T17:00:00Z");

  @TempDir Path dir;

  private ChatFixture desk(String name) {
    ChatFixture f = new ChatFixture(dir.resolve(name + ".db"), TUESDAY_9AM);
    f.desk.tick(); // Tuesday's 08:00 digest is due at the start: out of the way
    return f;
  }

  private static List<Outbound> to(List<Outbound> out, Outbound.Target target) {
    return out.stream().filter(o -> o.to().equals(target)).toList();
  }

  private static Outbound.Target in(org.supportbot.core.incident.ChatPlace place) {
    return new Outbound.ToPlace(place);
  }

  @Test
  void maintenanceNeedsTwentyFourHoursNoticeAndIsRefusedOtherwiseChangingNothing() {
    try (ChatFixture f = desk("notice")) {
      // 08:00 PST on Wednesday is 23 hours away
      List<Outbound> out = f.command(EVE, TRIAGE, "/maintenance schedule 2026-12-02T08:00-08:00 2h database upgrade");
      assertThat(text(out)).isEqualTo("Nothing scheduled: Atheer's policy (atheer) needs at least 24h of notice, and"
          + " <2026-12-02T16:00:00Z> is only 23h from now. The earliest start is <2026-12-02T17:00:00Z>.");
      assertThat(out.getFirst().onlyFor()).contains(EVE);
      assertThat(f.conversations.maintenance(TUESDAY_9AM, TUESDAY_9AM.plus(Duration.ofDays(60)))).isEmpty();
      assertThat(to(f.desk.tick(), in(ACME))).isEmpty();

      assertThat(text(f.command(EVE, TRIAGE, "/maintenance schedule 2026-11-30T08:00-08:00 2h too late")))
          .startsWith("Nothing scheduled: Atheer's policy (atheer) needs at least 24h of notice, and"
              + " <2026-11-30T16:00:00Z> is not ahead.");

      // exactly 24 hours ahead is enough
      out = f.command(EVE, TRIAGE, "/maintenance schedule 2026-12-02T09:00-08:00 2h database upgrade");
      assertThat(text(to(out, in(TRIAGE)))).isEqualTo("Maintenance scheduled from <2026-12-02T17:00:00Z> to"
          + " <2026-12-02T19:00:00Z> (2h): database upgrade. 1 organization channel(s) are told now, when it starts"
          + " and when it ends.");
      assertThat(text(to(out, in(ACME)))).isEqualTo("Scheduled maintenance of the Atheer service from"
          + " <2026-12-02T17:00:00Z> to <2026-12-02T19:00:00Z> (2h): database upgrade. The service may be unavailable"
          + " then; scheduled maintenance is excluded downtime under your support policy.");
      assertThat(to(out, in(INITECH))).isEmpty(); // Atomrock's policy has no availability section
    }
  }

  @Test
  void maintenanceIsAtMostEightHoursACalendarMonth() {
    try (ChatFixture f = desk("limit")) {
      assertThat(text(f.command(MAX, TRIAGE, "/maintenance schedule 2026-12-05T00:00-08:00 6h platform upgrade")))
          .startsWith("Maintenance scheduled from <2026-12-05T08:00:00Z> to <2026-12-05T14:00:00Z> (6h)");
      List<Outbound> out = f.command(EVE, TRIAGE, "/maintenance schedule 2026-12-12T00:00-08:00 3h storage move");
      assertThat(text(out)).isEqualTo("Nothing scheduled: Atheer's policy (atheer) allows at most 8h of scheduled"
          + " maintenance a month; December 2026 has 6h scheduled and this adds 3h (9h). Shorten it or move it to"
          + " another month.");
      assertThat(to(out, in(ACME))).isEmpty();
      assertThat(text(f.command(EVE, TRIAGE, "/maintenance schedule 2026-12-05T05:00-08:00 2h overlap")))
          .isEqualTo("Nothing scheduled: it overlaps the maintenance already scheduled from <2026-12-05T08:00:00Z> to"
              + " <2026-12-05T14:00:00Z> (platform upgrade). Choose a time outside it.");
      assertThat(text(f.command(EVE, TRIAGE, "/maintenance schedule 2026-12-12T00:00-08:00 2h storage move")))
          .startsWith("Maintenance scheduled from <2026-12-12T08:00:00Z> to <2026-12-12T10:00:00Z> (2h)");
      // a window across the turn of the month counts in each month the part that falls in it (Los Angeles time)
      assertThat(text(f.command(EVE, TRIAGE, "/maintenance schedule 2026-12-31T23:00-08:00 2h year end")))
          .isEqualTo("Nothing scheduled: Atheer's policy (atheer) allows at most 8h of scheduled maintenance a month;"
              + " December 2026 has 8h scheduled and this adds 1h (9h). Shorten it or move it to another month.");
      assertThat(text(f.command(EVE, TRIAGE, "/maintenance schedule 2027-01-01T00:00-08:00 8h new year")))
          .startsWith("Maintenance scheduled from <2027-01-01T08:00:00Z> to <2027-01-01T16:00:00Z> (8h)");
      assertThat(f.conversations.maintenance(TUESDAY_9AM, TUESDAY_9AM.plus(Duration.ofDays(60)))).hasSize(3);
    }
  }

  @Test
  void emergencyMaintenanceStartsAtOnceIsExcludedDowntimeAndCountsTowardTheMonthlyLimit() {
    try (ChatFixture f = desk("emergency")) {
      f.clock.set(Instant.parse("2026-12-03T10:00:00Z"));
      List<Outbound> out = f.command(EVE, TRIAGE, "/maintenance emergency 90m the database failed over");
      assertThat(text(to(out, in(TRIAGE)))).isEqualTo("Emergency maintenance recorded from <2026-12-03T10:00:00Z> to"
          + " <2026-12-03T11:30:00Z> (1h 30m): the database failed over. It is excluded downtime within the monthly"
          + " limit. 1 organization channel(s) are told now and when it ends.");
      assertThat(text(to(out, in(ACME)))).isEqualTo("Emergency maintenance of the Atheer service has started without"
          + " notice; it ends by <2026-12-03T11:30:00Z>: the database failed over. Reasonable emergency maintenance is"
          + " excluded downtime under your support policy.");
      // the service is down meanwhile: excluded, as seed 002 counts reasonable emergency maintenance as scheduled
      f.command(EVE, TRIAGE, "/outage start the database failed over");
      f.clock.set(Instant.parse("2026-12-03T11:30:00Z"));
      f.command(EVE, TRIAGE, "/outage end");
      assertThat(text(to(f.desk.tick(), in(ACME)))).isEqualTo("Emergency maintenance of the Atheer service has ended"
          + " (<2026-12-03T10:00:00Z> to <2026-12-03T11:30:00Z>): the database failed over.");
      assertThat(text(f.command(EVE, TRIAGE, "/availability"))).startsWith("Availability of Atheer for December 2026"
          + " so far: 100.00% (target 98.5%, met so far; 0 minutes of downtime, scheduled maintenance excluded).");
      // 1h 30m used: 6h more are scheduled; an emergency of 1h would pass the 8 hours and is refused
      f.command(EVE, TRIAGE, "/maintenance schedule 2026-12-12T00:00-08:00 6h storage move");
      f.clock.set(Instant.parse("2026-12-20T10:00:00Z"));
      long before = f.conversations.maintenance(TUESDAY_9AM, TUESDAY_9AM.plus(Duration.ofDays(60))).size();
      assertThat(text(f.command(EVE, TRIAGE, "/maintenance emergency 1h disk full"))).isEqualTo("Nothing scheduled:"
          + " Atheer's policy (atheer) allows at most 8h of scheduled maintenance a month; December 2026 has 7h 30m"
          + " scheduled and this adds 1h (8h 30m). Emergency maintenance counts toward the same limit; record the"
          + " service's unavailability with /outage start instead, where it counts as downtime.");
      assertThat(f.conversations.maintenance(TUESDAY_9AM, TUESDAY_9AM.plus(Duration.ofDays(60)))).hasSize((int) before);
    }
  }

  @Test
  void aScheduledWindowIsCancelledBeforeItStartsAndTheOrganizationsAreTold() {
    try (ChatFixture f = desk("cancel")) {
      f.command(EVE, TRIAGE, "/maintenance schedule 2026-12-03T02:00-08:00 2h database upgrade");
      assertThat(text(f.command(EVE, TRIAGE, "/maintenance cancel 2026-12-03T03:00-08:00"))).isEqualTo("Nothing"
          + " cancelled: no maintenance is scheduled to start at <2026-12-03T11:00:00Z>. Give the start as it was"
          + " scheduled, with its offset.");
      List<Outbound> out = f.command(EVE, TRIAGE, "/maintenance cancel 2026-12-03T10:00Z the upgrade is postponed");
      assertThat(text(to(out, in(TRIAGE)))).isEqualTo("Maintenance from <2026-12-03T10:00:00Z> cancelled. The"
          + " organization channels told of it are told now.");
      assertThat(text(to(out, in(ACME)))).isEqualTo("The maintenance of the Atheer service scheduled from"
          + " <2026-12-03T10:00:00Z> to <2026-12-03T12:00:00Z> (database upgrade) is cancelled: the upgrade is"
          + " postponed. The service stays available then.");
      assertThat(f.conversations.maintenance(TUESDAY_9AM, TUESDAY_9AM.plus(Duration.ofDays(60)))).isEmpty();
      assertThat(f.desk.nextDue()).isEmpty();
      assertThat(to(f.desk.tick(), in(ACME))).isEmpty(); // told once
      f.clock.set(Instant.parse("2026-12-03T10:00:00Z"));
      assertThat(to(f.desk.tick(), in(ACME))).isEmpty(); // no start notice
      assertThat(text(f.command(EVE, TRIAGE, "/maintenance cancel 2026-12-03T10:00Z"))).startsWith("Nothing"
          + " cancelled: no maintenance is scheduled to start at");
      // a window that has started is not cancelled
      f.clock.set(Instant.parse("2026-12-03T10:00:00Z"));
      f.command(EVE, TRIAGE, "/maintenance schedule 2026-12-05T02:00-08:00 2h storage move");
      f.clock.set(Instant.parse("2026-12-05T10:30:00Z"));
      assertThat(text(f.command(EVE, TRIAGE, "/maintenance cancel 2026-12-05T02:00-08:00"))).isEqualTo("Nothing"
          + " cancelled: the maintenance from <2026-12-05T10:00:00Z> to <2026-12-05T12:00:00Z> (storage move) has"
          + " started; only a window that has not started can be cancelled.");
      assertThat(text(f.command(EVE, TRIAGE, "/maintenance postpone 2026-12-05T02:00-08:00"))).startsWith("\"postpone\""
          + " is not one of schedule, emergency or cancel: write /maintenance schedule START DURATION note,");
    }
  }

  @Test
  void badInputAndCustomersAreRefusedWithTheReason() {
    try (ChatFixture f = desk("input")) {
      assertThat(text(f.command(ANA, ACME, "/maintenance schedule 2026-12-05T00:00-08:00 2h x")))
          .isEqualTo("Only the vendor's support engineers can use /maintenance. To add information to your case,"
              + " reply in its thread.");
      assertThat(text(f.command(ANA, ACME, "/outage start")))
          .startsWith("Only the vendor's support engineers can use /outage.");
      assertThat(text(f.command(EVE, TRIAGE, "/maintenance schedule tomorrow 2h x")))
          .startsWith("\"tomorrow\" is not a start with its offset; write e.g. 2026-12-05T02:00-08:00 or"
              + " 2026-12-05T10:00Z. Usage: /maintenance schedule START DURATION note");
      assertThat(text(f.command(EVE, TRIAGE, "/maintenance schedule 2026-12-05T00:00 2h x")))
          .startsWith("\"2026-12-05T00:00\" is not a start with its offset");
      assertThat(text(f.command(EVE, TRIAGE, "/maintenance schedule 2026-12-05T00:00-08:00 2h")))
          .startsWith("Give the start, the duration and a note for the customers");
      assertThat(text(f.command(EVE, TRIAGE, "/maintenance schedule 2026-12-05T00:00-08:00 25h x")))
          .startsWith("A time entry must be more than 0 and at most 24 hours, got 25h.");
      assertThat(text(f.command(EVE, TRIAGE, "/outage begin"))).startsWith("\"begin\" is neither start nor end");
      assertThat(text(f.command(EVE, TRIAGE, "/outage end")))
          .isEqualTo("Nothing recorded: no outage is going on. Record one with /outage start [note].");
      assertThat(text(f.command(EVE, TRIAGE, "/availability 2026-13")))
          .startsWith("\"2026-13\" is not a month; write it as YYYY-MM, e.g. 2026-12.");
      assertThat(text(f.command(EVE, TRIAGE, "/availability 2027-02")))
          .isEqualTo("February 2027 has not begun; nothing to report for Atheer.");
      assertThat(f.conversations.maintenance(TUESDAY_9AM, TUESDAY_9AM.plus(Duration.ofDays(60)))).isEmpty();
      assertThat(f.conversations.openOutage()).isEmpty();
    }
  }

  @Test
  void theOrganizationsAreToldWhenMaintenanceStartsAndEndsOnceEvenAcrossARestart() {
    ChatFixture f = desk("notices");
    f.command(EVE, TRIAGE, "/maintenance schedule 2026-12-03T02:00-08:00 2h database upgrade");
    assertThat(f.desk.nextDue()).contains(Instant.parse("2026-12-03T10:00:00Z"));
    f.clock.set(Instant.parse("2026-12-03T09:59:00Z"));
    assertThat(to(f.desk.tick(), in(ACME))).isEmpty();
    f.clock.set(Instant.parse("2026-12-03T10:00:00Z"));
    f = f.restart();
    try {
      List<Outbound> started = to(f.desk.tick(), in(ACME));
      assertThat(text(started)).isEqualTo("Scheduled maintenance of the Atheer service has started; it ends by"
          + " <2026-12-03T12:00:00Z>: database upgrade.");
      assertThat(started.getFirst().kind()).isEqualTo(Outbound.Kind.NOTICE);
      assertThat(to(f.desk.tick(), in(ACME))).isEmpty();
      assertThat(f.desk.nextDue()).contains(Instant.parse("2026-12-03T12:00:00Z"));
      f.clock.set(Instant.parse("2026-12-03T12:00:00Z"));
      assertThat(text(to(f.desk.tick(), in(ACME)))).isEqualTo("Scheduled maintenance of the Atheer service has ended"
          + " (<2026-12-03T10:00:00Z> to <2026-12-03T12:00:00Z>): database upgrade.");
      f.clock.set(Instant.parse("2026-12-03T12:05:00Z"));
      assertThat(to(f.desk.tick(), in(ACME))).isEmpty();
      assertThat(f.desk.nextDue()).isEmpty();
    } finally {
      f.close();
    }
  }

  @Test
  void theMonthIsMeasuredAgainstTheTargetWithScheduledMaintenanceExcluded() {
    try (ChatFixture f = desk("figure")) {
      f.command(EVE, TRIAGE, "/maintenance schedule 2026-12-03T02:00-08:00 2h database upgrade");
      f.clock.set(Instant.parse("2026-12-03T11:00:00Z")); // within the maintenance
      assertThat(text(f.command(EVE, TRIAGE, "/outage start logins fail"))).isEqualTo("Outage recorded from"
          + " <2026-12-03T11:00:00Z> (logins fail). It counts as downtime until /outage end, except while scheduled"
          + " maintenance runs.");
      assertThat(text(f.command(EVE, TRIAGE, "/outage start again"))).isEqualTo("Nothing recorded: an outage is"
          + " already recorded since <2026-12-03T11:00:00Z> (logins fail). End it with /outage end when the service"
          + " is back.");
      f.clock.set(Instant.parse("2026-12-03T13:30:00Z"));
      assertThat(text(f.command(EVE, TRIAGE, "/outage end fixed"))).isEqualTo("Outage ended at"
          + " <2026-12-03T13:30:00Z>; it lasted 2h 30m from <2026-12-03T11:00:00Z>.");

      // 150 minutes down, 60 of them in the maintenance: 90 of 44,640 minutes in December (24/7)
      String december = "Availability of Atheer for December 2026 so far: 99.79% (target 98.5%, met so far; 90 minutes"
          + " of downtime, scheduled maintenance excluded).\n"
          + "Downtime: 1h 30m in 1 outage(s), of 44640 minutes in the month (24/7, PT)\n"
          + "Scheduled maintenance: 2h (1h of outage in it excluded); at most 8h a month";
      assertThat(text(f.command(EVE, TRIAGE, "/availability"))).isEqualTo(december);
      assertThat(text(f.command(ANA, ACME, "/availability 2026-12"))).isEqualTo(december); // customers may ask too
      assertThat(text(f.command(IAN, INITECH, "/availability")))
          .isEqualTo("This organization's support policy sets no availability target.");

      // the manager's digest on Friday morning carries the month so far
      f.clock.set(Instant.parse("2026-12-04T16:00:00Z"));
      List<Outbound> digest = f.desk.tick().stream().filter(o -> o.kind() == Outbound.Kind.DIGEST).toList();
      assertThat(digest).hasSize(1);
      assertThat(digest.getFirst().to()).isEqualTo(new Outbound.ToPerson(MAX));
      assertThat(text(digest)).endsWith("Availability of Atheer for December 2026 so far: 99.79% (target 98.5%, met so"
          + " far; 90 minutes of downtime, scheduled maintenance excluded).");

      // twelve hours more: 810 minutes, 98.18 %, below the target
      f.clock.set(Instant.parse("2026-12-05T00:00:00Z"));
      f.command(EVE, TRIAGE, "/outage start region down");
      f.clock.set(Instant.parse("2026-12-05T12:00:00Z"));
      f.command(EVE, TRIAGE, "/outage end");
      f.clock.set(Instant.parse("2027-01-02T00:00:00Z"));
      assertThat(text(f.command(EVE, TRIAGE, "/availability 2026-12"))).startsWith("Availability of Atheer for"
          + " December 2026: 98.18% (target 98.5%, missed; 810 minutes of downtime, scheduled maintenance excluded).");
    }
  }

  @SuppressWarnings("unchecked")
  @Test
  void everyManifestHintAndHelpLineOfTheAvailabilityCommandsWorksAsTyped() throws java.io.IOException {
    Path file = null;
    for (Path d = Path.of("").toAbsolutePath(); d != null && file == null; d = d.getParent()) {
      Path f = d.resolve("config").resolve("slack-app-manifest.yaml");
      file = java.nio.file.Files.isRegularFile(f) ? f : null;
    }
    assertThat(file).as("config/slack-app-manifest.yaml above the working directory").isNotNull();
    java.util.Map<String, Object> m = (java.util.Map<String, Object>) new org.snakeyaml.engine.v2.api.Load(
        org.snakeyaml.engine.v2.api.LoadSettings.builder().build()).loadFromString(java.nio.file.Files.readString(file));
    List<java.util.Map<String, Object>> commands = (List<java.util.Map<String, Object>>)
        ((java.util.Map<String, Object>) m.get("features")).get("slash_commands");
    java.util.Map<String, String> hints = new java.util.TreeMap<>();
    commands.stream().filter(c -> COMMANDS.contains((String) c.get("command")))
        .forEach(c -> hints.put((String) c.get("command"), (String) c.get("usage_hint")));
    assertThat(hints).containsOnlyKeys(COMMANDS);
    try (ChatFixture f = desk("hints")) {
      // the manifest's maintenance example starts 5 December 2026, more than 24 hours ahead
      assertThat(text(f.command(EVE, TRIAGE, "/maintenance " + hints.get("/maintenance"))))
          .startsWith("Maintenance scheduled from <2026-12-05T10:00:00Z> to <2026-12-05T12:00:00Z> (2h)");
      assertThat(text(f.command(EVE, TRIAGE, "/outage " + hints.get("/outage").replace("start|end", "start")
          .replace("[note]", "logins fail")))).startsWith("Outage recorded from <2026-12-01T17:00:00Z> (logins fail).");
      assertThat(text(f.command(EVE, TRIAGE, "/outage " + hints.get("/outage").replace("start|end", "end")
          .replace("[note]", "fixed")))).startsWith("Outage ended at <2026-12-01T17:00:00Z>");
      assertThat(text(f.command(EVE, TRIAGE, "/availability " + hints.get("/availability").replaceAll("[\\[\\]]", ""))))
          .startsWith("Availability of Atheer for December 2026 so far: 100.00% (target 98.5%, met so far;");
      // the /help lines: the usage forms, filled in
      assertThat(CommandParser.USAGE.get("outage")).startsWith("/outage start|end [note] - ");
      assertThat(CommandParser.USAGE.get("maintenance")).startsWith("/maintenance schedule START DURATION note |"
          + " emergency DURATION note | cancel START [reason] - ");
      assertThat(CommandParser.USAGE.get("availability")).startsWith("/availability [YYYY-MM] - ");
      assertThat(text(f.command(EVE, TRIAGE, "/help"))).contains(
          "/outage: record that the service went down or is back, from now",
          "/maintenance: schedule maintenance, START with its offset", "/availability: the month's availability");
      assertThat(text(f.command(ANA, ACME, "/help"))).contains("/availability: the month's availability")
          .doesNotContain("/outage",
          "/maintenance");
    }
  }
}
