package org.supportbot.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.supportbot.core.chat.ChatFixture.ACME;
import static org.supportbot.core.chat.ChatFixture.ANA;
import static org.supportbot.core.chat.ChatFixture.ESCALATIONS;
import static org.supportbot.core.chat.ChatFixture.EVE;
import static org.supportbot.core.chat.ChatFixture.thread;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.incident.Actor;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.Origin;
import org.supportbot.core.outbox.Delivery;
import org.supportbot.core.outbox.Outbox;
import org.supportbot.core.store.sqlite.SqliteOutboxStore;

/**
 * The chat desk's notifications survive a crash: on a real SQLite file, a new desk over the same
 * file (as after a restart) sends what the last one committed and did not deliver, once, and
 * nothing it delivered.
 */
class OutboxDeliveryTest {
  private static final Instant MONDAY_9AM = Instant.parse("2026-11-23T17:00:00Z");
  private static final IncidentNumber ACME_1 = IncidentNumber.parse("ACME-1");

  @TempDir Path dir;

  private static List<Outbound> ofKind(List<Delivery> out, Outbound.Kind kind) {
    return out.stream().map(Delivery::message).filter(o -> o.kind() == kind).toList();
  }

  /** Ana files a P1 case; the last answer's messages are returned as deliveries nobody reported yet. */
  private static List<Delivery> fileP1Unreported(ChatFixture f) {
    f.desk.tick(); // Monday's 08:00 digest is due at the start: out of the way, delivered
    f.command(ANA, ACME, "/support");
    for (String a : List.of("Atheer AiR Enterprise", "none", "incident", "The service is down for every user",
        "it works", "open the app", "none", "none", "yes", "all", "people wait", "P1")) {
      f.say(ANA, ACME, a);
    }
    return f.handleTracked(ANA, ACME, new Inbound.Said("no"));
  }

  private static long pending(ChatFixture f) {
    return new SqliteOutboxStore(f.db).pendingCount();
  }

