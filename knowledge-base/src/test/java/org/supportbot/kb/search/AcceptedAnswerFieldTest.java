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
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.kb.Source;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbFields;
import org.supportbot.kb.index.KbIndexWriter;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.index.SupportAnalyzers;
import org.supportbot.kb.ingest.KbDocument;

/** Accepted answers share the body field; indexes built when they had their own field still find them. */
class AcceptedAnswerFieldTest {
  static final SearchSettings LEXICAL = SearchSettings.defaults().lexicalOnly();

  static KbDocument topic(String id, String title, String answer, String body) {
    return new KbDocument(id, Source.FORUM, title, "", List.of(), "", List.of(), "", "A question.", answer, body);
  }

  @Test
  void aWordOnlyInTheAcceptedAnswerFindsTheTopic(@TempDir Path kb) {
    KbIndexing.index(kb, null, List.of(
        topic("1", "Printer offline", "Flush the spooler queue.", "Other replies."),
        topic("2", "Scanner jams", "", "Open the lid.")), false, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    try (KbSearcher s = KbSearcher.open(KbIndexing.luceneDir(kb), LEXICAL)) {
      assertThat(s.search(SearchRequest.of("spooler"), 5, true)).extracting(SearchHit::id).containsExactly("1");
    }
  }

  @Test
  void anIndexWithTheOldAnswerFieldIsStillSearchedThere(@TempDir Path kb) throws IOException {
    Path lucene = KbIndexing.luceneDir(kb);
    try (FSDirectory dir = FSDirectory.open(lucene);
        IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(SupportAnalyzers.forIndex()))) {
      Document d = new Document();
      d.add(new StringField(KbFields.KEY, "forum:1", Field.Store.YES));
      d.add(new StoredField(KbFields.ID, "1"));
      d.add(new StringField(KbFields.SOURCE, "forum", Field.Store.YES));
      d.add(new StoredField(KbFields.URL, ""));
      d.add(new TextField(KbFields.TITLE, "Printer offline", Field.Store.YES));
      d.add(new TextField(KbFields.ANSWER, "Flush the spooler queue.", Field.Store.NO));
      d.add(new StoredField(KbFields.SNIPPET_SOURCE, "Flush the spooler queue."));
      w.addDocument(d);
      w.setLiveCommitData(Map.of(KbIndexWriter.EMBEDDER_KEY, "none").entrySet());
      w.commit();
    }
    try (KbSearcher s = KbSearcher.open(lucene, LEXICAL)) {
      assertThat(s.search(SearchRequest.of("spooler"), 5, true)).extracting(SearchHit::id).containsExactly("1");
    }
  }
}
