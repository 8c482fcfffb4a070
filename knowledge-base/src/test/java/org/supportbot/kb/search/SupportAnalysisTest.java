package org.supportbot.kb.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.supportbot.kb.TestArticles;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbIndexing;

/** Identifiers, versions, error codes and paths are searchable as written. */
class SupportAnalysisTest {
  @TempDir static Path dir;
  static KbSearcher searcher;

  @BeforeAll
  static void build() {
    Path articles = dir.resolve("articles");
    TestArticles.write(articles, "ora", "Import job stops with a database error", "",
        "The job log shows `ORA-00942: table or view does not exist` when the schema grant is missing.");
    TestArticles.write(articles, "ora-other", "Database errors during export", "",
        "An export may show ORA-01017 when the password is wrong. Check the database user.");
    TestArticles.write(articles, "v421", "Known problems in release 4.2.1", "",
        "Release 4.2.1 breaks the CSV importer; upgrade to 4.2.2.");
    TestArticles.write(articles, "v43", "Known problems in release 4.3.0", "",
        "Release 4.3.0 changes the default port of the importer.");
    TestArticles.write(articles, "path", "Where the agent keeps its settings", "",
        "Edit /etc/beacon/agent.yml and restart; on Windows use C:\\ProgramData\\Beacon\\agent.yml.");
    TestArticles.write(articles, "ident", "Connection pool exhausted", "",
        "Raise maxPoolSize in the datasource, or set ERR_POOL_TIMEOUT_MS; see com.acme.db.PoolConfig.");
    TestArticles.write(articles, "words", "Settings of the importer", "",
        "The importer reads its settings at start. Restart it after a change to the settings.");
    KbIndexing.indexFolders(dir, articles, null, "", false, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    searcher = KbSearcher.open(KbIndexing.luceneDir(dir), SearchSettings.defaults().lexicalOnly());
  }

  @AfterAll
  static void close() {
    searcher.close();
  }

  private static List<String> top(String text) {
    return searcher.search(SearchRequest.of(text), 3, false).stream().map(SearchHit::id).toList();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      ORA-00942                                   | ora
      ora-00942: table or view does not exist     | ora
      ORA-01017                                   | ora-other
      4.2.1                                       | v421
      what broke in 4.3.0                         | v43
      /etc/beacon/agent.yml                       | path
      C:\\ProgramData\\Beacon\\agent.yml          | path
      maxPoolSize                                 | ident
      ERR_POOL_TIMEOUT_MS                         | ident
      com.acme.db.PoolConfig                      | ident
      """)
  void tokensAreFoundAsWritten(String query, String expected) {
    assertThat(top(query)).first().isEqualTo(expected);
  }

  @Test
  void errorStringPastedByACustomerFindsTheArticleQuotingIt() {
    SearchRequest r = new SearchRequest("the nightly job died", "ORA-00942: table or view does not exist", "", "", java.util.Set.of());
    assertThat(searcher.search(r, 1, false)).extracting(SearchHit::id).containsExactly("ora");
  }

  @Test
  void englishWordsAreStemmed() {
    assertThat(top("restarting importers")).contains("words");
  }

  @Test
  void stopWordsAloneFindNothing() {
    assertThat(top("how do I the of and")).isEmpty();
  }
}
