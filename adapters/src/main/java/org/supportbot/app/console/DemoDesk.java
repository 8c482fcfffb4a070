package org.supportbot.app.console;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.supportbot.app.knowledge.LuceneSuggestions;
import org.supportbot.app.knowledge.SampleKnowledgeBase;
import org.supportbot.app.web.Viewer;
import org.supportbot.app.web.WebServer;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.config.settings.BotSettings;
import org.supportbot.core.chat.SupportDesk;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.directory.Directory;
import org.supportbot.core.incident.TimerPlan;
import org.supportbot.core.outbox.Backoff;
import org.supportbot.core.outbox.Outbox;
import org.supportbot.core.store.JdbcConversationStore;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.JdbcDirectoryStore;
import org.supportbot.core.store.sqlite.SqliteIncidentStore;
import org.supportbot.core.store.sqlite.SqliteOutboxStore;
import org.supportbot.core.store.sqlite.SqliteTimerStore;
import org.supportbot.core.time.ManualClock;
import org.supportbot.kb.LuceneKnowledgeBase;

/**
 * The demo's desk: a fresh SQLite file, the sample world, the bundled knowledge base and, when asked
 * for, the web board on the loopback interface with a few days of sample cases on it.
 */
public final class DemoDesk implements AutoCloseable {
  public final ManualClock clock;
  public final SupportDesk desk;
  public final IncidentDesk incidents;
  public final Directory directory;
  private final SqliteDatabase db;
  private final LuceneKnowledgeBase kb;
  private final Optional<WebServer> web;

  private DemoDesk(ManualClock clock, SqliteDatabase db, Directory directory, IncidentDesk incidents, SupportDesk desk,
      LuceneKnowledgeBase kb, Optional<WebServer> web) {
    this.clock = clock;
    this.db = db;
    this.directory = directory;
    this.incidents = incidents;
    this.desk = desk;
    this.kb = kb;
    this.web = web;
  }

  /**
   * Opens the demo in {@code data} (its database is started afresh) with the clock at {@code begin}.
   *
   * @param webPort serve the web board on this loopback port (0 picks a free one) after filing the
   *     sample cases of {@link DemoSeed}; empty for no web board and no sample cases
   */
  public static DemoDesk open(Path data, Instant begin, PolicyCatalog catalog, OptionalInt webPort) throws IOException {
    Path dbFile = data.resolve("demo.db");
    for (String suffix : List.of("", "-wal", "-shm")) {
      Files.deleteIfExists(Path.of(dbFile + suffix));
    }
    ManualClock clock = new ManualClock(webPort.isPresent() ? begin.minus(DemoSeed.SPAN) : begin);
    SqliteDatabase db = SqliteDatabase.open(dbFile, SqliteDatabase.Durability.NORMAL);
    LuceneKnowledgeBase kb = null;
    WebServer web = null;
    try {
      Directory directory = new Directory(JdbcDirectoryStore.owned(db), catalog::get);
      DemoWorld.populate(directory);
      SupportDesk.EventFeed feed = new SupportDesk.EventFeed();
      IncidentDesk incidents = new IncidentDesk(new SqliteIncidentStore(db), new SqliteTimerStore(db), directory,
          catalog::get, new TimerPlan(List.of(50, 75, 90)), clock, feed);
      Path kbDir = SampleKnowledgeBase.ensureIndexed(data.resolve("kb"));
      kb = LuceneKnowledgeBase.open(kbDir, clock);
      JdbcConversationStore conversations = new JdbcConversationStore(db);
      SupportDesk desk = new SupportDesk(incidents, feed, new Outbox(new SqliteOutboxStore(db), clock, Backoff.DEFAULT),
          directory, catalog::get, new LuceneSuggestions(kb, clock), conversations, DemoWorld.settings(),
          clock);
      if (webPort.isPresent()) {
        new DemoSeed(incidents, desk, clock, catalog).run(begin);
        web = WebServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), webPort.getAsInt()),
            Optional.empty(), BotSettings.Web.IDLE, new WebServer.Parts(incidents, directory.store(), catalog::get,
                WebServer.deflection(Optional.of(kbDir)), clock, conversations::ratings));
        desk.boardLinks(web);
      }
      return new DemoDesk(clock, db, directory, incidents, desk, kb, Optional.ofNullable(web));
    } catch (IOException | RuntimeException e) {
      if (web != null) {
        web.close();
      }
      if (kb != null) {
        kb.close();
      }
      db.close();
      throw e;
    }
  }

  /** A terminal workspace in front of this desk, printing to {@code out}. */
  public ConsoleWorkspace workspace(PrintWriter out, String session, ZoneId zone) {
    return new ConsoleWorkspace(desk, clock, new ConsoleRenderer(clock, zone, id -> id.userId()), out, session);
  }

  public Optional<WebServer> web() {
    return web;
  }

  /** A sign-in link for one of the demo's vendor people (e.g. "max", a manager). */
  public Optional<URI> signInLink(String handle) {
    return web.map(w -> w.signInLink(Viewer.vendor(DemoWorld.person(handle), handle,
        DemoWorld.VENDOR.get(handle) == org.supportbot.core.directory.Engineer.Role.MANAGER)));
  }

  @Override
  public void close() {
    web.ifPresent(WebServer::close);
    kb.close();
    db.close();
  }
}
