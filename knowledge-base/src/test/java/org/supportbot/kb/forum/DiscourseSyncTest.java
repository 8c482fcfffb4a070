package org.supportbot.kb.forum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.kb.KbException;
import org.supportbot.kb.SampleKb;
import org.supportbot.kb.Source;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbIndexWriter;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.search.KbSearcher;
import org.supportbot.kb.search.SearchHit;
import org.supportbot.kb.search.SearchRequest;
import org.supportbot.kb.search.SearchSettings;

/** The live sync against a Discourse stand-in on loopback serving recorded JSON. */
class DiscourseSyncTest {
  private static final String KEY = "d1s-c0urse-s3cret";
  /**
   * The request timeout of the syncs that expect answers: the local site answers at once, so this only
   * stops a hung test and is never reached on a loaded machine. A "hanging" reply is held until the
   * test ends (released in {@code @AfterEach}), so the one sync that must time out always does.
   */
  private static final Duration ANSWERED = Duration.ofSeconds(60);
  private static final Instant T0 = Instant.parse("2026-12-04T06:00:00Z");

  private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);

  @TempDir Path kb;
  private HttpServer server;
  /** Responses by path and query: status and body. */
  private final Map<String, Reply> replies = new ConcurrentHashMap<>();
  private final List<String> requested = new CopyOnWriteArrayList<>();
  private final List<String> keysSeen = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  record Reply(int status, String body, boolean hang) {}

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath()
          + (exchange.getRequestURI().getQuery() == null ? "" : "?" + exchange.getRequestURI().getQuery());
      requested.add(path);
      String key = exchange.getRequestHeaders().getFirst("Api-Key");
      keysSeen.add(key == null ? "" : key + "/" + exchange.getRequestHeaders().getFirst("Api-Username"));
      Reply r = replies.getOrDefault(path, new Reply(404, "{\"errors\":[\"not found\"]}", false));
      if (r.hang()) {
        try {
          release.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
      try {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(r.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      } catch (IOException closedByClient) {
        // the client gave up (timeout test)
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private DiscourseSync sync(Duration timeout) {
    return new DiscourseSync(DiscourseSync.Config.fromEnvironment(
        base(), Map.of(DiscourseSync.ENV_API_KEY, KEY, DiscourseSync.ENV_API_USERNAME, "bot"), timeout), clock);
  }

  private static String topicEntry(int id, String bumped) {
    return "{\"id\": " + id + ", \"title\": \"t" + id + "\", \"bumped_at\": \"" + bumped + "\"}";
  }

  private static String latest(String moreUrl, String... entries) {
    return "{\"topic_list\": {" + (moreUrl == null ? "" : "\"more_topics_url\": \"" + moreUrl + "\", ")
        + "\"topics\": [" + String.join(", ", entries) + "]}}";
  }

  private void serveTopic(int id) throws IOException {
    replies.put("/t/" + id + ".json", new Reply(200, Files.readString(SampleKb.forum().resolve(id + ".json")), false));
  }

  /** Two pages of latest topics, newest bump first, and the five sample topics. */
  private void recordedSite() throws IOException {
    replies.put("/latest.json?page=0", new Reply(200, latest("/latest?page=1",
        topicEntry(1005, "2026-03-29T08:20:00Z"), topicEntry(1002, "2026-03-05T10:30:00Z"),
        topicEntry(1004, "2026-02-15T07:45:00Z")), false));
    replies.put("/latest.json?page=1", new Reply(200, latest(null,
        topicEntry(1001, "2026-02-03T15:40:00Z"), topicEntry(1003, "2026-01-21T09:00:00Z")), false));
    for (int id = 1001; id <= 1005; id++) {
      serveTopic(id);
    }
  }

  private List<String> search(String text) {
    try (KbSearcher s = KbSearcher.open(KbIndexing.luceneDir(kb), SearchSettings.defaults().lexicalOnly())) {
      return s.search(SearchRequest.of(text), 5, false).stream().map(SearchHit::id).toList();
    }
  }

  private String watermark(DiscourseSync s) {
    try (KbIndexWriter w = KbIndexWriter.open(KbIndexing.luceneDir(kb))) {
      return w.userData().getOrDefault(s.watermarkKey(), "");
    }
  }

  @Test
  void firstSyncPagesLatestTopicsAndFetchesEachOne() throws IOException {
    recordedSite();
    DiscourseSync s = sync(ANSWERED);
    DiscourseSync.SyncReport r = s.sync(kb);
    assertThat(r.pages()).isEqualTo(2);
    assertThat(r.fetched()).isEqualTo(5);
    assertThat(r.index().added()).isEqualTo(5);
    assertThat(r.watermark()).isEqualTo("2026-03-29T08:20:00Z");
    assertThat(watermark(s)).isEqualTo("2026-03-29T08:20:00Z");
    assertThat(search("load balancer idle timeout")).first().isEqualTo("1001");
    assertThat(requested).startsWith("/latest.json?page=0", "/latest.json?page=1");
  }

  @Test
  void apiKeyFromTheEnvironmentIsSentOnEveryRequestAndNeverShown() throws IOException {
    recordedSite();
    DiscourseSync.Config cfg = DiscourseSync.Config.fromEnvironment(
        base(), Map.of(DiscourseSync.ENV_API_KEY, KEY, DiscourseSync.ENV_API_USERNAME, "bot"), ANSWERED);
    new DiscourseSync(cfg, clock).sync(kb);
    assertThat(keysSeen).hasSize(7).allMatch((KEY + "/bot")::equals);
    assertThat(cfg.toString()).doesNotContain(KEY).contains("apiKey=(set)");
  }

  @Test
  void nextSyncFetchesOnlyTopicsBumpedSinceTheLastOne() throws IOException {
    recordedSite();
    DiscourseSync s = sync(ANSWERED);
    s.sync(kb);
    requested.clear();
    String changed = Files.readString(SampleKb.forum().resolve("1003.json"))
        .replace("How do I move Beacon to a new server?", "How do I move Beacon to a new datacenter?");
    replies.put("/t/1003.json", new Reply(200, changed, false));
    replies.put("/latest.json?page=0", new Reply(200, latest("/latest?page=1",
        topicEntry(1003, "2026-04-02T12:00:00Z"), topicEntry(1005, "2026-03-29T08:20:00Z"),
        topicEntry(1002, "2026-03-05T10:30:00Z")), false));

    DiscourseSync.SyncReport r = s.sync(kb);

    assertThat(requested).containsExactly("/latest.json?page=0", "/t/1003.json");
    assertThat(r.index().updated()).isEqualTo(1);
    assertThat(r.watermark()).isEqualTo("2026-04-02T12:00:00Z");
    assertThat(search("datacenter")).containsExactly("1003");
  }

  @Test
  void topicGoneFromTheSiteIsDeleted() throws IOException {
    recordedSite();
    DiscourseSync s = sync(ANSWERED);
    s.sync(kb);
    replies.remove("/t/1004.json");
    replies.put("/latest.json?page=0", new Reply(200, latest(null, topicEntry(1004, "2026-04-03T08:00:00Z")), false));
    DiscourseSync.SyncReport r = s.sync(kb);
    assertThat(r.deleted()).isEqualTo(1);
    assertThat(search("429 nightly import")).doesNotContain("1004");
  }

  private Set<String> indexedIds() {
    try (KbIndexWriter w = KbIndexWriter.open(KbIndexing.luceneDir(kb))) {
      return w.hashes(Source.FORUM).keySet();
    }
  }

  /** A sample topic's JSON with {@code fields} added at the front, as staff see it through the API. */
  private static String sampleWith(int id, String fields) throws IOException {
    return Files.readString(SampleKb.forum().resolve(id + ".json")).replaceFirst("\\{", "{" + fields + ", ");
  }

  @Test
  void fullSyncDeletesTopicsTheSiteDeletedUnlistedOrMadePrivateAndKeepsTheRest() throws IOException {
    recordedSite();
    DiscourseSync s = sync(ANSWERED);
    s.sync(kb);
    // only 1005 is still listed: 1003 is deleted (404), 1004 unlisted (served, "visible": false),
    // 1002 moved to a private category (403), 1001 merely dropped out of the listing (still served)
    replies.put("/latest.json?page=0", new Reply(200, latest(null, topicEntry(1005, "2026-03-29T08:20:00Z")), false));
    replies.remove("/latest.json?page=1");
    replies.remove("/t/1003.json");
    replies.put("/t/1004.json", new Reply(200, sampleWith(1004, "\"visible\": false"), false));
    replies.put("/t/1002.json", new Reply(403, "{\"errors\": [\"You are not permitted to view the requested resource.\"]}", false));

    DiscourseSync.SyncReport incremental = s.sync(kb);
    assertThat(incremental.deleted()).isZero();
    assertThat(incremental.checked()).isZero();
    assertThat(indexedIds()).hasSize(5);
    requested.clear();

    DiscourseSync.SyncReport r = s.sync(kb, true);

    assertThat(r.complete()).isTrue();
    assertThat(r.checked()).isEqualTo(4);
    assertThat(r.deleted()).isEqualTo(3);
    assertThat(r.index().unchanged()).isEqualTo(1);
    assertThat(requested).containsExactlyInAnyOrder(
        "/latest.json?page=0", "/t/1001.json", "/t/1002.json", "/t/1003.json", "/t/1004.json");
    assertThat(indexedIds()).containsExactlyInAnyOrder("1001", "1005");
    assertThat(search("load balancer idle timeout")).first().isEqualTo("1001");
    assertThat(watermark(s)).isEqualTo("2026-03-29T08:20:00Z");
  }

  @Test
  void aCompleteFullSyncIsRecordedAsRunRecordsItsOwnAndEndsOneInProgress() throws IOException {
    recordedSite();
    DiscourseSync s = sync(ANSWERED);
    s.sync(kb);
    assertThat(s.fullSyncState(kb)).as("an incremental sync records none").isEqualTo(DiscourseSync.FullSyncState.NONE);
    // a full sync of run's under way: its first round read the listing, no check yet
    replies.put("/latest.json?page=0", new Reply(200, latest(null, topicEntry(1005, "2026-03-29T08:20:00Z")), false));
    replies.remove("/latest.json?page=1");
    replies.remove("/t/1003.json");
    DiscourseSync run = new DiscourseSync(DiscourseSync.Config.fromEnvironment(base(), Map.of(), ANSWERED),
        Clock.fixed(T0.minusSeconds(600), ZoneOffset.UTC));
    assertThat(run.syncInFull(kb, (started, left) -> 1).done()).isFalse();
    assertThat(s.fullSyncState(kb).pass()).isPresent();

    DiscourseSync.SyncReport r = s.sync(kb, true);

    assertThat(r.fullSync()).contains(T0);
    assertThat(s.fullSyncState(kb)).isEqualTo(new DiscourseSync.FullSyncState(Optional.of(T0), Optional.empty()));
    try (KbIndexWriter w = KbIndexWriter.open(KbIndexing.luceneDir(kb))) {
      assertThat(w.userData()).containsEntry("discourse.full_sync " + base(), "2026-12-04T06:00:00Z")
          .containsEntry("discourse.full_sync.pass " + base(), "");
    }
    assertThat(indexedIds()).doesNotContain("1003");
  }

  @Test
  void aRoundOfAFullSyncStopsAfterTwoFailedChecksInARowAndCountsThemOnlyIfAProbeOfAnotherTopicIsServed()
      throws IOException {
    recordedSite();
    DiscourseSync s = sync(ANSWERED);
    s.sync(kb);
    replies.put("/latest.json?page=0", new Reply(200, latest(null), false)); // nothing listed any more
    replies.remove("/latest.json?page=1");
    for (int id = 1001; id <= 1005; id++) {
      replies.put("/t/" + id + ".json", new Reply(500, "<html>oops</html>", false));
    }
    requested.clear();

    DiscourseSync.FullRound down = s.syncInFull(kb, (started, left) -> 50);

    assertThat(requested).as("two checks, then one probe").containsExactly("/latest.json?page=0", "/t/1001.json",
        "/t/1002.json", "/t/1003.json");
    assertThat(down.counted()).isFalse();
    assertThat(down.left()).isEqualTo(5);
    String e1001 = "GET " + base() + "/t/1001.json returned HTTP 500: the forum has a server error; retry later."
        + " That topic was left as it was.";
    String e1002 = e1001.replace("1001", "1002");
    assertThat(down.pass().failing()).isEqualTo(Map.of("1001", new DiscourseSync.Failure(0, e1001),
        "1002", new DiscourseSync.Failure(0, e1002)));

    // 1003 is served again: the probe shows the site up, so both failures count
    serveTopic(1003);
    requested.clear();
    DiscourseSync.FullRound up = s.syncInFull(kb, (started, left) -> 50);

    assertThat(requested).containsExactly("/latest.json?page=0", "/t/1001.json", "/t/1002.json", "/t/1003.json");
    assertThat(up.counted()).isTrue();
    assertThat(up.pass().failing()).isEqualTo(Map.of("1001", new DiscourseSync.Failure(1, e1001),
        "1002", new DiscourseSync.Failure(1, e1002)));
    assertThat(up.pass().after()).as("the probe's answer is not written").isEqualTo("1002");
    assertThat(indexedIds()).hasSize(5);
  }

  @Test
  void fullSyncCutShortByThePageLimitChecksAndDeletesNothing() throws IOException {
    recordedSite();
    sync(ANSWERED).sync(kb);
    replies.remove("/t/1003.json"); // deleted, but listed on page 1, which the limit leaves unread
    requested.clear();
    DiscourseSync onePage = new DiscourseSync(DiscourseSync.Config.fromEnvironment(
        base(), Map.of(DiscourseSync.ENV_API_KEY, KEY), ANSWERED, 1), clock);

    DiscourseSync.SyncReport r = onePage.sync(kb, true);

    assertThat(r.complete()).isFalse();
    assertThat(r.checked()).isZero();
    assertThat(r.deleted()).isZero();
    assertThat(requested).containsExactly("/latest.json?page=0");
    assertThat(indexedIds()).hasSize(5);
    assertThat(r.fullSync()).isEmpty();
    assertThat(onePage.fullSyncState(kb)).as("not complete: nothing recorded").isEqualTo(
        DiscourseSync.FullSyncState.NONE);
  }

  @Test
  void fullSyncFetchesAListedTopicTheIndexLacksAndLeavesFolderTopicsAlone(@TempDir Path folder) throws IOException {
    Files.writeString(folder.resolve("2001.json"),
        Files.readString(SampleKb.forum().resolve("1001.json")).replace("\"id\": 1001", "\"id\": 2001"));
    KbIndexing.indexFolders(kb, null, folder, "https://other.example", false, KbIndexing.Mode.LEXICAL,
        IndexProgress.NONE);
    recordedSite();
    DiscourseSync s = sync(ANSWERED);
    s.sync(kb);
    try (KbIndexWriter w = KbIndexWriter.open(KbIndexing.luceneDir(kb))) {
      w.delete(Source.FORUM, "1002"); // e.g. it was private at the last sync and is public again, not bumped
      w.commit(Map.of());
    }
    requested.clear();

    DiscourseSync.SyncReport r = s.sync(kb, true);

    assertThat(requested).containsExactly("/latest.json?page=0", "/latest.json?page=1", "/t/1002.json");
    assertThat(r.checked()).isZero();
    assertThat(r.index().added()).isEqualTo(1);
    assertThat(indexedIds()).containsExactlyInAnyOrder("1001", "1002", "1003", "1004", "1005", "2001");
  }

  @Test
  void aBumpedTopicThatStaffStillSeeAsDeletedIsDeleted() throws IOException {
    recordedSite();
    DiscourseSync s = sync(ANSWERED);
    s.sync(kb);
    replies.put("/latest.json?page=0", new Reply(200, latest(null, topicEntry(1005, "2026-04-05T10:00:00Z")), false));
    replies.put("/t/1005.json", new Reply(200, sampleWith(1005, "\"deleted_at\": \"2026-04-05T10:00:00Z\""), false));

    DiscourseSync.SyncReport r = s.sync(kb);

    assertThat(r.deleted()).isEqualTo(1);
    assertThat(indexedIds()).doesNotContain("1005").hasSize(4);
  }

  @Test
  void slowSiteTimesOutWithAClearErrorAndLeavesTheIndexIntact() throws IOException {
    recordedSite();
    DiscourseSync first = sync(ANSWERED);
    first.sync(kb);
    replies.put("/latest.json?page=0", new Reply(200, latest(null, topicEntry(1003, "2026-05-01T00:00:00Z")), false));
    replies.put("/t/1003.json", new Reply(200, "{}", true));
    assertThatThrownBy(() -> sync(Duration.ofMillis(300)).sync(kb))
        .isInstanceOf(KbException.class)
        .hasMessage("GET " + base() + "/t/1003.json timed out after 300 ms; the forum is too slow or unreachable."
            + " The index was left unchanged.");
    assertThat(watermark(first)).isEqualTo("2026-03-29T08:20:00Z");
    assertThat(search("new server")).containsExactly("1003");
  }

  @Test
  void serverErrorGivesAClearErrorAndLeavesTheIndexIntact() throws IOException {
    recordedSite();
    DiscourseSync s = sync(ANSWERED);
    s.sync(kb);
    replies.put("/latest.json?page=0", new Reply(500, "<html>oops</html>", false));
    assertThatThrownBy(() -> s.sync(kb))
        .isInstanceOf(KbException.class)
        .hasMessage("GET " + base() + "/latest.json?page=0 returned HTTP 500: the forum has a server error; retry later."
            + " The index was left unchanged.")
        .hasMessageNotContaining(KEY);
    assertThat(watermark(s)).isEqualTo("2026-03-29T08:20:00Z");
    assertThat(search("load balancer")).containsExactly("1001");
  }

  @Test
  void malformedJsonGivesAClearErrorAndLeavesTheIndexIntact() throws IOException {
    recordedSite();
    DiscourseSync s = sync(ANSWERED);
    s.sync(kb);
    replies.put("/latest.json?page=0", new Reply(200, latest(null, topicEntry(1001, "2026-05-01T00:00:00Z")), false));
    replies.put("/t/1001.json", new Reply(200, "{\"id\": 1001, \"title\": \"Agent\", \"post_stream\": {\"posts\": [", false));
    assertThatThrownBy(() -> s.sync(kb))
        .isInstanceOf(KbException.class)
        .hasMessageStartingWith("GET " + base() + "/t/1001.json: not valid JSON")
        .hasMessageEndingWith("the index was left unchanged.");
    assertThat(watermark(s)).isEqualTo("2026-03-29T08:20:00Z");
    assertThat(search("load balancer")).containsExactly("1001");
  }

  @Test
  void aSiteThatIsNotDiscourseIsNamed() {
    replies.put("/latest.json?page=0", new Reply(200, "{\"hello\": \"world\"}", false));
    assertThatThrownBy(() -> sync(ANSWERED).sync(kb))
        .isInstanceOf(KbException.class)
        .hasMessage("GET " + base() + "/latest.json?page=0: the response has no \"topic_list.topics\" array; is "
            + base() + " a Discourse forum? The index was left unchanged.");
  }

  @Test
  void refusedKeyTellsWhichVariableToSet() {
    replies.put("/latest.json?page=0", new Reply(403, "{}", false));
    assertThatThrownBy(() -> sync(ANSWERED).sync(kb))
        .hasMessageContaining("returned HTTP 403: the forum refused access; set DISCOURSE_API_KEY")
        .hasMessageNotContaining(KEY);
  }

  @Test
  void nonHttpAddressIsRejected() {
    assertThatThrownBy(() -> DiscourseSync.Config.fromEnvironment("ftp://forum", Map.of(), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forum URL \"ftp://forum\" is not an http(s) address; pass e.g. https://forum.example.com");
  }
}
