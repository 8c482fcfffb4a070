package org.supportbot.bench.kb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.supportbot.kb.ingest.KbDocument;

/**
 * The reference the knowledge base is measured against: plain Lucene as its documentation sets it
 * up. {@link EnglishAnalyzer}, the default similarity (BM25), the writer settings the knowledge
 * base builds with ({@link #config()}), a stored {@code title} and a {@code body} field (question,
 * accepted answer and body of a {@link KbDocument} joined), and a stored {@code id}. A query is every analysed word as a
 * {@code SHOULD} clause in both fields (what {@code MultiFieldQueryParser} builds for a plain
 * text), top 5 by {@link IndexSearcher#search(org.apache.lucene.search.Query, int)}, each hit's
 * id and title read from the stored fields. Indexing uses two threads, as the knowledge base does
 * on this machine.
 */
final class PlainLucene {
  static final String ID = "id";
  static final String TITLE = "title";
  static final String BODY = "body";

  private PlainLucene() {}

  /** Indexes {@code n} documents (from {@code doc}) into a new index in {@code dir}, on {@code threads} threads. */
  static void index(Path dir, int n, IntFunction<Document> doc, int threads) throws IOException {
    try (Directory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, config())) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> parts = new ArrayList<>();
        for (int p = 0; p < threads; p++) {
          int part = p;
          parts.add(pool.submit(() -> {
            for (int i = part; i < n; i += threads) {
              w.addDocument(doc.apply(i));
            }
            return null;
          }));
        }
        for (Future<?> f : parts) {
          f.get();
        }
      } catch (Exception e) {
        throw new IOException("plain Lucene indexing failed", e);
      } finally {
        pool.shutdownNow();
      }
      w.commit();
    }
  }

  /**
   * Lucene's defaults but for the settings the knowledge base's own writer changes for a build
   * ({@code KbIndexWriter.open}): a 256 MB RAM buffer and no compound files. Both sides of a
   * comparison build with the same writer settings, so the ratio measures the documents' work.
   */
  static IndexWriterConfig config() {
    IndexWriterConfig cfg = new IndexWriterConfig(new EnglishAnalyzer());
    cfg.setRAMBufferSizeMB(256);
    cfg.setUseCompoundFile(false);
    return cfg;
  }

  /** The Lucene document of a generated {@link KbDocument}. */
  static Document document(KbDocument k) {
    return document(k.id(), k.title(), String.join("\n", k.question(), k.acceptedAnswer(), k.body()));
  }

  static Document document(String id, String title, String body) {
    Document doc = new Document();
    doc.add(new StringField(ID, id, Field.Store.YES));
    doc.add(new TextField(TITLE, title, Field.Store.YES));
    doc.add(new TextField(BODY, body, Field.Store.NO));
    return doc;
  }

  /**
   * The document of a Markdown article file as plain Lucene would read it: the {@code id:} and
   * {@code title:} lines of the front matter, the rest of the file as the body, markup and all.
   */
  static Document fromFile(Path file) {
    String s;
    try {
      s = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int end = s.indexOf("\n---", 3);
    String id = "";
    String title = "";
    for (String line : s.substring(0, Math.max(0, end)).split("\n")) {
      if (line.startsWith("id:")) {
        id = line.substring(3).strip();
      } else if (line.startsWith("title:")) {
        title = line.substring(6).strip();
      }
    }
    return document(id, title, end < 0 ? s : s.substring(end + 4));
  }

  /** Every {@code *.md} file under {@code dir}, sorted. */
  static List<Path> markdownFiles(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().toList();
    }
  }

  /** A searcher over one plain index. */
  static final class Searcher implements AutoCloseable {
    private static final Set<String> HIT_FIELDS = Set.of(ID, TITLE);
    private final Directory dir;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final Analyzer analyzer = new EnglishAnalyzer();

    Searcher(Path path) throws IOException {
      this.dir = FSDirectory.open(path);
      this.reader = DirectoryReader.open(dir);
      this.searcher = new IndexSearcher(reader);
    }

    /** Top 5 for the text; returns the number of hits, their ids and titles read. */
    int search(String text) throws IOException {
      BooleanQuery.Builder q = new BooleanQuery.Builder();
      try (TokenStream ts = analyzer.tokenStream(BODY, text)) {
        CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
        ts.reset();
        while (ts.incrementToken()) {
          String t = term.toString();
          q.add(new TermQuery(new Term(TITLE, t)), BooleanClause.Occur.SHOULD);
          q.add(new TermQuery(new Term(BODY, t)), BooleanClause.Occur.SHOULD);
        }
        ts.end();
      }
      ScoreDoc[] hits = searcher.search(q.build(), 5).scoreDocs;
      StoredFields stored = searcher.storedFields();
      int n = 0;
      for (ScoreDoc sd : hits) {
        n += stored.document(sd.doc, HIT_FIELDS).get(ID).isEmpty() ? 0 : 1;
      }
      return n;
    }

    int segments() {
      return reader.leaves().size();
    }

    @Override
    public void close() throws IOException {
      analyzer.close();
      reader.close();
      dir.close();
    }
  }
}
