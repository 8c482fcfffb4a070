package org.supportbot.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.supportbot.core.chat.ChatFixture.EVE;
import static org.supportbot.core.chat.ChatFixture.IAN;
import static org.supportbot.core.chat.ChatFixture.INITECH;
import static org.supportbot.core.chat.ChatFixture.TRIAGE;
import static org.supportbot.core.chat.ChatFixture.text;
import static org.supportbot.core.chat.ChatFixture.thread;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentState;
import org.supportbot.core.sla.SlaCalculator;

/**
 * The seed policies' rules, each as a conversation through the desk with exact instants and
 * messages: Atomrock counts attempts, Resource Optimizer closes enhancement requests once recorded,
 * Alectrona's update target starts at the first response, and a past-due account gets what its
 * policy says.
 */
class SeedRulesTest {

  /** Monday 23 November 2026, 17:00 UTC: 09:00 in Los Angeles, 12:00 in New York. */
  private static final Instant MONDAY = Instant.parse("2026-11-23T17:00:00Z");
  private static final IncidentNumber INI_1 = new IncidentNumber("INI", 1);

  @TempDir Path dir;

  private static ChatPlace customer(ChatFixture f, String id, String key, String name, String policy, Identity contact) {
    f.directory.register(Organization.of(id, key, name, policy)
        .withContracts(Set.of("subscription"), Optional.empty(), 0));
    f.directory.store().bindChannel("test", "W", id, id);
    f.directory.addContact(new Contact(id, contact, contact.userId()));
    return ChatFixture.place(id);
  }

  private static List<Outbound> to(List<Outbound> out, ChatPlace place) {
    return out.stream().filter(o -> o.to().equals(new Outbound.ToPlace(place))).toList();
  }

