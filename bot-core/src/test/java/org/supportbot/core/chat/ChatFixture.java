package org.supportbot.core.chat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.KnowledgeSuggestions;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Suggestion;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.Directory;
import org.supportbot.core.directory.Engineer;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.TimerPlan;
import org.supportbot.core.outbox.Delivery;
import org.supportbot.core.outbox.Backoff;
import org.supportbot.core.outbox.Outbox;
import org.supportbot.core.store.JdbcConversationStore;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.JdbcDirectoryStore;
import org.supportbot.core.store.sqlite.SqliteIncidentStore;
import org.supportbot.core.store.sqlite.SqliteOutboxStore;
import org.supportbot.core.store.sqlite.SqliteTimerStore;
import org.supportbot.core.testing.DeskFixture;
import org.supportbot.core.testing.MutableClock;

/**
 * A chat desk on a real SQLite file: Acme (Atheer policy) in #acme, Initech (Atomrock) in #initech,
 * engineers eve and max (manager), and a knowledge base that answers with fixed suggestions.
 */
final class ChatFixture implements AutoCloseable {
  static final PolicyCatalog CATALOG = DeskFixture.catalog();
  static final Identity ANA = id("ana");
  static final Identity IAN = id("ian");
  static final Identity EVE = id("eve");
  static final Identity MAX = id("max");
  static final ChatPlace ACME = place("acme");
  static final ChatPlace INITECH = place("initech");
  static final ChatPlace TRIAGE = place("triage");
  static final ChatPlace ESCALATIONS = place("escalations");

  final Path file;
  final MutableClock clock;
  final SqliteDatabase db;
  final Directory directory;
  final IncidentDesk incidents;
  final JdbcConversationStore conversations;
  final SupportDesk desk;
  final Outbox outbox;
  final List<Suggestion> suggestions = new java.util.concurrent.CopyOnWriteArrayList<>();
  final List<String> feedback = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** When set, every search first counts down {@code entered} and then waits for {@code release}. */
  volatile Gate gate;

  /** Holds knowledge-base searches until released, as a slow search would. */
  record Gate(java.util.concurrent.CountDownLatch entered, java.util.concurrent.CountDownLatch release) {
    Gate() {
      this(new java.util.concurrent.CountDownLatch(1), new java.util.concurrent.CountDownLatch(1));
    }
  }
  private int keys;

  ChatFixture(Path file, Instant start) {
    this(file, new MutableClock(start), true, Optional.empty());
  }

  ChatFixture(Path file, Instant start, Optional<Duration> countdowns) {
    this(file, new MutableClock(start), true, countdowns);
  }

