package org.supportbot.app.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.supportbot.app.knowledge.LuceneSuggestions;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.config.settings.BotSettings;
import org.supportbot.core.chat.DeskSettings;
import org.supportbot.core.chat.SupportDesk;
import org.supportbot.core.conversation.KnowledgeSuggestions;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.ContactAdmission;
import org.supportbot.core.directory.Directory;
import org.supportbot.core.directory.Engineer;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.CountdownDue;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.TimerPlan;
import org.supportbot.core.outbox.Backoff;
import org.supportbot.core.outbox.Outbox;
import org.supportbot.app.discord.DiscordRefs;
import org.supportbot.app.slack.JdbcSlackMessageStore;
import org.supportbot.app.slack.SlackMessageStore;
import org.supportbot.config.settings.PostgresLocation;
import org.supportbot.core.store.DeskStores;
import org.supportbot.core.store.postgres.PostgresDatabase;
import org.supportbot.core.store.postgres.PostgresDeskStores;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.sqlite.SqliteDeskStores;
import org.supportbot.core.timer.Timer;
import org.supportbot.kb.LuceneKnowledgeBase;

/** The object graph of a running desk, built in one place from the settings. */
public final class DeskWiring implements AutoCloseable {

  /** The directory refused part of the settings (a contact over its organization's limit). */
  public static final class Refused extends Exception {
    private final List<String> reasons;

    Refused(List<String> reasons) {
      super(String.join("; ", reasons));
      this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
      return reasons;
    }
  }

  /** The SQLite file's database; null when the desk lives on PostgreSQL ({@link #postgres}). */
  public final SqliteDatabase db;
  /** The PostgreSQL database, when {@code database:} names one. */
  public final Optional<PostgresDatabase> postgres;
  /** Every store port of the desk, on whichever database it lives. */
  public final DeskStores stores;
  public final Directory directory;
  public final IncidentDesk incidents;
  public final SupportDesk desk;
  /** The desk's durable outbox (in the same database): what was said and not yet delivered. */
  public final Outbox outbox;
  public final DeskSettings deskSettings;
  private final Optional<LuceneKnowledgeBase> kb;
  private final PolicyCatalog catalog;
  /** Organizations, contacts and channels registered, for the summary. */
  public final int organizations;
  public final int contacts;
  public final int channels;

  private DeskWiring(DeskStores stores, Directory directory, IncidentDesk incidents, SupportDesk desk, Outbox outbox,
      DeskSettings deskSettings, Optional<LuceneKnowledgeBase> kb, PolicyCatalog catalog, int organizations, int contacts,
      int channels) {
    this.catalog = catalog;
    this.stores = stores;
    this.db = stores instanceof SqliteDeskStores sq ? sq.database() : null;
    this.postgres = stores instanceof PostgresDeskStores pg ? Optional.of(pg.database()) : Optional.empty();
    this.directory = directory;
    this.incidents = incidents;
    this.desk = desk;
    this.outbox = outbox;
    this.deskSettings = deskSettings;
    this.kb = kb;
    this.organizations = organizations;
    this.contacts = contacts;
    this.channels = channels;
  }

  /** Opens the database at {@code databaseFile} and registers what the settings say. */
  public static DeskWiring build(BotSettings s, PolicyCatalog catalog, Path databaseFile, Clock clock) throws Refused {
    return build(s, catalog, databaseFile, clock, (fired, at) -> { });
  }

  /**
   * Like {@link #build(BotSettings, PolicyCatalog, Path, Clock)}; {@code timersFired} is told about every
   * timer whose firing committed and the instant it fired for (for the lateness metrics).
   */
  public static DeskWiring build(BotSettings s, PolicyCatalog catalog, Path databaseFile, Clock clock,
      BiConsumer<List<Timer>, Instant> timersFired) throws Refused {
    return build(s, catalog, new SqliteDeskStores(SqliteDatabase.open(databaseFile, SqliteDatabase.Durability.NORMAL),
        clock), clock, timersFired);
  }

