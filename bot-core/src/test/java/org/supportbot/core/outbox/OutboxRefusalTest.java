package org.supportbot.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.sqlite.SqliteOutboxStore;
import org.supportbot.core.time.ManualClock;

/**
 * Refusals no retry can change, on a real SQLite file: set aside at once, the triage channel told
 * without the message's text, resent by an operator; ids never given twice; ephemeral replies in a
 * lane of their own.
 */
class OutboxRefusalTest {
  private static final Instant T0 = Instant.parse("2026-11-23T17:00:00Z");
  private static final ChatPlace GONE = new ChatPlace("slack", "T1", "C1", "");
  private static final ChatPlace TRIAGE = new ChatPlace("slack", "T1", "C9", "");
  private static final Identity ANA = new Identity("slack", "T1", "U0ANA");

  @TempDir Path dir;
  private SqliteDatabase db;
  private ManualClock clock;
  private Outbox outbox;

  @BeforeEach
  void open() {
    db = SqliteDatabase.open(dir.resolve("outbox.db"), SqliteDatabase.Durability.NORMAL);
    clock = new ManualClock(T0);
    outbox = new Outbox(new SqliteOutboxStore(db), clock, Backoff.DEFAULT, Optional.of(TRIAGE));
  }

  @AfterEach
  void close() {
    db.close();
  }

  private List<Delivery> record(Outbound... messages) {
    return outbox.record(new OutboxStore.Batch(List.of(messages), OptionalLong.empty(), List.of(), List.of(), Map.of(),
        clock.instant()));
  }

  private static Outbound notice(ChatPlace where, String text) {
    return Outbound.toPlace(where, Outbound.Kind.NOTICE).text(text).build();
  }

  @Test
  void aRefusedMessageIsSetAsideAtOnceItsLaneGoesOnAndTriageIsToldWithoutItsText() {
    List<Delivery> out = record(notice(GONE, "secret customer words"), notice(GONE, "next"));
    assertThat(out).hasSize(2);
    out.get(0).refused("channel_not_found");
    out.get(1).notTried("an earlier post to the channel failed");

    assertThat(outbox.setAside()).singleElement().satisfies(s -> {
      assertThat(s.id()).isEqualTo(out.get(0).id());
      assertThat(s.lane()).isEqualTo("slack/T1/C1");
      assertThat(s.kind()).isEqualTo("NOTICE");
      assertThat(s.attempts()).isEqualTo(1);
      assertThat(s.reason()).isEqualTo("channel_not_found");
      assertThat(s.setAsideAt()).isEqualTo(T0);
    });
    clock.advance(Backoff.DEFAULT.first());
    List<Delivery> due = outbox.due(10);
    assertThat(due).extracting(d -> d.message().plainText()).containsExactly("next",
        "Outbox: message " + out.get(0).id() + " (notice) to slack/T1/C1 was set aside: channel_not_found. Fix the"
            + " cause, then run `supportbot outbox resend --id " + out.get(0).id() + "`.");
    assertThat(due.get(1).message().to()).isEqualTo(new Outbound.ToPlace(TRIAGE));
    assertThat(due.get(1).message().plainText()).doesNotContain("secret");
  }

  @Test
  void aGoneChannelRefusingEveryQueuedMessageTellsTriageOnceAnHour() {
    List<Delivery> out = record(notice(GONE, "a"), notice(GONE, "b"), notice(GONE, "c"));
    out.get(0).refused("channel_not_found");
    out.get(1).refused("channel_not_found");
    out.get(2).refused("is_archived");
    assertThat(outbox.setAsideCount()).isEqualTo(3);
    assertThat(outbox.due(10)).extracting(d -> d.message().plainText())
        .containsExactly(told(out.get(0), "channel_not_found"), told(out.get(2), "is_archived"));

    clock.advance(Outbox.NOTICE_QUIET.plusMillis(1));
    record(notice(GONE, "d")).getFirst().refused("channel_not_found");
    assertThat(outbox.due(10)).extracting(d -> d.message().plainText()).last().asString()
        .startsWith("Outbox: message " + (out.get(2).id() + 3));
  }

  private static String told(Delivery d, String reason) {
    return "Outbox: message " + d.id() + " (notice) to slack/T1/C1 was set aside: " + reason + ". Fix the cause, then"
        + " run `supportbot outbox resend --id " + d.id() + "`.";
  }

  @Test
  void aRefusedTriageNoticeIsOnlyLoggedSoNoticesCannotLoop() {
    record(notice(TRIAGE, "new case")).getFirst().refused("not_in_channel");
    assertThat(outbox.setAsideCount()).isEqualTo(1);
    assertThat(outbox.pendingCount()).isZero();
  }

  @Test
  void aResentMessageGoesOutAgainAfterEverythingRecordedSoFarWithANewId() {
    Delivery gone = record(notice(GONE, "first")).getFirst();
    gone.refused("is_archived");
    outbox.due(10).forEach(Delivery::sent); // the triage notice
    record(notice(GONE, "second")).getFirst().sent();

    assertThat(outbox.resend(List.of(gone.id(), 999L))).isEqualTo(1);
    assertThat(outbox.setAside()).isEmpty();
    List<Delivery> again = outbox.due(10);
    assertThat(again).singleElement().satisfies(d -> {
      assertThat(d.message().plainText()).isEqualTo("first");
      assertThat(d.failures()).isZero();
      assertThat(d.id()).isGreaterThan(gone.id() + 2);
      assertThat(d.recordedAt()).isEqualTo(T0);
    });
  }

  @Test
  void idsAreNeverGivenTwiceEvenAfterTheOutboxEmptied() {
    Delivery a = record(notice(GONE, "a")).getFirst();
    a.sent();
    assertThat(outbox.pendingCount()).isZero();
    Delivery b = record(notice(GONE, "b")).getFirst();
    assertThat(b.id()).isGreaterThan(a.id());
  }

  @Test
  void anEphemeralReplyHasALaneOfItsOwnAndDoesNotWaitBehindAFailingChannelPost() {
    List<Delivery> out = record(notice(GONE, "post"));
    out.getFirst().failed("HTTP 500");
    List<Delivery> reply = record(Outbound.toPlace(GONE, Outbound.Kind.REPLY).onlyFor(ANA).text("only you").build());
    assertThat(reply).extracting(d -> d.message().plainText()).containsExactly("only you");
    assertThat(Outbox.lane(reply.getFirst().message())).isEqualTo("slack/T1/C1/@U0ANA");
    clock.advance(Duration.ofSeconds(1));
    assertThat(outbox.due(10)).isEmpty();
  }
}
