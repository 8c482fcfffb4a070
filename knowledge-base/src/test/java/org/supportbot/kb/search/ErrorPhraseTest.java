package org.supportbot.kb.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.kb.Source;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.index.StemmedMatcher;
import org.supportbot.kb.index.SupportAnalyzers;
import org.supportbot.kb.ingest.KbDocument;

/** A pasted error text counts as a phrase: found in the hit's text, in order, one word off at most. */
class ErrorPhraseTest {
  private static final String ERROR = "ORA-00942: table or view does not exist";
  private final StemmedMatcher matcher = new StemmedMatcher();

  private static ErrorPhrase phrase(String text) {
    return ErrorPhrase.of(SupportAnalyzers.stemmed(), text).orElseThrow();
  }

  @Test
  void countsEachOccurrenceByHowFarItsSpacingIsFromThePhrases() {
    ErrorPhrase p = phrase(ERROR);
    assertThat(p.frequency("Oracle says ORA-00942: table or view does not exist.", matcher)).isEqualTo(1.0);
    assertThat(p.frequency("ORA-00942 Table or View does NOT exist; later ora-00942: table or view does not exist",
        matcher)).isEqualTo(2.0);
    // "or" is a stop word: the phrase still has a word between table and view
    assertThat(p.frequency("ORA-00942: table view does not exist", matcher)).isEqualTo(0.5);
    assertThat(p.frequency("ORA-00942: the table or the view does not exist", matcher)).isEqualTo(0.0);
    assertThat(p.frequency("ORA-00942: table or view that does not exist", matcher)).isEqualTo(0.5);
    assertThat(p.frequency("view or table does not exist ORA-00942", matcher)).isEqualTo(0.0);
    assertThat(p.frequency("the table exists, the view does not", matcher)).isEqualTo(0.0);
    assertThat(p.frequency("", matcher)).isEqualTo(0.0);
    assertThat(p.frequency(null, matcher)).isEqualTo(0.0);
    // stemmed like the index: "connections refused" is the phrase "connection refused"
    assertThat(phrase("Connection refused").frequency("all connections refused by host", matcher)).isEqualTo(1.0);
  }

  @Test
  void aSingleWordOrStopWordsAreNoPhrase() {
    assertThat(ErrorPhrase.of(SupportAnalyzers.stemmed(), "timeout")).isEmpty();
    assertThat(ErrorPhrase.of(SupportAnalyzers.stemmed(), "it is not")).isEmpty();
    assertThat(phrase(ERROR).terms()).containsExactlyInAnyOrder("ora", "00942", "tabl", "view", "doe", "exist");
  }

  private static KbDocument article(String id, String title, String body) {
    return new KbDocument(id, Source.ARTICLE, title, "", List.of(), "", List.of(), "", "", "", body);
  }

  private static SearchSettings withPhrase(float phrase) {
    SearchSettings d = SearchSettings.defaults().lexicalOnly();
    return new SearchSettings(d.title(), d.tags(), d.question(), d.body(), d.code(), phrase, d.tie(), d.k1(), d.b(),
        d.shortB(), d.queryStopWords(), d.lead(), d.floor(), d.lexicalFloor(), d.prfDocs(), d.prfTerms(),
        d.prfWeight(), d.semantic());
  }

  @Test
  void theArticleQuotingTheErrorRanksAboveOneWithItsWordsScattered(@TempDir Path kb) {
    KbIndexing.index(kb, List.of(
        article("scattered", "Table and view permissions",
            "A view over a table does not exist until it is created. Does the table exist? Check each view and "
                + "each table; ORA-00942 appears when either does not exist for the user. Table, view, exist."),
        article("quoted", "Queries fail after a schema move",
            "The query stops with ORA-00942: table or view does not exist when the synonym points at the old "
                + "schema. Recreate the synonym."),
        article("other", "Slow reports", "Reports are slow when the cache is cold.")),
        null, true, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    SearchRequest request = new SearchRequest("query fails", ERROR, "", "", Set.of());
    try (KbSearcher without = KbSearcher.open(KbIndexing.luceneDir(kb), withPhrase(0f));
        KbSearcher with = KbSearcher.open(KbIndexing.luceneDir(kb), withPhrase(1f))) {
      List<SearchHit> words = without.search(request, 3, false);
      assertThat(words).extracting(SearchHit::id).first().as("by its words alone").isEqualTo("scattered");
      List<SearchHit> hits = with.search(request, 3, false);
      assertThat(hits).extracting(SearchHit::id).first().isEqualTo("quoted");
      SearchHit quoted = hits.get(0);
      SearchHit before = words.stream().filter(h -> h.id().equals("quoted")).findFirst().orElseThrow();
      assertThat(quoted.score()).isGreaterThan(before.score());
      // the scattered article gains nothing: its score is what its words give
      assertThat(hits.stream().filter(h -> h.id().equals("scattered")).findFirst().orElseThrow().score())
          .isEqualTo(words.get(0).score());
    }
  }
}