  @Test
  void atomrockCountsAttemptsSoTwoRequestsAnHourApartLetTheCaseBeDroppedWhenTheSecondLapses() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY)) {
      f.fileFor(IAN, INITECH, "atomrock", "S3", "The nightly import stops halfway with an error");
      ChatPlace caseThread = thread(INITECH, "INI-1");
      assertThat(text(f.command(EVE, caseThread, "/info Which file was being imported?")))
          .startsWith("@ian, we need more information: Which file was being imported? Please reply in this thread.\n");
      f.clock.advance(Duration.ofHours(1));
      List<Outbound> second = f.command(EVE, caseThread, "/info Please send the import log.");
      // Atomrock's calendar is 24/7 with 24-hour business days: the second request waits 48 hours
      assertThat(text(second)).startsWith("@ian, we need more information: Please send the import log. Please reply in"
          + " this thread.\nThis is request 2 without an answer: if it is not answered by <2026-11-25T18:00:00Z>, INI-1"
          + " may be closed, as the policy says: Atomrock may close a case if the Contact has not responded to two (2)"
          + " attempts or more made by Atomrock to collect additional information required to solve the case.\n---\n");
      // the first request's own window ends at 17:00 on Wednesday: it was followed by another, nothing happens yet
      f.clock.set(Instant.parse("2026-11-25T17:00:00Z"));
      assertThat(f.desk.tick()).noneMatch(o -> o.plainText().contains("dropped"));
      assertThat(f.incidents.incident(INI_1).orElseThrow().state()).isEqualTo(IncidentState.WAITING_ON_CUSTOMER);
      f.clock.set(Instant.parse("2026-11-25T18:00:00Z"));
      List<Outbound> lapsed = to(f.desk.tick(), caseThread);
      assertThat(text(lapsed)).startsWith("The request for information on INI-1 went unanswered (2 in a row).\n---\n"
          + "INI-1 is closed as dropped: 2 requests for information went unanswered: Atomrock may close a case if the"
          + " Contact has not responded to two (2) attempts or more");
      assertThat(f.incidents.incident(INI_1).orElseThrow().state()).isEqualTo(IncidentState.DROPPED);
    }
  }

  @Test
  void aReplyBetweenTwoRequestsMeansOnlyOneAttemptIsUnanswered() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY)) {
      f.fileFor(IAN, INITECH, "atomrock", "S3", "The nightly import stops halfway with an error");
      ChatPlace caseThread = thread(INITECH, "INI-1");
      f.command(EVE, caseThread, "/info Which file was being imported?");
      f.clock.advance(Duration.ofMinutes(30));
      f.say(IAN, caseThread, "The customers file of Monday.");
      f.clock.advance(Duration.ofMinutes(30));
      assertThat(text(f.command(EVE, caseThread, "/info Please send the import log."))).doesNotContain("without an answer");
      f.clock.set(Instant.parse("2026-11-25T18:00:00Z"));
      assertThat(text(to(f.desk.tick(), caseThread))).startsWith("@ian, we are still waiting for your answer on INI-1."
          + " Without a reply the case will count as unanswered <2026-11-25T18:00:00Z>.\n---\nThe request for information"
          + " on INI-1 went unanswered (1 in a row).\n---\n");
      assertThat(f.incidents.incident(INI_1).orElseThrow().state()).isEqualTo(IncidentState.WAITING_ON_CUSTOMER);
    }
  }

  @Test
  void resourceOptimizerClosesAnEnhancementRequestOnceRecordedWithoutInvitingAReopen() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY)) {
      Identity una = ChatFixture.id("una");
      ChatPlace umbrella = customer(f, "umbrella", "UMB", "Umbrella", "resource-optimizer", una);
      f.fileFor(una, umbrella, "resource-optimizer", "S4", "Please let us export schedules in bulk");
      f.clock.advance(Duration.ofMinutes(20));
      List<Outbound> out = f.command(EVE, umbrella, "/resolve UMB-1 enhancement_request Recorded as PR-311.");
      assertThat(text(to(out, thread(umbrella, "UMB-1")))).startsWith("UMB-1 is resolved (enhancement request) by @eve:"
          + " Recorded as PR-311.\n---\nUMB-1 is closed: recorded in the Product Request tool; Resource Optimizer Pty Ltd"
          + " closes enhancement requests once recorded and gives no feedback on them");
      assertThat(text(out)).doesNotContain("/reopen");
      var s = f.incidents.incident(new IncidentNumber("UMB", 1)).orElseThrow();
      assertThat(s.state()).isEqualTo(IncidentState.CLOSED);
      assertThat(f.incidents.nextDue()).isEmpty(); // no quiet period to wait out
    }
  }

  @Test
  void alectronasUpdateTargetStartsAtTheFirstResponseInTheDeskAndInTheCalculatorAndSaysSo() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY)) {
      Identity gina = ChatFixture.id("gina");
      ChatPlace globex = customer(f, "globex", "GLOBEX", "Globex", "alectrona", gina);
      f.fileFor(gina, globex, "alectrona", "urgent", "Agents disconnect every five minutes");
      assertThat(text(f.command(EVE, globex, "/sla why GLOBEX-1"))).startsWith("Why GLOBEX-1 first response is due"
          + " <2026-11-23T18:00:00Z>: 1h of support hours from submission <2026-11-23T17:00:00Z>, counting:");
      f.clock.set(Instant.parse("2026-11-23T17:30:00Z"));
      f.command(EVE, globex, "/ack GLOBEX-1");
      // 12:30 in New York plus 4 business hours: 16:30, within Monday's 09:00-17:30
      assertThat(text(f.command(EVE, globex, "/sla GLOBEX-1 why"))).startsWith("Why GLOBEX-1 update is due"
          + " <2026-11-23T21:30:00Z>: 4h of support hours from the first response <2026-11-23T17:30:00Z>, counting:");
      var policy = ChatFixture.CATALOG.get("alectrona").orElseThrow();
      SlaCalculator sla = new SlaCalculator(policy);
      assertThat(sla.deadlines(policy.severity("urgent").orElseThrow(), MONDAY,
          Optional.of(Instant.parse("2026-11-23T17:30:00Z"))).get("update"))
          .contains(Instant.parse("2026-11-23T21:30:00Z"));
      f.clock.set(Instant.parse("2026-11-23T19:00:00Z"));
      f.command(EVE, globex, "/update GLOBEX-1 a fix is being tested");
      assertThat(text(f.command(EVE, globex, "/sla why GLOBEX-1"))).startsWith("Why GLOBEX-1 update is due"
          + " <2026-11-24T14:30:00Z>: 4h of support hours from the public update <2026-11-23T19:00:00Z>, counting:");
    }
  }

  @Test
  void aPastDueAccountUnderAPolicyThatRequiresCurrentPaymentIsToldWhyAndTheVendorToo() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY)) {
      f.directory.register(Organization.of("initech", "INI", "Initech", "atomrock").withLicences(3, 0).withPastDue(true));
      List<Outbound> out = f.command(IAN, INITECH, "/support");
      assertThat(text(to(out, INITECH))).isEqualTo("Support for Initech is on hold: Atomrock, LLC. provides support"
          + " while the customer is current on payment, and Initech's account is marked past due. Nothing was filed."
          + " Please ask your account manager or Atomrock, LLC.'s billing team to bring the account up to date; filing"
          + " works again as soon as it is.");
      assertThat(text(to(out, TRIAGE))).isEqualTo("@ian of Initech tried to file a case and was refused: the account"
          + " is marked past due and the atomrock policy requires current payment. Clear past_due for initech in the"
          + " settings once it is paid.");
      assertThat(f.incidents.incident(INI_1)).isEmpty();
      f.directory.register(Organization.of("initech", "INI", "Initech", "atomrock").withLicences(3, 0));
      assertThat(text(f.command(IAN, INITECH, "/support"))).doesNotContain("on hold");
    }
  }

  @Test
  void aPastDueAccountUnderAPolicyThatDoesNotRequirePaymentFilesWithANoteToTheVendor() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY)) {
      Identity hal = ChatFixture.id("hal");
      ChatPlace hooli = customer(f, "hooli", "HOOLI", "Hooli", "atollon", hal);
      f.directory.register(Organization.of("hooli", "HOOLI", "Hooli", "atollon")
          .withContracts(Set.of("subscription"), Optional.empty(), 0).withPastDue(true));
      var atollon = ChatFixture.CATALOG.get("atollon").orElseThrow();
      List<Outbound> out = f.fileFor(hal, hooli, "atollon", atollon.severities().get(2).id(), "Invoices show the wrong VAT");
      assertThat(to(out, TRIAGE)).singleElement().satisfies(t -> assertThat(t.plainText()).contains("Payment: Hooli's"
          + " account is marked past due; the atollon policy does not make support depend on payment, so the case was"
          + " filed"));
      assertThat(f.incidents.incident(new IncidentNumber("HOOLI", 1))).isPresent();
    }
  }
}
