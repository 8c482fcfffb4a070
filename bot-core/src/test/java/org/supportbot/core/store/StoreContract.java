package org.supportbot.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.supportbot.core.chatstate.ConversationStore;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.DirectoryStore;
import org.supportbot.core.directory.Engineer;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.inbox.InboxStore;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.incident.MessageRef;
import org.supportbot.core.outbox.OutboxStore;
import org.supportbot.core.testing.DeskFixture;
import org.supportbot.core.timer.Timer;

/**
 * The contract of every store port, run against each implementation (a SQLite file, a real PostgreSQL): a desk
 * files and works cases through {@link org.supportbot.core.desk.IncidentDesk} on the stores, and each port is
 * read back as the desk and its adapters rely on.
 */
abstract class StoreContract {
  static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

  /** Opens the stores of a fresh, empty desk (the same one on every call until {@link #forget}). */
  abstract DeskStores open(Clock clock);

  /** Drops the desk; the next {@link #open} starts empty. */
  abstract void forget();

  private DeskFixture f;
  private DeskStores stores;

  @BeforeEach
  void start() {
    f = new DeskFixture(clock -> {
      stores = open(clock);
      return stores;
    }, T0);
  }

  @AfterEach
  void end() {
    f.close();
    forget();
  }

  @Test
  void filedCasesAndTheirLogAreReadBackEveryWay() {
    Organization acme = f.organization("ACME", "atheer");
    IncidentNumber one = f.file(acme, f.catalogSeverity("atheer"), f.catalogCategory("atheer"));
    IncidentNumber two = f.file(acme, f.catalogSeverity("atheer"), f.catalogCategory("atheer"));
    assertThat(one.toString()).isEqualTo("ACME-1");
    IncidentCommand.Claim claim = new IncidentCommand.Claim(f.vendor(), two);
    assertThat(f.desk.handle(claim)).isInstanceOf(IncidentOutcome.Claimed.class);

    IncidentStore s = stores.incidents();
    assertThat(s.snapshot(one)).get().extracting(IncidentSnapshot::number).isEqualTo(one);
    assertThat(s.snapshot(IncidentNumber.parse("ACME-99"))).isEmpty();
    assertThat(s.openAt(f.place)).extracting(IncidentSnapshot::number).containsExactly(one, two);
    assertThat(s.openFor(acme.id())).extracting(IncidentSnapshot::number).containsExactly(one, two);
    assertThat(s.queue(10)).extracting(IncidentSnapshot::number).containsExactlyInAnyOrder(one, two);
    assertThat(s.queue(1)).hasSize(1);
    assertThat(s.claimedBy(f.engineer)).extracting(IncidentSnapshot::number).containsExactly(two);
    assertThat(s.lastNumber("ACME")).isEqualTo(2);
    assertThat(s.lastNumber("NONE")).isZero();
    assertThat(s.outcome(claim.origin().key())).get().isInstanceOf(IncidentOutcome.Claimed.class);
    assertThat(s.outcome("never-seen")).isEmpty();
    assertThat(s.events(two)).extracting(e -> e.getClass().getSimpleName()).endsWith("Claimed");

    List<IncidentStore.Logged> all = s.eventsAfter(0, 1000);
    assertThat(all).extracting(IncidentStore.Logged::id).isSorted().doesNotHaveDuplicates();
    assertThat(all.get(all.size() - 1).event()).isInstanceOf(IncidentEvent.Claimed.class);
    long middle = all.get(0).id();
    assertThat(s.eventsAfter(middle, 1000)).hasSize(all.size() - 1);
    assertThat(s.eventsAfter(0, 1)).hasSize(1);
  }

  @Test
  void listReadsShowEachChangeOfACaseTheyReadBefore() {
    Organization acme = f.organization("ACME", "atheer");
    IncidentNumber one = f.file(acme, f.catalogSeverity("atheer"), f.catalogCategory("atheer"));
    IncidentStore s = stores.incidents();
    assertThat(s.queue(10)).singleElement().satisfies(q -> assertThat(q.claimedBy()).isEmpty());
    assertThat(s.openFor(acme.id())).singleElement().satisfies(q -> assertThat(q.claimedBy()).isEmpty());
    assertThat(f.desk.handle(new IncidentCommand.Claim(f.vendor(), one))).isInstanceOf(IncidentOutcome.Claimed.class);
    assertThat(s.queue(10)).singleElement().satisfies(q -> assertThat(q.claimedBy()).contains(f.engineer));
    assertThat(s.openFor(acme.id())).singleElement().satisfies(q -> assertThat(q.claimedBy()).contains(f.engineer));
    assertThat(s.claimedBy(f.engineer)).singleElement()
        .satisfies(q -> assertThat(q.eventCount()).isEqualTo(s.snapshot(one).orElseThrow().eventCount()));
  }