  @Test
  void anEscalationPingRecordedButNotSentBeforeACrashIsSentOnceOnStart() {
    ChatFixture before = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM);
    List<Delivery> lost = fileP1Unreported(before);
    assertThat(ofKind(lost, Outbound.Kind.ESCALATION_PING)).hasSize(1);
    // the process dies here: committed, handed to the adapter, never reported sent
    try (ChatFixture after = before.restart()) {
      List<Delivery> resent = after.desk.tickTracked();
      assertThat(ofKind(resent, Outbound.Kind.ESCALATION_PING)).singleElement()
          .satisfies(p -> assertThat(p.to()).isEqualTo(new Outbound.ToPlace(ESCALATIONS)))
          .satisfies(p -> assertThat(p.plainText()).contains("ACME-1"));
      // every lost message comes back, in the order it was said
      assertThat(resent.stream().map(Delivery::message).toList())
          .isEqualTo(lost.stream().map(Delivery::message).toList());
      resent.forEach(Delivery::sent);
      assertThat(after.desk.tickTracked()).isEmpty();
      assertThat(pending(after)).isZero();
    }
  }

  @Test
  void aPingWhoseIncidentChangeCommittedBeforeTheDeskRecordedItIsRenderedFromTheLogOnStart() {
    ChatFixture before = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM);
    before.desk.tick(); // Monday's digest, delivered
    before.fileAtheer("A report shows the wrong totals for one team", "5", "P3");
    // the severity change commits in the incident desk; the process dies before the chat desk renders it
    IncidentOutcome raised = before.incidents.handle(new IncidentCommand.ChangeSeverity(new Origin("raise-1",
        new Actor(EVE, Actor.Role.ENGINEER), MONDAY_9AM, Optional.empty()), ACME_1, "P1", "every user is affected"));
    assertThat(raised).isInstanceOf(IncidentOutcome.Changed.class);
    try (ChatFixture after = before.restart()) {
      List<Delivery> first = after.desk.tickTracked();
      assertThat(ofKind(first, Outbound.Kind.ESCALATION_PING)).singleElement()
          .satisfies(p -> assertThat(p.plainText()).contains("Raised to P1").contains("ACME-1"));
      assertThat(ofKind(first, Outbound.Kind.NOTICE)).singleElement()
          .satisfies(n -> assertThat(n.to()).isEqualTo(new Outbound.ToPlace(thread(ACME, "ACME-1"))))
          .satisfies(n -> assertThat(n.plainText()).contains("Severity changed from P3 to P1"));
      first.forEach(Delivery::sent);
      assertThat(after.desk.tickTracked()).isEmpty();
    }
  }

  @Test
  void aDeliveredPingIsNotSentAgainAfterRestart() {
    ChatFixture before = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM);
    List<Delivery> out = fileP1Unreported(before);
    out.forEach(Delivery::sent);
    assertThat(pending(before)).isZero();
    try (ChatFixture after = before.restart()) {
      assertThat(after.desk.tickTracked()).isEmpty();
      assertThat(after.desk.tickTracked()).isEmpty();
    }
  }

  @Test
  void aFailedPingStaysPendingAndIsSentAgainAtTheExactBackoffInstants() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      List<Delivery> out = fileP1Unreported(f);
      Delivery ping = out.stream().filter(d -> d.message().kind() == Outbound.Kind.ESCALATION_PING).findFirst()
          .orElseThrow();
      out.stream().filter(d -> d != ping).forEach(Delivery::sent);
      ping.failed("http_503");
      assertThat(pending(f)).isEqualTo(1);

      f.clock.set(MONDAY_9AM.plusMillis(4_999)); // Backoff.DEFAULT: 5 s after the first failure
      assertThat(f.desk.tickTracked()).isEmpty();
      f.clock.set(MONDAY_9AM.plusSeconds(5));
      Delivery second = single(f.desk.tickTracked());
      assertThat(second.message()).isEqualTo(ping.message());
      assertThat(second.failures()).isEqualTo(1);
      second.failed("timeout");

      f.clock.set(MONDAY_9AM.plusSeconds(5 + 10).minusMillis(1)); // then 10 s
      assertThat(f.desk.tickTracked()).isEmpty();
      f.clock.set(MONDAY_9AM.plusSeconds(15));
      Delivery third = single(f.desk.tickTracked());
      assertThat(third.failures()).isEqualTo(2);
      third.sent();
      assertThat(pending(f)).isZero();
      f.clock.set(MONDAY_9AM.plusSeconds(60));
      assertThat(f.desk.tickTracked()).isEmpty();
    }
  }

  @Test
  void aFailedPingAlsoWaitsAcrossARestart() {
    ChatFixture before = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM);
    List<Delivery> out = fileP1Unreported(before);
    out.stream().filter(d -> d.message().kind() != Outbound.Kind.ESCALATION_PING).forEach(Delivery::sent);
    out.stream().filter(d -> d.message().kind() == Outbound.Kind.ESCALATION_PING).forEach(d -> d.failed("http_503"));
    try (ChatFixture after = before.restart()) {
      after.clock.set(MONDAY_9AM.plusSeconds(4));
      assertThat(after.desk.tickTracked()).isEmpty();
      after.clock.set(MONDAY_9AM.plusSeconds(5));
      assertThat(ofKind(after.desk.tickTracked(), Outbound.Kind.ESCALATION_PING)).hasSize(1);
    }
  }

  @Test
  void messagesForAChannelWaitBehindItsFailedMessageAndKeepTheirOrder() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.desk.tick(); // Monday's digest, delivered
      f.fileAtheer("The service is down for every user since this morning", "all", "P1");
      ChatPlace caseThread = thread(ACME, "ACME-1");
      String acme = Outbox.lane(Outbound.toPlace(caseThread, Outbound.Kind.NOTICE).text("-").build());
      List<Delivery> claim = f.handleTracked(EVE, caseThread, new Inbound.Command("claim", ""));
      List<Delivery> inAcme = claim.stream().filter(d -> Outbox.lane(d.message()).equals(acme)).toList();
      assertThat(inAcme).extracting(d -> d.message().kind())
          .containsExactly(Outbound.Kind.NOTICE, Outbound.Kind.STATUS);
      claim.stream().filter(d -> !inAcme.contains(d)).forEach(Delivery::sent);
      // the platform refuses the notice; what follows it in that channel is not tried (as the adapters do)
      inAcme.forEach(d -> d.failed("http_503"));

      // the next messages for the same channel are recorded but held behind the failed ones
      List<Delivery> ack = f.handleTracked(EVE, caseThread, new Inbound.Command("ack", "Looking at it now."));
      assertThat(ack).noneMatch(d -> Outbox.lane(d.message()).equals(acme));
      ack.forEach(Delivery::sent);
      assertThat(pending(f)).isEqualTo(4);

      f.clock.set(MONDAY_9AM.plusSeconds(4));
      assertThat(f.desk.tickTracked()).isEmpty();
      f.clock.set(MONDAY_9AM.plusSeconds(5));
      List<Delivery> retried = f.desk.tickTracked();
      assertThat(retried).allMatch(d -> Outbox.lane(d.message()).equals(acme));
      assertThat(retried).extracting(d -> d.message().kind()).containsExactly(Outbound.Kind.NOTICE,
          Outbound.Kind.STATUS, Outbound.Kind.NOTICE, Outbound.Kind.STATUS);
      assertThat(retried.get(0).message().plainText()).contains("is now handling ACME-1");
      assertThat(retried.get(2).message().plainText()).contains("acknowledged: Looking at it now.");
      assertThat(retried).extracting(Delivery::id).isSorted();
      retried.forEach(Delivery::sent);
      assertThat(pending(f)).isZero();
    }
  }

  private static Delivery single(List<Delivery> out) {
    assertThat(out).hasSize(1);
    return out.getFirst();
  }
}
