package org.supportbot.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Span;
import org.supportbot.core.conversation.Suggestion;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.sqlite.SqliteOutboxStore;
import org.supportbot.core.time.ManualClock;

/** The outbox on a real SQLite file: order per lane, backoff at exact instants, what survives a reopen. */
class OutboxTest {
  private static final Instant T0 = Instant.parse("2026-11-23T17:00:00Z");
  private static final ChatPlace SUPPORT = new ChatPlace("slack", "T1", "C1", "");
  private static final ChatPlace SUPPORT_THREAD = new ChatPlace("slack", "T1", "C1", "ACME-1");
  private static final ChatPlace TRIAGE = new ChatPlace("slack", "T1", "C2", "");
  private static final Identity MAX = new Identity("discord", "G1", "42");

  @TempDir Path dir;
  private SqliteDatabase db;
  private ManualClock clock;
  private Outbox outbox;

  @BeforeEach
  void open() {
    db = SqliteDatabase.open(dir.resolve("outbox.db"), SqliteDatabase.Durability.NORMAL);
    clock = new ManualClock(T0);
    outbox = new Outbox(new SqliteOutboxStore(db), clock, Backoff.DEFAULT);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private Outbox reopen() {
    db.close();
    db = SqliteDatabase.open(dir.resolve("outbox.db"), SqliteDatabase.Durability.NORMAL);
    outbox = new Outbox(new SqliteOutboxStore(db), clock, Backoff.DEFAULT);
    return outbox;
  }

  private static Outbound notice(ChatPlace where, String text) {
    return Outbound.toPlace(where, Outbound.Kind.NOTICE).text(text).build();
  }

  private List<Delivery> record(Outbound... messages) {
    return outbox.record(new OutboxStore.Batch(List.of(messages), OptionalLong.empty(), List.of(), List.of(), Map.of(),
        clock.instant()));
  }

  private static List<String> texts(List<Delivery> out) {
    return out.stream().map(d -> d.message().plainText()).toList();
  }

  @Test
  void everyShapeOfMessageComesBackFromTheDatabaseAsItWasRecorded() {
    Outbound rich = Outbound.toPlace(SUPPORT_THREAD, Outbound.Kind.STATUS).replaces("status:ACME-1")
        .text(new Span.Strong("ACME-1: down"), " by ", new Span.Person(MAX), new Span.Role("R1", "on-call"),
            new Span.Code("ERR_POOL"), new Span.Link("docs", "https://example.com/a"))
        .fact("Due", new Span.Deadline(T0.plusSeconds(3600)))
        .suggestions(List.of(new Suggestion("a1", "article", "Pool size", "https://example.com/a1", "**pool**", 1.5)))
        .actions(new Outbound.Action("claim", "Claim", "ACME-1", true)).build();
    Outbound ephemeral = Outbound.toPlace(SUPPORT, Outbound.Kind.REPLY).onlyFor(MAX).text("only you").build();
    Outbound direct = Outbound.to(new Outbound.ToPerson(MAX), Outbound.Kind.BREACH_PING).text("breach").build();
    record(rich, ephemeral, direct);
    List<Delivery> again = reopen().due(10);
    assertThat(again).extracting(Delivery::message).containsExactly(rich, ephemeral, direct);
  }

  @Test
  void aMessageLeftByAnEarlierRunOrFailedOnceMayHaveBeenSentAFreshOneMayNot() {
    record(notice(SUPPORT, "left by the run that died"));
    Outbox again = reopen();
    assertThat(again.due(10)).singleElement().satisfies(d -> assertThat(d.mayHaveBeenSent()).isTrue());
    List<Delivery> fresh = record(notice(TRIAGE, "recorded by this run"));
    assertThat(fresh).singleElement().satisfies(d -> assertThat(d.mayHaveBeenSent()).isFalse());
    fresh.get(0).failed("timeout");
    clock.advance(Duration.ofMinutes(1));
    assertThat(again.due(10)).filteredOn(d -> d.message().plainText().equals("recorded by this run"))
        .singleElement().satisfies(d -> assertThat(d.mayHaveBeenSent()).isTrue());
  }

  @Test
  void aRecordedMessageIsHandedOutOnceUntilReportedAndGoneOnceSent() {
    List<Delivery> first = record(notice(SUPPORT, "one"), notice(TRIAGE, "two"));
    assertThat(texts(first)).containsExactly("one", "two");
    assertThat(outbox.due(10)).isEmpty(); // in flight
    first.get(0).sent();
    first.get(0).failed("late report"); // only the first report counts
    assertThat(outbox.pendingCount()).isEqualTo(1);
    // a restart forgets what was in flight: the unreported one is handed out again
    assertThat(texts(reopen().due(10))).containsExactly("two");
  }

  @Test
  void aFailedMessageWaitsForItsBackoffAndHoldsBackItsLaneOnly() {
    List<Delivery> first = record(notice(SUPPORT, "s1"), notice(TRIAGE, "t1"));
    first.get(0).failed("http_503");
    first.get(1).sent();
    // recorded later: behind s1 in the same lane, but the other lane goes on
    List<Delivery> later = record(notice(SUPPORT_THREAD, "s2"), notice(TRIAGE, "t2"));
    assertThat(texts(later)).containsExactly("t2");
    later.forEach(Delivery::sent);

    clock.set(T0.plus(Duration.ofSeconds(5)).minusMillis(1));
    assertThat(outbox.due(10)).isEmpty();
    clock.set(T0.plusSeconds(5));
    List<Delivery> retry = outbox.due(10);
    assertThat(texts(retry)).containsExactly("s1", "s2");
    assertThat(retry.get(0).failures()).isEqualTo(1);
    assertThat(retry.get(1).failures()).isZero();
  }

  /**
   * A retry handed out while a newer message of its lane is recorded: the newer one is handed out at once
   * (the retry is in flight, not waiting), and a sender with a route of its own waits for the retry's report
   * before sending it. A message of another lane, or one recorded first, does not wait, nor does one behind
   * a message sent on a route of its own (the reply to an earlier interaction).
   */
  @Test
  void aMessageOnARouteOfItsOwnWaitsForAnEarlierOneOfItsLaneToBeReported() throws Exception {
    Delivery welcome = record(notice(SUPPORT, "welcome")).getFirst();
    welcome.failed("http_500");
    clock.set(T0.plusSeconds(5));
    Delivery retry = outbox.due(10).getFirst(); // the ticker is sending it again
    List<Delivery> newer = record(notice(SUPPORT, "question 2"), notice(TRIAGE, "elsewhere"));
    assertThat(texts(newer)).containsExactly("question 2", "elsewhere");
    assertThat(newer.get(1).awaitEarlier(Duration.ZERO)).as("another lane").isTrue();
    assertThat(retry.awaitEarlier(Duration.ZERO)).as("nothing earlier").isTrue();
    assertThat(newer.get(0).awaitEarlier(Duration.ZERO)).as("the retry is not reported").isFalse();

    java.util.concurrent.CompletableFuture<Boolean> waited = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return newer.get(0).awaitEarlier(org.supportbot.core.testing.Await.HUNG);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    org.supportbot.core.testing.Await.until(() -> outbox.awaitingEarlier() == 1, "the question waiting for the retry");
    assertThat(waited).isNotDone();
    retry.sent();
    assertThat(waited.get()).isTrue();
    assertThat(outbox.awaitingEarlier()).isZero();

    // sent on a route of its own and not yet answered: the next one does not wait for it
    newer.get(0).ownRoute();
    Delivery third = record(notice(SUPPORT, "question 3")).getFirst();
    assertThat(third.awaitEarlier(Duration.ZERO)).isTrue();
    newer.get(0).sent();
    // on the lane's route: a failed report ends the wait as well
    Delivery fourth = record(notice(SUPPORT, "question 4")).getFirst();
    assertThat(fourth.awaitEarlier(Duration.ZERO)).as("question 3, on the lane's route").isFalse();
    third.failed("http_500");
    assertThat(fourth.awaitEarlier(Duration.ZERO)).isTrue();
    assertThat(Delivery.untracked(notice(SUPPORT, "untracked")).awaitEarlier(Duration.ZERO)).isTrue();
  }

  @Test
  void backoffDoublesUpToItsLongestWait() {
    Delivery d = record(notice(SUPPORT, "s1")).getFirst();
    Instant at = T0;
    List<Long> waits = List.of(5L, 10L, 20L, 40L, 80L, 160L, 320L, 600L, 600L);
    for (long wait : waits) {
      d.failed("timeout");
      clock.set(at.plusSeconds(wait).minusMillis(1));
      assertThat(outbox.due(10)).isEmpty();
      at = at.plusSeconds(wait);
      clock.set(at);
      d = outbox.due(10).getFirst();
    }
    assertThat(d.failures()).isEqualTo(waits.size());
    d.sent();
    assertThat(outbox.pendingCount()).isZero();
  }

  @Test
  void theCursorMovesOnlyForwardWithItsBatch() {
    assertThat(outbox.eventCursor()).isZero();
    outbox.record(new OutboxStore.Batch(List.of(), OptionalLong.of(7), List.of(), List.of(), Map.of(), T0));
    outbox.record(new OutboxStore.Batch(List.of(), OptionalLong.of(3), List.of(), List.of(), Map.of(), T0));
    assertThat(reopen().eventCursor()).isEqualTo(7);
  }

  @Test
  void aMessageRefusedTooOftenIsSetAsideKeptAndItsLaneGoesOn() throws Exception {
    outbox = new Outbox(new SqliteOutboxStore(db), clock, new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(20), 3));
    List<Delivery> first = record(notice(SUPPORT, "poison"), notice(SUPPORT_THREAD, "behind"));
    assertThat(texts(first)).containsExactly("poison", "behind");
    first.get(0).failed("channel_not_found");
    first.get(1).notTried("an earlier post to the channel failed"); // held behind it, so that the order holds
    clock.set(T0.plusSeconds(5));
    List<Delivery> second = outbox.due(10);
    assertThat(texts(second)).containsExactly("poison", "behind");
    second.get(0).failed("channel_not_found");
    second.get(1).notTried("an earlier post to the channel failed");
    clock.set(T0.plusSeconds(15));
    List<Delivery> third = outbox.due(10);
    assertThat(texts(third)).containsExactly("poison", "behind");
    assertThat(third.get(0).failures()).isEqualTo(2);
    third.get(0).failed("channel_not_found"); // the third failure: set aside
    third.get(1).notTried("an earlier post to the channel failed");

    assertThat(outbox.setAsideCount()).isEqualTo(1);
    assertThat(outbox.pendingCount()).isEqualTo(1);
    // the lane goes on: the message held behind waits only the first backoff wait, with no failure counted
    clock.set(T0.plusSeconds(15 + 5).minusMillis(1));
    assertThat(outbox.due(10)).isEmpty();
    clock.set(T0.plusSeconds(15 + 5));
    List<Delivery> after = outbox.due(10);
    assertThat(texts(after)).containsExactly("behind");
    assertThat(after.getFirst().failures()).isZero();
    after.getFirst().sent();
    assertThat(outbox.pendingCount()).isZero();
    // kept for the record, with its attempts, when and why, and not handed out after a restart
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("outbox.db"));
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT kind, attempts, set_aside_ms, reason, body FROM outbox_set_aside")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("kind")).isEqualTo("NOTICE");
      assertThat(rs.getInt("attempts")).isEqualTo(3);
      assertThat(rs.getLong("set_aside_ms")).isEqualTo(T0.plusSeconds(15).toEpochMilli());
      assertThat(rs.getString("reason")).isEqualTo("channel_not_found");
      assertThat(rs.getString("body")).contains("poison");
      assertThat(rs.next()).isFalse();
    }
    clock.set(T0.plus(Duration.ofDays(1)));
    assertThat(reopen().due(10)).isEmpty();
    assertThat(outbox.setAsideCount()).isEqualTo(1);
  }

  @Test
  void theDefaultGivesUpAfterAboutFiveHoursOfFailures() {
    Duration total = Duration.ZERO;
    for (int failures = 1; failures < Backoff.DEFAULT.giveUpAfter(); failures++) {
      total = total.plus(Backoff.DEFAULT.after(failures));
    }
    assertThat(total).isEqualTo(Duration.ofSeconds(635 + 28 * 600));
  }

  @Test
  void backoffRefusesWaitsThatCannotWork() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofMinutes(1), 3))
        .hasMessage("the first retry delay must be positive, got PT0S");
    assertThatThrownBy(() -> new Backoff(Duration.ofMinutes(2), Duration.ofMinutes(1), 3))
        .hasMessage("the longest retry delay PT1M is shorter than the first, PT2M");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), 0))
        .hasMessage("a message is set aside after at least one failed attempt, got 0");
  }
}
