package org.supportbot.kb.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.kb.TestArticles;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbIndexing;

class KbSearcherTest {
  @TempDir Path kb;
  @TempDir Path articles;

  private void index() {
    KbIndexing.indexFolders(kb, articles, null, "", false, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
  }

  private KbSearcher open() {
    return KbSearcher.open(KbIndexing.luceneDir(kb), SearchSettings.defaults().lexicalOnly());
  }

  private static List<SearchHit> search(KbSearcher s, String text) {
    return s.search(SearchRequest.of(text), 5, true);
  }

  @Test
  void repeatedSearchesOfOneSnapshotScoreAlike() {
    TestArticles.write(articles, "a1", "Scanner jams", "", "Open the scanner lid and remove the paper.");
    TestArticles.write(articles, "a2", "Printer offline", "", "Turn the printer off and on.");
    index();
    try (KbSearcher s = open()) {
      List<SearchHit> first = search(s, "scanner paper jam");
      assertThat(first).extracting(SearchHit::id).containsExactly("a1");
      assertThat(search(s, "scanner paper jam")).isEqualTo(first);
    }
  }

  @Test
  void documentsOfEqualScoreComeInTheOrderOfTheirIdsWhateverOrderTheyWereIndexedIn() {
    // "c9" is indexed first and gets the lower Lucene document number; its copies come later
    TestArticles.write(articles, "c9", "Scanner jams", "", "Open the scanner lid and remove the paper.");
    index();
    TestArticles.write(articles, "c1", "Scanner jams", "", "Open the scanner lid and remove the paper.");
    TestArticles.write(articles, "c5", "Scanner jams", "", "Open the scanner lid and remove the paper.");
    TestArticles.write(articles, "p1", "Printer offline", "", "Turn the printer off and on.");
    index();
    try (KbSearcher s = open()) {
      List<SearchHit> hits = search(s, "scanner lid paper");
      assertThat(hits).extracting(SearchHit::id).containsExactly("c1", "c5", "c9");
      assertThat(hits).extracting(SearchHit::score).containsOnly(hits.get(0).score());
      // a tie across the cut-off keeps the smallest ids, not the first indexed
      assertThat(s.search(SearchRequest.of("scanner lid paper"), 1, false)).extracting(SearchHit::id)
          .containsExactly("c1");
    }
  }

  @Test
  void theWordsOfTheFirstSentenceWeighMoreThanTheContextAfterIt() {
    TestArticles.write(articles, "a1", "Scanner jams", "", "Open the scanner lid and remove the paper.");
    TestArticles.write(articles, "a2", "Printer offline", "", "Turn the printer off and on.");
    index();
    try (KbSearcher s = open()) {
      // each article matches one word; which comes first depends on where the word stands
      assertThat(search(s, "Scanner trouble. The printer beside it works.")).extracting(SearchHit::id)
          .containsExactly("a1", "a2");
      assertThat(search(s, "Printer trouble. The scanner beside it works.")).extracting(SearchHit::id)
          .containsExactly("a2", "a1");
    }
    assertThat(SearchSettings.plain().lead()).isEqualTo(1f);
  }

  @Test
  void termStatisticsOfAnOldSnapshotAreNotUsedAfterReopening() {
    TestArticles.write(articles, "a1", "Scanner jams", "", "Open the scanner lid and remove the paper.");
    TestArticles.write(articles, "a2", "Printer offline", "", "Turn the printer off and on.");
    index();
    try (KbSearcher before = open()) {
      float oldScore = search(before, "scanner lid").get(0).score();

      // the word "scanner" becomes common, so its idf (and a1's score) must fall
      for (int i = 3; i <= 8; i++) {
        TestArticles.write(articles, "a" + i, "Scanner model " + i, "", "This scanner needs a driver.");
      }
      index();
      try (KbSearcher after = open(); KbSearcher fresh = open()) {
        search(fresh, "printer");
        SearchHit hit = search(after, "scanner lid").get(0);
        assertThat(hit.id()).isEqualTo("a1");
        assertThat(hit.score()).isLessThan(oldScore).isEqualTo(search(fresh, "scanner lid").get(0).score());
      }
      assertThat(search(before, "scanner lid").get(0).score()).isEqualTo(oldScore);
    }
  }

  @Test
  void onlyHitsAtOrAboveTheSnippetFloorGetTheirSnippetCut() {
    TestArticles.write(articles, "a1", "Scanner jams", "", "Open the scanner lid and remove the jammed paper.");
    TestArticles.write(articles, "a2", "Scanner driver", "", "Install the scanner driver from the vendor.");
    TestArticles.write(articles, "a3", "Printer offline", "", "Turn the printer off and on.");
    index();
    try (KbSearcher s = open()) {
      SearchRequest q = SearchRequest.of("scanner paper jammed lid");
      List<SearchHit> all = s.search(q, 5, 0);
      assertThat(all).hasSize(2);
      assertThat(all.get(0).confidence()).isGreaterThan(all.get(1).confidence());
      assertThat(all).isEqualTo(s.search(q, 5, true));
      assertThat(all).extracting(SearchHit::snippet).allMatch(x -> x.contains("**scanner**"));

      // a floor between the two hits' confidences: the first keeps its snippet, the second has none
      double between = (all.get(0).confidence() + all.get(1).confidence()) / 2;
      List<SearchHit> cut = s.search(q, 5, between);
      assertThat(cut).extracting(SearchHit::id).containsExactly("a1", "a2");
      assertThat(cut.get(0)).isEqualTo(all.get(0));
      assertThat(cut.get(1).snippet()).isEmpty();
      assertThat(cut.get(1).score()).isEqualTo(all.get(1).score());
      // a hit exactly at the floor is shown, so it keeps its snippet
      assertThat(s.search(q, 5, all.get(1).confidence())).isEqualTo(all);

      List<SearchHit> none = s.search(q, 5, Double.POSITIVE_INFINITY);
      assertThat(none).isEqualTo(s.search(q, 5, false));
      assertThat(none).extracting(SearchHit::snippet).containsOnly("");
      assertThatThrownBy(() -> s.search(q, 5, Double.NaN))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snippetFloor");
    }
  }
}