  private ChatFixture(Path file, MutableClock clock, boolean populate, Optional<Duration> countdowns) {
    this.file = file;
    this.clock = clock;
    this.db = SqliteDatabase.open(file, SqliteDatabase.Durability.NORMAL);
    this.directory = new Directory(JdbcDirectoryStore.owned(db), CATALOG::get);
    if (populate) {
      directory.register(Organization.of("acme", "ACME", "Acme Corp", "atheer"));
      directory.store().bindChannel("test", "W", "acme", "acme");
      directory.addContact(new Contact("acme", ANA, "Ana"));
      directory.register(Organization.of("initech", "INI", "Initech", "atomrock").withLicences(3, 0));
      directory.store().bindChannel("test", "W", "initech", "initech");
      directory.addContact(new Contact("initech", IAN, "Ian"));
      directory.store().saveEngineer(new Engineer(EVE, "Eve", Engineer.Role.ENGINEER));
      directory.store().saveEngineer(new Engineer(MAX, "Max", Engineer.Role.MANAGER));
    }
    SupportDesk.EventFeed feed = new SupportDesk.EventFeed();
    this.incidents = new IncidentDesk(new SqliteIncidentStore(db), new SqliteTimerStore(db), directory, CATALOG::get,
        new TimerPlan(List.of(50, 75, 90), countdowns), clock, feed);
    this.conversations = new JdbcConversationStore(db);
    KnowledgeSuggestions kb = new KnowledgeSuggestions() {
      @Override
      public List<Suggestion> suggest(String title, String description, String errorText, String product,
          String version, int k) {
        Gate g = gate;
        if (g != null) {
          g.entered().countDown();
          try {
            g.release().await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return suggestions.stream().limit(k).toList();
      }

      @Override
      public void feedback(String suggestionId, String source, boolean solved, String caseKey) {
        feedback.add(suggestionId + "=" + (solved ? "solved" : "not helpful"));
      }
    };
    DeskSettings settings = new DeskSettings(TRIAGE, List.of(MAX), Map.of("acme",
        new DeskSettings.OrgRouting(ESCALATIONS, "R-oncall", "on-call", Optional.of(MAX))), Duration.ofHours(24),
        LocalTime.of(8, 0), ZoneId.of("America/Los_Angeles"));
    this.outbox = new Outbox(new SqliteOutboxStore(db), clock, Backoff.DEFAULT);
    this.desk = new SupportDesk(incidents, feed, outbox, directory, CATALOG::get, kb, conversations, settings, clock);
  }

  /** The same database opened again, as after a restart. */
  ChatFixture restart() {
    db.close();
    ChatFixture again = new ChatFixture(file, clock, false, Optional.empty());
    again.keys = keys;
    return again;
  }

  static Identity id(String user) {
    return new Identity("test", "W", user);
  }

  static ChatPlace place(String channel) {
    return new ChatPlace("test", "W", channel, "");
  }

  static ChatPlace thread(ChatPlace channel, String thread) {
    return new ChatPlace(channel.platform(), channel.workspace(), channel.channel(), thread);
  }

  synchronized String nextKey() {
    return "k" + (++keys);
  }

  List<Outbound> say(Identity who, ChatPlace where, String text) {
    return handle(who, where, new Inbound.Said(text));
  }

  List<Outbound> command(Identity who, ChatPlace where, String line) {
    String name = line.substring(1).split(" ", 2)[0];
    String args = line.contains(" ") ? line.substring(line.indexOf(' ') + 1) : "";
    return handle(who, where, new Inbound.Command(name, args));
  }

  List<Outbound> press(Identity who, ChatPlace where, String action, String value) {
    return handle(who, where, new Inbound.Picked(action, value));
  }

  List<Outbound> handle(Identity who, ChatPlace where, Inbound.Input input) {
    return desk.handle(new Inbound(nextKey(), who, where, false, clock.instant(), Optional.empty(), input));
  }

  /** Like {@link #handle}, leaving the deliveries to the caller to report (or not, as a crash would). */
  List<Delivery> handleTracked(Identity who, ChatPlace where, Inbound.Input input) {
    return desk.handleTracked(new Inbound(nextKey(), who, where, false, clock.instant(), Optional.empty(), input));
  }

  /** Ana files a case in #acme answering every Atheer question; the last answers are given. */
  List<Outbound> fileAtheer(String description, String share, String severity) {
    command(ANA, ACME, "/support");
    List<Outbound> last = List.of();
    for (String a : List.of("Atheer AiR Enterprise", "none", "incident", description, "it works", "open the app",
        "none", "none", "yes", share, "people wait", severity, "no")) {
      last = say(ANA, ACME, a);
    }
    return last;
  }

  /** Files a case through the intake of {@code policyId}, answering each question by its kind. */
  List<Outbound> fileFor(Identity who, ChatPlace where, String policyId, String severity, String description) {
    command(who, where, "/support");
    var policy = CATALOG.get(policyId).orElseThrow();
    List<Outbound> last = List.of();
    for (var field : policy.report()) {
      last = say(who, where, switch (field.kind()) {
        case PRODUCT -> policy.versions().products().isEmpty() ? "Beacon" : policy.versions().products().get(0).id();
        case VERSION -> policy.versions().products().isEmpty() ? "none"
            : policy.versions().products().get(0).releases().get(policy.versions().products().get(0).releases().size() - 1)
                .version();
        case CATEGORY -> policy.categories().get(0).id();
        case LONG_TEXT, TEXT, ATTACHMENT -> description;
        case YES_NO -> "yes";
        case PERCENT -> "10";
        case SEVERITY -> severity;
        case INCIDENT_REFERENCE -> "no";
        case CHOICE -> field.choices().get(0);
      });
    }
    return last;
  }

  static String text(List<Outbound> out) {
    return String.join("\n---\n", out.stream().map(Outbound::plainText).toList());
  }

  @Override
  public void close() {
    db.close();
  }
}
