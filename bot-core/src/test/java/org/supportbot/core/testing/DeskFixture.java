package org.supportbot.core.testing;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.ContactAdmission;
import org.supportbot.core.directory.Directory;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.Actor;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.MessageRef;
import org.supportbot.core.incident.Origin;
import org.supportbot.core.incident.TimerPlan;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.DeskStores;
import org.supportbot.core.store.IncidentStore;
import org.supportbot.core.store.sqlite.SqliteDeskStores;
import org.supportbot.core.timer.TimerStore;

/**
 * A desk on a real SQLite file with the bundled seed policies, a mutable clock, and one
 * organization with a reporter contact and an engineer; commands get fresh idempotency keys.
 */
public final class DeskFixture implements AutoCloseable {
  private static final PolicyCatalog CATALOG = load();

  public final Path file;
  public final MutableClock clock;
  /** The SQLite file's database; null for a fixture on other {@link DeskStores} (PostgreSQL). */
  public final SqliteDatabase db;
  public final IncidentStore store;
  public final TimerStore timers;
  private final AutoCloseable closes;
  public final Directory directory;
  public final IncidentDesk desk;
  public final List<IncidentEvent> published = new ArrayList<>();
  public final Identity reporter = new Identity("slack", "T1", "U-customer");
  public final Identity engineer = new Identity("slack", "T1", "U-engineer");
  public final Identity engineer2 = new Identity("slack", "T1", "U-engineer2");
  public final ChatPlace place = new ChatPlace("slack", "T1", "C-support", "1700000000.000100");
  /** Shared by every fixture of the JVM, so a reopened database never sees a key twice by accident. */
  private static final AtomicLong KEYS = new AtomicLong();

  public final List<org.supportbot.core.incident.CountdownDue> countdowns = new ArrayList<>();
  /** Every timer whose firing committed, with the instant it was fired for. */
  public final List<Fired> fired = new ArrayList<>();

  /** A timer that fired for {@code at}. */
  public record Fired(org.supportbot.core.timer.Timer timer, Instant at) {}

  public DeskFixture(Path file, Instant start) {
    this(file, start, new TimerPlan(List.of(50, 75, 90)));
  }

  public DeskFixture(Path file, Instant start, TimerPlan plan) {
    this(file, new MutableClock(start), SqliteDatabase.open(file, SqliteDatabase.Durability.NORMAL), null, plan);
  }

  /**
   * A desk on the stores {@code open} makes with the fixture's clock (e.g. PostgreSQL); closing the fixture
   * closes them.
   */
  public DeskFixture(java.util.function.Function<java.time.Clock, DeskStores> open, Instant start) {
    this(null, new MutableClock(start), null, open, new TimerPlan(List.of(50, 75, 90)));
  }

  private DeskFixture(Path file, MutableClock clock, SqliteDatabase sqlite,
      java.util.function.Function<java.time.Clock, DeskStores> open, TimerPlan plan) {
    this.file = file;
    this.clock = clock;
    this.db = sqlite;
    DeskStores stores = sqlite != null ? new SqliteDeskStores(sqlite, clock) : open.apply(clock);
    this.closes = stores;
    this.store = stores.incidents();
    this.timers = stores.timers();
    this.directory = new Directory(stores.directory(), CATALOG::get);
    this.desk = new IncidentDesk(store, timers, directory, CATALOG::get, plan, clock, new IncidentDesk.Listener() {
      @Override
      public void committed(List<IncidentEvent> events) {
        synchronized (published) {
          published.addAll(events);
        }
      }

      @Override
      public void countdowns(List<org.supportbot.core.incident.CountdownDue> due) {
        synchronized (countdowns) {
          countdowns.addAll(due);
        }
      }

      @Override
      public void timersFired(List<org.supportbot.core.timer.Timer> timers, Instant at) {
        synchronized (fired) {
          timers.forEach(t -> fired.add(new Fired(t, at)));
        }
      }
    });
  }

  public static PolicyCatalog catalog() {
    return CATALOG;
  }

  private static PolicyCatalog load() {
    try {
      return PolicyCatalog.bundled();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A mid-level severity of a seed policy (the third level). */
  public String catalogSeverity(String policyId) {
    return CATALOG.get(policyId).orElseThrow().severityIds().get(2);
  }

  /** The first request category of a seed policy. */
  public String catalogCategory(String policyId) {
    return CATALOG.get(policyId).orElseThrow().categories().get(0).id();
  }

  /** Registers organization {@code key} under {@code policyId} with the reporter as its contact. */
  public Organization organization(String key, String policyId) {
    return organization(Organization.of(key.toLowerCase(java.util.Locale.ROOT), key, key + " Ltd", policyId)
        .withLicences(5, 0).withPurchasedContacts(0));
  }

  public Organization organization(Organization org) {
    directory.register(org);
    ContactAdmission a = directory.addContact(new Contact(org.id(), reporter, "Rita Reporter"));
    if (!(a instanceof ContactAdmission.Admitted)) {
      throw new IllegalStateException("reporter not admitted: " + a);
    }
    return org;
  }

  public Origin customer() {
    return origin(Actor.customer(reporter));
  }

  public Origin vendor() {
    return origin(Actor.engineer(engineer));
  }

  public Origin origin(Actor actor) {
    long k = KEYS.incrementAndGet();
    return new Origin("evt-" + k, actor, clock.instant(), java.util.Optional.of(new MessageRef(place.platform(),
        place.channel(), "msg-" + k)));
  }

  /** Files a case for {@code org} and returns its number. */
  public IncidentNumber file(Organization org, String severity, String category) {
    IncidentOutcome out = desk.handle(fileCommand(org, severity, category));
    if (out instanceof IncidentOutcome.Filed f) {
      return f.incident();
    }
    throw new IllegalStateException("filing refused: " + out);
  }

  public IncidentCommand.File fileCommand(Organization org, String severity, String category) {
    return new IncidentCommand.File(customer(), org.id(), place, severity, category, "Edge", "2.1.0",
        "The export fails", Map.of("description", "Export button gives an error", "steps_to_reproduce", "click export",
            "expected_result", "a CSV file", "business_impact", "reports late", "users_affected", "40",
            "error_messages", "E42", "reproducible", "yes", "logs", "attached"));
  }

  @Override
  public void close() {
    try {
      closes.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