  @Test
  void timersFireOnceWhenDueAndAreCounted() {
    Organization acme = f.organization("ACME", "atheer");
    IncidentNumber one = f.file(acme, f.catalogSeverity("atheer"), f.catalogCategory("atheer"));
    long planned = stores.timers().pending();
    assertThat(planned).isPositive();
    Instant first = stores.timers().nextDue().orElseThrow();
    assertThat(first).isAfter(T0);
    assertThat(stores.timers().due(T0, 100)).isEmpty();
    assertThat(stores.timers().dueBy(first)).isPositive();

    f.clock.set(first);
    List<Timer> due = stores.timers().due(first, 100);
    assertThat(due).isNotEmpty().allSatisfy(t -> assertThat(t.incident()).isEqualTo(one.toString()))
        .extracting(Timer::dueAt).isSorted();
    assertThat(f.desk.fireDue(first, 100)).isEqualTo(due.size());
    assertThat(stores.timers().pending()).isLessThan(planned);
    assertThat(stores.timers().due(first, 100)).isEmpty();
    assertThat(f.desk.fireDue(first, 100)).isZero();

    // a firing committed twice is refused and changes nothing
    IncidentSnapshot before = stores.incidents().snapshot(one).orElseThrow();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> stores.incidents().commit(new ChangeSet(List.of(),
        List.of(), Map.of(), List.of(due.get(0)), Map.of(), first))).hasMessageContaining("already fired");
    assertThat(stores.incidents().snapshot(one)).contains(before);
  }

  private static Outbound message(String channel, String text) {
    return Outbound.toPlace(new ChatPlace("slack", "T1", channel, ""), Outbound.Kind.REPLY).text(text).build();
  }

  private static OutboxStore.Batch batch(List<Outbound> messages, OptionalLong cursor, Instant at) {
    return new OutboxStore.Batch(messages, cursor, List.of(), List.of(), Map.of(), at);
  }

  @Test
  void outboxKeepsOrderAndNeverGivesAnIdTwice() {
    OutboxStore o = stores.outbox();
    assertThat(o.eventCursor()).isZero();
    List<Long> ids = o.record(batch(List.of(message("C1", "a"), message("C2", "b"), message("C1", "c")),
        OptionalLong.of(7), T0));
    assertThat(ids).hasSize(3).isSorted().doesNotHaveDuplicates();
    assertThat(o.eventCursor()).isEqualTo(7);
    o.record(batch(List.of(), OptionalLong.of(5), T0));
    assertThat(o.eventCursor()).as("the cursor never moves back").isEqualTo(7);
    assertThat(o.pending(10)).extracting(OutboxStore.Pending::id).containsExactlyElementsOf(ids);
    assertThat(o.pending(10).get(0).message()).isEqualTo(message("C1", "a"));
    assertThat(o.pending(10).get(0).lane()).isEqualTo("slack/T1/C1");
    assertThat(o.pendingCount()).isEqualTo(3);
    assertThat(o.newestPendingId()).isEqualTo(ids.get(2));
    assertThat(o.oldestPendingRecordedAt()).contains(T0);
    assertThat(o.queuedBefore(ids.get(2))).extracting(OutboxStore.Queued::id).containsExactly(ids.get(0), ids.get(1));

    o.failed(ids.get(1), 2, T0.plusSeconds(30));
    assertThat(o.pending(10).get(1)).satisfies(p -> {
      assertThat(p.attempts()).isEqualTo(2);
      assertThat(p.nextAttempt()).isEqualTo(T0.plusSeconds(30));
    });
    o.setAside(ids.get(1), 5, T0.plusSeconds(60), "channel_not_found");
    assertThat(o.setAsideList()).singleElement().satisfies(a -> {
      assertThat(a.id()).isEqualTo(ids.get(1));
      assertThat(a.reason()).isEqualTo("channel_not_found");
      assertThat(a.attempts()).isEqualTo(5);
    });
    assertThat(o.setAsideCount()).isEqualTo(1);
    o.delivered(ids.get(0));
    o.delivered(ids.get(2));
    o.delivered(ids.get(2));
    assertThat(o.pendingCount()).isZero();
    assertThat(o.newestPendingId()).isZero();
    assertThat(o.oldestPendingRecordedAt()).isEmpty();

    List<Long> later = o.record(batch(List.of(message("C1", "d")), OptionalLong.empty(), T0));
    assertThat(later.get(0)).as("an emptied outbox gives no id twice").isGreaterThan(ids.get(2));
    assertThat(o.resend(List.of(ids.get(1), 424242L), T0.plusSeconds(90))).isEqualTo(1);
    assertThat(o.setAsideCount()).isZero();
    assertThat(o.pending(10)).extracting(OutboxStore.Pending::id).hasSize(2).isSorted().doesNotHaveDuplicates()
        .allSatisfy(id -> assertThat(id).isGreaterThan(ids.get(2)));
  }

  @Test
  void messagesRenderedFromACursorThatMovedMeanwhileAreRefusedAndChangeNothing() {
    OutboxStore o = stores.outbox();
    o.record(new OutboxStore.Batch(List.of(message("C1", "first")), OptionalLong.of(4), List.of(), List.of(), Map.of(),
        T0, OptionalLong.of(0)));
    assertThat(o.eventCursor()).isEqualTo(4);
    // rendered from 0 as well (events 1 to 6), but the messages of 1 to 4 were recorded meanwhile
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> o.record(new OutboxStore.Batch(
        List.of(message("C1", "again")), OptionalLong.of(6), List.of(), List.of(), Map.of(), T0, OptionalLong.of(0))))
        .isInstanceOf(org.supportbot.core.store.WrittenElsewhereException.class)
        .hasMessageContaining("cursor is at 4, not at 0");
    assertThat(o.eventCursor()).isEqualTo(4);
    assertThat(o.pending(10)).extracting(p -> p.message().plainText()).containsExactly("first");
    // rendered again from where the cursor is
    o.record(new OutboxStore.Batch(List.of(message("C1", "fifth and sixth")), OptionalLong.of(6), List.of(), List.of(),
        Map.of(), T0, OptionalLong.of(4)));
    assertThat(o.eventCursor()).isEqualTo(6);
    assertThat(o.pending(10)).extracting(p -> p.message().plainText()).containsExactly("first", "fifth and sixth");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OutboxStore.Batch(List.of(), OptionalLong.of(3),
        List.of(), List.of(), Map.of(), T0, OptionalLong.of(4))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a batch rendered from event 4 cannot move the cursor back to 3");
  }

  @Test
  void deferralsAndMarksCommitWithTheBatchAndAreReadAsConversations() {
    Organization acme = f.organization("ACME", "atheer");
    f.file(acme, f.catalogSeverity("atheer"), f.catalogCategory("atheer"));
    IncidentEvent event = stores.incidents().eventsAfter(0, 1).get(0).event();
    stores.outbox().record(new OutboxStore.Batch(List.of(), OptionalLong.empty(), List.of(
        new OutboxStore.Deferral(T0.plus(Duration.ofHours(2)), event),
        new OutboxStore.Deferral(T0.plus(Duration.ofHours(1)), event)), List.of(), Map.of("digest", "2026-12-01"), T0));
    ConversationStore c = stores.conversations();
    assertThat(c.mark("digest")).contains("2026-12-01");
    assertThat(c.mark("other")).isEmpty();
    assertThat(c.deferredDue(T0)).isEmpty();
    List<ConversationStore.Deferred> due = c.deferredDue(T0.plus(Duration.ofHours(3)));
    assertThat(due).extracting(ConversationStore.Deferred::releaseAt)
        .containsExactly(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)));
    assertThat(due.get(0).event()).isEqualTo(event);
    stores.outbox().record(new OutboxStore.Batch(List.of(), OptionalLong.empty(), List.of(),
        List.of(due.get(0).id()), Map.of("digest", "2026-12-02"), T0));
    assertThat(c.deferredDue(T0.plus(Duration.ofHours(3)))).hasSize(1);
    assertThat(c.mark("digest")).contains("2026-12-02");

    assertThat(c.seen("k1")).isFalse();
    c.handled("k1", T0, Optional.empty(), Optional.empty());
    c.handled("k1", T0, Optional.empty(), Optional.empty());
    assertThat(c.seen("k1")).isTrue();
    assertThat(c.intakes()).isEmpty();
  }

  @Test
  void outagesAndMaintenanceAreKeptAndFoundByOverlap() {
    ConversationStore c = stores.conversations();
    assertThat(c.openOutage()).isEmpty();
    assertThat(c.endOutage(T0, "")).isFalse();
    long id = c.startOutage(T0, "slack/T1/U1", "login fails");
    assertThat(c.openOutage()).get().extracting(ConversationStore.Outage::id, ConversationStore.Outage::start)
        .containsExactly(id, T0);
    assertThat(c.outages(T0.plus(Duration.ofDays(3)), T0.plus(Duration.ofDays(4)))).hasSize(1); // still going on
    assertThat(c.endOutage(T0.plus(Duration.ofMinutes(90)), "fixed")).isTrue();
    assertThat(c.openOutage()).isEmpty();
    assertThat(c.outages(T0.minus(Duration.ofHours(1)), T0.plus(Duration.ofHours(1))))
        .containsExactly(new ConversationStore.Outage(id, T0, Optional.of(T0.plus(Duration.ofMinutes(90))),
            "login fails", Optional.of("fixed")));
    assertThat(c.outages(T0.plus(Duration.ofMinutes(90)), T0.plus(Duration.ofDays(1)))).isEmpty();

    Instant start = T0.plus(Duration.ofDays(2));
    long m = c.scheduleMaintenance(start, start.plus(Duration.ofHours(2)), T0, "slack/T1/U1", "database upgrade");
    assertThat(c.maintenance(start.plus(Duration.ofHours(1)), start.plus(Duration.ofDays(1))))
        .containsExactly(new ConversationStore.Maintenance(m, start, start.plus(Duration.ofHours(2)), T0,
            "database upgrade"));
    assertThat(c.maintenance(start.plus(Duration.ofHours(2)), start.plus(Duration.ofDays(1)))).isEmpty();
    assertThat(c.maintenance(T0, start)).isEmpty();

    long e = c.scheduleMaintenance(T0, T0.plus(Duration.ofMinutes(30)), T0, "slack/T1/U1", "failover", true);
    assertThat(c.maintenance(T0, T0.plus(Duration.ofMinutes(1)))).singleElement()
        .satisfies(w -> assertThat(w.emergency()).isTrue());
    assertThat(c.cancelMaintenance(m, T0.plusSeconds(60), "slack/T1/U1", "postponed")).isTrue();
    assertThat(c.cancelMaintenance(m, T0.plusSeconds(120), "slack/T1/U1", "again")).isFalse();
    assertThat(c.maintenance(start, start.plus(Duration.ofDays(1)))).isEmpty();
    assertThat(c.cancelledMaintenance(start, start.plus(Duration.ofDays(1)))).containsExactly(
        new ConversationStore.Maintenance(m, start, start.plus(Duration.ofHours(2)), T0, "database upgrade", false,
            Optional.of(T0.plusSeconds(60)), "postponed"));
    assertThat(c.cancelMaintenance(e + 1000, T0, "slack/T1/U1", "")).isFalse();
  }

  @Test
  void aCasesRatingIsKeptOnceAndALaterOneReplacesIt() {
    ConversationStore c = stores.conversations();
    Identity ana = new Identity("slack", "T1", "U1");
    Identity eve = new Identity("slack", "T0", "U9");
    assertThat(c.rating("ACME-1")).isEmpty();
    ConversationStore.Rating first = new ConversationStore.Rating("ACME-1", "acme", Optional.of(eve), 2, "", ana, T0);
    c.rate(first);
    c.rate(new ConversationStore.Rating("ACME-2", "acme", Optional.empty(), 5, "quick", ana, T0.plusSeconds(60)));
    assertThat(c.rating("ACME-1")).contains(first);
    ConversationStore.Rating again = new ConversationStore.Rating("ACME-1", "acme", Optional.of(eve), 4,
        "fixed after all", ana, T0.plus(Duration.ofDays(1)));
    c.rate(again);
    assertThat(c.rating("ACME-1")).contains(again);
    assertThat(c.ratings(T0, T0.plus(Duration.ofDays(1)))).extracting(ConversationStore.Rating::incident)
        .containsExactly("ACME-2");
    assertThat(c.ratings(T0, T0.plus(Duration.ofDays(2)))).extracting(ConversationStore.Rating::incident)
        .containsExactly("ACME-2", "ACME-1");
    assertThat(c.ratings(T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofDays(3)))).isEmpty();
  }

  private static Inbound said(String key, String text) {
    Identity ana = new Identity("slack", "T1", "U1");
    return new Inbound(key, ana, new ChatPlace("slack", "T1", "C1", ""), false, T0,
        Optional.of(new MessageRef("slack", "C1", "1764000000.000100")), new Inbound.Said(text));
  }

  @Test
  void theInboxKeepsEachKeyOnceInOrderUntilDone() {
    InboxStore in = stores.inbox();
    InboxStore.Added a = in.add(said("e1", "hello"), Optional.of("{\"x\":1}"),
        Optional.of(new InboxStore.Seen("slack", "C1", "1764000000.000100")));
    InboxStore.Added b = in.add(said("e2", "again"), Optional.empty(), Optional.empty());
    assertThat(a.fresh()).isTrue();
    assertThat(a.pending()).isTrue();
    assertThat(b.id()).isGreaterThan(a.id());
    InboxStore.Added again = in.add(said("e1", "hello"), Optional.empty(), Optional.empty());
    assertThat(again.id()).isEqualTo(a.id());
    assertThat(again.fresh()).isFalse();
    assertThat(in.pending("slack", 10)).extracting(InboxStore.Pending::id).containsExactly(a.id(), b.id());
    assertThat(in.pending("slack", 10).get(0).extra()).contains("{\"x\":1}");
    assertThat(in.pending("slack", 10).get(0).inbound()).isEqualTo(said("e1", "hello"));
    assertThat(in.pending("discord", 10)).isEmpty();
    assertThat(in.pendingCount("slack")).isEqualTo(2);
    assertThat(in.failed(b.id())).isEqualTo(1);
    assertThat(in.failed(b.id())).isEqualTo(2);
    in.done(a.id(), T0);
    assertThat(in.pending("slack", 10)).extracting(InboxStore.Pending::id).containsExactly(b.id());
    assertThat(in.add(said("e1", "hello"), Optional.empty(), Optional.empty()).pending()).isFalse();

    in.seen(new InboxStore.Seen("slack", "C1", "1764000000.000099"));
    assertThat(in.lastSeen("slack", "C1")).as("an earlier position changes nothing").contains("1764000000.000100");
    in.seen(new InboxStore.Seen("slack", "C1", "1764000001.000000"));
    assertThat(in.lastSeen("slack", "C1")).contains("1764000001.000000");
    assertThat(in.lastSeen("slack", "C9")).isEmpty();
    assertThat(in.prune(T0.plusMillis(1))).isEqualTo(1);
    assertThat(in.prune(T0.plusMillis(1))).isZero();
    assertThat(in.pendingCount("slack")).isEqualTo(1);
  }

  @Test
  void theDirectoryKeepsOrganizationsChannelsContactsAndEngineers() {
    DirectoryStore d = stores.directory();
    Organization acme = Organization.of("acme", "ACME", "Acme Ltd", "atheer").withLicences(5, 0);
    d.saveOrganization(acme);
    assertThat(d.organization("acme")).contains(acme);
    assertThat(d.organization("none")).isEmpty();
    d.bindChannel("slack", "T1", "C1", "acme");
    assertThat(d.organizationByChannel("slack", "T1", "C1")).contains(acme);
    assertThat(d.organizationByChannel("slack", "T1", "C2")).isEmpty();
    Identity ana = new Identity("slack", "T1", "U1");
    Identity bo = new Identity("slack", "T1", "U2");
    assertThat(d.addContact(new Contact("acme", ana, "Ana"), OptionalInt.of(1))).hasValue(1);
    assertThat(d.addContact(new Contact("acme", bo, "Bo"), OptionalInt.of(1))).isEmpty();
    assertThat(d.addContact(new Contact("acme", bo, "Bo"), OptionalInt.empty())).hasValue(2);
    assertThat(d.contacts("acme")).extracting(Contact::name).containsExactly("Ana", "Bo");
    assertThat(d.contact("acme", ana)).contains(new Contact("acme", ana, "Ana"));
    assertThat(d.contact("acme", new Identity("slack", "T1", "U9"))).isEmpty();
    Engineer eng = new Engineer(new Identity("slack", "T1", "U5"), "Eve", Engineer.Role.MANAGER);
    d.saveEngineer(eng);
    assertThat(d.engineer(eng.identity())).contains(eng);
    assertThat(stores.inbox().boundChannels("slack")).containsExactly(new InboxStore.Bound("T1", "C1"));
  }
}
