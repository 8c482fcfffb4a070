package org.supportbot.kb.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.kb.Source;
import org.supportbot.kb.ingest.KbDocument;
import org.supportbot.kb.search.KbSearcher;
import org.supportbot.kb.search.SearchHit;
import org.supportbot.kb.search.SearchRequest;
import org.supportbot.kb.search.SearchSettings;

/**
 * Text fields are written without positions; an index written with them (before 2026-12-04) is
 * updated in its own layout, searched as before, and takes the new layout when rebuilt.
 */
class IndexLayoutTest {
  private static final SearchSettings LEXICAL = SearchSettings.defaults().lexicalOnly();

  private static KbDocument article(String id, String title, String body) {
    return new KbDocument(id, Source.ARTICLE, title, "", List.of(), "", List.of(), "", "", "", body);
  }

  private static Map<String, IndexOptions> textFieldOptions(Path lucene) throws IOException {
    try (FSDirectory dir = FSDirectory.open(lucene);
        DirectoryReader r = DirectoryReader.open(dir)) {
      FieldInfos infos = FieldInfos.getMergedFieldInfos(r);
      return Map.of(KbFields.TITLE, infos.fieldInfo(KbFields.TITLE).getIndexOptions(),
          KbFields.BODY, infos.fieldInfo(KbFields.BODY).getIndexOptions());
    }
  }

  private static List<String> ids(Path kb, SearchRequest request) {
    try (KbSearcher s = KbSearcher.open(KbIndexing.luceneDir(kb), LEXICAL)) {
      return s.search(request, 5, false).stream().map(SearchHit::id).toList();
    }
  }

  @Test
  void aNewIndexHasNoPositions(@TempDir Path kb) throws IOException {
    KbIndexing.index(kb, List.of(article("a", "Printer offline", "Flush the spooler queue.")), null, false,
        KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    assertThat(textFieldOptions(KbIndexing.luceneDir(kb)).values()).containsOnly(IndexOptions.DOCS_AND_FREQS);
  }

  @Test
  void anIndexWithPositionsIsUpdatedInItsLayoutUntilRebuilt(@TempDir Path kb) throws IOException {
    Path lucene = KbIndexing.luceneDir(kb);
    KbDocument old = article("old", "Printer offline", "Flush the spooler queue when jobs hang with ERR-4821 spool full.");
    try (FSDirectory dir = FSDirectory.open(lucene);
        IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(SupportAnalyzers.forIndex()))) {
      w.addDocument(KbIndexWriter.toLucene(old, old.contentHash(), true));
      w.setLiveCommitData(Map.of(KbIndexWriter.EMBEDDER_KEY, "none").entrySet());
      w.commit();
    }
    assertThat(textFieldOptions(lucene).values()).containsOnly(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS);

    KbDocument added = article("new", "Scanner jams", "Open the lid and clear the spooler path.");
    try (KbIndexWriter w = KbIndexWriter.open(lucene)) {
      assertThat(w.positional()).isTrue();
      w.put(added);
      w.commit(Map.of());
    }
    assertThat(textFieldOptions(lucene).values()).containsOnly(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS);
    assertThat(ids(kb, SearchRequest.of("spooler"))).containsExactlyInAnyOrder("old", "new");
    assertThat(ids(kb, new SearchRequest("jobs hang", "spool full", "", "", Set.of()))).first().isEqualTo("old");

    KbIndexing.index(kb, List.of(old, added), null, true, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    assertThat(textFieldOptions(lucene).values()).containsOnly(IndexOptions.DOCS_AND_FREQS);
    assertThat(ids(kb, SearchRequest.of("spooler"))).containsExactlyInAnyOrder("old", "new");
    assertThat(ids(kb, new SearchRequest("jobs hang", "spool full", "", "", Set.of()))).first().isEqualTo("old");
    try (KbIndexWriter w = KbIndexWriter.open(lucene)) {
      assertThat(w.positional()).isFalse();
    }
  }

  /**
   * Tags are counted ({@link CountingTokenizer}) in the new layout, where the old one took them
   * token by token: the same terms, frequencies and field length (norm) either way.
   */
  @Test
  void tagsAreCountedAsTheTokenByTokenAnalyzerGivesThem() throws IOException {
    KbDocument d = new KbDocument("t", Source.ARTICLE, "Queue", "", List.of("printer's-queue", "The", "ERR-4821",
        "spooling", "spooling", "Ünïcode_name", "v2.3.1", "a.b/c"), "", List.of(), "", "", "", "body");
    assertThat(tagTerms(d, false)).isEqualTo(tagTerms(d, true)).containsEntry("spool", 2).containsKey("printer")
        .doesNotContainKey("the");
  }

  /** The tags field's terms with their frequencies, and its norm under the key "norm", in one layout. */
  private static Map<String, Integer> tagTerms(KbDocument d, boolean positional) throws IOException {
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
      try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(SupportAnalyzers.forIndex(() -> !positional)))) {
        w.addDocument(KbIndexWriter.toLucene(d, d.contentHash(), positional));
      }
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        LeafReader leaf = r.leaves().get(0).reader();
        Terms terms = leaf.terms(KbFields.TAGS);
        assertThat(terms.hasPositions()).isEqualTo(positional);
        Map<String, Integer> out = new TreeMap<>();
        TermsEnum te = terms.iterator();
        for (BytesRef t = te.next(); t != null; t = te.next()) {
          PostingsEnum p = te.postings(null, PostingsEnum.FREQS);
          p.nextDoc();
          out.put(t.utf8ToString(), p.freq());
        }
        NumericDocValues norms = leaf.getNormValues(KbFields.TAGS);
        norms.advanceExact(0);
        out.put("norm", (int) norms.longValue());
        return out;
      }
    }
  }
}