  /**
   * Opens the database the settings name: the PostgreSQL server of {@code database: postgresql://...} (password
   * from {@code env}: SUPPORTBOT_DB_PASSWORD or PGPASSWORD; this instance's name in its leases from
   * SUPPORTBOT_INSTANCE, else the host name), or the SQLite file; and registers what the settings say.
   *
   * @throws org.supportbot.core.store.postgres.DatabaseUnavailableException when PostgreSQL cannot be used
   * @throws org.supportbot.core.store.sqlite.DatabaseOpenException when the SQLite file cannot be used
   */
  public static DeskWiring build(BotSettings s, PolicyCatalog catalog, Map<String, String> env, Clock clock,
      BiConsumer<List<Timer>, Instant> timersFired) throws Refused {
    return build(s, catalog, open(s, env, clock), clock, timersFired);
  }

  /**
   * Opens (and migrates) the database the settings name, as {@link #build(BotSettings, PolicyCatalog, Map, Clock,
   * BiConsumer)} does before it registers anything; the caller closes the stores or hands them to
   * {@link #build(BotSettings, PolicyCatalog, DeskStores, Clock, BiConsumer)}.
   */
  public static DeskStores open(BotSettings s, Map<String, String> env, Clock clock) {
    if (s.postgres().isPresent()) {
      PostgresDatabase pg = PostgresDatabase.open(s.postgres().get(), PostgresLocation.password(env),
          Optional.of(instanceName(env)));
      return new PostgresDeskStores(pg, clock);
    }
    return new SqliteDeskStores(SqliteDatabase.open(s.database(), SqliteDatabase.Durability.NORMAL), clock);
  }

  /** This instance's name in the leases it takes: SUPPORTBOT_INSTANCE, else the host name (stable across restarts). */
  static String instanceName(Map<String, String> env) {
    String named = env.getOrDefault("SUPPORTBOT_INSTANCE", "");
    if (!named.isBlank()) {
      return named;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "supportbot-" + ProcessHandle.current().pid();
    }
  }

