package org.supportbot.app.kb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.CliRun;
import org.supportbot.core.time.ManualClock;
import org.supportbot.kb.LuceneKnowledgeBase;
import org.supportbot.kb.forum.DiscourseSync;
import org.supportbot.kb.live.LiveSources;
import org.supportbot.kb.search.SearchSettings;
import picocli.CommandLine;

class KbCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NL = System.lineSeparator();

  @TempDir Path work;
  Path articles;
  Path forum;
  Path kb;

  @BeforeEach
  void sources() throws IOException {
    articles = Files.createDirectories(work.resolve("articles"));
    forum = Files.createDirectories(work.resolve("forum"));
    kb = work.resolve("kb");
    article("db-1", "Import stops with ORA-00942", "The import log shows `ORA-00942: table or view does not exist`. Grant SELECT on the schema.");
    article("print-1", "Printer shows offline", "Turn the printer off and on, then check the cable.");
    Files.writeString(forum.resolve("42.json"), """
        {"id": 42, "title": "Scanner jams on every page", "slug": "scanner-jams",
         "post_stream": {"posts": [
           {"post_number": 1, "username": "a", "created_at": "2026-01-01T00:00:00Z", "cooked": "<p>The scanner jams on every page since Monday.</p>"},
           {"post_number": 2, "username": "b", "created_at": "2026-01-02T00:00:00Z", "cooked": "<p>Clean the rollers.</p>"}]}}
        """);
  }

  private void article(String id, String title, String body) throws IOException {
    Files.writeString(articles.resolve(id + ".md"),
        "---\nid: " + id + "\ntitle: \"" + title + "\"\nurl: https://docs.example.com/" + id + "\n---\n" + body + "\n");
  }

  private CliRun index() {
    return CliRun.of("kb", "index", "--quiet", "--lexical-only", "--articles", articles.toString(),
        "--forum", forum.toString(), "--forum-base-url", "https://forum.example.com", "--index", kb.toString());
  }

  @Test
  void indexReportsWhatItDidAndAReRunSkipsUnchangedDocuments() {
    CliRun first = index();
    assertThat(first.exitCode()).isZero();
    assertThat(first.out()).startsWith("indexed " + kb + ": 3 added, 0 updated, 0 unchanged, 0 deleted in ");
    CliRun second = index();
    assertThat(second.out()).startsWith("indexed " + kb + ": 0 added, 0 updated, 3 unchanged, 0 deleted in ");
  }

  @Test
  void searchPrintsNumberedSuggestionsWithHighlightedSnippets() {
    index();
    CliRun run = CliRun.of("kb", "search", "--index", kb.toString(), "--top", "1", "import", "fails", "with", "ORA-00942");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("1. [article db-1] Import stops with ORA-00942  (score ")
        .contains("   https://docs.example.com/db-1" + NL)
        .contains("**ORA-00942");
  }

  @Test
  void searchJsonGivesIdSourceTitleUrlSnippetAndScore() throws IOException {
    index();
    CliRun run = CliRun.of("kb", "search", "--index", kb.toString(), "--json", "--top", "2", "scanner jams");
    JsonNode r = JSON.readTree(run.out()).get("results").get(0);
    assertThat(r.get("id").asText()).isEqualTo("42");
    assertThat(r.get("source").asText()).isEqualTo("forum");
    assertThat(r.get("url").asText()).isEqualTo("https://forum.example.com/t/scanner-jams/42");
    assertThat(r.get("snippet").asText()).contains("**scanner**");
    assertThat(r.get("score").asDouble()).isPositive();
  }

  @Test
  void batchSearchPrintsOneJsonObjectPerQueryInTheDocumentedShape() throws IOException {
    index();
    Path queries = Files.writeString(work.resolve("q.tsv"), "q1\ttable or view does not exist\nq2\tscanner jams\n");
    CliRun run = CliRun.of("kb", "search", "--index", kb.toString(), "--queries", queries.toString(), "--top", "1", "--json");
    assertThat(run.exitCode()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).matches(
        "\\{\"query_id\":\"q1\",\"results\":\\[\\{\"id\":\"db-1\",\"source\":\"article\",\"title\":\"Import stops with ORA-00942\","
            + "\"url\":\"https://docs.example.com/db-1\",\"score\":[0-9.]+}]}");
    assertThat(lines.get(1)).matches(
        "\\{\"query_id\":\"q2\",\"results\":\\[\\{\"id\":\"42\",\"source\":\"forum\",\"title\":\"Scanner jams on every page\","
            + "\"url\":\"https://forum.example.com/t/scanner-jams/42\",\"score\":[0-9.]+}]}");
  }

  @Test
  void evalPrintsTheFiveMetricsAndTheFloor() throws IOException {
    index();
    Path queries = Files.writeString(work.resolve("q.tsv"), "q1\ttable or view does not exist\nq2\tprinter offline\n");
    Path qrels = Files.writeString(work.resolve("qrels.txt"), "q1 0 db-1 1\nq2 0 print-1 1\n");
    CliRun run = CliRun.of("kb", "eval", "--index", kb.toString(), "--queries", queries.toString(), "--qrels", qrels.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("queries   2 (lexical BM25, whole index)" + NL)
        .contains("MAP@10    1.0000" + NL).contains("MRR@10    1.0000" + NL).contains("P@1       1.0000" + NL)
        .contains("Recall@5  1.0000" + NL).contains("nDCG@10   1.0000" + NL)
        .contains("floor     0.073: no suggestion for 0 of 0 queries without a relevant document;")
        .contains("fit       none: these queries cannot tell (every top hit relevant, or none)" + NL);
  }

  @Test
  void evalPlainScoresWithPlainBm25AndNoFloor() throws IOException {
    index();
    Path queries = Files.writeString(work.resolve("q.tsv"), "q1\ttable or view does not exist\n");
    Path qrels = Files.writeString(work.resolve("qrels.txt"), "q1 0 db-1 1\n");
    CliRun run = CliRun.of("kb", "eval", "--plain", "--index", kb.toString(), "--queries", queries.toString(),
        "--qrels", qrels.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("queries   1 (plain BM25, whole index)" + NL).contains("MRR@10    1.0000" + NL)
        .contains("floor     0.000: ");
  }

  @Test
  void evalRefusesPlainTogetherWithASemanticWeight() throws IOException {
    index();
    Path queries = Files.writeString(work.resolve("q.tsv"), "q1\tprinter\n");
    Path qrels = Files.writeString(work.resolve("qrels.txt"), "q1 0 print-1 1\n");
    CliRun run = CliRun.of("kb", "eval", "--plain", "--semantic-weight", "3", "--index", kb.toString(),
        "--queries", queries.toString(), "--qrels", qrels.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--plain is BM25 alone; it cannot be combined with --semantic-weight");
  }

  @Test
  void evalRefusesANegativeSemanticWeight() throws IOException {
    index();
    Path queries = Files.writeString(work.resolve("q.tsv"), "q1\tprinter\n");
    Path qrels = Files.writeString(work.resolve("qrels.txt"), "q1 0 print-1 1\n");
    CliRun run = CliRun.of("kb", "eval", "--semantic-weight", "-1", "--index", kb.toString(),
        "--queries", queries.toString(), "--qrels", qrels.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--semantic-weight must be a finite number >= 0, was -1.0; 0 means BM25 alone");
  }

  @Test
  void missingArticlesFolderIsAClearErrorAndCreatesNothing() {
    Path nowhere = work.resolve("nope");
    CliRun run = CliRun.of("kb", "index", "--articles", nowhere.toString(), "--index", kb.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip()).isEqualTo("error: " + nowhere
        + ": articles folder does not exist or is not a folder; pass the folder that holds the *.md files");
    assertThat(kb).doesNotExist();
  }

  @Test
  void aBadArticleLeavesTheExistingIndexUnchanged() throws IOException {
    index();
    Files.writeString(articles.resolve("bad.md"), "---\ntitle: no id\n---\nbody\n");
    article("print-1", "Printer shows offline", "A changed text that must not reach the index.");
    CliRun run = index();
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains(articles.resolve("bad.md") + ": front matter has no \"id\"; add \"id: bad\"");
    CliRun search = CliRun.of("kb", "search", "--index", kb.toString(), "--json", "must", "not", "reach");
    assertThat(search.out()).contains("\"results\":[]");
  }

  @Test
  void badQueriesLineNamesFileAndLine() throws IOException {
    index();
    Path queries = Files.writeString(work.resolve("q.tsv"), "q1\tprinter\nthis line has no tab\n");
    CliRun run = CliRun.of("kb", "search", "--index", kb.toString(), "--queries", queries.toString(), "--json");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip()).isEqualTo("error: " + queries + ":2: expected \"query_id<TAB>text\", found no tab");
  }

  @Test
  void searchWithoutAnIndexSaysHowToBuildOne() {
    CliRun run = CliRun.of("kb", "search", "--index", work.resolve("none").toString(), "printer");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no index here; build one with 'supportbot kb index --index <dir> ...'");
  }

  @Test
  void indexWithoutSourcesIsAUsageError() {
    CliRun run = CliRun.of("kb", "index", "--index", kb.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("nothing to index: give --articles DIR, --forum DIR and/or --forum-url URL");
  }

  @Test
  void fullForumSyncWithoutAForumUrlIsAUsageError() {
    CliRun run = CliRun.of("kb", "index", "--index", kb.toString(), "--articles", articles.toString(), "--forum-full");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--forum-full needs --forum-url URL");
    assertThat(kb).doesNotExist();
  }

  /** A Discourse stand-in on loopback: replies by path and query, 404 for the rest; {@code requested} lists the paths. */
  private record Site(HttpServer server, Map<String, String> replies, List<String> requested) implements AutoCloseable {
    static Site start() throws IOException {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      Site site = new Site(server, new ConcurrentHashMap<>(), new CopyOnWriteArrayList<>());
      server.createContext("/", exchange -> {
        String path = exchange.getRequestURI().getPath()
            + (exchange.getRequestURI().getQuery() == null ? "" : "?" + exchange.getRequestURI().getQuery());
        site.requested.add(path);
        String body = site.replies.get(path);
        byte[] bytes = (body == null ? "{\"errors\":[\"not found\"]}" : body).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      });
      server.start();
      return site;
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void lists(int... ids) {
      replies.put("/latest.json?page=0", "{\"topic_list\": {\"topics\": [" + java.util.Arrays.stream(ids)
          .mapToObj(id -> "{\"id\": " + id + ", \"title\": \"t\", \"bumped_at\": \"2026-12-01T08:00:00Z\"}")
          .collect(java.util.stream.Collectors.joining(", ")) + "]}}");
    }

    void serves(int id, String title) {
      replies.put("/t/" + id + ".json", "{\"id\": " + id + ", \"title\": \"" + title + "\", \"created_at\":"
          + " \"2026-12-01T08:00:00Z\", \"post_stream\": {\"posts\": [{\"post_number\": 1, \"cooked\": \"<p>"
          + title + ".</p>\"}]}}");
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private CliRun indexCommand(Clock clock, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new KbIndexCommand(clock));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new CliRun(cli.execute(args), out.toString(), err.toString());
  }

  @Test
  void aCompleteForumFullSyncIsRecordedSoRunDoesNotRepeatItBeforeItIsDue() throws IOException {
    Instant t0 = Instant.parse("2026-12-04T06:00:00Z");
    ManualClock clock = new ManualClock(t0);
    try (Site site = Site.start()) {
      site.lists(77, 78);
      site.serves(77, "Collector queue grows after upgrade");
      site.serves(78, "Agent restarts after a config reload");
      assertThat(indexCommand(clock, "--quiet", "--lexical-only", "--articles", articles.toString(), "--forum-url",
          site.url(), "--index", kb.toString()).exitCode()).isZero();
      // 78 is deleted on the site
      site.lists(77);
      site.replies().remove("/t/78.json");
      clock.advance(Duration.ofHours(1));
      Instant full = t0.plus(Duration.ofHours(1));

      CliRun run = indexCommand(clock, "--quiet", "--forum-url", site.url(), "--forum-full", "--index", kb.toString());

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out()).endsWith("full sync: 1 indexed topic(s) no longer listed were checked on the site, 1"
          + " deleted in all; recorded in the index as complete as of " + full + " (supportbot run syncs this forum"
          + " in full again once its full_sync interval has passed)" + NL);

      // run's live sources, started 15 minutes later with a full sync every 24 hours: not due until a day after it
      clock.advance(Duration.ofMinutes(15));
      DiscourseSync forum = new DiscourseSync(DiscourseSync.Config.fromEnvironment(site.url(), Map.of(),
          Duration.ofSeconds(60)), clock);
      try (LuceneKnowledgeBase knowledge = LuceneKnowledgeBase.open(kb, SearchSettings.defaults().lexicalOnly(), clock);
          LiveSources live = new LiveSources(kb, Optional.empty(), List.of(forum), knowledge, clock,
              Duration.ofHours(24))) {
        assertThat(live.status().sources().get(site.url()).fullSync().orElseThrow().lastSuccess()).contains(full);
        site.requested().clear();
        assertThat(live.syncNow().get(site.url())).doesNotContain("full sync");
        clock.advance(Duration.ofHours(23).plusMinutes(44).plusSeconds(59));
        assertThat(live.syncNow().get(site.url())).doesNotContain("full sync");
        assertThat(site.requested()).as("only the listing: no topic checked").containsOnly("/latest.json?page=0");
        clock.advance(Duration.ofSeconds(1));
        assertThat(live.syncNow().get(site.url())).as("due a day after the command's full sync")
            .contains("; full sync: ");
        assertThat(live.status().sources().get(site.url()).fullSync().orElseThrow().lastSuccess())
            .contains(full.plus(Duration.ofHours(24)));
      }
    }
  }

  @Test
  void feedbackAndReportGiveDeflectionPerSourceAndDocument() {
    index();
    assertThat(CliRun.of("kb", "feedback", "--index", kb.toString(), "--case", "c1", "--id", "db-1", "--source", "article", "--solved").out())
        .isEqualTo("recorded: case c1, article db-1, solved" + NL);
    CliRun.of("kb", "feedback", "--index", kb.toString(), "--case", "c2", "--id", "42", "--source", "forum", "--not-helpful");
    CliRun report = CliRun.of("kb", "report", "--index", kb.toString());
    assertThat(report.exitCode()).isZero();
    assertThat(report.out()).contains("deflection   50.0%  (1 of 2)")
        .contains("article   100.0%  (1 of 1)")
        .contains("forum       0.0%  (0 of 1)")
        .contains("article  db-1");
  }

  @Test
  void feedbackWithADraftKeepsTheDraftForRanking() throws java.io.IOException {
    index();
    CliRun run = CliRun.of("kb", "feedback", "--index", kb.toString(), "--case", "c1", "--id", "db-1", "--source", "article",
        "--solved", "--draft", "Database pool timeout.\nThe app hangs");
    assertThat(run.exitCode()).isZero();
    assertThat(new org.supportbot.kb.feedback.FeedbackStore(kb.resolve("feedback.jsonl")).all())
        .extracting(org.supportbot.kb.Feedback::draft).containsExactly("Database pool timeout.\nThe app hangs");
  }

  @Test
  void feedbackWithAnUnknownSourceIsAUsageError() {
    CliRun run = CliRun.of("kb", "feedback", "--index", kb.toString(), "--case", "c", "--id", "x", "--source", "wiki", "--solved");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(kb.resolve("feedback.jsonl")).doesNotExist();
  }
}
