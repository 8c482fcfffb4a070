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
import org.supportbot.kb.index.KbIndexWriter;
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
  private final Map<String, Integer> failPath = new ConcurrentHashMap<>();
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
      int fail = failWith.get() != 0 ? failWith.get() : failPath.getOrDefault(path, 0);
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
    return new DiscourseSync(DiscourseSync.Config.fromEnvironment(base(), Map.of(), Duration.ofSeconds(60)), clock);
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
    assertThat(s.sources().get(base())).isEqualTo(new LiveSources.SourceStatus(Optional.of(T0), Optional.empty(),
        Optional.of(fullSync(T0, null, null, null))));
    assertThat(s.oldestSuccess()).isEqualTo(T0);
  }

  @Test
  void aFailingForumKeepsTheIndexAndItsLastSuccessAndRecoversOnTheNextRound() throws IOException {
    siteWithTopic1001("2026-12-03T08:00:00Z");
    live = new LiveSources(kbDir, Optional.empty(), List.of(forum()), kb, clock);
    live.syncNow();
    clock.advance(Duration.ofMinutes(15));
    failWith.set(503);

    Lines log = new Lines();
    live.logTo(log);
    Map<String, String> failed = live.syncNow();

    assertThat(failed.get(base())).contains("503");
    assertThat(log.lines).singleElement().asString()
        .startsWith("WARN knowledge base source " + base() + ": syncing failed").contains("503");
    LiveSources.SourceStatus st = live.status().sources().get(base());
    assertThat(st.lastSuccess()).contains(T0);
    assertThat(st.lastError()).hasValueSatisfying(e -> assertThat(e).contains("503"));
    assertThat(suggested("agent keeps disconnecting, idle timeout behind the load balancer")).first().isEqualTo("1001");

    failWith.set(0);
    clock.advance(Duration.ofMinutes(15));
    live.syncNow();
    assertThat(live.status().sources().get(base()))
        .isEqualTo(new LiveSources.SourceStatus(Optional.of(T0.plus(Duration.ofMinutes(30))), Optional.empty(),
            Optional.of(fullSync(T0, null, null, null))));
    assertThat(log.lines).last().isEqualTo("INFO knowledge base source " + base() + " syncs again");
  }

  private static LiveSources.FullSyncStatus fullSync(Instant lastSuccess, Instant inProgress, String note,
      String error) {
    return new LiveSources.FullSyncStatus(Optional.ofNullable(lastSuccess), Optional.ofNullable(inProgress),
        Optional.ofNullable(note), Optional.ofNullable(error));
  }

  private static String topic(int id, String bumped) {
    return "{\"id\": " + id + ", \"title\": \"t\", \"bumped_at\": \"" + bumped + "\"}";
  }

  /** The site lists {@code topics} on page {@code page}, saying whether more pages follow. */
  private void listing(int page, boolean more, String... topics) {
    replies.put("/latest.json?page=" + page, "{\"topic_list\": {" + (more ? "\"more_topics_url\": \"/latest?page="
        + (page + 1) + "\", " : "") + "\"topics\": [" + String.join(", ", topics) + "]}}");
  }

  private void serveTopics(int... ids) throws IOException {
    for (int id : ids) {
      replies.put("/t/" + id + ".json", Files.readString(SampleKb.forum().resolve(id + ".json")));
    }
  }

  private static final String SSO = "SSO with Azure AD redirect loop after login";
  private static final String AGENT = "agent keeps disconnecting, idle timeout behind the load balancer";

  /** The site serves 1001 and 1002; a first round (a full one) indexes both. */
  private void twoTopicsIndexed(DiscourseSync forum) throws IOException {
    listing(0, false, topic(1002, "2026-12-03T08:30:00Z"), topic(1001, "2026-12-03T08:00:00Z"));
    serveTopics(1001, 1002);
    live = new LiveSources(kbDir, Optional.empty(), List.of(forum), kb, clock, Duration.ofHours(24));
    assertThat(live.syncNow().get(base())).startsWith("2 topic(s) fetched: 2 added, 0 updated, 0 unchanged, 0 deleted")
        .endsWith("; full sync: 0 indexed topic(s) no longer listed were checked, 0 deleted in all");
  }

  @Test
  void aTopicDeletedOnTheSiteLeavesSearchInTheFirstRoundAFullSyncIsDueAndNotBefore() throws IOException {
    twoTopicsIndexed(forum());
    assertThat(suggested(SSO)).first().isEqualTo("1002");
    assertThat(live.status().sources().get(base()).fullSync()).contains(fullSync(T0, null, null, null));

    // deleted on the site: gone from the listing, and its page answers 404
    listing(0, false, topic(1001, "2026-12-03T08:00:00Z"));
    replies.remove("/t/1002.json");
    requested.clear();
    for (int round = 1; round < 96; round++) {
      clock.advance(Duration.ofMinutes(15));
      assertThat(live.syncNow().get(base())).as("round %d", round).doesNotContain("full sync");
    }
    clock.advance(Duration.ofMinutes(14).plusSeconds(59)); // T0 + 23:59:59
    assertThat(live.syncNow().get(base())).doesNotContain("full sync");
    assertThat(requested).as("incremental rounds never ask for the vanished topic").doesNotContain("/t/1002.json");
    assertThat(suggested(SSO)).as("kept by every incremental round").first().isEqualTo("1002");
    assertThat(live.status().sources().get(base()).fullSync()).contains(fullSync(T0, null, null, null));

    clock.advance(Duration.ofSeconds(1)); // T0 + 24 h: due
    String round = live.syncNow().get(base());

    assertThat(round).endsWith("; full sync: 1 indexed topic(s) no longer listed were checked, 1 deleted in all");
    assertThat(requested).contains("/t/1002.json");
    assertThat(suggested(SSO)).doesNotContain("1002");
    assertThat(suggested(AGENT)).first().isEqualTo("1001");
    Instant due = T0.plus(Duration.ofHours(24));
    assertThat(live.status().sources().get(base())).isEqualTo(new LiveSources.SourceStatus(Optional.of(due),
        Optional.empty(), Optional.of(fullSync(due, null, null, null))));
  }

  /** A topic of the site as {@code /t/{id}.json} serves it, with a word of its own to search for. */
  private void serveTopic(int id, String word) {
    replies.put("/t/" + id + ".json", "{\"id\": " + id + ", \"title\": \"Topic " + word + "\","
        + " \"created_at\": \"2026-11-01T10:00:00Z\", \"post_stream\": {\"posts\": [{\"post_number\": 1,"
        + " \"cooked\": \"<p>The " + word + " setting explained.</p>\"}]}}");
  }

  private static final String[] WORDS = {"", "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"};

  /** Which of topics 2001-2007 a search for each one's word finds. */
  private List<Integer> indexedOf2001To2007() {
    return java.util.stream.IntStream.rangeClosed(1, 7)
        .filter(i -> suggested("the " + WORDS[i] + " setting").contains(String.valueOf(2000 + i)))
        .map(i -> 2000 + i).boxed().toList();
  }

  private List<String> checkedTopics() {
    return requested.stream().filter(p -> p.startsWith("/t/")).toList();
  }

  @Test
  void aForumPastThePageLimitIsReconciledAFewChecksARoundAndARestartResumesWhereItStopped() {
    DiscourseSync onePage = new DiscourseSync(DiscourseSync.Config.fromEnvironment(base(), Map.of(),
        Duration.ofSeconds(60), 1), clock);
    String[] all = new String[7];
    for (int i = 1; i <= 7; i++) {
      serveTopic(2000 + i, WORDS[i]);
      all[7 - i] = topic(2000 + i, "2026-12-03T08:0" + i + ":00Z");
    }
    listing(0, false, all);
    live = new LiveSources(kbDir, Optional.empty(), List.of(onePage), kb, clock, Duration.ofHours(24), 2);
    assertThat(live.syncNow().get(base())).endsWith("; full sync: 0 indexed topic(s) no longer listed were checked,"
        + " 0 deleted in all");
    assertThat(indexedOf2001To2007()).containsExactly(2001, 2002, 2003, 2004, 2005, 2006, 2007);

    // the site deletes 2002, unlists 2005, makes 2006 private; its listing now goes on past the one page read
    replies.remove("/t/2002.json");
    replies.put("/t/2005.json", replies.get("/t/2005.json").replace("{\"id\": 2005,",
        "{\"id\": 2005, \"visible\": false,"));
    failPath.put("/t/2006.json", 403);
    listing(0, true, topic(2007, "2026-12-03T08:07:00Z"));
    listing(1, false, topic(2004, "2026-12-03T08:04:00Z"));
    Instant day = T0.plus(Duration.ofHours(24));
    clock.advance(Duration.ofHours(24));
    requested.clear();

    String first = live.syncNow().get(base());

    String inProgress = "full sync started " + day + " in progress: the listing goes on past 1 page(s), the page"
        + " limit, so the indexed topics it did not show are checked one by one, 2 a round; ";
    assertThat(first).startsWith("1 topic(s) fetched: 0 added, 0 updated, 1 unchanged, 1 deleted")
        .endsWith("; full sync: " + inProgress + "2 checked (1 deleted), 4 left");
    assertThat(checkedTopics()).as("the two lowest ids the listing did not show").containsExactly("/t/2001.json",
        "/t/2002.json");
    assertThat(indexedOf2001To2007()).containsExactly(2001, 2003, 2004, 2005, 2006, 2007);
    assertThat(live.status().sources().get(base()).fullSync()).contains(fullSync(T0, day,
        inProgress + "2 checked (1 deleted), 4 left", null));

    // a restart: the new sources know from the index that a full sync is in progress and go on from 2003
    live.close();
    live = new LiveSources(kbDir, Optional.empty(), List.of(onePage), kb, clock, Duration.ofHours(24), 2);
    assertThat(live.status().sources().get(base()).fullSync()).contains(fullSync(T0, day,
        inProgress + "2 checked (1 deleted)", null));
    clock.advance(Duration.ofMinutes(15));
    requested.clear();
    assertThat(live.syncNow().get(base())).endsWith(inProgress + "4 checked (1 deleted), 2 left");
    assertThat(checkedTopics()).containsExactly("/t/2003.json", "/t/2004.json");

    clock.advance(Duration.ofMinutes(15));
    requested.clear();
    assertThat(live.syncNow().get(base())).endsWith("; full sync: 6 indexed topic(s) no longer listed were checked,"
        + " 3 deleted in all");
    assertThat(checkedTopics()).containsExactly("/t/2005.json", "/t/2006.json");
    assertThat(indexedOf2001To2007()).containsExactly(2001, 2003, 2004, 2007);
    Instant last = day.plus(Duration.ofMinutes(30));
    assertThat(live.status().sources().get(base())).as("complete: recorded as of its start").isEqualTo(
        new LiveSources.SourceStatus(Optional.of(last), Optional.empty(), Optional.of(fullSync(day, null, null,
            null))));

    // then incremental rounds only, until a day after that start
    clock.advance(Duration.ofHours(23).plusMinutes(29).plusSeconds(59));
    requested.clear();
    assertThat(live.syncNow().get(base())).doesNotContain("full sync");
    assertThat(checkedTopics()).isEmpty();
  }

  /** Topics {@code from} to {@code to} served by the site and indexed by a first round, a full one; then none is listed. */
  private void topicsIndexedThenUnlisted(int from, int to, Duration fullEvery, int checksPerRound) {
    String[] all = new String[to - from + 1];
    for (int id = from; id <= to; id++) {
      serveTopic(id, "word" + id);
      all[to - id] = topic(id, "2026-12-03T08:00:00Z");
    }
    listing(0, false, all);
    live = new LiveSources(kbDir, Optional.empty(), List.of(forum()), kb, clock, fullEvery, checksPerRound,
        Duration.ofMinutes(15));
    assertThat(live.syncNow().get(base())).startsWith((to - from + 1) + " topic(s) fetched: " + (to - from + 1)
        + " added").endsWith("; full sync: 0 indexed topic(s) no longer listed were checked, 0 deleted in all");
    listing(0, false);
  }

  @Test
  void aFullSyncChecksMoreThanItsFloorARoundWhenThatIsWhatFinishesItBeforeTheNextIsDue() {
    // 20 topics outside the listing, a full sync every hour, rounds every 15 minutes, at least 2 checks a round
    topicsIndexedThenUnlisted(3001, 3020, Duration.ofHours(1), 2);
    clock.advance(Duration.ofHours(1));
    Instant start = T0.plus(Duration.ofHours(1));
    String inProgress = "full sync started " + start + " in progress: the indexed topics the listing did not show"
        + " are checked one by one, ";
    String raised = " a round (more than 2 to be done before the next full sync is due at " + start.plus(
        Duration.ofHours(1)) + "); ";
    requested.clear();

    // 60 minutes to go, 4 rounds: 20 / 4
    assertThat(live.syncNow().get(base())).endsWith("; full sync: " + inProgress + "5" + raised
        + "5 checked (0 deleted), 15 left");
    assertThat(checkedTopics()).hasSize(5).first().isEqualTo("/t/3001.json");
    assertThat(live.status().sources().get(base()).fullSync().flatMap(LiveSources.FullSyncStatus::note))
        .contains(inProgress + "5" + raised + "5 checked (0 deleted), 15 left");

    // a round late: 25 minutes to go, 2 rounds: 15 / 2 rounded up
    clock.advance(Duration.ofMinutes(35));
    requested.clear();
    assertThat(live.syncNow().get(base())).endsWith("; full sync: " + inProgress + "8" + raised
        + "13 checked (0 deleted), 7 left");
    assertThat(checkedTopics()).hasSize(8).first().isEqualTo("/t/3006.json");

    // one second to go, this round is the last: all 7
    clock.advance(Duration.ofMinutes(24).plusSeconds(59));
    requested.clear();
    assertThat(live.syncNow().get(base())).endsWith("; full sync: 20 indexed topic(s) no longer listed were"
        + " checked, 0 deleted in all");
    assertThat(checkedTopics()).hasSize(7).first().isEqualTo("/t/3014.json");
    assertThat(live.status().sources().get(base()).fullSync()).contains(fullSync(start, null, null, null));
  }

  @Test
  void aRestartSyncsInFullOnlyWhenTheRecordedFullSyncIsDueOrCannotBeRead() throws IOException {
    twoTopicsIndexed(forum());
    live.close();
    clock.advance(Duration.ofHours(1));

    live = new LiveSources(kbDir, Optional.empty(), List.of(forum()), kb, clock, Duration.ofHours(24));
    assertThat(live.status().sources().get(base()).fullSync()).as("read from the index before any round")
        .contains(fullSync(T0, null, null, null));
    assertThat(live.syncNow().get(base())).doesNotContain("full sync");
    live.close();

    clock.advance(Duration.ofHours(23));
    live = new LiveSources(kbDir, Optional.empty(), List.of(forum()), kb, clock, Duration.ofHours(24));
    assertThat(live.syncNow().get(base())).as("due a day after the recorded start").contains("; full sync: ");
    Instant day = T0.plus(Duration.ofHours(24));
    assertThat(live.status().sources().get(base()).fullSync()).contains(fullSync(day, null, null, null));
    live.close();

    // an unreadable record counts as none: the first round syncs in full
    try (KbIndexWriter w = KbIndexWriter.open(KbIndexing.luceneDir(kbDir))) {
      w.commit(Map.of(forum().fullSyncKey(), "yesterday", forum().fullSyncPassKey(), "{not json"));
    }
    clock.advance(Duration.ofMinutes(15));
    live = new LiveSources(kbDir, Optional.empty(), List.of(forum()), kb, clock, Duration.ofHours(24));
    assertThat(live.status().sources().get(base()).fullSync()).contains(fullSync(null, null, null, null));
    assertThat(live.syncNow().get(base())).contains("; full sync: ");
    Instant now = day.plus(Duration.ofMinutes(15));
    assertThat(live.status().sources().get(base()).fullSync()).contains(fullSync(now, null, null, null));
  }

  /**
   * A day after {@link #twoTopicsIndexed}: the site lists the new topic 1003 and 1001 but no longer 1002 (saying
   * whether more pages follow) and serves 1003. Returns the clock's time.
   */
  private Instant aDayLaterWith1003New(boolean more) throws IOException {
    listing(0, more, topic(1003, "2026-12-04T08:00:00Z"), topic(1001, "2026-12-03T08:00:00Z"));
    serveTopics(1003);
    clock.advance(Duration.ofHours(24));
    return T0.plus(Duration.ofHours(24));
  }

  @Test
  void aFailingCheckKeepsThatTopicWritesTheRestReportsTheErrorAndIsRetriedNextRound() throws IOException {
    twoTopicsIndexed(forum());
    // 1002 gone from the listing, its page failing
    failPath.put("/t/1002.json", 500);
    Instant day = aDayLaterWith1003New(false);

    String round = live.syncNow().get(base());

    String error = "GET " + base() + "/t/1002.json returned HTTP 500: the forum has a server error; retry later."
        + " That topic was left as it was.";
    String note = "full sync started " + day + " in progress: the indexed topics the listing did not show are"
        + " checked one by one, 50 a round; 0 checked (0 deleted), 1 failing (1002: 1 of 3 failed checks counted),"
        + " 1 left";
    assertThat(round).as("counted: the site served 1003 in the same round")
        .startsWith("1 topic(s) fetched: 1 added, 0 updated, 0 unchanged, 0 deleted")
        .endsWith("; full sync: " + note + "; a check failed: " + error);
    assertThat(suggested(SSO)).as("the failing topic as it was").first().isEqualTo("1002");
    assertThat(suggested("how do I move Beacon to a new server")).as("the rest written").first().isEqualTo("1003");
    assertThat(live.status().sources().get(base())).isEqualTo(new LiveSources.SourceStatus(Optional.of(day),
        Optional.empty(), Optional.of(fullSync(T0, day, note, error))));

    // the site answers again: the very next round retries, and the topic it deleted goes
    failPath.clear();
    replies.remove("/t/1002.json");
    clock.advance(Duration.ofMinutes(15));
    Instant retried = day.plus(Duration.ofMinutes(15));

    assertThat(live.syncNow().get(base())).endsWith("; full sync: 1 indexed topic(s) no longer listed were checked,"
        + " 1 deleted in all");
    assertThat(suggested(SSO)).doesNotContain("1002");
    assertThat(live.status().sources().get(base())).as("complete as of the full sync's start").isEqualTo(
        new LiveSources.SourceStatus(Optional.of(retried), Optional.empty(), Optional.of(fullSync(day, null, null,
            null))));
  }

  /** A day after {@link #twoTopicsIndexed}: the site lists only 1001, not bumped; returns the clock's time. */
  private Instant aDayLaterWithOnly1001Listed() {
    listing(0, false, topic(1001, "2026-12-03T08:00:00Z"));
    clock.advance(Duration.ofHours(24));
    return T0.plus(Duration.ofHours(24));
  }

  @Test
  void aTopicWhoseCheckKeepsFailingWhileTheSiteServesOthersIsSkippedAfterThreeRoundsEvenAcrossARestart()
      throws IOException {
    twoTopicsIndexed(forum());
    failPath.put("/t/1002.json", 500); // that topic's page alone fails
    Instant day = aDayLaterWithOnly1001Listed();
    String error = "GET " + base() + "/t/1002.json returned HTTP 500: the forum has a server error; retry later."
        + " That topic was left as it was.";
    String note = "full sync started " + day + " in progress: the indexed topics the listing did not show are"
        + " checked one by one, 50 a round; 0 checked (0 deleted), 1 failing (1002: ";
    requested.clear();

    assertThat(live.syncNow().get(base())).endsWith(note + "1 of 3 failed checks counted), 1 left; a check"
        + " failed: " + error);
    assertThat(checkedTopics()).as("no other check succeeded: one other topic asked for as a probe")
        .containsExactly("/t/1002.json", "/t/1001.json");

    // a restart: the count is in the index
    live.close();
    Lines log = new Lines();
    live = new LiveSources(kbDir, Optional.empty(), List.of(forum()), kb, clock, Duration.ofHours(24)).logTo(log);
    assertThat(live.status().sources().get(base()).fullSync().flatMap(LiveSources.FullSyncStatus::note))
        .contains(note + "1 of 3 failed checks counted)");
    clock.advance(Duration.ofMinutes(15));
    assertThat(live.syncNow().get(base())).endsWith(note + "2 of 3 failed checks counted), 1 left; a check"
        + " failed: " + error);
    assertThat(live.status().sources().get(base()).fullSync().orElseThrow().lastSuccess()).contains(T0);

    clock.advance(Duration.ofMinutes(15));
    assertThat(live.syncNow().get(base())).endsWith("; full sync: 0 indexed topic(s) no longer listed were checked,"
        + " 0 deleted in all; 1 skipped after 3 failed checks in a row, kept as they were and checked again by the"
        + " next full sync: 1002 (" + error + ")");
    assertThat(suggested(SSO)).as("skipped, not deleted").first().isEqualTo("1002");
    assertThat(log.lines).containsExactly("WARN knowledge base source " + base() + ": its full sync failed, the next"
        + " round tries again: " + error, "WARN knowledge base source " + base() + ": its last full sync completed"
        + " without the topics whose checks kept failing; 1 skipped after 3 failed checks in a row, kept as they"
        + " were and checked again by the next full sync: 1002 (" + error + ")");
    Instant done = day.plus(Duration.ofMinutes(30));
    assertThat(live.status().sources().get(base())).as("complete, as of its start").isEqualTo(
        new LiveSources.SourceStatus(Optional.of(done), Optional.empty(), Optional.of(new LiveSources.FullSyncStatus(
            Optional.of(day), Optional.empty(), Optional.empty(), Optional.empty(), Map.of("1002", error)))));
    live.close();
    live = new LiveSources(kbDir, Optional.empty(), List.of(forum()), kb, clock, Duration.ofHours(24));
    assertThat(live.status().sources().get(base()).fullSync().orElseThrow().skipped()).as("recorded in the index")
        .isEqualTo(Map.of("1002", error));

    // the next full sync checks it again: the site now answers that it is gone
    failPath.clear();
    replies.remove("/t/1002.json");
    clock.advance(Duration.ofHours(23).plusMinutes(30));
    requested.clear();
    assertThat(live.syncNow().get(base())).endsWith("; full sync: 1 indexed topic(s) no longer listed were checked,"
        + " 1 deleted in all");
    assertThat(checkedTopics()).containsExactly("/t/1002.json");
    assertThat(suggested(SSO)).doesNotContain("1002");
    assertThat(live.status().sources().get(base()).fullSync()).contains(fullSync(day.plus(Duration.ofHours(24)),
        null, null, null));
  }

  @Test
  void aCheckThatFailsWhileTheSiteServesNoOtherTopicOrRateLimitsCountsAgainstNoTopic() throws IOException {
    twoTopicsIndexed(forum());
    failPath.put("/t/1002.json", 500);
    failPath.put("/t/1001.json", 502); // every topic page fails, though the listing is read
    Instant day = aDayLaterWithOnly1001Listed();
    String error = "GET " + base() + "/t/1002.json returned HTTP 500: the forum has a server error; retry later."
        + " That topic was left as it was.";
    String note = "full sync started " + day + " in progress: the indexed topics the listing did not show are"
        + " checked one by one, 50 a round; 0 checked (0 deleted), 1 failing (1002: 0 of 3 failed checks counted),"
        + " 1 left";
    for (int round = 0; round < 4; round++) {
      assertThat(live.syncNow().get(base())).as("round %d", round).endsWith("; full sync: " + note + "; a check"
          + " failed, which does not count against its topic: the site served no other topic: " + error);
      clock.advance(Duration.ofMinutes(15));
    }
    assertThat(live.status().sources().get(base()).fullSync()).contains(fullSync(T0, day, note, error));

    // rate limited on that topic while the others are served: the site's limit, not the topic's fault
    failPath.put("/t/1001.json", 0);
    failPath.put("/t/1002.json", 429);
    String limited = "GET " + base() + "/t/1002.json returned HTTP 429: the forum is rate limiting; retry later."
        + " That topic was left as it was.";
    requested.clear();
    for (int round = 0; round < 4; round++) {
      assertThat(live.syncNow().get(base())).as("round %d", round).endsWith("; full sync: " + note + "; a check"
          + " failed: " + limited);
      clock.advance(Duration.ofMinutes(15));
    }
    assertThat(checkedTopics()).as("the round stops at once: no probe").containsOnly("/t/1002.json");
    assertThat(suggested(SSO)).first().isEqualTo("1002");

    failPath.clear();
    replies.remove("/t/1002.json");
    assertThat(live.syncNow().get(base())).endsWith("; full sync: 1 indexed topic(s) no longer listed were checked,"
        + " 1 deleted in all");
  }

  @Test
  void aFullSyncWhoseListingFailsKeepsTheIndexLetsTheIncrementalSyncGoOnAndIsRetriedNextRound() throws IOException {
    twoTopicsIndexed(forum());
    // 1002 deleted on the site, and the listing's second page failing
    replies.remove("/t/1002.json");
    failPath.put("/latest.json?page=1", 502);
    Instant day = aDayLaterWith1003New(true);

    String round = live.syncNow().get(base());

    String error = "GET " + base() + "/latest.json?page=1 returned HTTP 502: the forum has a server error; retry"
        + " later. The index was left unchanged.";
    assertThat(round).startsWith("full sync failed, retried next round: " + error + "; incremental sync: 1 topic(s)"
        + " fetched: 1 added, 0 updated, 0 unchanged, 0 deleted");
    assertThat(suggested(SSO)).first().isEqualTo("1002");
    assertThat(live.status().sources().get(base())).isEqualTo(new LiveSources.SourceStatus(Optional.of(day),
        Optional.empty(), Optional.of(fullSync(T0, null, null, error))));

    failPath.clear();
    listing(0, false, topic(1003, "2026-12-04T08:00:00Z"), topic(1001, "2026-12-03T08:00:00Z"));
    clock.advance(Duration.ofMinutes(15));
    assertThat(live.syncNow().get(base())).endsWith("; full sync: 1 indexed topic(s) no longer listed were checked,"
        + " 1 deleted in all");
    assertThat(suggested(SSO)).doesNotContain("1002");
    Instant retried = day.plus(Duration.ofMinutes(15));
    assertThat(live.status().sources().get(base()).fullSync()).contains(fullSync(retried, null, null, null));
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

  /** What a {@link LiveSources} writes to its log, problems marked {@code WARN}, recoveries {@code INFO}. */
  private static final class Lines implements LiveSources.Log {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void problem(String line) {
      lines.add("WARN " + line);
    }

    @Override
    public void recovered(String line) {
      lines.add("INFO " + line);
    }
  }

  @Test
  void aBadArticleIsReportedAndLeavesTheIndexAsItWas() throws IOException {
    Lines log = new Lines();
    live = new LiveSources(kbDir, Optional.of(articles), List.of(), kb, clock).logTo(log);
    live.syncNow();
    Path broken = Files.writeString(articles.resolve("broken.md"), "---\nid: [unclosed\n---\nbody\n");
    clock.advance(Duration.ofMinutes(15));

    String outcome = live.syncNow().get(LiveSources.ARTICLES);

    assertThat(outcome).contains("broken.md");
    assertThat(live.status().sources().get(LiveSources.ARTICLES).lastSuccess()).contains(T0);
    assertThat(suggested("BCN-4012 connection refused")).first().isEqualTo("beacon-001");
    // said once while it lasts, and its end said too
    clock.advance(Duration.ofMinutes(15));
    live.syncNow();
    Files.delete(broken);
    clock.advance(Duration.ofMinutes(15));
    live.syncNow();
    assertThat(log.lines).hasSize(2);
    assertThat(log.lines.get(0)).startsWith("WARN knowledge base source articles: syncing failed, the index keeps"
        + " what it had and the next round tries again: ").contains("broken.md");
    assertThat(log.lines.get(1)).isEqualTo("INFO knowledge base source articles syncs again");
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
