package org.supportbot.kb.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.kb.Source;
import org.supportbot.kb.ingest.KbDocument;
import org.supportbot.kb.search.KbSearcher;
import org.supportbot.kb.search.SearchHit;
import org.supportbot.kb.search.SearchRequest;
import org.supportbot.kb.search.SearchSettings;

class ParallelIndexingTest {
  private static final String[] WORDS = {
    "printer", "offline", "driver", "install", "error", "timeout", "connection", "refused", "proxy",
    "certificate", "expired", "login", "password", "reset", "token", "database", "backup", "restore",
    "scanner", "queue", "upgrade", "version", "crash", "memory", "disk", "full", "permission", "denied",
    "ERR_POOL_TIMEOUT", "ORA-00942", "4.2.1", "/etc/app/app.yml"};

  @TempDir Path parallel;
  @TempDir Path serial;

  /** Enough documents per source that {@link KbIndexWriter#sync} indexes them on several threads. */
  private static List<KbDocument> documents(Source source, int count, long seed) {
    Random rnd = new Random(seed);
    List<KbDocument> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new KbDocument(source.label() + i, source, words(rnd, 6), "https://example.com/" + i,
          List.of(), "", List.of(), "", words(rnd, 30), i % 2 == 0 ? words(rnd, 20) : "", words(rnd, 80)));
    }
    return out;
  }

  private static String words(Random rnd, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(WORDS[rnd.nextInt(WORDS.length)]).append(' ');
    }
    return sb.toString().strip();
  }

  private static Map<String, Float> scores(Path kb, String query) {
    try (KbSearcher s = KbSearcher.open(KbIndexing.luceneDir(kb), SearchSettings.defaults().lexicalOnly())) {
      Map<String, Float> out = new HashMap<>();
      for (SearchHit h : s.search(SearchRequest.of(query), 2_000, false)) {
        out.put(h.source().label() + ":" + h.id(), h.score());
      }
      return out;
    }
  }

  @Test
  void documentsIndexedOnSeveralThreadsAreTheDocumentsIndexedOneByOne() {
    List<KbDocument> articles = documents(Source.ARTICLE, 700, 1);
    List<KbDocument> forum = documents(Source.FORUM, 600, 2);
    KbIndexing.index(parallel, articles, forum, true, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    try (KbIndexWriter w = KbIndexWriter.open(KbIndexing.luceneDir(serial))) {
      articles.forEach(w::put);
      forum.forEach(w::put);
      w.commit(Map.of());
    }

    try (KbIndexWriter p = KbIndexWriter.open(KbIndexing.luceneDir(parallel));
        KbIndexWriter s = KbIndexWriter.open(KbIndexing.luceneDir(serial))) {
      for (Source source : Source.values()) {
        assertThat(p.hashes(source)).hasSize(source == Source.ARTICLE ? 700 : 600).isEqualTo(s.hashes(source));
      }
    }
    for (String q : List.of("printer offline", "proxy certificate expired", "ORA-00942 database restore")) {
      Map<String, Float> expected = scores(serial, q);
      assertThat(expected).isNotEmpty();
      assertThat(scores(parallel, q)).isEqualTo(expected);
    }
  }

  @Test
  void aSecondSyncByTheSameWriterSeesWhatTheFirstAdded() {
    List<KbDocument> articles = documents(Source.ARTICLE, 600, 3);
    try (KbIndexWriter w = KbIndexWriter.open(KbIndexing.luceneDir(parallel))) {
      assertThat(w.sync(Source.ARTICLE, articles, true, IndexProgress.NONE).added()).isEqualTo(600);
      IndexReport again = w.sync(Source.ARTICLE, articles.subList(0, 500), true, IndexProgress.NONE);
      assertThat(again).extracting(IndexReport::added, IndexReport::unchanged, IndexReport::deleted)
          .containsExactly(0, 500, 100);
      assertThat(w.hashes(Source.FORUM)).isEmpty();
      w.commit(Map.of());
    }
  }

  @Test
  void anUnchangedRunAfterARebuildOfBothSourcesChangesNothing() {
    List<KbDocument> articles = documents(Source.ARTICLE, 600, 4);
    List<KbDocument> forum = documents(Source.FORUM, 300, 5);
    KbIndexing.index(parallel, articles, forum, true, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    IndexReport again = KbIndexing.index(parallel, articles, forum, false, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    assertThat(again).extracting(IndexReport::added, IndexReport::updated, IndexReport::unchanged, IndexReport::deleted)
        .containsExactly(0, 0, 900, 0);
  }
}
