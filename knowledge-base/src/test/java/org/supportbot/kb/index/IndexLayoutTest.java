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

  /**
   * Every document has a norm in every text field, so that a search reads norms directly rather than
   * through an index of the documents that have them; the fields' statistics (documents with a term,
   * terms in all) are those of the documents' non-empty texts alone, as BM25 reads them.
   */
  @Test
  void everyTextFieldHasANormForEveryDocumentAndStatisticsOfItsTextsAlone(@TempDir Path kb) throws IOException {
    KbDocument topic = new KbDocument("topic", Source.FORUM, "Spooler hangs", "", List.of("printing"), "", List.of(), "",
        "Why does the spooler hang with ERR-4821?", "Restart it.", "");
    KbDocument answered = new KbDocument("answered", Source.FORUM, "Toner", "", List.of(), "", List.of(), "",
        "Where is the toner?", "", "In the drawer.");
    KbDocument stopWords = article("stop", "Lid", "the and of");
    List<KbDocument> docs = List.of(topic, answered, article("bare", "Scanner lid", "Open the lid."), stopWords);
    Path lucene = KbIndexing.luceneDir(kb);
    try (KbIndexWriter w = KbIndexWriter.open(lucene)) {
      docs.forEach(w::put);
      w.commit(Map.of());
    }
    try (FSDirectory dir = FSDirectory.open(lucene);
        DirectoryReader r = DirectoryReader.open(dir)) {
      assertThat(r.leaves()).hasSize(1);
      LeafReader leaf = r.leaves().get(0).reader();
      Map<String, String> stats = new TreeMap<>();
      for (String field : List.of(KbFields.TITLE, KbFields.TAGS, KbFields.QUESTION, KbFields.BODY, KbFields.CODE)) {
        NumericDocValues norms = leaf.getNormValues(field);
        int withNorm = 0;
        int zero = 0;
        for (int d = norms.nextDoc(); d != NumericDocValues.NO_MORE_DOCS; d = norms.nextDoc()) {
          withNorm++;
          zero += norms.longValue() == 0 ? 1 : 0;
        }
        assertThat(withNorm).as(field).isEqualTo(docs.size());
        Terms t = leaf.terms(field);
        stats.put(field, t.getDocCount() + " docs, " + t.getSumTotalTermFreq() + " terms, " + zero + " norms 0");
      }
      assertThat(stats).containsExactlyInAnyOrderEntriesOf(Map.of(
          KbFields.TITLE, "4 docs, 6 terms, 0 norms 0", // spooler hang, toner, scanner lid, lid
          KbFields.TAGS, "1 docs, 1 terms, 3 norms 0",
          KbFields.QUESTION, "2 docs, 8 terms, 2 norms 0", // why does spooler hang err 4821, where toner
          KbFields.BODY, "3 docs, 4 terms, 1 norms 0", // restart, drawer, open lid; "the and of" none
          KbFields.CODE, "1 docs, 1 terms, 3 norms 0")); // err-4821
    }
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

  /**
   * The writer fills the same fields again for each document (no fields made per document): what one
   * document had (tags, a question, products, versions) does not stay on the next one that lacks them, and
   * the index is the one fresh fields give, term for term, stored value for value, doc value for doc value.
   */
  @Test
  void fieldsFilledAgainForEachDocumentGiveTheIndexFreshFieldsGive(@TempDir Path kb) throws IOException {
    KbDocument full = new KbDocument("full", Source.FORUM, "Spooler hangs", "https://forum.example.com/t/1",
        List.of("printing", "queue-state"), "beacon, beacon-cloud", List.of("4.2", "4.3"), "2026-11-01",
        "Why does the spooler hang with ERR-4821?", "Restart it with spoolctl --reset.", "The queue fills up.");
    KbDocument bare = article("bare", "Scanner lid", "Open the lid.");
    KbDocument other = new KbDocument("other", Source.ARTICLE, "Fax", "", List.of("fax"), "relay", List.of(), "", "",
        "", "Dial 9 first.");
    KbDocument again = new KbDocument("again", Source.FORUM, full.title(), full.url(), full.tags(), full.product(),
        full.versions(), full.updated(), full.question(), full.acceptedAnswer(), full.body());
    List<KbDocument> docs = List.of(full, bare, other, again);
    Path lucene = KbIndexing.luceneDir(kb);
    try (KbIndexWriter w = KbIndexWriter.open(lucene)) {
      docs.forEach(w::put); // one thread: the same fields each time
      w.commit(Map.of());
    }
    try (ByteBuffersDirectory fresh = new ByteBuffersDirectory()) {
      try (IndexWriter w = new IndexWriter(fresh, new IndexWriterConfig(SupportAnalyzers.forIndex()))) {
        for (KbDocument d : docs) {
          w.addDocument(KbIndexWriter.toLucene(d, d.contentHash(), false));
        }
      }
      Map<String, String> reused;
      try (FSDirectory dir = FSDirectory.open(lucene)) {
        reused = contents(dir);
      }
      assertThat(reused).isEqualTo(contents(fresh));
      assertThat(reused.get("bare")).contains("product=[" + KbFields.NONE + "]", "version=[" + KbFields.NONE + "]", "tags=[]", "question=[]")
          .doesNotContain("beacon", "spool");
      assertThat(reused.get("other")).contains("product=[relay]", "tags=[fax]").doesNotContain("print", "4.2");
      assertThat(reused.get("again")).contains("beacon-cloud", "spoolctl", "tags=[print, queue, state]");
    }
  }

  /** Each document's terms per field, stored values and doc values, by its id, as text. */
  private static Map<String, String> contents(org.apache.lucene.store.Directory dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (DirectoryReader r = DirectoryReader.open(dir)) {
      for (var ctx : r.leaves()) {
        LeafReader leaf = ctx.reader();
        for (int doc = 0; doc < leaf.maxDoc(); doc++) {
          StringBuilder b = new StringBuilder();
          var stored = leaf.storedFields().document(doc);
          stored.getFields().forEach(f -> b.append(f.name()).append(':').append(f.stringValue()).append('\n'));
          for (String field : List.of(KbFields.TITLE, KbFields.TAGS, KbFields.QUESTION, KbFields.BODY, KbFields.CODE,
              KbFields.PRODUCT, KbFields.VERSION)) {
            List<String> terms = new java.util.ArrayList<>();
            Terms t = leaf.terms(field);
            if (t != null) {
              TermsEnum te = t.iterator();
              for (BytesRef term = te.next(); term != null; term = te.next()) {
                PostingsEnum p = te.postings(null, PostingsEnum.FREQS);
                if (p.advance(doc) == doc) {
                  terms.add(term.utf8ToString() + (p.freq() > 1 ? "x" + p.freq() : ""));
                }
              }
            }
            b.append(field).append('=').append(terms).append('\n');
          }
          for (String field : List.of(KbFields.SNIPPET_TEXT, KbFields.HIT)) {
            var values = leaf.getBinaryDocValues(field);
            b.append(field).append('=').append(values != null && values.advanceExact(doc)
                ? values.binaryValue().toString() : "").append('\n');
          }
          out.put(stored.get(KbFields.ID), b.toString());
        }
      }
    }
    return out;
  }
}
