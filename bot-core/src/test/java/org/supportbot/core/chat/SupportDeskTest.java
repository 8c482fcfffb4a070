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
import static org.supportbot.core.chat.ChatFixture.thread;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Span;
import org.supportbot.core.conversation.Suggestion;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentState;

class SupportDeskTest {

  /** Monday 23 November 2026, 09:00 in Los Angeles: Atheer's support hours have just begun. */
  private static final Instant MONDAY_9AM = Instant.parse("2026-11-23T17:00:00Z");
  private static final IncidentNumber ACME_1 = new IncidentNumber("ACME", 1);

  @TempDir Path dir;

  private static List<Outbound> ofKind(List<Outbound> out, Outbound.Kind kind) {
    return out.stream().filter(o -> o.kind() == kind).toList();
  }

  private static Optional<Instant> firstDeadline(Outbound o) {
    return o.blocks().stream().flatMap(b -> b instanceof Outbound.Facts f ? f.facts().stream() : java.util.stream.Stream.empty())
        .flatMap(f -> f.value().stream()).filter(s -> s instanceof Span.Deadline).map(s -> ((Span.Deadline) s).at())
        .findFirst();
  }

  @Test
  void filingConfirmsTheNumberSeverityAndFirstDeadlineAndPingsTheEscalationChannelForP1() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      List<Outbound> out = f.fileAtheer("The service is down for every user since this morning", "all", "P1");
      List<Outbound> confirmations = ofKind(out, Outbound.Kind.CONFIRMATION);
      assertThat(confirmations).hasSize(2);
      Outbound inThread = confirmations.get(0);
      assertThat(inThread.to()).isEqualTo(new Outbound.ToPlace(thread(ACME, "ACME-1")));
      assertThat(inThread.plainText()).contains("ACME-1").contains("P1 Severe Business Impact");
      // 4 business hours from Monday 09:00 PST
      assertThat(firstDeadline(inThread)).contains(Instant.parse("2026-11-23T21:00:00Z"));
      assertThat(confirmations.get(1).to()).isEqualTo(new Outbound.ToPlace(ACME));
      Outbound ping = ofKind(out, Outbound.Kind.ESCALATION_PING).get(0);
      assertThat(ping.to()).isEqualTo(new Outbound.ToPlace(ChatFixture.ESCALATIONS));
      assertThat(((Outbound.Text) ping.blocks().get(0)).spans().get(0)).isEqualTo(new Span.Role("R-oncall", "on-call"));
      assertThat(ofKind(out, Outbound.Kind.STATUS)).singleElement()
          .satisfies(s -> assertThat(s.replaces()).contains("status:ACME-1"));
      assertThat(f.incidents.incident(ACME_1)).get().satisfies(s -> assertThat(s.state()).isEqualTo(IncidentState.NEW));
    }
  }

  @Test
  void aP3CaseDoesNotPingTheEscalationChannel() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      List<Outbound> out = f.fileAtheer("A report shows the wrong totals for one team", "5", "P3");
      assertThat(ofKind(out, Outbound.Kind.ESCALATION_PING)).isEmpty();
      assertThat(f.incidents.incident(ACME_1).orElseThrow().severityId()).isEqualTo("P3");
    }
  }

  @Test
  void preBreachPingsGoToTheAssigneeAtEachFractionAndTheBreachToManagers() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.fileAtheer("The service is down for every user since this morning", "all", "P1");
      f.press(EVE, TRIAGE, CaseViews.CLAIM, "ACME-1");
      f.clock.set(Instant.parse("2026-11-23T19:00:00Z")); // 50 % of 4 business hours
      List<Outbound> half = f.desk.tick();
      assertThat(ofKind(half, Outbound.Kind.PRE_BREACH_PING)).singleElement().satisfies(p -> {
        assertThat(p.to()).isEqualTo(new Outbound.ToPerson(EVE));
        assertThat(p.plainText()).contains("has used 50% of its first response target");
      });
      f.clock.set(Instant.parse("2026-11-23T20:59:59Z"));
      assertThat(ofKind(f.desk.tick(), Outbound.Kind.PRE_BREACH_PING)).hasSize(2); // 75 % and 90 %
      assertThat(ofKind(f.desk.tick(), Outbound.Kind.BREACH_PING)).isEmpty();
      f.clock.set(Instant.parse("2026-11-23T21:00:00Z"));
      List<Outbound> breach = ofKind(f.desk.tick(), Outbound.Kind.BREACH_PING);
      assertThat(breach).extracting(Outbound::to)
          .containsExactly(new Outbound.ToPerson(MAX), new Outbound.ToPerson(EVE));
      assertThat(f.desk.tick()).isEmpty();
    }
  }

  @Test
  void lowSeverityPingsThatComeDueAtNightWaitForBusinessHoursAndAreNotDropped() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.fileAtheer("A report shows the wrong totals for one team", "5", "P3");
      // the bot was down; it comes back on Wednesday at 23:00 PST, past the 50 % mark (Wednesday 13:00)
      f.clock.set(Instant.parse("2026-11-26T07:00:00Z"));
      List<Outbound> night = f.desk.tick();
      assertThat(ofKind(night, Outbound.Kind.PRE_BREACH_PING)).isEmpty();
      f.clock.set(Instant.parse("2026-11-26T16:59:00Z"));
      assertThat(ofKind(f.desk.tick(), Outbound.Kind.PRE_BREACH_PING)).isEmpty();
      // Thursday 26 November is Thanksgiving, a US public holiday: Atheer's next business hour is Friday 09:00
      f.clock.set(Instant.parse("2026-11-27T17:00:00Z"));
      List<Outbound> morning = f.desk.tick();
      assertThat(ofKind(morning, Outbound.Kind.PRE_BREACH_PING)).isNotEmpty()
          .allSatisfy(p -> assertThat(p.to()).isEqualTo(new Outbound.ToPlace(TRIAGE)));
    }
  }

  @Test
  void theQueueIsShownTwentyFiveCasesAPage() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      for (int i = 1; i <= 27; i++) {
        f.fileAtheer("Case " + i + ": the export of one team fails", "5", "P3");
      }
      String first = text(f.command(EVE, TRIAGE, "/queue"));
      assertThat(first).startsWith("Open cases by next deadline (1-25 of 27; /queue 2 for the next 2):");
      assertThat(first.lines().filter(l -> l.startsWith("ACME-"))).hasSize(25);
      String second = text(f.command(EVE, TRIAGE, "/queue 2"));
      assertThat(second).startsWith("Open cases by next deadline (26-27 of 27):");
      assertThat(second.lines().filter(l -> l.startsWith("ACME-"))).hasSize(2);
      assertThat(text(f.command(EVE, TRIAGE, "/queue 3"))).isEqualTo("Open cases by next deadline: 27 in all, so there"
          + " is no page 3; the last is 2.");
      assertThat(text(f.command(EVE, TRIAGE, "/queue next"))).isEqualTo("\"next\" is not a page number. Usage: /queue"
          + " [page] - open cases by next deadline, 25 at a time");
    }
  }

  @Test
  void anotherOrganizationsCasesAreInvisibleFromItsChannelEvenToEngineersAndToItsContacts() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.fileAtheer("The service is down for every user since this morning", "all", "P1");
      assertThat(text(f.command(IAN, INITECH, "/reopen ACME-1 please"))).isEqualTo("There is no case ACME-1 here."
          + " Check the number in the case's confirmation.");
      assertThat(text(f.command(EVE, INITECH, "/claim ACME-1"))).startsWith("There is no case ACME-1 here.");
      assertThat(text(f.command(EVE, INITECH, "/queue"))).isEqualTo("Open cases by next deadline: none.");
      assertThat(text(f.command(EVE, TRIAGE, "/queue"))).contains("ACME-1");
      assertThat(text(f.command(IAN, ACME, "/support"))).isEqualTo("Only named support contacts of Acme Corp can file"
          + " cases. Ask one of your organization's named contacts or your account manager to add you.");
      assertThat(f.incidents.incident(ACME_1).orElseThrow().claimedBy()).isEmpty();
    }
  }

  @Test
  void customersCannotUseEngineerCommands() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.fileAtheer("The service is down for every user since this morning", "all", "P1");
      assertThat(text(f.command(ANA, thread(ACME, "ACME-1"), "/claim"))).isEqualTo("Only the vendor's support engineers"
          + " can use /claim. To add information to your case, reply in its thread.");
      assertThat(f.incidents.incident(ACME_1).orElseThrow().claimedBy()).isEmpty();
    }
  }

  @Test
  void aReplayedInboundHasNoSecondEffect() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.fileAtheer("The service is down for every user since this morning", "all", "P1");
      Inbound update = new Inbound("slack-event-77", EVE, thread(ACME, "ACME-1"), false, f.clock.instant(),
          Optional.empty(), new Inbound.Command("update", "we are on it"));
      assertThat(f.desk.handle(update)).isNotEmpty();
      long events = f.incidents.log(ACME_1).size();
      assertThat(f.desk.handle(update)).isEmpty();
      assertThat(f.incidents.log(ACME_1)).hasSize((int) events);
    }
  }

  @Test
  void secretsAndPersonalDataNeverReachTheDatabase() throws Exception {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.fileAtheer("Login fails for ops@acme.example with password=Sup3rS3cretValue! on the admin page", "10", "P3");
      f.command(EVE, thread(ACME, "ACME-1"), "/info please call me on +1 415 555 0199 with the token");
    }
    StringBuilder all = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        all.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
      }
    }
    assertThat(all.toString()).contains("[redacted: e-mail]").doesNotContain("ops@acme.example")
        .doesNotContain("Sup3rS3cretValue").doesNotContain("555 0199");
  }

  @Test
  void errorRepliesThatEchoASecretAreRedactedBeforeTheOutboxAndTheDatabaseFilesSeeThem() throws Exception {
    List<String> secrets = List.of("zzzTimeSecret1", "zzzLevelSecret2", "zzzTypeSecret3");
    List<Outbound> replies = new java.util.ArrayList<>();
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.fileAtheer("Login page shows a blank screen after the upgrade", "10", "P3");
      replies.addAll(f.command(EVE, thread(ACME, "ACME-1"), "/time ACME-1 password=zzzTimeSecret1 note"));
      replies.addAll(f.command(EVE, thread(ACME, "ACME-1"), "/severity api_key=zzzLevelSecret2 it is worse"));
      replies.addAll(f.command(EVE, thread(ACME, "ACME-1"), "/resolve secret=zzzTypeSecret3 restarted"));
    }
    // each command was refused with a reply that names what was wrong, the value redacted
    assertThat(replies).hasSize(3).allSatisfy(o -> {
      assertThat(o.kind()).isEqualTo(Outbound.Kind.REPLY);
      assertThat(o.plainText()).contains("[redacted: secret]");
    });
    assertThat(text(replies)).doesNotContain(secrets);
    StringBuilder all = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        all.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
      }
    }
    assertThat(all.toString()).doesNotContain(secrets);
  }

  @Test
  void anUnfinishedIntakeSurvivesARestartAndExpiresWithANote() {
    ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM);
    f.command(ANA, ACME, "/support");
    f.say(ANA, ACME, "Atheer AiR Enterprise");
    ChatFixture again = f.restart();
    try {
      List<Outbound> next = again.say(ANA, ACME, "4.2.1");
      assertThat(text(next)).contains("(3/13) What kind of request is this?");
      again.clock.advance(Duration.ofHours(24));
      List<Outbound> expired = again.desk.tick();
      assertThat(expired).anySatisfy(o -> {
        assertThat(o.onlyFor()).contains(ANA);
        assertThat(o.plainText()).contains("has expired after 24 hours");
      });
      assertThat(again.conversations.intakes()).isEmpty();
    } finally {
      again.close();
    }
  }

  @Test
  void aSuggestionThatSolvesItEndsTheIntakeAsDeflectedAndIsRecorded() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.suggestions.add(new Suggestion("kb-9", "article", "Resetting a stuck sync", "https://kb/9", "sync", 3.0));
      f.command(ANA, ACME, "/support");
      for (String a : List.of("Atheer AiR Enterprise", "none", "incident")) {
        f.say(ANA, ACME, a);
      }
      List<Outbound> offered = f.say(ANA, ACME, "My device sync is stuck at 99 percent since yesterday");
      assertThat(ofKind(offered, Outbound.Kind.SUGGESTIONS)).hasSize(1);
      List<Outbound> done = f.press(ANA, ACME, "intake.solved", "kb-9");
      assertThat(text(done)).contains("Glad that answered it");
      assertThat(f.feedback).containsExactly("kb-9=solved");
      assertThat(f.incidents.incident(ACME_1)).isEmpty();
    }
  }

  @Test
  void declinedSuggestionsAreRecordedAndShownToEngineersOnTheFiledCase() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.suggestions.add(new Suggestion("kb-9", "article", "Resetting a stuck sync", "https://kb/9", "sync", 3.0));
      f.command(ANA, ACME, "/support");
      List<Outbound> last = List.of();
      for (String a : List.of("Atheer AiR Enterprise", "none", "incident", "My device sync is stuck at 99 percent",
          "still need help", "it syncs", "open the app", "none", "none", "yes", "10", "slow", "P3", "no")) {
        last = f.say(ANA, ACME, a);
      }
      assertThat(f.feedback).containsExactly("kb-9=not helpful");
      Outbound triage = last.stream().filter(o -> o.to().equals(new Outbound.ToPlace(TRIAGE))).findFirst().orElseThrow();
      assertThat(triage.plainText()).contains("Offered to the customer, who still needed help").contains("Resetting a stuck sync");
    }
  }

  @Test
  void escalationIsRefusedQuotingTheRuleWhereThePolicyLimitsIt() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.directory.store().bindChannel("test", "W", "initech", "initech");
      List<Outbound> last = f.fileFor(IAN, INITECH, "atomrock", "S3", "The nightly import stops halfway with an error");
      assertThat(ofKind(last, Outbound.Kind.CONFIRMATION)).as(text(last)).isNotEmpty();
      List<Outbound> refused = f.command(IAN, thread(INITECH, "INI-1"), "/escalate we need this today");
      assertThat(text(refused)).startsWith("Not done: INI-1 is S3, which the atomrock policy does not allow to escalate");
      assertThat(f.incidents.log(new IncidentNumber("INI", 1)))
          .noneMatch(e -> e instanceof org.supportbot.core.incident.IncidentEvent.Escalated);
    }
  }

  @Test
  void raisingACaseToP2PingsTheEscalationChannel() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.fileAtheer("A report shows the wrong totals for one team", "5", "P3");
      List<Outbound> out = f.command(EVE, thread(ACME, "ACME-1"), "/severity P2 every team's totals are wrong");
      assertThat(ofKind(out, Outbound.Kind.ESCALATION_PING)).singleElement()
          .satisfies(p -> assertThat(p.plainText()).contains("Raised to P2 Significant Loss of Functionality ACME-1"));
      List<Outbound> lower = f.command(EVE, thread(ACME, "ACME-1"), "/severity P3 only one team after all");
      assertThat(ofKind(lower, Outbound.Kind.ESCALATION_PING)).isEmpty();
      assertThat(text(f.command(EVE, thread(ACME, "ACME-1"), "/severity P9 typo"))).startsWith("\"P9\" is not a level"
          + " of the atheer policy; use one of P1, P2, P3, P4");
    }
  }

  @Test
  void unansweredRequestsGetRemindersAndAtomrockDropsTheCaseAfterTheSecond() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.fileFor(IAN, INITECH, "atomrock", "S3", "The nightly import stops halfway with an error");
      ChatPlace caseThread = thread(INITECH, "INI-1");
      f.command(EVE, caseThread, "/info Which file was being imported?");
      f.clock.advance(Duration.ofDays(1));
      List<Outbound> reminder = ofKind(f.desk.tick(), Outbound.Kind.REMINDER);
      assertThat(reminder).singleElement().satisfies(r -> {
        assertThat(r.to()).isEqualTo(new Outbound.ToPlace(caseThread));
        assertThat(((Outbound.Text) r.blocks().get(0)).spans().get(0)).isEqualTo(new Span.Person(IAN));
      });
      f.clock.advance(Duration.ofDays(1));
      assertThat(text(f.desk.tick())).contains("The request for information on INI-1 went unanswered (1 in a row).");
      f.command(EVE, caseThread, "/info Please send the import log.");
      f.clock.advance(Duration.ofDays(2));
      List<Outbound> dropped = f.desk.tick();
      assertThat(text(dropped)).contains("INI-1 is closed as dropped");
      assertThat(f.incidents.incident(new IncidentNumber("INI", 1)).orElseThrow().state()).isEqualTo(IncidentState.DROPPED);
    }
  }

  @Test
  void engineersAssignUnclaimSplitAndMerge() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.fileAtheer("Two things: exports fail and the login page is slow", "10", "P3");
      ChatPlace caseThread = thread(ACME, "ACME-1");
      assertThat(text(f.command(MAX, caseThread, "/assign @eve"))).contains("ACME-1 is assigned to @eve by @max.");
      assertThat(text(f.command(MAX, caseThread, "/assign @ana"))).isEqualTo("@ana is not one of the vendor's"
          + " engineers; cases go to engineers only.");
      assertThat(text(f.command(EVE, caseThread, "/unclaim"))).contains("ACME-1 is back in the queue.");
      assertThat(text(f.command(EVE, caseThread, "/split exports fail; login page is slow")))
          .contains("ACME-1 is split into ACME-2, ACME-3");
      assertThat(text(f.command(EVE, thread(ACME, "ACME-3"), "/merge ACME-2"))).contains("ACME-3 is a duplicate and"
          + " continues in ACME-2.");
      assertThat(text(f.command(EVE, TRIAGE, "/mine"))).isEqualTo("Your open cases: none.");
      assertThat(text(f.command(EVE, caseThread, "/resolve magic it went away"))).startsWith("\"magic\" is not a"
          + " resolution type of the atheer policy; use one of");
    }
  }

  @Test
  void theDailyDigestGoesToManagersOncePerDay() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), Instant.parse("2026-11-23T15:00:00Z"))) {
      assertThat(ofKind(f.desk.tick(), Outbound.Kind.DIGEST)).isEmpty(); // 07:00 in Los Angeles
      f.clock.set(Instant.parse("2026-11-23T16:00:00Z"));
      List<Outbound> digest = ofKind(f.desk.tick(), Outbound.Kind.DIGEST);
      assertThat(digest).singleElement().satisfies(d -> {
        assertThat(d.to()).isEqualTo(new Outbound.ToPerson(MAX));
        assertThat(d.plainText()).startsWith("Daily digest for 2026-11-23: 0 open, 0 breached");
      });
      f.clock.set(Instant.parse("2026-11-23T23:00:00Z"));
      assertThat(ofKind(f.desk.tick(), Outbound.Kind.DIGEST)).isEmpty();
    }
  }

  @Test
  void timeLoggedInChatIsRoundedUpAndClassifiedByTheContract() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      Identity hal = ChatFixture.id("hal");
      f.directory.register(org.supportbot.core.directory.Organization.of("hooli", "HOOLI", "Hooli", "atollon")
          .withContracts(java.util.Set.of("subscription"), Optional.empty(), 0));
      f.directory.store().bindChannel("test", "W", "hooli", "hooli");
      f.directory.addContact(new org.supportbot.core.directory.Contact("hooli", hal, "Hal"));
      var atollon = ChatFixture.CATALOG.get("atollon").orElseThrow();
      f.fileFor(hal, ChatFixture.place("hooli"), "atollon", atollon.severities().get(2).id(),
          "Invoices show the wrong VAT rate since the update");
      List<Outbound> logged = f.command(EVE, thread(ChatFixture.place("hooli"), "HOOLI-1"), "/time 20m comm call with Hal");
      assertThat(ofKind(logged, Outbound.Kind.REPLY)).singleElement().satisfies(o -> {
        assertThat(o.onlyFor()).contains(EVE);
        assertThat(o.plainText()).isEqualTo("Logged on HOOLI-1: billed 30m; free: Hooli holds a subscription contract.");
      });
      assertThat(f.incidents.incident(new IncidentNumber("HOOLI", 1)).orElseThrow().billed())
          .isEqualTo(Duration.ofMinutes(30));
      assertThat(text(f.command(EVE, thread(ChatFixture.place("hooli"), "HOOLI-1"), "/time soon")))
          .startsWith("\"soon\" is not a duration");
    }
  }

  @Test
  void countdownRefreshesReplaceTheStatusMessageOfActiveCases() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM, java.util.Optional.of(Duration.ofMinutes(15)))) {
      f.fileAtheer("The service is down for every user since this morning", "all", "P1");
      f.clock.advance(Duration.ofMinutes(15));
      List<Outbound> refresh = f.desk.tick();
      assertThat(ofKind(refresh, Outbound.Kind.STATUS)).singleElement()
          .satisfies(st -> assertThat(st.replaces()).contains("status:ACME-1"));
    }
  }
}
