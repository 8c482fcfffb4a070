package org.supportbot.app.discord;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.supportbot.core.time.ManualClock;
import org.supportbot.config.load.ConfigException;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.core.chat.DeskSettings;
import org.supportbot.core.chat.SupportDesk;
import org.supportbot.core.conversation.KnowledgeSuggestions;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.Directory;
import org.supportbot.core.directory.Engineer;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.TimerPlan;
import org.supportbot.core.outbox.Backoff;
import org.supportbot.core.outbox.Outbox;
import org.supportbot.core.store.JdbcConversationStore;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.JdbcDirectoryStore;
import org.supportbot.core.store.sqlite.SqliteIncidentStore;
import org.supportbot.core.store.sqlite.SqliteOutboxStore;
import org.supportbot.core.store.sqlite.SqliteTimerStore;

/**
 * A real desk on a SQLite file for the Discord tests: Acme (Atheer policy) bound to the fake's
 * support channel with Ana as named contact, Eve an engineer, Max a manager, triage and escalation
 * channels and the on-call role of {@link FakeDiscord}; the clock starts on Monday 23 November 2026,
 * 09:00 in Los Angeles.
 */
final class DeskFixture implements AutoCloseable {

  static final String ANA = "1600000000000000001";
  static final String EVE = "1600000000000000002";
  static final String MAX = "1600000000000000003";

  final SqliteDatabase db;
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T17:00:00Z"));
  final SupportDesk desk;
  /** Holds the desk at its first lookup of an inbound, to keep it in flight (see DiscordShutdownTest). */
  final org.supportbot.core.testing.HeldDirectoryStore held;
  final IncidentDesk incidents;
  final DiscordRefs refs;
  /** The desk's outbox, which tells the triage channel about set-aside messages. */
  final Outbox outbox;

  DeskFixture(Path dir) throws ConfigException {
    db = SqliteDatabase.open(dir.resolve("desk.db"), SqliteDatabase.Durability.NORMAL);
    PolicyCatalog catalog = PolicyCatalog.bundled();
    held = org.supportbot.core.testing.HeldDirectoryStore.wrap(JdbcDirectoryStore.owned(db));
    Directory directory = new Directory(held.store(), catalog::get);
    directory.register(Organization.of("acme", "ACME", "Acme Corp", "atheer"));
    directory.store().bindChannel("discord", FakeDiscord.GUILD, FakeDiscord.SUPPORT_CHANNEL, "acme");
    directory.addContact(new Contact("acme", person(ANA), "ana"));
    directory.store().saveEngineer(new Engineer(person(EVE), "eve", Engineer.Role.ENGINEER));
    directory.store().saveEngineer(new Engineer(person(MAX), "max", Engineer.Role.MANAGER));
    SupportDesk.EventFeed feed = new SupportDesk.EventFeed();
    incidents = new IncidentDesk(new SqliteIncidentStore(db), new SqliteTimerStore(db), directory,
        catalog::get, new TimerPlan(List.of(50, 75, 90)), clock, feed);
    DeskSettings settings = new DeskSettings(place(FakeDiscord.TRIAGE), List.of(person(MAX)),
        Map.of("acme", new DeskSettings.OrgRouting(place(FakeDiscord.ESCALATIONS), FakeDiscord.ON_CALL_ROLE, "on-call",
            Optional.empty())),
        Duration.ofHours(24), LocalTime.of(8, 0), ZoneId.of("America/Los_Angeles"));
    outbox = new Outbox(new SqliteOutboxStore(db), clock, Backoff.DEFAULT, Optional.of(place(FakeDiscord.TRIAGE)));
    desk = new SupportDesk(incidents, feed, outbox, directory, catalog::get, KnowledgeSuggestions.NONE,
        new JdbcConversationStore(db), settings, clock);
    refs = new DiscordRefs(db);
  }

  /** Settings pointing JDA at the fake; timers are fired by the tests, not by the hourly ticker. */
  static DiscordSettings local(FakeDiscord fake, boolean readThreadReplies) {
    return new DiscordSettings(readThreadReplies, Duration.ofHours(1), Optional.of(fake.restBaseUrl()),
        Optional.of(fake.gatewayUrl()));
  }

  static Identity person(String id) {
    return new Identity("discord", FakeDiscord.GUILD, id);
  }

  static ChatPlace place(String channel) {
    return new ChatPlace("discord", FakeDiscord.GUILD, channel, "");
  }

  @Override
  public void close() {
    db.close();
  }

  /** Stops a test's adapter (its JDA connection first, waiting for it), then the fake Discord and this desk. */
  static void stop(DiscordAdapter adapter, FakeDiscord fake, DeskFixture world) throws Exception {
    adapter.jda().shutdownNow();
    adapter.jda().awaitShutdown(org.supportbot.core.testing.Await.HUNG);
    adapter.close();
    fake.close();
    world.close();
  }
}
