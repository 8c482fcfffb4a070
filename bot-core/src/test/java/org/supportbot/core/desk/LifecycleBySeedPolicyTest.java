package org.supportbot.core.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.supportbot.config.policy.ResolutionType;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.Actor;
import org.supportbot.core.incident.Origin;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.incident.IncidentState;
import org.supportbot.core.sla.SlaClock;
import org.supportbot.core.testing.DeskFixture;

/** The case lifecycle under each seed policy, driven through the desk on a real SQLite file. */
class LifecycleBySeedPolicyTest {
  /** Monday 2026-11-23 09:00 in New York, 14:00 UTC: inside business hours of every seed calendar. */
  static final Instant MONDAY = Instant.parse("2026-11-23T14:00:00Z");

  @TempDir
  Path dir;
  DeskFixture f;

  @BeforeEach
  void open() {
    f = new DeskFixture(dir.resolve("desk.db"), MONDAY);
  }

  @AfterEach
  void close() {
    f.close();
  }

  IncidentOutcome h(IncidentCommand c) {
    return f.desk.handle(c);
  }

  IncidentSnapshot snap(IncidentNumber n) {
    return f.desk.incident(n).orElseThrow();
  }

  @ParameterizedTest(name = "{0}: file, acknowledge, claim, ask, reply, resolve ({3}), close, customer reopen -> {4}")
  @CsvSource(delimiter = '|', textBlock = """
      atomrock           | S2       | defect       | WORKAROUND          | IN_PROGRESS
      resource-optimizer | S2       | defect       | FIX_IN_RELEASE      | CLOSED
      atheer             | P2       | incident     | THIRD_PARTY         | IN_PROGRESS
      alectrona          | high     | incident     | KNOWN_PRODUCT_ISSUE | IN_PROGRESS
      atollon            | major    | bug          | FIX_IN_RELEASE      | IN_PROGRESS
      """)
  void fullLifecycle(String policy, String severity, String category, ResolutionType type, IncidentState afterReopen) {
    Organization org = f.organization("ACME", policy);
    IncidentNumber n = f.file(org, severity, category);
    assertThat(n.toString()).isEqualTo("ACME-1");
    assertThat(snap(n).state()).isEqualTo(IncidentState.NEW);

    step(new IncidentCommand.Acknowledge(f.vendor(), n, "We are on it"), IncidentState.ACKNOWLEDGED);
    assertThat(h(new IncidentCommand.Claim(f.vendor(), n))).isEqualTo(new IncidentOutcome.Claimed(n, f.engineer));
    assertThat(snap(n).state()).isEqualTo(IncidentState.IN_PROGRESS);
    step(new IncidentCommand.RequestInfo(f.vendor(), n, "Please send the log"), IncidentState.WAITING_ON_CUSTOMER);
    step(new IncidentCommand.CustomerReply(f.customer(), n, "Attached"), IncidentState.IN_PROGRESS);
    step(new IncidentCommand.Resolve(f.vendor(), n, type, "done"), IncidentState.RESOLVED);
    assertThat(snap(n).resolution()).contains(type);
    step(new IncidentCommand.Close(f.vendor(), n, "confirmed"), IncidentState.CLOSED);
    assertThat(f.desk.openAt(f.place)).isEmpty();

    IncidentOutcome reopen = h(new IncidentCommand.Reopen(f.customer(), n, "it is back"));
    assertThat(reopen).isInstanceOf(IncidentOutcome.Changed.class);
    assertThat(snap(n).state()).isEqualTo(afterReopen);
    if (afterReopen == IncidentState.CLOSED) {
      // Resource Optimizer reopens at its discretion: the customer's request is recorded, an engineer decides.
      assertThat(snap(n).reopenRequested()).isTrue();
      step(new IncidentCommand.Reopen(f.vendor(), n, "solvable"), IncidentState.IN_PROGRESS);
    }
    assertThat(f.desk.rebuild(n).orElseThrow().snapshot()).isEqualTo(snap(n));
  }

