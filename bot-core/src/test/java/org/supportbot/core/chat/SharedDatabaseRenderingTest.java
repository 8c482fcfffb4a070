package org.supportbot.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.supportbot.core.chat.ChatFixture.ACME;
import static org.supportbot.core.chat.ChatFixture.ANA;
import static org.supportbot.core.chat.ChatFixture.CATALOG;
import static org.supportbot.core.chat.ChatFixture.ESCALATIONS;
import static org.supportbot.core.chat.ChatFixture.EVE;
import static org.supportbot.core.chat.ChatFixture.MAX;
import static org.supportbot.core.chat.ChatFixture.TRIAGE;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.supportbot.config.settings.PostgresLocation;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.KnowledgeSuggestions;
import org.supportbot.core.conversation.Suggestion;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.Directory;
import org.supportbot.core.directory.Engineer;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.TimerPlan;
import org.supportbot.core.outbox.Backoff;
import org.supportbot.core.outbox.Delivery;
import org.supportbot.core.outbox.Outbox;
import org.supportbot.core.outbox.OutboxStore;
import org.supportbot.core.store.postgres.PostgresDatabase;
import org.supportbot.core.store.postgres.PostgresDeskStores;
import org.supportbot.core.testing.MutableClock;
import org.supportbot.core.testing.PostgresCluster;

/**
 * Two chat desks (two instances) on one real PostgreSQL database render the incident log into the outbox
 * exactly once: when another instance records the messages of the same events first, this one's recording is
 * refused and it renders again from the stored cursor, keeping its own replies. The interleaving is made
 * exact by running the other instance's tick inside this one's recording, just before it writes.
 */
class SharedDatabaseRenderingTest {
  private static final Instant MONDAY_9AM = Instant.parse("2026-11-23T17:00:00Z");

  private final PostgresCluster pg = PostgresCluster.shared();
  private final PostgresLocation location = pg.newDatabase();
  private final MutableClock clock = new MutableClock(MONDAY_9AM);
  private final List<AutoCloseable> open = new ArrayList<>();
  private int keys;

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  /** One instance: its own pool, lease name, caches and outbox; {@code hook} runs before its next recording. */
  private record Instance(SupportDesk desk, PostgresDatabase db, AtomicReference<Runnable> hook) {}

  private Instance instance(String name) {
    PostgresDatabase db = PostgresDatabase.open(location, Optional.of(pg.password()), Optional.of(name));
    PostgresDeskStores stores = new PostgresDeskStores(db, clock);
    open.add(stores);
    Directory directory = new Directory(stores.directory(), CATALOG::get);
    SupportDesk.EventFeed feed = new SupportDesk.EventFeed();
    IncidentDesk incidents = new IncidentDesk(stores.incidents(), stores.timers(), directory, CATALOG::get,
        new TimerPlan(List.of(50, 75, 90)), clock, feed);
    AtomicReference<Runnable> hook = new AtomicReference<>();
    Outbox outbox = new Outbox(hooked(stores.outbox(), hook), clock, Backoff.DEFAULT);
    KnowledgeSuggestions kb = new KnowledgeSuggestions() {
      @Override
      public List<Suggestion> suggest(String title, String description, String errorText, String product,
          String version, int k) {
        return List.of();
      }

      @Override
      public void feedback(String suggestionId, String source, boolean solved, String caseKey) {}
    };
    DeskSettings settings = new DeskSettings(TRIAGE, List.of(MAX), Map.of("acme",
        new DeskSettings.OrgRouting(ESCALATIONS, "R-oncall", "on-call", Optional.of(MAX))), Duration.ofHours(24),
        LocalTime.of(8, 0), ZoneId.of("America/Los_Angeles"));
    return new Instance(new SupportDesk(incidents, feed, outbox, directory, CATALOG::get, kb, stores.conversations(),
        settings, clock), db, hook);
  }

  /** {@code real}, running the hook's pending work first when a batch is recorded. */
  private static OutboxStore hooked(OutboxStore real, AtomicReference<Runnable> hook) {
    return new OutboxStore() {
      @Override
      public long eventCursor() {
        return real.eventCursor();
      }

      @Override
      public List<Long> record(Batch batch) {
        return recordLeasing(batch).ids();
      }

      @Override
      public Recorded recordLeasing(Batch batch) {
        Runnable first = hook.getAndSet(null);
        if (first != null) {
          first.run();
        }
        return real.recordLeasing(batch);
      }

      @Override
      public List<Pending> pending(int limit) {
        return real.pending(limit);
      }

      @Override
      public List<Queued> queuedBefore(long id) {
        return real.queuedBefore(id);
      }

      @Override
      public void delivered(long id) {
        real.delivered(id);
      }

      @Override
      public void failed(long id, int attempts, Instant nextAttempt) {
        real.failed(id, attempts, nextAttempt);
      }

      @Override
      public void setAside(long id, int attempts, Instant at, String reason) {
        real.setAside(id, attempts, at, reason);
      }

      @Override
      public List<SetAside> setAsideList() {
        return real.setAsideList();
      }

      @Override
      public int resend(List<Long> ids, Instant at) {
        return real.resend(ids, at);
      }

      @Override
      public long pendingCount() {
        return real.pendingCount();
      }

      @Override
      public long newestPendingId() {
        return real.newestPendingId();
      }

      @Override
      public long setAsideCount() {
        return real.setAsideCount();
      }

      @Override
      public Optional<Instant> oldestPendingRecordedAt() {
        return real.oldestPendingRecordedAt();
      }
    };
  }

