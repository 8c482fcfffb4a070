package org.supportbot.bench.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.supportbot.app.web.WebServer;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.config.policy.ReportField;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.chat.DeskSettings;
import org.supportbot.core.chat.SupportDesk;
import org.supportbot.core.conversation.KnowledgeSuggestions;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.Directory;
import org.supportbot.core.directory.Engineer;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.Actor;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.Origin;
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
 * A desk on a SQLite file with {@code open} open cases spread over five organizations (one per
 * seed policy), a third of them claimed, and the web board serving it on loopback.
 */
final class BoardFixture implements AutoCloseable {
  static final List<String[]> ORGS = List.of(new String[] {"acme", "ACME", "atheer"},
      new String[] {"globex", "GLOBEX", "alectrona"}, new String[] {"initech", "INITECH", "atomrock"},
      new String[] {"umbrella", "UMB", "resource-optimizer"}, new String[] {"hooli", "HOOLI", "atollon"});
  static final Identity MANAGER = new Identity("bench", "W", "max");
  static final Identity ENGINEER = new Identity("bench", "W", "eve");

  final SqliteDatabase db;
  final IncidentDesk incidents;
  final SupportDesk desk;
  final WebServer web;
  private long keys;

  BoardFixture(Path dir, int open, Clock clock) throws IOException, org.supportbot.config.load.ConfigException {
    PolicyCatalog catalog = PolicyCatalog.bundled();
    db = SqliteDatabase.open(dir.resolve("board.db"), SqliteDatabase.Durability.NORMAL);
    Directory directory = new Directory(JdbcDirectoryStore.owned(db), catalog::get);
    for (String[] o : ORGS) {
      Organization org = Organization.of(o[0], o[1], o[0], o[2]);
      if (o[2].equals("atomrock")) {
        org = org.withLicences(2, 1);
      }
      directory.register(org);
      directory.store().bindChannel("bench", "W", o[0] + "-support", o[0]);
      directory.addContact(new Contact(o[0], new Identity("bench", "W", "c-" + o[0]), ""));
    }
    directory.store().saveEngineer(new Engineer(MANAGER, "Max", Engineer.Role.MANAGER));
    directory.store().saveEngineer(new Engineer(ENGINEER, "Eve", Engineer.Role.ENGINEER));
    SupportDesk.EventFeed feed = new SupportDesk.EventFeed();
    incidents = new IncidentDesk(new SqliteIncidentStore(db), new SqliteTimerStore(db), directory, catalog::get,
        new TimerPlan(List.of(50, 75, 90)), clock, feed);
    desk = new SupportDesk(incidents, feed, new Outbox(new SqliteOutboxStore(db), clock, Backoff.DEFAULT), directory,
        catalog::get, KnowledgeSuggestions.NONE, new JdbcConversationStore(db),
        new DeskSettings(new ChatPlace("bench", "W", "triage", ""), List.of(MANAGER), Map.of(), Duration.ofHours(24),
            LocalTime.of(8, 0), ZoneId.of("UTC")), clock);
    for (int i = 0; i < open; i++) {
      String[] o = ORGS.get(i % ORGS.size());
      SupportPolicy p = catalog.get(o[2]).orElseThrow();
      var filed = incidents.handle(file(o, p, i, clock));
      if (i % 3 == 0 && filed instanceof org.supportbot.core.incident.IncidentOutcome.Filed f) {
        incidents.handle(new IncidentCommand.Claim(Origin.of("k" + (++keys), Actor.engineer(ENGINEER), clock.instant()),
            f.incident()));
      }
    }
    web = WebServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Optional.empty(),
        Duration.ofMinutes(30), new WebServer.Parts(incidents, directory.store(), catalog::get, Optional::empty, clock));
    desk.boardLinks(web);
  }

  private IncidentCommand.File file(String[] o, SupportPolicy p, int i, Clock clock) {
    Map<String, String> fields = new HashMap<>();
    for (ReportField f : p.report()) {
      fields.put(f.id(), f.choices().isEmpty() ? "The scheduler stops after the nightly run" : f.choices().getFirst());
    }
    String product = p.versions().products().isEmpty() ? "Beacon" : p.versions().products().getFirst().name();
    String version = p.versions().products().isEmpty() ? "3.2.1"
        : p.versions().products().getFirst().releases().getLast().version();
    return new IncidentCommand.File(Origin.of("k" + (++keys), Actor.customer(new Identity("bench", "W", "c-" + o[0])),
        clock.instant()), o[0], new ChatPlace("bench", "W", o[0] + "-support", ""),
        p.severities().get(i % p.severities().size()).id(), p.categories().isEmpty() ? "" : p.categories().getFirst().id(),
        product, version, "Case " + i + ": the scheduler stops after the nightly run", fields);
  }

  @Override
  public void close() {
    web.close();
    db.close();
  }
}
