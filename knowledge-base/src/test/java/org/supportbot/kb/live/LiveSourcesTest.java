package org.supportbot.kb.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.kb.IncidentDraft;
import org.supportbot.kb.LuceneKnowledgeBase;
import org.supportbot.kb.SampleKb;
import org.supportbot.kb.Suggestion;
import org.supportbot.kb.TestArticles;
import org.supportbot.kb.forum.DiscourseSync;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.search.SearchSettings;

/**
 * The running knowledge base kept fresh: a real index in a temporary folder, a folder of articles
 * that changes, and a Discourse stand-in on loopback. Rounds are run by hand ({@code syncNow}) or by
 * the schedule, which the test waits on by condition.
 */
class LiveSourcesTest {
  private static final Instant T0 = Instant.parse("2026-12-03T09:00:00Z");

  @TempDir Path kbDir;
  @TempDir Path articles;
  private HttpServer server;
  private final Map<String, String> replies = new ConcurrentHashMap<>();
  private final AtomicInteger failWith = new AtomicInteger();
  private final List<String> requested = new CopyOnWriteArrayList<>();
  private final MovableClock clock = new MovableClock(T0);
  private LuceneKnowledgeBase kb;
  private LiveSources live;

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath()
          + (exchange.getRequestURI().getQuery() == null ? "" : "?" + exchange.getRequestURI().getQuery());
      requested.add(path);
      int fail = failWith.get();
      String body = fail != 0 ? "{\"errors\":[\"down\"]}" : replies.getOrDefault(path, "{\"errors\":[\"not found\"]}");
      int status = fail != 0 ? fail : replies.containsKey(path) ? 200 : 404;
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
    for (String id : List.of("beacon-001", "beacon-009")) {
      Files.copy(SampleKb.articles().resolve(id + ".md"), articles.resolve(id + ".md"));
    }
    KbIndexing.indexFolders(kbDir, articles, null, "", false, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    kb = LuceneKnowledgeBase.open(kbDir, SearchSettings.defaults().lexicalOnly(), clock);
  }

