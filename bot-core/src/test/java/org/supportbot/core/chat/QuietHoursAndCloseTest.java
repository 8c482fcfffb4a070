package org.supportbot.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.supportbot.core.chat.ChatFixture.ACME;
import static org.supportbot.core.chat.ChatFixture.ANA;
import static org.supportbot.core.chat.ChatFixture.ESCALATIONS;
import static org.supportbot.core.chat.ChatFixture.EVE;
import static org.supportbot.core.chat.ChatFixture.text;
import static org.supportbot.core.chat.ChatFixture.thread;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentState;

/**
 * Conversations about time the customer cannot see: a case filed outside support hours is told
 * when the clock starts (urgent levels are paged all the same), and a resolved case is announced a
 * business day before it closes by itself, with a Reopen button.
 */
class QuietHoursAndCloseTest {

  /** Saturday 28 November 2026, 10:00 in Los Angeles: Atheer's support hours are closed. */
  private static final Instant SATURDAY_10AM = Instant.parse("2026-11-28T18:00:00Z");
  /** Monday 23 November 2026, 09:00 in Los Angeles. */
  private static final Instant MONDAY_9AM = Instant.parse("2026-11-23T17:00:00Z");
  private static final IncidentNumber ACME_1 = new IncidentNumber("ACME", 1);

  @TempDir Path dir;

  private static List<Outbound> ofKind(List<Outbound> out, Outbound.Kind kind) {
    return out.stream().filter(o -> o.kind() == kind).toList();
  }

  @Test
  void aCaseFiledOnSaturdayIsToldWhenTheClockStartsAndWhenItsFirstResponseIsDue() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), SATURDAY_10AM)) {
      List<Outbound> out = f.fileAtheer("A report shows the wrong totals for one team", "5", "P3");
      assertThat(text(ofKind(out, Outbound.Kind.CONFIRMATION).subList(0, 1))).isEqualTo("Thanks @ana, your case ACME-1"
          + " is filed: A report shows the wrong totals for one team\nSeverity: P3 Minor Impact\nFirst deadline: first"
          + " response <2026-12-05T01:00:00Z>\n\nSupport hours are closed now. They open Monday 30 November 09:00 PST"
          + " (<2026-11-30T17:00:00Z>), when the clock starts; your P3 case's first response is due by"
          + " <2026-12-05T01:00:00Z>.");
    }
  }

  @Test
  void anUrgentCaseFiledAtNightIsPagedAtOnceAndToldWhenSupportHoursOpen() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), SATURDAY_10AM)) {
      List<Outbound> out = f.fileAtheer("The service is down for every user since this morning", "all", "P1");
      assertThat(ofKind(out, Outbound.Kind.ESCALATION_PING)).singleElement()
          .satisfies(p -> assertThat(p.to()).isEqualTo(new Outbound.ToPlace(ESCALATIONS)));
      assertThat(text(ofKind(out, Outbound.Kind.CONFIRMATION).subList(0, 1))).endsWith("First deadline: first response"
          + " <2026-11-30T21:00:00Z>\n\nSupport hours are closed now. They open Monday 30 November 09:00 PST"
          + " (<2026-11-30T17:00:00Z>), when the clock starts; your P1 case's first response is due by"
          + " <2026-11-30T21:00:00Z>. The on-call team is paged now.");
    }
  }

  @Test
  void aResolvedCaseIsAnnouncedABusinessDayBeforeItClosesAndOnePressReopensIt() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.fileAtheer("A report shows the wrong totals for one team", "5", "P3");
      f.command(EVE, ACME, "/resolve ACME-1 workaround filter by team first");
      f.clock.set(Instant.parse("2026-11-28T00:59:59Z"));
      assertThat(ofKind(f.desk.tick(), Outbound.Kind.REMINDER)).isEmpty();
      f.clock.set(Instant.parse("2026-11-28T01:00:00Z"));
      List<Outbound> warned = ofKind(f.desk.tick(), Outbound.Kind.REMINDER);
      // 5 business days of 8 hours from Monday 09:00, Thanksgiving left out: Monday 30 November 17:00 PST
      assertThat(text(warned)).isEqualTo("@ana, ACME-1 is resolved and will close by itself <2026-12-01T01:00:00Z>."
          + " If it is not fixed, press Reopen or reply /reopen in this thread.\n[Reopen]");
      assertThat(warned.getFirst().to()).isEqualTo(new Outbound.ToPlace(thread(ACME, "ACME-1")));
      List<Outbound> reopened = f.press(ANA, thread(ACME, "ACME-1"), CaseViews.REOPEN, "ACME-1");
      assertThat(text(reopened)).startsWith("ACME-1 is reopened: pressed Reopen before it closed");
      assertThat(f.incidents.incident(ACME_1).orElseThrow().state()).isEqualTo(IncidentState.IN_PROGRESS);
      f.clock.set(Instant.parse("2026-12-15T00:00:00Z"));
      assertThat(text(f.desk.tick())).doesNotContain("closed automatically");
    }
  }

  @Test
  void aCustomerWritingInTheCaseThreadAtTheWeekendIsToldOnceWhenSupportHoursOpen() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.fileAtheer("A report shows the wrong totals for one team", "5", "P3");
      f.command(EVE, ACME, "/info ACME-1 Which team's report?");
      f.clock.set(SATURDAY_10AM);
      List<Outbound> first = f.say(ANA, thread(ACME, "ACME-1"), "The sales team's weekly report.");
      assertThat(ofKind(first, Outbound.Kind.REPLY)).singleElement().satisfies(r -> {
        assertThat(r.onlyFor()).contains(ANA);
        assertThat(r.plainText()).isEqualTo("Your reply is on ACME-1. Support hours are closed now; they open Monday"
            + " 30 November 09:00 PST (<2026-11-30T17:00:00Z>).\nIts next deadline, first response, is"
            + " <2026-12-01T01:00:00Z>.");
      });
      f.clock.set(SATURDAY_10AM.plusSeconds(600));
      assertThat(ofKind(f.say(ANA, thread(ACME, "ACME-1"), "Also the monthly one."), Outbound.Kind.REPLY)).isEmpty();
    }
  }
}
