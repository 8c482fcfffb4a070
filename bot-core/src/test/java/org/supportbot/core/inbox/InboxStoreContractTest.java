package org.supportbot.core.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.inbox.InboxStore.Added;
import org.supportbot.core.inbox.InboxStore.Pending;
import org.supportbot.core.inbox.InboxStore.Seen;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.MessageRef;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.sqlite.SqliteInboxStore;
import org.supportbot.core.time.ManualClock;

/** The inbox port's contract, on a real SQLite file (the one implementation): what is kept, once, in order, across a reopen. */
class InboxStoreContractTest {
  private static final Instant T0 = Instant.parse("2026-11-23T17:00:00Z");
  private static final Identity ANA = new Identity("slack", "T1", "U1");
  private static final ChatPlace ACME = new ChatPlace("slack", "T1", "C1", "");

  @TempDir Path dir;
  private SqliteDatabase db;
  private final ManualClock clock = new ManualClock(T0);
  private InboxStore inbox;

  @BeforeEach
  void open() {
    db = SqliteDatabase.open(dir.resolve("inbox.db"), SqliteDatabase.Durability.NORMAL);
    inbox = new SqliteInboxStore(db, clock);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private void reopen() {
    db.close();
    open();
  }

  private static Inbound said(String key, String text) {
    return new Inbound(key, ANA, new ChatPlace("slack", "T1", "C1", "ACME-1"), false, T0,
        Optional.of(new MessageRef("slack", "C1", "1764000000.000100")), new Inbound.Said(text));
  }

  @Test
  void everyKindOfInputComesBackEqualWithItsExtra() {
    List<Inbound> all = List.of(
        said("k1", "it fails"),
        new Inbound("k2", ANA, ACME, false, T0, Optional.empty(), new Inbound.Command("/severity", "S1 down")),
        new Inbound("k3", ANA, ACME, true, T0.plusMillis(5), Optional.empty(), new Inbound.Picked("case.claim", "ACME-1")),
        new Inbound("k4", ANA, ACME, false, T0, Optional.empty(),
            new Inbound.Submitted("intake", Map.of("product", "Beacon", "severity", "P1"))));
    for (Inbound in : all) {
      inbox.add(in, in.key().equals("k2") ? Optional.of("{\"trigger\":\"t1\"}") : Optional.empty(), Optional.empty());
    }

    List<Pending> pending = inbox.pending("slack", 10);
    assertThat(pending).extracting(Pending::inbound).containsExactlyElementsOf(all);
    assertThat(pending.get(1).extra()).hasValue("{\"trigger\":\"t1\"}");
    assertThat(pending.get(0).extra()).isEmpty();
    assertThat(pending).extracting(Pending::attempts).containsOnly(0);
  }

  @Test
  void aKeyIsStoredOnceAndItsSecondDeliveryFindsTheFirstEntry() {
    Added first = inbox.add(said("slack:message:C1:1", "first"), Optional.empty(), Optional.empty());
    Added again = inbox.add(said("slack:message:C1:1", "first, delivered again"), Optional.empty(), Optional.empty());

    assertThat(first.fresh()).isTrue();
    assertThat(again.fresh()).isFalse();
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.pending()).isTrue();
    assertThat(inbox.pending("slack", 10)).singleElement()
        .satisfies(p -> assertThat(((Inbound.Said) p.inbound().input()).text()).isEqualTo("first"));

    inbox.done(first.id(), clock.instant());
    Added late = inbox.add(said("slack:message:C1:1", "replayed after it was handled"), Optional.empty(), Optional.empty());
    assertThat(late.fresh()).isFalse();
    assertThat(late.pending()).isFalse();
    assertThat(inbox.pending("slack", 10)).isEmpty();
  }