  @AfterEach
  void stop() {
    if (live != null) {
      live.close();
    }
    kb.close();
    server.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private DiscourseSync forum() {
    return new DiscourseSync(DiscourseSync.Config.fromEnvironment(base(), Map.of(), Duration.ofSeconds(60)));
  }

  /** The site lists topic 1001 (bumped at {@code bumped}) and serves it. */
  private void siteWithTopic1001(String bumped) throws IOException {
    replies.put("/latest.json?page=0", "{\"topic_list\": {\"topics\": [{\"id\": 1001, \"title\": \"t\", \"bumped_at\": \""
        + bumped + "\"}]}}");
    replies.put("/t/1001.json", Files.readString(SampleKb.forum().resolve("1001.json")));
  }

  private List<String> suggested(String text) {
    return kb.suggest(IncidentDraft.ofText(text), 3).stream().map(Suggestion::id).toList();
  }

  @Test
  void aRoundSyncsTheForumAndTheSuggestionsSeeItsTopics() throws IOException {
    siteWithTopic1001("2026-12-03T08:00:00Z");
    live = new LiveSources(kbDir, Optional.empty(), List.of(forum()), kb, clock);
    assertThat(suggested("agent keeps disconnecting, idle timeout behind the load balancer")).doesNotContain("1001");

    Map<String, String> round = live.syncNow();

    assertThat(round.get(base())).startsWith("1 topic(s) fetched: 1 added");
    assertThat(suggested("agent keeps disconnecting, idle timeout behind the load balancer")).first().isEqualTo("1001");
    LiveSources.Status s = live.status();
    assertThat(s.sources().get(base())).isEqualTo(new LiveSources.SourceStatus(Optional.of(T0), Optional.empty()));
    assertThat(s.oldestSuccess()).isEqualTo(T0);
  }

  @Test
  void aFailingForumKeepsTheIndexAndItsLastSuccessAndRecoversOnTheNextRound() throws IOException {
    siteWithTopic1001("2026-12-03T08:00:00Z");
    live = new LiveSources(kbDir, Optional.empty(), List.of(forum()), kb, clock);
    live.syncNow();
    clock.advance(Duration.ofMinutes(15));
    failWith.set(503);

    Map<String, String> failed = live.syncNow();

    assertThat(failed.get(base())).contains("503");
    LiveSources.SourceStatus st = live.status().sources().get(base());
    assertThat(st.lastSuccess()).contains(T0);
    assertThat(st.lastError()).hasValueSatisfying(e -> assertThat(e).contains("503"));
    assertThat(suggested("agent keeps disconnecting, idle timeout behind the load balancer")).first().isEqualTo("1001");

    failWith.set(0);
    clock.advance(Duration.ofMinutes(15));
    live.syncNow();
    assertThat(live.status().sources().get(base()))
        .isEqualTo(new LiveSources.SourceStatus(Optional.of(T0.plus(Duration.ofMinutes(30))), Optional.empty()));
  }

  @Test
  void anArticleAddedChangedOrRemovedIsSeenOnTheNextRoundAndAnUnchangedFolderIsNotReindexed() {
    live = new LiveSources(kbDir, Optional.of(articles), List.of(), kb, clock);
    assertThat(live.syncNow().get(LiveSources.ARTICLES)).startsWith("0 added, 0 updated, 2 unchanged");
    assertThat(live.syncNow().get(LiveSources.ARTICLES)).isEqualTo("unchanged");

    TestArticles.write(articles, "rotate-logs", "Rotating the agent log file", "product: beacon",
        "Set log.rotate.size in beacon.yml to rotate agent.log when it reaches that size; logrotate works too.");
    assertThat(live.syncNow().get(LiveSources.ARTICLES)).startsWith("1 added, 0 updated, 2 unchanged, 0 deleted");
    assertThat(suggested("how do I rotate the agent log file")).first().isEqualTo("rotate-logs");

    TestArticles.write(articles, "rotate-logs", "Rotating the agent log file", "product: beacon",
        "Set log.rotate.size in beacon.yml; keep at most log.rotate.keep older files (logrotate works too).");
    assertThat(live.syncNow().get(LiveSources.ARTICLES)).startsWith("0 added, 1 updated");

    try {
      Files.delete(articles.resolve("rotate-logs.md"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(live.syncNow().get(LiveSources.ARTICLES)).startsWith("0 added, 0 updated, 2 unchanged, 1 deleted");
    assertThat(suggested("how do I rotate the agent log file")).doesNotContain("rotate-logs");
  }

  @Test
  void aBadArticleIsReportedAndLeavesTheIndexAsItWas() throws IOException {
    live = new LiveSources(kbDir, Optional.of(articles), List.of(), kb, clock);
    live.syncNow();
    Files.writeString(articles.resolve("broken.md"), "---\nid: [unclosed\n---\nbody\n");
    clock.advance(Duration.ofMinutes(15));

    String outcome = live.syncNow().get(LiveSources.ARTICLES);

    assertThat(outcome).contains("broken.md");
    assertThat(live.status().sources().get(LiveSources.ARTICLES).lastSuccess()).contains(T0);
    assertThat(suggested("BCN-4012 connection refused")).first().isEqualTo("beacon-001");
  }

  @Test
  void theScheduleRunsRoundsOnItsOwnThreadWhileSuggestionsKeepBeingAnswered() throws Exception {
    siteWithTopic1001("2026-12-03T08:00:00Z");
    live = new LiveSources(kbDir, Optional.of(articles), List.of(forum()), kb, clock);
    AtomicBoolean searching = new AtomicBoolean(true);
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    AtomicInteger answered = new AtomicInteger();
    Thread desk = Thread.ofPlatform().name("desk").start(() -> {
      while (searching.get()) {
        try {
          // a different draft each time, so the cache does not answer it
          if (!kb.suggest(IncidentDraft.ofText("BCN-4012 connection refused " + answered.get()), 3).isEmpty()) {
            answered.incrementAndGet();
          }
        } catch (Throwable t) {
          errors.add(t);
          return;
        }
      }
    });
    live.start(Duration.ofMillis(20));
    await(() -> live.status().allSynced(), "the first round");
    assertThat(suggested("agent keeps disconnecting, idle timeout behind the load balancer")).first().isEqualTo("1001");
    // every round from now on re-indexes the folder (a file's time moves), so snapshots keep being swapped
    for (int i = 1; i <= 5; i++) {
      long rounds = live.status().rounds();
      Files.setLastModifiedTime(articles.resolve("beacon-009.md"), FileTime.from(T0.plusSeconds(i)));
      TestArticles.write(articles, "extra-" + i, "Extra " + i, "", "swapped snapshot number " + i);
      await(() -> live.status().rounds() > rounds + 1, "two more rounds");
      int seen = i;
      assertThat(suggested("swapped snapshot number " + seen)).contains("extra-" + seen);
    }
    int before = answered.get();
    await(() -> answered.get() > before, "the desk thread answering after the swaps");
    searching.set(false);
    desk.join();
    assertThat(errors).isEmpty();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos(); // only stops a hung test
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10); // polling a condition
    }
  }
}
