package org.supportbot.kb.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.supportbot.kb.Source;
import org.supportbot.kb.ingest.KbDocument;

/**
 * The exact-token field written one value per text holds what it held as the texts joined: the
 * same terms with the same frequencies per document, and the same field lengths (BM25's norms).
 */
class CodeFieldTest {
  private static final String[] PIECES = {
    "ORA-00942", "4.2.1", "config.yml", "ERR_POOL_TIMEOUT_MS", "maxPoolSize", "/etc/app.yml", "word", "the",
    "(v2)", "x", "...", "ERR-4821", "café", "a-b", " ", "\n", "\t",
  };

  private static String text(SplittableRandom rnd, int max) {
    StringBuilder b = new StringBuilder();
    for (int i = rnd.nextInt(max + 1); i > 0; i--) {
      b.append(PIECES[rnd.nextInt(PIECES.length)]).append(rnd.nextInt(5) == 0 ? "\n" : " ");
    }
    return b.toString();
  }

  /** Every term of the field, each with its documents and frequencies, then each document's norm. */
  private static List<String> contents(List<Document> docs) throws IOException {
    return contents(docs, SupportAnalyzers.forIndex(), KbFields.CODE);
  }

  /**
   * Every term of {@code field} in {@code docs} indexed with {@code analyzer}, each with its
   * documents and frequencies, then each document's norm
   * (but 0).
   */
  static List<String> contents(List<Document> docs, org.apache.lucene.analysis.Analyzer analyzer, String field)
      throws IOException {
    try (Directory dir = new ByteBuffersDirectory()) {
      try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
        for (Document d : docs) {
          w.addDocument(d);
        }
        w.forceMerge(1);
      }
      return dump(dir, field);
    }
  }

  /** Every term of {@code field}, each with its documents and frequencies, then each document's norm but 0. */
  private static List<String> dump(Directory dir, String field) throws IOException {
    List<String> out = new ArrayList<>();
    try (DirectoryReader r = DirectoryReader.open(dir)) {
      LeafReader leaf = r.leaves().get(0).reader();
      TermsEnum te = leaf.terms(field).iterator();
      for (BytesRef t = te.next(); t != null; t = te.next()) {
        StringBuilder b = new StringBuilder(t.utf8ToString()).append(':');
        PostingsEnum pe = te.postings(null, PostingsEnum.FREQS);
        for (int d = pe.nextDoc(); d != PostingsEnum.NO_MORE_DOCS; d = pe.nextDoc()) {
          b.append(' ').append(d).append('x').append(pe.freq());
        }
        out.add(b.toString());
      }
      // norm 0: the field is there without a term (an empty text, which the new layout writes so that
      // norms are dense), which BM25 never reads, as if it were not there
      NumericDocValues norms = leaf.getNormValues(field);
      for (int d = norms.nextDoc(); d != NumericDocValues.NO_MORE_DOCS; d = norms.nextDoc()) {
        if (norms.longValue() != 0) {
          out.add("norm " + d + " " + norms.longValue());
        }
      }
    }
    return out;
  }

  @Test
  void oneValuePerTextIndexesWhatTheJoinedTextsDid() throws IOException {
    SplittableRandom rnd = new SplittableRandom(20_261_204L);
    List<Document> ours = new ArrayList<>();
    List<Document> joined = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      KbDocument k = new KbDocument("d" + i, Source.FORUM, text(rnd, 6), "", List.of(), "", List.of(), "",
          text(rnd, rnd.nextInt(3) == 0 ? 0 : 30), text(rnd, rnd.nextInt(2) == 0 ? 0 : 30), text(rnd, 60));
      ours.add(KbIndexWriter.toLucene(k, "hash", false));
      Document d = new Document();
      d.add(new TextField(KbFields.CODE,
          String.join("\n", k.title(), k.question(), k.acceptedAnswer(), k.body()), Field.Store.NO));
      joined.add(d);
    }
    List<String> expected = contents(joined);
    assertThat(expected.stream().filter(s -> s.startsWith("norm")).count()).as("documents with exact tokens")
        .isGreaterThan(400);
    assertThat(contents(ours)).isEqualTo(expected);
  }

  /** The documents' exact-token field as {@code KbIndexWriter.put} writes it: each document made just before it is added. */
  private static List<String> putOneByOne(List<KbDocument> docs) throws IOException {
    try (Directory dir = new ByteBuffersDirectory()) {
      try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(SupportAnalyzers.forIndex(() -> true)))) {
        for (KbDocument k : docs) {
          w.addDocument(KbIndexWriter.toLucene(k, "hash", false));
        }
        w.forceMerge(1);
      }
      return dump(dir, KbFields.CODE);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"plain white space", "form feeds, Unicode spaces and long tokens"})
  void tokensGatheredWhileTheStemmedFieldsAreReadAreWhatTheExactTokenizerGives(String which) throws IOException {
    boolean hostile = which.startsWith("form");
    SplittableRandom rnd = new SplittableRandom(hostile ? 5 : 4);
    List<KbDocument> docs = new ArrayList<>();
    List<Document> joined = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      String body = text(rnd, 60) + (hostile && rnd.nextInt(3) == 0
          ? List.of("a\fORA-1", "x\u2003v2.0", "k".repeat(250) + "_" + "9".repeat(20), "\u000bERR_X").get(rnd.nextInt(4))
          : "");
      KbDocument k = new KbDocument("d" + i, Source.FORUM, text(rnd, 6), "", List.of(), "", List.of(), "",
          text(rnd, rnd.nextInt(3) == 0 ? 0 : 30), text(rnd, rnd.nextInt(2) == 0 ? 0 : 30), body);
      docs.add(k);
      Document d = new Document();
      d.add(new TextField(KbFields.CODE,
          String.join("\n", k.title(), k.question(), k.acceptedAnswer(), k.body()), Field.Store.NO));
      joined.add(d);
    }
    long reread = ExactCollector.current().reread();
    assertThat(putOneByOne(docs)).isEqualTo(contents(joined));
    long rereadNow = ExactCollector.current().reread() - reread;
    if (hostile) {
      assertThat(rereadNow).as("documents read again by the exact tokenizer").isBetween(50L, 499L);
    } else {
      assertThat(rereadNow).as("documents read again by the exact tokenizer").isZero();
    }
  }
}