  /** Builds the desk on {@code stores}, which it closes when it fails or is closed. */
  public static DeskWiring build(BotSettings s, PolicyCatalog catalog, DeskStores stores, Clock clock,
      BiConsumer<List<Timer>, Instant> timersFired) throws Refused {
    try {
      Directory directory = new Directory(stores.directory(), catalog::get);
      List<String> refused = new ArrayList<>();
      int contacts = 0;
      int channels = 0;
      Map<String, DeskSettings.OrgRouting> routing = new LinkedHashMap<>();
      for (BotSettings.Organization o : s.organizations()) {
        Organization org = Organization.of(o.id(), o.key(), o.name(), o.policy())
            .withLicences(o.commercialLicences(), o.evaluationLicences())
            .withPurchasedContacts(o.purchasedContacts())
            .withContracts(o.contracts(), o.configurationHandover(), o.freeTasks())
            .withPastDue(o.pastDue());
        directory.register(org);
        for (String channel : o.channels()) {
          ChatPlace p = place(channel);
          directory.store().bindChannel(p.platform(), p.workspace(), p.channel(), org.id());
          channels++;
        }
        for (String contact : o.contacts()) {
          ContactAdmission a = directory.addContact(new Contact(org.id(), Identity.parse(contact), ""));
          if (a instanceof ContactAdmission.Refused r) {
            refused.add("organization " + o.id() + ", contact " + contact + ": " + r.reason());
          } else {
            contacts++;
          }
        }
        o.escalation().ifPresent(e -> routing.put(o.id(), new DeskSettings.OrgRouting(place(e.channel()), e.onCallRole(),
            e.onCallLabel(), e.accountManager().map(Identity::parse))));
      }
      for (BotSettings.Engineer e : s.engineers()) {
        directory.store().saveEngineer(new Engineer(Identity.parse(e.identity()), e.name(),
            e.manager() ? Engineer.Role.MANAGER : Engineer.Role.ENGINEER));
      }
      if (!refused.isEmpty()) {
        throw new Refused(refused);
      }
      DeskSettings deskSettings = new DeskSettings(place(s.triage()), s.managers().stream().map(Identity::parse).toList(),
          routing, s.intakeExpiry(), s.digestAt(), s.digestZone());
      Optional<LuceneKnowledgeBase> kb = s.knowledgeBase().filter(Files::isDirectory)
          .map(dir -> LuceneKnowledgeBase.open(dir, clock));
      KnowledgeSuggestions suggestions = kb.<KnowledgeSuggestions>map(k -> new LuceneSuggestions(k, clock))
          .orElse(KnowledgeSuggestions.NONE);
      SupportDesk.EventFeed feed = new SupportDesk.EventFeed();
      IncidentDesk.Listener listener = new IncidentDesk.Listener() {
        @Override
        public void committed(List<IncidentEvent> events) {
          feed.committed(events);
        }

        @Override
        public void countdowns(List<CountdownDue> due) {
          feed.countdowns(due);
        }

        @Override
        public void timersFired(List<Timer> fired, Instant at) {
          timersFired.accept(fired, at);
        }
      };
      IncidentDesk incidents = new IncidentDesk(stores.incidents(), stores.timers(), directory,
          catalog::get, new TimerPlan(s.warningPercents(),
              // Slack cannot show a ticking deadline: its status messages are refreshed every 15 minutes
              s.slack().isPresent() ? Optional.of(Duration.ofMinutes(15)) : Optional.empty()), clock, listener);
      Outbox outbox = new Outbox(stores.outbox(), clock, Backoff.DEFAULT, Optional.of(deskSettings.triage()));
      SupportDesk desk = new SupportDesk(incidents, feed, outbox, directory, catalog::get, suggestions,
          stores.conversations(), deskSettings, clock);
      return new DeskWiring(stores, directory, incidents, desk, outbox, deskSettings, kb, catalog, s.organizations().size(), contacts,
          channels);
    } catch (Refused | RuntimeException e) {
      stores.close();
      throw e;
    }
  }

  /** {@code platform/workspace/channel} as a chat place. */
  static ChatPlace place(String address) {
    String[] p = address.split("/", -1);
    return new ChatPlace(p[0], p[1], p[2], "");
  }

  /** The policies the desk runs on. */
  public java.util.function.Function<String, Optional<org.supportbot.config.policy.SupportPolicy>> policies() {
    return catalog::get;
  }

  /** The knowledge base the desk suggests from, if the settings name one that exists. */
  public Optional<LuceneKnowledgeBase> knowledgeBase() {
    return kb;
  }

  public boolean hasKnowledgeBase() {
    return kb.isPresent();
  }

  /** How long to wait before the next tick: until the next timer, at most {@code max}. */
  public Duration untilNextTick(Clock clock, Duration max) {
    return desk.nextDue().map(at -> Duration.between(clock.instant(), at)).filter(d -> d.compareTo(max) < 0)
        .map(d -> d.isNegative() ? Duration.ZERO : d).orElse(max);
  }

  /** Where the Slack adapter keeps its message refs, in the desk's database. */
  public SlackMessageStore slackMessages() {
    return new JdbcSlackMessageStore(postgres.<org.supportbot.core.store.JdbcDatabase>map(pg -> pg).orElse(db));
  }

  /** The Discord adapter's references, in the desk's database. */
  public DiscordRefs discordRefs() {
    return postgres.map(DiscordRefs::new).orElseGet(() -> new DiscordRefs(db));
  }

  @Override
  public void close() {
    kb.ifPresent(LuceneKnowledgeBase::close);
    stores.close();
  }
}