  private void step(IncidentCommand c, IncidentState expected) {
    IncidentOutcome out = h(c);
    assertThat(out).as("outcome of %s", c).isInstanceOf(IncidentOutcome.Changed.class);
    assertThat(((IncidentOutcome.Changed) out).state()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}: {1} refused on a {2} case")
  @CsvSource(delimiter = '|', textBlock = """
      atomrock  | resolve     | closed   | ACME-1 is closed; a case can be resolved only while new, acknowledged, in progress or waiting on the customer. Allowed now: reopen, log time
      atheer    | acknowledge | resolved | ACME-1 is resolved; a case can be acknowledged only while new. Allowed now: close, reopen, merge, log time
      alectrona | close       | new      | ACME-1 is new; a case can be closed only while resolved. Allowed now: acknowledge, claim, assign
      atollon   | reopen      | new      | ACME-1 is new; a case can be reopened only while resolved, closed or dropped. Allowed now: acknowledge
      """)
  void illegalTransitionsNameTheStateAndTheAllowedMoves(String policy, String verb, String state, String message) {
    Organization org = f.organization("ACME", policy);
    IncidentNumber n = f.file(org, org.policyId().equals("atomrock") ? "S3" : f.catalogSeverity(policy), f.catalogCategory(policy));
    if (!state.equals("new")) {
      h(new IncidentCommand.Resolve(f.vendor(), n, ResolutionType.EXPLANATION, "answered"));
    }
    if (state.equals("closed")) {
      h(new IncidentCommand.Close(f.vendor(), n, "done"));
    }
    long before = snap(n).eventCount();
    IncidentCommand c = switch (verb) {
      case "resolve" -> new IncidentCommand.Resolve(f.vendor(), n, ResolutionType.EXPLANATION, "again");
      case "acknowledge" -> new IncidentCommand.Acknowledge(f.vendor(), n, "hi");
      case "close" -> new IncidentCommand.Close(f.vendor(), n, "done");
      default -> new IncidentCommand.Reopen(f.vendor(), n, "again");
    };
    IncidentOutcome out = h(c);
    assertThat(out).isInstanceOf(IncidentOutcome.Rejected.class);
    assertThat(((IncidentOutcome.Rejected) out).reason()).startsWith(message);
    assertThat(snap(n).eventCount()).as("a refusal changes nothing").isEqualTo(before);
  }

  @Test
  void customersCannotDoTheVendorsMoves() {
    IncidentNumber n = f.file(f.organization("ACME", "atomrock"), "S3", "defect");
    assertThat(h(new IncidentCommand.PublicUpdate(f.customer(), n, "fixed it myself"))).isEqualTo(
        new IncidentOutcome.Rejected("only the vendor's engineers may post a public update on ACME-1; customers can"
            + " reply, ask to discuss the severity, or ask to reopen"));
    assertThat(h(new IncidentCommand.Claim(f.customer(), n))).isInstanceOf(IncidentOutcome.Rejected.class);
    assertThat(h(new IncidentCommand.CustomerReply(f.vendor(), n, "x"))).isInstanceOf(IncidentOutcome.Rejected.class);
    assertThat(h(new IncidentCommand.Claim(f.vendor(), new IncidentNumber("ACME", 99)))).isEqualTo(
        new IncidentOutcome.Rejected("there is no incident ACME-99; check the number"));
    assertThat(snap(n).eventCount()).isEqualTo(1);
  }

  @Test
  void resolvingNeedsAResolutionTypeThePolicyAccepts() {
    Organization org = f.organization("ACME", "atomrock");
    IncidentNumber n = f.file(org, "S3", "defect");
    IncidentOutcome out = h(new IncidentCommand.Resolve(f.vendor(), n, ResolutionType.THIRD_PARTY, "their bug"));
    assertThat(out).isEqualTo(new IncidentOutcome.Rejected("resolution type third_party is not accepted by the atomrock"
        + " policy; choose one of [explanation, recommendation, usage_instructions, workaround, fix_in_release,"
        + " unsupported_custom_code, out_of_scope]"));
    assertThat(((IncidentOutcome.Rejected) h(new IncidentCommand.Resolve(f.vendor(), n, null, "?"))).reason())
        .startsWith("resolution type (none) is not accepted");
    assertThat(snap(n).state()).isEqualTo(IncidentState.NEW);
  }

  @Test
  void severityChangeRecordsWhoWhenWhyAndRetargetsTheClock() {
    Organization org = f.organization("ACME", "atomrock");
    IncidentNumber n = f.file(org, "S3", "defect");
    // S3: 2 business days of 24 hours
    assertThat(snap(n).clocks().get("first_response").deadline()).contains(MONDAY.plus(Duration.ofDays(2)));
    assertThat(breachDue(n)).isEqualTo(MONDAY.plus(Duration.ofDays(2)));

    f.clock.advance(Duration.ofHours(1));
    assertThat(h(new IncidentCommand.ChangeSeverity(f.customer(), n, "S1", "urgent for us")))
        .isInstanceOf(IncidentOutcome.Rejected.class);
    assertThat(h(new IncidentCommand.RequestSeverityDiscussion(f.customer(), n, "production is down")))
        .isInstanceOf(IncidentOutcome.Changed.class);
    assertThat(h(new IncidentCommand.ChangeSeverity(f.vendor(), n, "S1", " "))).isEqualTo(new IncidentOutcome.Rejected(
        "a severity change of ACME-1 needs a reason; say why it is S1"));
    h(new IncidentCommand.ChangeSeverity(f.vendor(), n, "S1", "production down"));

    IncidentEvent.SeverityChanged change = f.desk.log(n).stream().filter(IncidentEvent.SeverityChanged.class::isInstance)
        .map(IncidentEvent.SeverityChanged.class::cast).findFirst().orElseThrow();
    assertThat(change.from()).isEqualTo("S3");
    assertThat(change.to()).isEqualTo("S1");
    assertThat(change.reason()).isEqualTo("production down");
    assertThat(change.origin().actor().identity()).isEqualTo(f.engineer);
    assertThat(change.origin().at()).isEqualTo(MONDAY.plus(Duration.ofHours(1)));
    assertThat(change.origin().message()).isPresent();
    assertThat(snap(n).severityDiscussions()).isEqualTo(1);
    // S1 is 4 hours on a 24/7 calendar; the hour already spent counts.
    assertThat(snap(n).clocks().get("first_response").deadline()).contains(MONDAY.plus(Duration.ofHours(4)));
    assertThat(breachDue(n)).as("the breach timer moved in the same transaction").isEqualTo(MONDAY.plus(Duration.ofHours(4)));
  }

  private Instant breachDue(IncidentNumber n) {
    return TimerRows.unfired(f.db, n).stream().filter(r -> r.kind().equals("sla-breach:first_response"))
        .map(TimerRows.Row::due).reduce((a, b) -> { throw new AssertionError("two breach timers: " + a + ", " + b); })
        .orElseThrow();
  }

  @ParameterizedTest(name = "{0}: first response met by {1}")
  @CsvSource(delimiter = '|', textBlock = """
      atomrock           | S3     | defect   | reply  | STOPPED
      resource-optimizer | S2     | defect   | reply  | STOPPED
      atheer             | P2     | incident | reply  | RUNNING
      atheer             | P2     | incident | ack    | STOPPED
      alectrona          | high   | incident | update | STOPPED
      """)
  void firstResponseIsMetByTheFirstPublicVendorMessage(String policy, String sev, String cat, String how,
      SlaClock.State expected) {
    IncidentNumber n = f.file(f.organization("ACME", policy), sev, cat);
    f.clock.advance(Duration.ofMinutes(30));
    h(switch (how) {
      case "ack" -> new IncidentCommand.Acknowledge(f.vendor(), n, "received");
      case "update" -> new IncidentCommand.PublicUpdate(f.vendor(), n, "looking");
      default -> new IncidentCommand.RequestInfo(f.vendor(), n, "which version?");
    });
    // Atheer counts only the acknowledgement in the portal; a question does not meet its target.
    assertThat(snap(n).clocks().get("first_response").state()).isEqualTo(expected);
  }

  @Test
  void alectronaUpdateTargetRearmsAfterEachPublicUpdateAndPausesWhileWaiting() {
    IncidentNumber n = f.file(f.organization("ACME", "alectrona"), "urgent", "incident");
    f.clock.advance(Duration.ofMinutes(30));
    h(new IncidentCommand.PublicUpdate(f.vendor(), n, "looking"));
    // urgent: update every 4 business hours; 09:30 + 4 h = 13:30 New York = 18:30 UTC
    assertThat(snap(n).clocks().get("update").deadline()).contains(Instant.parse("2026-11-23T18:30:00Z"));
    f.clock.advance(Duration.ofHours(2));
    h(new IncidentCommand.PublicUpdate(f.vendor(), n, "found it"));
    assertThat(snap(n).clocks().get("update").deadline()).contains(Instant.parse("2026-11-23T20:30:00Z"));

    h(new IncidentCommand.RequestInfo(f.vendor(), n, "log please"));
    assertThat(snap(n).clocks().get("update").state()).isEqualTo(SlaClock.State.PAUSED);
    assertThat(TimerRows.unfired(f.db, n)).noneMatch(r -> r.kind().startsWith("sla-"));
    f.clock.advance(Duration.ofHours(1));
    h(new IncidentCommand.CustomerReply(f.customer(), n, "here"));
    // the reply re-starts nothing by itself: the paused hour is added to the deadline
    assertThat(snap(n).clocks().get("update").state()).isEqualTo(SlaClock.State.RUNNING);
    assertThat(snap(n).clocks().get("update").deadline()).contains(Instant.parse("2026-11-23T21:30:00Z"));
  }

  @Test
  void atheerFirstResponseKeepsRunningWhileWaitingBecauseThePolicyDoesNotPauseIt() {
    IncidentNumber n = f.file(f.organization("ACME", "atheer"), "P2", "incident");
    Instant deadline = snap(n).clocks().get("first_response").deadline().orElseThrow();
    h(new IncidentCommand.RequestInfo(f.vendor(), n, "which users?"));
    assertThat(snap(n).state()).isEqualTo(IncidentState.WAITING_ON_CUSTOMER);
    assertThat(snap(n).clocks().get("first_response").state()).isEqualTo(SlaClock.State.RUNNING);
    assertThat(snap(n).clocks().get("first_response").deadline()).contains(deadline);
  }

  @Test
  void atomrockDropsAfterTwoUnansweredRequestsWithRemindersFirst() {
    IncidentNumber n = f.file(f.organization("ACME", "atomrock"), "S3", "defect");
    h(new IncidentCommand.Claim(f.vendor(), n));
    h(new IncidentCommand.RequestInfo(f.vendor(), n, "log please"));
    // wait 2 business days (48 h, 24/7) with a reminder 1 business day before
    assertFires(MONDAY.plus(Duration.ofHours(24)), IncidentEvent.ReminderSent.class);
    assertFires(MONDAY.plus(Duration.ofHours(48)), IncidentEvent.InfoRequestLapsed.class);
    assertThat(snap(n).state()).isEqualTo(IncidentState.WAITING_ON_CUSTOMER);
    assertThat(snap(n).unansweredRequests()).isEqualTo(1);

    h(new IncidentCommand.RequestInfo(f.vendor(), n, "second attempt: log please"));
    assertFires(MONDAY.plus(Duration.ofHours(72)), IncidentEvent.ReminderSent.class);
    assertFires(MONDAY.plus(Duration.ofHours(96)), IncidentEvent.InfoRequestLapsed.class, IncidentEvent.Dropped.class);
    assertThat(snap(n).state()).isEqualTo(IncidentState.DROPPED);
    assertThat(f.desk.openAt(f.place)).isEmpty();
    assertThat(f.timers.pending()).isZero();
    // reopen within 14 days
    f.clock.advance(Duration.ofDays(1));
    assertThat(h(new IncidentCommand.Reopen(f.customer(), n, "sorry, was away"))).isInstanceOf(IncidentOutcome.Changed.class);
    assertThat(snap(n).state()).isEqualTo(IncidentState.IN_PROGRESS);
  }

  @Test
  void aReplyResetsTheUnansweredCount() {
    IncidentNumber n = f.file(f.organization("ACME", "atomrock"), "S3", "defect");
    h(new IncidentCommand.RequestInfo(f.vendor(), n, "log please"));
    assertFires(MONDAY.plus(Duration.ofHours(24)), IncidentEvent.ReminderSent.class);
    f.clock.advance(Duration.ofHours(1));
    h(new IncidentCommand.CustomerReply(f.customer(), n, "here"));
    assertThat(TimerRows.unfired(f.db, n)).noneMatch(r -> r.kind().startsWith("info-"));
    f.clock.set(MONDAY.plus(Duration.ofDays(30)));
    f.desk.fireDue(f.clock.instant(), 100);
    assertThat(snap(n).state()).isEqualTo(IncidentState.IN_PROGRESS);
    assertThat(f.desk.log(n)).noneMatch(e -> e instanceof IncidentEvent.InfoRequestLapsed);
  }

  @Test
  void resourceOptimizerDropsThreeDaysAfterAnUnansweredRequestAndTheCustomerMayAskToReopen() {
    IncidentNumber n = f.file(f.organization("ACME", "resource-optimizer"), "S2", "defect");
    h(new IncidentCommand.RequestInfo(f.vendor(), n, "which server?"));
    assertFires(MONDAY.plus(Duration.ofDays(2)), IncidentEvent.ReminderSent.class);
    assertFires(MONDAY.plus(Duration.ofDays(3)), IncidentEvent.InfoRequestLapsed.class, IncidentEvent.Dropped.class);
    assertThat(snap(n).state()).isEqualTo(IncidentState.DROPPED);
    IncidentEvent.Dropped d = (IncidentEvent.Dropped) f.desk.log(n).getLast();
    assertThat(d.automatic()).isTrue();
    assertThat(d.reason()).startsWith("1 request for information went unanswered: Resource Optimizer may close");

    f.clock.advance(Duration.ofDays(40));
    assertThat(h(new IncidentCommand.Reopen(f.customer(), n, "still broken"))).isInstanceOf(IncidentOutcome.Changed.class);
    assertThat(snap(n).state()).isEqualTo(IncidentState.DROPPED);
    assertThat(snap(n).reopenRequested()).isTrue();
    assertThat(((IncidentOutcome.Rejected) h(new IncidentCommand.Reopen(f.customer(), n, "again"))).reason())
        .startsWith("reopening ACME-1 was already requested; an engineer decides");
    h(new IncidentCommand.Reopen(f.vendor(), n, "solvable"));
    assertThat(snap(n).state()).isEqualTo(IncidentState.IN_PROGRESS);
  }

  @Test
  void reopenIsRefusedAfterTheWindow() {
    IncidentNumber n = f.file(f.organization("ACME", "atheer"), "P2", "incident");
    h(new IncidentCommand.Resolve(f.vendor(), n, ResolutionType.EXPLANATION, "answered"));
    f.clock.advance(Duration.ofDays(15));
    IncidentOutcome out = h(new IncidentCommand.Reopen(f.customer(), n, "again"));
    assertThat(((IncidentOutcome.Rejected) out).reason()).startsWith("ACME-1 can be reopened only within 14 days of "
        + MONDAY + " (until " + MONDAY.plus(Duration.ofDays(14)) + "); file a new case and mention ACME-1");
  }

  @Test
  void resolvedCaseClosesAfterTheQuietPeriodExactly() {
    IncidentNumber n = f.file(f.organization("ACME", "atomrock"), "S3", "defect");
    h(new IncidentCommand.Resolve(f.vendor(), n, ResolutionType.WORKAROUND, "use the CLI"));
    // 5 business days on a 24/7 calendar, warned 1 business day before
    assertFires(MONDAY.plus(Duration.ofDays(4)), IncidentEvent.CloseWarned.class);
    assertThat(((IncidentEvent.CloseWarned) f.desk.log(n).getLast()).closesAt()).isEqualTo(MONDAY.plus(Duration.ofDays(5)));
    assertFires(MONDAY.plus(Duration.ofDays(5)), IncidentEvent.Closed.class);
    assertThat(snap(n).state()).isEqualTo(IncidentState.CLOSED);
    assertThat(((IncidentEvent.Closed) f.desk.log(n).getLast()).automatic()).isTrue();
  }

  @Test
  void aReplyToAResolvedCaseDoesNotStopTheQuietPeriodButAReopenDoes() {
    IncidentNumber n = f.file(f.organization("ACME", "atomrock"), "S3", "defect");
    h(new IncidentCommand.Resolve(f.vendor(), n, ResolutionType.WORKAROUND, "use the CLI"));
    f.clock.advance(Duration.ofDays(1));
    h(new IncidentCommand.Reopen(f.customer(), n, "did not help"));
    assertThat(TimerRows.unfired(f.db, n)).noneMatch(r -> r.kind().equals("quiet-close"));
    f.clock.advance(Duration.ofDays(10));
    f.desk.fireDue(f.clock.instant(), 100);
    assertThat(snap(n).state()).isEqualTo(IncidentState.IN_PROGRESS);
  }

  @Test
  void splitMakesSubordinateIncidentsAndMergeKeepsBothRecords() {
    Organization org = f.organization("ACME", "alectrona");
    IncidentNumber n = f.file(org, "high", "incident");
    IncidentOutcome split = h(new IncidentCommand.Split(f.vendor(), n, List.of("Export fails", "Import is slow")));
    IncidentNumber a = new IncidentNumber("ACME", 2);
    IncidentNumber b = new IncidentNumber("ACME", 3);
    assertThat(split).isEqualTo(new IncidentOutcome.SplitInto(n, List.of(a, b)));
    assertThat(snap(n).parts()).containsExactly(a, b);
    assertThat(snap(a).parent()).contains(n);
    assertThat(snap(a).title()).isEqualTo("Export fails");
    assertThat(snap(b).severityId()).isEqualTo("high");
    assertThat(snap(b).clocks()).containsKey("first_response");
    assertThat(TimerRows.unfired(f.db, b)).isNotEmpty();

    assertThat(h(new IncidentCommand.Merge(f.vendor(), b, b))).isInstanceOf(IncidentOutcome.Rejected.class);
    assertThat(h(new IncidentCommand.Merge(f.vendor(), b, a))).isInstanceOf(IncidentOutcome.Changed.class);
    assertThat(snap(b).state()).isEqualTo(IncidentState.CLOSED);
    assertThat(snap(b).mergedInto()).contains(a);
    assertThat(snap(a).duplicates()).containsExactly(b);
    assertThat(f.desk.log(b)).hasSize(2);
    assertThat(f.desk.log(a).getLast()).isInstanceOf(IncidentEvent.DuplicateMerged.class);
    assertThat(TimerRows.unfired(f.db, b)).isEmpty();
    assertThat(((IncidentOutcome.Rejected) h(new IncidentCommand.Reopen(f.vendor(), b, "x"))).reason())
        .isEqualTo("ACME-3 was merged into ACME-2; follow that case instead");
    for (IncidentNumber x : List.of(n, a, b)) {
      assertThat(f.desk.rebuild(x).orElseThrow().snapshot()).isEqualTo(snap(x));
    }
  }

  @Test
  void numbersCountPerOrganization() {
    Organization acme = f.organization("ACME", "atomrock");
    Organization beta = f.organization(Organization.of("beta", "BETA", "Beta", "atheer"));
    assertThat(f.file(acme, "S3", "defect")).hasToString("ACME-1");
    assertThat(f.file(beta, "P3", "incident")).hasToString("BETA-1");
    assertThat(f.file(acme, "S3", "defect")).hasToString("ACME-2");
    assertThat(IncidentNumber.parse(" ACME-2 ")).isEqualTo(new IncidentNumber("ACME", 2));
  }

  @Test
  void filingIsRefusedForStrangersUnknownLevelsAndMissingFields() {
    Organization org = f.organization("ACME", "atomrock");
    var stranger = new Origin("evt-x", Actor.customer(new Identity("slack", "T1", "U-stranger")), MONDAY,
        java.util.Optional.empty());
    IncidentCommand.File base = f.fileCommand(org, "S3", "defect");
    assertThat(((IncidentOutcome.Rejected) h(new IncidentCommand.File(stranger, org.id(), f.place, "S3", "defect", "Edge",
        "2.1", "t", base.fields()))).reason()).startsWith("only named contacts of ACME Ltd may file cases.");
    assertThat(h(new IncidentCommand.File(f.customer(), org.id(), f.place, "S9", "defect", "Edge", "2.1", "t",
        base.fields()))).isEqualTo(new IncidentOutcome.Rejected(
            "severity \"S9\" is not a level of the atomrock policy; choose one of [S1, S2, S3, S4]"));
    assertThat(h(new IncidentCommand.File(f.customer(), org.id(), f.place, "S3", "defect", "Edge", "", "t",
        java.util.Map.of()))).isEqualTo(new IncidentOutcome.Rejected("the report lacks required fields [version,"
            + " description, expected_result, steps_to_reproduce, error_messages, reproducible] under the atomrock"
            + " policy; answer them and file again"));
    assertThat(f.desk.openFor(org.id())).isEmpty();
  }

  @Test
  void queriesFindCasesByPlaceOrganizationDeadlineAndHolder() {
    Organization acme = f.organization("ACME", "atomrock");
    IncidentNumber slow = f.file(acme, "S4", "defect");
    IncidentNumber fast = f.file(acme, "S1", "defect");
    IncidentNumber mid = f.file(acme, "S2", "defect");
    assertThat(f.desk.queue(10)).extracting(IncidentSnapshot::number).containsExactly(fast, mid, slow);
    assertThat(f.desk.queue(1)).extracting(IncidentSnapshot::number).containsExactly(fast);
    h(new IncidentCommand.Claim(f.vendor(), mid));
    assertThat(f.desk.mine(f.engineer)).extracting(IncidentSnapshot::number).containsExactly(mid);
    assertThat(f.desk.mine(f.engineer2)).isEmpty();
    assertThat(f.desk.openFor(acme.id())).hasSize(3);
    assertThat(f.desk.openAt(f.place)).hasSize(3);
    h(new IncidentCommand.Drop(f.vendor(), slow, "duplicate by mail"));
    assertThat(f.desk.openAt(f.place)).extracting(IncidentSnapshot::number).containsExactly(fast, mid);
    assertThat(f.desk.queue(10)).extracting(IncidentSnapshot::number).containsExactly(fast, mid);
  }

  private void assertFires(Instant due, Class<?>... expected) {
    f.clock.set(due.minusMillis(1));
    int before = f.published.size();
    assertThat(f.desk.fireDue(f.clock.instant(), 100)).as("nothing fires before %s", due).isZero();
    f.clock.set(due);
    assertThat(f.desk.fireDue(f.clock.instant(), 100)).as("a timer fires at %s", due).isPositive();
    List<IncidentEvent> fired = f.published.subList(before, f.published.size());
    assertThat(fired).extracting(e -> (Object) e.getClass()).containsExactly((Object[]) expected);
  }
}
