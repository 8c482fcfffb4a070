package org.supportbot.kb.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.kb.Source;
import org.supportbot.kb.index.HitFields;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbFields;
import org.supportbot.kb.index.KbIndexWriter;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.index.SupportAnalyzers;
import org.supportbot.kb.ingest.KbDocument;

/**
 * Snippets are cut from a doc value since 2026-12-03, and what a hit shows is read from one since
 * 2026-12-04; documents of an older index, which had only stored fields, keep their snippets and
 * fields, also beside new documents in the same index.
 */
class SnippetTextTest {
  private static final SearchSettings LEXICAL = SearchSettings.defaults().lexicalOnly();

  @Test
  void aNewIndexKeepsTheSnippetTextAsADocValueAndNotAsAStoredField(@TempDir Path kb) throws IOException {
    KbIndexing.index(kb, List.of(article("a1", "Spooler stuck", "Restart the spooler service, then print again.")),
        null, false, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    try (FSDirectory dir = FSDirectory.open(KbIndexing.luceneDir(kb)); DirectoryReader r = DirectoryReader.open(dir)) {
      LeafReaderContext leaf = r.leaves().get(0);
      assertThat(leaf.reader().getBinaryDocValues(KbFields.SNIPPET_TEXT).advanceExact(0)).isTrue();
      assertThat(leaf.reader().storedFields().document(0).get(KbFields.SNIPPET_SOURCE)).isNull();
    }
    try (KbSearcher s = KbSearcher.open(KbIndexing.luceneDir(kb), LEXICAL)) {
      assertThat(s.search(SearchRequest.of("spooler service"), 5, true)).extracting(SearchHit::snippet)
          .containsExactly("Restart the **spooler** **service**, then print again.");
    }
  }

  @Test
  void documentsOfAnOlderIndexKeepTheirSnippetsBesideNewOnes(@TempDir Path kb) throws IOException {
    Path lucene = KbIndexing.luceneDir(kb);
    try (FSDirectory dir = FSDirectory.open(lucene);
        IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(SupportAnalyzers.forIndex()))) {
      Document d = new Document();
      d.add(new StringField(KbFields.KEY, "forum:1", Field.Store.YES));
      d.add(new StoredField(KbFields.ID, "1"));
      d.add(new StringField(KbFields.SOURCE, "forum", Field.Store.YES));
      d.add(new StoredField(KbFields.URL, ""));
      d.add(new TextField(KbFields.TITLE, "Printer offline", Field.Store.YES));
      d.add(new TextField(KbFields.BODY, "Flush the spooler queue.", Field.Store.NO));
      d.add(new StoredField(KbFields.SNIPPET_SOURCE, "Flush the spooler queue."));
      w.addDocument(d);
      w.setLiveCommitData(Map.of(KbIndexWriter.EMBEDDER_KEY, "none").entrySet());
      w.commit();
    }
    KbIndexing.index(kb, List.of(article("a1", "Spooler stuck", "Restart the spooler service.")),
        null, false, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    try (KbSearcher s = KbSearcher.open(lucene, LEXICAL)) {
      assertThat(s.segments()).isEqualTo(2);
      List<SearchHit> hits = s.search(SearchRequest.of("spooler"), 5, true);
      assertThat(hits).extracting(SearchHit::snippet)
          .containsExactlyInAnyOrder("Flush the **spooler** queue.", "Restart the **spooler** service.");
      // the old document has no hit doc value: its id, source, title and link come from the stored fields
      assertThat(hits).extracting(h -> h.source() + ":" + h.id() + " " + h.title() + " <" + h.url() + ">")
          .containsExactlyInAnyOrder("FORUM:1 Printer offline <>", "ARTICLE:a1 Spooler stuck <https://kb.example/a1>");
      assertThat(s.search(SearchRequest.of("spooler"), 5, false)).extracting(SearchHit::id)
          .containsExactlyElementsOf(hits.stream().map(SearchHit::id).toList());
    }
  }

  @Test
  void aNewIndexKeepsWhatAHitShowsAsADocValue(@TempDir Path kb) throws IOException {
    KbIndexing.index(kb, List.of(article("a1", "Spooler stuck: “Zeichen” ✓", "Restart the spooler service.")),
        null, false, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    try (FSDirectory dir = FSDirectory.open(KbIndexing.luceneDir(kb)); DirectoryReader r = DirectoryReader.open(dir)) {
      var values = r.leaves().get(0).reader().getBinaryDocValues(KbFields.HIT);
      assertThat(values.advanceExact(0)).isTrue();
      assertThat(HitFields.decode(values.binaryValue()))
          .isEqualTo(new HitFields("a1", "article", "Spooler stuck: “Zeichen” ✓", "https://kb.example/a1"));
    }
    try (KbSearcher s = KbSearcher.open(KbIndexing.luceneDir(kb), LEXICAL)) {
      assertThat(s.search(SearchRequest.of("spooler service"), 5, false)).singleElement().satisfies(h -> {
        assertThat(h.id()).isEqualTo("a1");
        assertThat(h.source()).isEqualTo(Source.ARTICLE);
        assertThat(h.title()).isEqualTo("Spooler stuck: “Zeichen” ✓");
        assertThat(h.url()).isEqualTo("https://kb.example/a1");
      });
    }
  }

  private static KbDocument article(String id, String title, String body) {
    return new KbDocument(id, Source.ARTICLE, title, "https://kb.example/" + id, List.of(), "", List.of(), "", "", "", body);
  }
}