  @Test
  void pendingIsInArrivalOrderPerPlatformAndDoneLeavesIt() {
    Added a = inbox.add(said("a", "1"), Optional.empty(), Optional.empty());
    inbox.add(new Inbound("d", new Identity("discord", "G1", "42"), new ChatPlace("discord", "G1", "9", ""), false, T0,
        Optional.empty(), new Inbound.Said("discord")), Optional.empty(), Optional.empty());
    inbox.add(said("b", "2"), Optional.empty(), Optional.empty());
    inbox.add(said("c", "3"), Optional.empty(), Optional.empty());

    assertThat(inbox.pending("slack", 10)).extracting(p -> p.inbound().key()).containsExactly("a", "b", "c");
    assertThat(inbox.pending("slack", 2)).extracting(p -> p.inbound().key()).containsExactly("a", "b");
    assertThat(inbox.pending("discord", 10)).extracting(p -> p.inbound().key()).containsExactly("d");

    inbox.done(a.id(), clock.instant());
    assertThat(inbox.pending("slack", 10)).extracting(p -> p.inbound().key()).containsExactly("b", "c");
    assertThat(inbox.pendingCount("slack")).isEqualTo(2);
    assertThat(inbox.pendingCount("discord")).isEqualTo(1);
  }

  @Test
  void aFailedEntryStaysPendingAndCountsItsAttempts() {
    Added a = inbox.add(said("a", "1"), Optional.empty(), Optional.empty());
    assertThat(inbox.failed(a.id())).isEqualTo(1);
    assertThat(inbox.failed(a.id())).isEqualTo(2);
    assertThat(inbox.pending("slack", 10)).singleElement().satisfies(p -> assertThat(p.attempts()).isEqualTo(2));
  }

  @Test
  void entriesAndMarksSurviveAReopen() {
    Added a = inbox.add(said("a", "1"), Optional.of("{}"), Optional.of(new Seen("slack", "C1", "1764000000.000100")));
    inbox.add(said("b", "2"), Optional.empty(), Optional.empty());
    inbox.done(a.id(), clock.instant());

    reopen();

    assertThat(inbox.pending("slack", 10)).extracting(p -> p.inbound().key()).containsExactly("b");
    assertThat(inbox.add(said("a", "1"), Optional.empty(), Optional.empty()).fresh()).isFalse();
    assertThat(inbox.lastSeen("slack", "C1")).hasValue("1764000000.000100");
  }

  @Test
  void aMarkOnlyMovesForwardInPlatformIdOrder() {
    inbox.seen(new Seen("discord", "9", "999999999999999999"));
    inbox.seen(new Seen("discord", "9", "100000000000000000")); // same length, earlier
    assertThat(inbox.lastSeen("discord", "9")).hasValue("999999999999999999");
    inbox.seen(new Seen("discord", "9", "1000000000000000000")); // one digit longer: later
    assertThat(inbox.lastSeen("discord", "9")).hasValue("1000000000000000000");
    inbox.add(said("x", "1"), Optional.empty(), Optional.of(new Seen("slack", "C1/1764000000.000001", "1764000000.000009")));
    inbox.add(said("y", "1"), Optional.empty(), Optional.of(new Seen("slack", "C1/1764000000.000001", "1764000000.000002")));
    assertThat(inbox.lastSeen("slack", "C1/1764000000.000001")).hasValue("1764000000.000009");
    assertThat(inbox.lastSeen("slack", "C2")).isEmpty();
    assertThat(Seen.later("1764000001.000000", "1764000000.999999")).isTrue();
  }

  @Test
  void pruneDeletesOnlyEntriesDoneBeforeTheCutOff() {
    Added old = inbox.add(said("old", "1"), Optional.empty(), Optional.empty());
    inbox.done(old.id(), T0);
    Added recent = inbox.add(said("recent", "2"), Optional.empty(), Optional.empty());
    inbox.done(recent.id(), T0.plus(Duration.ofDays(2)));
    inbox.add(said("open", "3"), Optional.empty(), Optional.empty());

    assertThat(inbox.prune(T0.plus(Duration.ofDays(1)))).isEqualTo(1);
    assertThat(inbox.add(said("old", "1"), Optional.empty(), Optional.empty()).fresh()).isTrue();
    assertThat(inbox.add(said("recent", "2"), Optional.empty(), Optional.empty()).fresh()).isFalse();
  }

  @Test
  void badArgumentsAreRefusedWithTheValue() {
    assertThatThrownBy(() -> inbox.pending("slack", 0)).hasMessage("limit must be at least 1, was 0");
    assertThatThrownBy(() -> new Seen("slack", "C1", " ")).hasMessageContaining("position \" \"");
  }
}
