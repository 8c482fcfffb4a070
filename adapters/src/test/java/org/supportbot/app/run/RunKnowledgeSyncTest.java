package org.supportbot.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.slack.RecordingSlackApi;
import org.supportbot.core.testing.Await;
import org.supportbot.core.time.ManualClock;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.search.KbSearcher;
import org.supportbot.kb.search.SearchHit;
import org.supportbot.kb.search.SearchRequest;
import org.supportbot.kb.search.SearchSettings;
import picocli.CommandLine;

/**
 * {@code supportbot run} with {@code knowledge_base:} naming live sources: a folder of articles and a
 * Discourse stand-in on loopback. The index does not exist before the start; the first round fills it
 * in the background, {@code /health} reports when it synced, and once the injected clock is moved past
 * the limit with no newer round, {@code /health} is degraded with the age and the limit.
 */
@Timeout(300) // only stops a hung test: every wait inside is on a condition, bounded by Await.HUNG
class RunKnowledgeSyncTest {
  static final String SLACK_TOKEN = "xoxb-kb-sync-token";
  static final String SECRET = "kb-sync-signing-secret-0123456789";
  static final Instant START = Instant.parse("2026-12-03T17:00:00Z");

  @TempDir Path dir;
  private RecordingSlackApi slack;
  private HttpServer forum;
  private final Map<String, String> replies = new ConcurrentHashMap<>();
  private final Map<String, Integer> failing = new ConcurrentHashMap<>();
  private final ManualClock clock = new ManualClock(START);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Await.HUNG).build();
  private final ObjectMapper json = new ObjectMapper();
  private Path settings;

  @BeforeEach
  void servers() throws Exception {
    slack = new RecordingSlackApi(SLACK_TOKEN);
    forum = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    forum.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath()
          + (exchange.getRequestURI().getQuery() == null ? "" : "?" + exchange.getRequestURI().getQuery());
      Integer fail = failing.get(path);
      String body = fail == null ? replies.get(path) : null;
      byte[] bytes = (body == null ? "{\"errors\":[\"not found\"]}" : body).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(fail != null ? fail : body == null ? 404 : 200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    forum.start();
    replies.put("/latest.json?page=0", "{\"topic_list\": {\"topics\": [{\"id\": 77, \"title\": \"t\","
        + " \"bumped_at\": \"2026-12-03T08:00:00Z\"}]}}");
    replies.put("/t/77.json", """
        {"id": 77, "title": "Collector queue grows without bound after upgrade",
         "created_at": "2026-12-01T10:00:00Z",
         "post_stream": {"posts": [
           {"post_number": 1, "cooked": "<p>Since 4.2 the collector queue keeps growing until the disk fills.</p>"},
           {"post_number": 2, "accepted_answer": true,
            "cooked": "<p>Set queue.max_bytes in collector.yml; 4.2 dropped the old default.</p>"}]}}
        """);
    Path articles = Files.createDirectories(dir.resolve("articles"));
    Files.writeString(articles.resolve("rotate-logs.md"), """
        ---
        id: rotate-logs
        title: "Rotating the agent log file"
        url: https://docs.example.com/rotate-logs
        ---
        Set log.rotate.size in agent.yml to rotate agent.log when it reaches that size.
        """);
    settings = dir.resolve("bot.yaml");
    Files.writeString(settings, """
        database: data/bot.db
        triage: slack/T0VENDOR/C0TRIAGE
        organizations:
          - { id: acme, key: ACME, policy: atheer, channels: [slack/T0VENDOR/C0ACME], contacts: [slack/T0VENDOR/U0ANA] }
        knowledge_base:
          index: data/kb
          articles: articles
          forums: ["http://127.0.0.1:%1$d"]
          sync: every 15 minutes
          max_sync_age: 45 minutes
        slack: { mode: http, port: 0, path: /slack/events, api_url: "%2$s" }
        ops: { address: 127.0.0.1, port: 0 }
        """.formatted(forum.getAddress().getPort(), slack.prefix()));
  }

  @AfterEach
  void close() throws Exception {
    slack.close();
    forum.stop(0);
  }

  @Test
  void theFirstRoundFillsANewIndexAndHealthDegradesOnceTheLastSyncIsOlderThanTheLimit() throws Exception {
    try (Running run = new Running()) {
      StringWriter out = run.out;
      String health = run.health;
      String site = "http://127.0.0.1:" + forum.getAddress().getPort();
      assertThat(out.toString()).contains("supportbot: knowledge base synced every 900 s from articles, " + site);

      Await.until(() -> !read(health).path("knowledge_base").path("last_sync").isNull(), "the first round");
      HttpResponse<String> ok = get(health);
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      JsonNode kb = json.readTree(ok.body()).path("knowledge_base");
      assertThat(kb.path("last_sync").asText()).isEqualTo("2026-12-03T17:00:00Z");
      assertThat(kb.path("age_seconds").asLong()).isZero();
      assertThat(kb.path("max_age_seconds").asLong()).isEqualTo(2700);
      assertThat(kb.path("sources").toString()).isEqualTo("{\"articles\":{\"last_success\":\"2026-12-03T17:00:00Z\"},"
          + "\"" + site + "\":{\"last_success\":\"2026-12-03T17:00:00Z\",\"last_full_sync\":\"2026-12-03T17:00:00Z\"}}");
      try (KbSearcher s = KbSearcher.open(KbIndexing.luceneDir(dir.resolve("data/kb")), SearchSettings.defaults())) {
        assertThat(s.search(SearchRequest.of("collector queue keeps growing"), 1, false))
            .extracting(SearchHit::id).containsExactly("77");
        assertThat(s.search(SearchRequest.of("rotate the agent log"), 1, false))
            .extracting(SearchHit::id).containsExactly("rotate-logs");
      }

      clock.advance(Duration.ofMinutes(45));
      assertThat(get(health).statusCode()).as("exactly at the limit").isEqualTo(200);
      clock.advance(Duration.ofSeconds(1));
      HttpResponse<String> stale = get(health);
      assertThat(stale.statusCode()).isEqualTo(503);
      JsonNode body = json.readTree(stale.body());
      assertThat(body.path("status").asText()).isEqualTo("degraded");
      assertThat(body.path("knowledge_base").path("age_seconds").asLong()).isEqualTo(2701);
      assertThat(body.path("problems").toString()).isEqualTo("[\"the knowledge base last synced all its sources"
          + " 2701 s ago (limit 2700 s); no round has ended since\"]");
    }
  }

  @Test
  void eachForumIsSyncedInFullOnItsOwnScheduleEvenPastTheListingPageLimit() throws Exception {
    Files.writeString(settings, Files.readString(settings)
        .replace("sync: every 15 minutes", "sync: every 10 seconds\n  full_sync: every 1 hour")
        .replace("max_sync_age: 45 minutes", "max_sync_age: 4 hours"));
    try (Running run = new Running()) {
      StringWriter out = run.out;
      String health = run.health;
      String site = "http://127.0.0.1:" + forum.getAddress().getPort();
      assertThat(out.toString()).contains("supportbot: knowledge base synced every 10 s from articles, " + site
          + "; forums synced in full every 3600 s");
      Await.until(() -> forumSource(health, site).path("last_full_sync").asText("").equals(START.toString()),
          "the first round, a full sync");
      assertThat(found("collector queue keeps growing")).containsExactly("77");

      // topic 77 is deleted on the site: gone from the listing, its page answers 404
      replies.put("/latest.json?page=0", "{\"topic_list\": {\"topics\": []}}");
      replies.remove("/t/77.json");
      clock.advance(Duration.ofMinutes(30));
      Instant halfway = START.plus(Duration.ofMinutes(30));
      Await.until(() -> forumSource(health, site).path("last_success").asText("").equals(halfway.toString()),
          "an incremental round at " + halfway);
      assertThat(forumSource(health, site).path("last_full_sync").asText()).isEqualTo(START.toString());
      assertThat(found("collector queue keeps growing")).as("kept by incremental rounds").containsExactly("77");

      clock.advance(Duration.ofMinutes(30));
      Instant due = START.plus(Duration.ofHours(1));
      Await.until(() -> forumSource(health, site).path("last_full_sync").asText("").equals(due.toString()),
          "the full sync due at " + due);
      assertThat(found("collector queue keeps growing")).as("deleted by the full sync").isEmpty();

      // two new topics are indexed by an incremental round
      replies.put("/t/78.json", topicJson(78, "Agent restarts after a config reload"));
      replies.put("/t/79.json", topicJson(79, "Dashboard tiles stay blank in Safari"));
      replies.put("/latest.json?page=0", "{\"topic_list\": {\"topics\": [" + listed(79, "09:30") + ", "
          + listed(78, "09:00") + "]}}");
      Await.until(() -> found("agent restarts after a config reload").contains("78")
          && found("dashboard tiles stay blank").contains("79"), "78 and 79 indexed");

      // 79 is deleted on the site and the listing now goes on past the page limit (100 pages) without it:
      // the full sync checks the indexed topics the listing did not show one by one and deletes 79
      replies.remove("/t/79.json");
      for (int page = 99; page >= 0; page--) { // the first page last: a round sees all pages or the old listing
        replies.put("/latest.json?page=" + page, "{\"topic_list\": {\"more_topics_url\": \"/latest?page="
            + (page + 1) + "\", \"topics\": [" + listed(78, "09:00") + "]}}");
      }
      clock.advance(Duration.ofHours(1));
      Instant cut = START.plus(Duration.ofHours(2));
      Await.until(() -> forumSource(health, site).path("last_full_sync").asText("").equals(cut.toString()),
          "the full sync due at " + cut);
      HttpResponse<String> ok = get(health);
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      JsonNode source = json.readTree(ok.body()).path("knowledge_base").path("sources").path(site);
      assertThat(source.has("full_sync_note")).as("complete in one round: one topic to check").isFalse();
      assertThat(source.has("last_full_sync_error")).isFalse();
      assertThat(found("dashboard tiles stay blank")).as("deleted although past the page limit").doesNotContain("79");
      assertThat(found("agent restarts after a config reload")).containsExactly("78");
    }
  }

  @Test
  void aRestartSyncsInFullOnlyWhenTheFullSyncRecordedInTheIndexIsDue() throws Exception {
    Files.writeString(settings, Files.readString(settings)
        .replace("sync: every 15 minutes", "sync: every 10 seconds\n  full_sync: every 1 hour")
        .replace("max_sync_age: 45 minutes", "max_sync_age: 4 hours"));
    String site = "http://127.0.0.1:" + forum.getAddress().getPort();
    try (Running run = new Running()) {
      Await.until(() -> forumSource(run.health, site).path("last_full_sync").asText("").equals(START.toString()),
          "the first round, a full sync");
    }
    clock.advance(Duration.ofMinutes(30));
    Instant later = START.plus(Duration.ofMinutes(30));
    try (Running run = new Running()) {
      Await.until(() -> forumSource(run.health, site).path("last_success").asText("").equals(later.toString()),
          "the first round after the restart");
      assertThat(forumSource(run.health, site).path("last_full_sync").asText()).as("not due: recorded at " + START)
          .isEqualTo(START.toString());

      clock.advance(Duration.ofMinutes(30));
      Instant due = START.plus(Duration.ofHours(1));
      Await.until(() -> forumSource(run.health, site).path("last_full_sync").asText("").equals(due.toString()),
          "the full sync due at " + due);
    }
  }

  @Test
  void aForumWhoseFullSyncKeepsFailingDegradesHealthOnceItsLastCompleteOneIsOlderThanTheLimit() throws Exception {
    Files.writeString(settings, Files.readString(settings)
        .replace("sync: every 15 minutes", "sync: every 10 seconds\n  full_sync: every 1 hour\n"
            + "  max_full_sync_age: 2 hours")
        .replace("max_sync_age: 45 minutes", "max_sync_age: 4 hours"));
    String site = "http://127.0.0.1:" + forum.getAddress().getPort();
    try (Running run = new Running()) {
      String health = run.health;
      Await.until(() -> forumSource(health, site).path("last_full_sync").asText("").equals(START.toString()),
          "the first round, a full sync");
      assertThat(read(health).path("knowledge_base").path("max_full_sync_age_seconds").asLong()).isEqualTo(7200);

      // 77 leaves the listing and checking it fails: every full sync from now on ends in an error
      replies.put("/latest.json?page=0", "{\"topic_list\": {\"topics\": []}}");
      failing.put("/t/77.json", 500);
      clock.advance(Duration.ofHours(1));
      String error = "GET " + site + "/t/77.json returned HTTP 500: the forum has a server error; retry later. That"
          + " topic was left as it was.";
      Await.until(() -> forumSource(health, site).path("last_full_sync_error").asText("").equals(error),
          "the failing full sync");
      assertThat(found("collector queue keeps growing")).as("kept while its check fails").containsExactly("77");

      clock.advance(Duration.ofHours(1));
      HttpResponse<String> atLimit = get(health);
      assertThat(atLimit.statusCode()).as("exactly at the limit: " + atLimit.body()).isEqualTo(200);
      clock.advance(Duration.ofSeconds(1));
      HttpResponse<String> stale = get(health);
      assertThat(stale.statusCode()).as(stale.body()).isEqualTo(503);
      JsonNode body = json.readTree(stale.body());
      assertThat(body.path("status").asText()).isEqualTo("degraded");
      assertThat(body.path("problems").toString()).isEqualTo(json.writeValueAsString(List.of("the forum " + site
          + " last completed a full sync 7201 s ago (limit 7200 s), so topics the site deleted may still be"
          + " suggested; last full-sync error: " + error)));

      // the site answers again: the next round completes the full sync and health recovers
      replies.remove("/t/77.json");
      failing.clear();
      Await.until(() -> forumSource(health, site).path("last_full_sync").asText("")
          .equals(START.plus(Duration.ofHours(1)).toString()), "the full sync completed");
      assertThat(get(health).statusCode()).isEqualTo(200);
      assertThat(found("collector queue keeps growing")).isEmpty();
    }
  }

  @Test
  void aTopicWhoseCheckKeepsFailingWhileTheSiteServesOthersIsSkippedAndHealthNamesItWithoutDegrading()
      throws Exception {
    Files.writeString(settings, Files.readString(settings)
        .replace("sync: every 15 minutes", "sync: every 10 seconds\n  full_sync: every 1 hour\n"
            + "  max_full_sync_age: 2 hours")
        .replace("max_sync_age: 45 minutes", "max_sync_age: 4 hours"));
    replies.put("/t/78.json", topicJson(78, "Agent restarts after a config reload"));
    replies.put("/latest.json?page=0", "{\"topic_list\": {\"topics\": [" + listed(78, "08:30") + ", "
        + listed(77, "08:00") + "]}}");
    String site = "http://127.0.0.1:" + forum.getAddress().getPort();
    try (Running run = new Running()) {
      String health = run.health;
      assertThat(run.out.toString()).contains("; forums synced in full every 3600 s (50 topic checks a round at"
          + " least, more to finish before the next is due, health degraded past 7200 s without a complete one)");
      Await.until(() -> forumSource(health, site).path("last_full_sync").asText("").equals(START.toString()),
          "the first round, a full sync");

      // 77 leaves the listing and its page alone fails; 78 is still served
      replies.put("/latest.json?page=0", "{\"topic_list\": {\"topics\": [" + listed(78, "08:30") + "]}}");
      failing.put("/t/77.json", 500);
      clock.advance(Duration.ofHours(1));
      Instant due = START.plus(Duration.ofHours(1));
      String error = "GET " + site + "/t/77.json returned HTTP 500: the forum has a server error; retry later. That"
          + " topic was left as it was.";
      Await.until(() -> forumSource(health, site).path("last_full_sync").asText("").equals(due.toString()),
          "the full sync complete after three rounds whose checks of 77 failed");

      HttpResponse<String> ok = get(health);
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      JsonNode source = json.readTree(ok.body()).path("knowledge_base").path("sources").path(site);
      assertThat(source.path("full_sync_skipped").toString()).isEqualTo("[{\"id\":\"77\",\"error\":"
          + json.writeValueAsString(error) + "}]");
      assertThat(source.has("last_full_sync_error")).isFalse();
      assertThat(found("collector queue keeps growing")).as("skipped, not deleted").first().isEqualTo("77");
    }
  }

  private static String listed(int id, String bumpedAt) {
    return "{\"id\": " + id + ", \"title\": \"t\", \"bumped_at\": \"2026-12-03T" + bumpedAt + ":00Z\"}";
  }

  private static String topicJson(int id, String title) {
    return "{\"id\": " + id + ", \"title\": \"" + title + "\", \"created_at\": \"2026-12-02T10:00:00Z\","
        + " \"post_stream\": {\"posts\": [{\"post_number\": 1, \"cooked\": \"<p>" + title + ".</p>\"}]}}";
  }

  /** {@code run} started on its own thread with the test's settings; closing stops it and checks that it ended cleanly. */
  private final class Running implements AutoCloseable {
    final RunCommand command = new RunCommand(
        Map.of("SLACK_BOT_TOKEN", SLACK_TOKEN, "SLACK_SIGNING_SECRET", SECRET), clock);
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final int[] exit = {-1};
    final Thread thread;
    final String health;

    Running() throws Exception {
      CommandLine cli = new CommandLine(command);
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      thread = Thread.ofPlatform().name("supportbot-run").start(() -> exit[0] = cli.execute("--config",
          settings.toString()));
      try {
        RunCommand.Started started = command.started().get(Await.HUNG.toSeconds(), TimeUnit.SECONDS);
        health = "http://127.0.0.1:" + started.ops().orElseThrow().getPort() + "/health";
      } catch (Exception e) {
        command.stop();
        thread.join(Await.HUNG.toMillis());
        throw e;
      }
    }

    @Override
    public void close() throws Exception {
      command.stop();
      thread.join(Await.HUNG.toMillis());
      assertThat(thread.isAlive()).isFalse();
      assertThat(exit[0]).as(err.toString()).isZero();
    }
  }

  private JsonNode forumSource(String health, String site) {
    return read(health).path("knowledge_base").path("sources").path(site);
  }

  private List<String> found(String query) {
    try (KbSearcher s = KbSearcher.open(KbIndexing.luceneDir(dir.resolve("data/kb")), SearchSettings.defaults())) {
      return s.search(SearchRequest.of(query), 3, false).stream().map(SearchHit::id)
          .filter(id -> id.equals("77") || id.equals("78") || id.equals("79")).toList();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private JsonNode read(String url) {
    try {
      return json.readTree(get(url).body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