  private List<Delivery> say(Instance at, Identity who, ChatPlace where, String text) {
    return at.desk().handleTracked(new Inbound("k" + (++keys), who, where, false, clock.instant(), Optional.empty(),
        new Inbound.Said(text)));
  }

  /** Every message in the outbox as {@code lane: text}, with how often it is there. */
  private Map<String, Integer> outboxRows(PostgresDatabase db) {
    return db.read(c -> {
      Map<String, Integer> rows = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT lane, body FROM outbox ORDER BY id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.merge(rs.getString(1) + ": " + rs.getString(2), 1, Integer::sum);
        }
      }
      return rows;
    });
  }

  @Test
  void theMessagesOfTheLogAreRecordedOnceWhenAnotherInstanceRendersTheSameEventsFirst() {
    Instance a = instance("a");
    Instance b = instance("b");
    Directory directory = new Directory(org.supportbot.core.store.JdbcDirectoryStore.shared(a.db()),
        CATALOG::get);
    directory.register(Organization.of("acme", "ACME", "Acme Corp", "atheer"));
    directory.store().bindChannel("test", "W", "acme", "acme");
    directory.addContact(new Contact("acme", ANA, "Ana"));
    directory.store().saveEngineer(new Engineer(EVE, "Eve", Engineer.Role.ENGINEER));
    directory.store().saveEngineer(new Engineer(MAX, "Max", Engineer.Role.MANAGER));

    a.desk().handleTracked(new Inbound("k" + (++keys), ANA, ACME, false, clock.instant(), Optional.empty(),
        new Inbound.Command("support", "")));
    List<String> answers = List.of("Atheer AiR Enterprise", "none", "incident", "A report shows the wrong totals",
        "it works", "open the app", "none", "none", "yes", "5", "people wait", "P3");
    for (String answer : answers) {
      say(a, ANA, ACME, answer);
    }
    Map<String, Integer> beforeFiling = outboxRows(a.db());

    // the last answer files the case on a; before a records its messages, b's tick renders the filing
    List<Delivery> byB = new ArrayList<>();
    a.hook().set(() -> byB.addAll(b.desk().tickTracked()));
    List<Delivery> byA = say(a, ANA, ACME, "no");

    Map<String, Integer> rows = outboxRows(a.db());
    assertThat(rows.values()).as("no message recorded twice").allMatch(n -> n == 1);
    assertThat(rows.size()).as("b recorded the filing's messages").isGreaterThan(beforeFiling.size());
    assertThat(rows.keySet()).anyMatch(r -> r.contains("ACME-1"));
    assertThat(byA.stream().map(d -> d.message().plainText()).filter(t -> t.contains("ACME-1")).count()
        + byB.stream().map(d -> d.message().plainText()).filter(t -> t.contains("ACME-1")).count())
        .as("the filing's messages handed out by one of them").isPositive();
    // each message is handed out once, by the instance holding its lane
    List<Delivery> all = new ArrayList<>(byA);
    all.addAll(byB);
    all.addAll(a.desk().tickTracked());
    all.addAll(b.desk().tickTracked());
    assertThat(all).extracting(Delivery::id).doesNotHaveDuplicates();
    assertThat(outboxRows(a.db()).values()).allMatch(n -> n == 1);
  }

  @Test
  void anIdleIntakeExpiredByTwoInstancesAtOnceIsAnnouncedOnceAndEnded() {
    Instance a = instance("a");
    Instance b = instance("b");
    Directory directory = new Directory(org.supportbot.core.store.JdbcDirectoryStore.shared(a.db()),
        CATALOG::get);
    directory.register(Organization.of("acme", "ACME", "Acme Corp", "atheer"));
    directory.store().bindChannel("test", "W", "acme", "acme");
    directory.addContact(new Contact("acme", ANA, "Ana"));
    a.desk().handleTracked(new Inbound("k" + (++keys), ANA, ACME, false, clock.instant(), Optional.empty(),
        new Inbound.Command("support", "")));
    say(a, ANA, ACME, "Atheer AiR Enterprise");
    clock.advance(Duration.ofHours(25)); // past the expiry of 24 hours

    // both ticks find the idle intake; b's whole tick runs just before a records its expiry notice
    List<Delivery> byB = new ArrayList<>();
    a.hook().set(() -> byB.addAll(b.desk().tickTracked()));
    List<Delivery> byA = a.desk().tickTracked();

    Map<String, Integer> rows = outboxRows(a.db());
    assertThat(rows.entrySet().stream().filter(r -> r.getKey().contains("has expired")).mapToInt(Map.Entry::getValue)
        .sum()).as("the expiry notice recorded once").isEqualTo(1);
    assertThat(byB).extracting(d -> d.message().plainText()).anyMatch(t -> t.contains("has expired"));
    assertThat(byA).extracting(d -> d.message().plainText()).noneMatch(t -> t.contains("has expired"));
    assertThat(b.desk().tickTracked()).isEmpty();
    assertThat(a.desk().tickTracked()).isEmpty();
    assertThat(new PostgresDeskStores(a.db(), clock).conversations().intakes()).as("the intake ended").isEmpty();
  }
}
