package org.supportbot.kb.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.supportbot.kb.embed.Embedder;
import org.supportbot.kb.embed.Embedders;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.supportbot.kb.KbException;
import org.supportbot.kb.Source;
import org.supportbot.kb.ingest.IngestException;
import org.supportbot.kb.ingest.KbDocument;

/**
 * Changes an index on disk. Nothing is visible until {@link #commit}; closing without a commit
 * rolls every change back, so a failed run leaves the index as it was.
 */
public final class KbIndexWriter implements AutoCloseable {
  /** Longest stored text a snippet is cut from. */
  static final int SNIPPET_SOURCE_CHARS = 8_000;

  /** Commit-data key naming the embedder whose vectors the index holds. */
  public static final String EMBEDDER_KEY = "embedder";

  private final Directory directory;
  private final IndexWriter writer;
  private final Path path;
  private Embedder embedder;
  private boolean committed;
  /**
   * True while the index holds nothing but what this writer added: then a source this writer has
   * not written has no documents, and {@link #hashes} need not open a reader (which would flush
   * every buffered document on the calling thread).
   */
  private volatile boolean emptyAtStart;
  private final Set<Source> written = ConcurrentHashMap.newKeySet();
  /** Whether text fields get positions: only in an index that already has them (see {@link #TEXT}). */
  private final AtomicBoolean positional;

  private KbIndexWriter(Path path, Directory directory, IndexWriter writer, AtomicBoolean positional) {
    this.path = path;
    this.positional = positional;
    this.directory = directory;
    this.writer = writer;
    this.embedder = Embedders.byName(userData().get(EMBEDDER_KEY)).orElse(null);
    this.emptyAtStart = writer.getDocStats().maxDoc == 0;
  }

  /** The embedder of this index, if it holds vectors. */
  public Optional<Embedder> embedder() {
    return Optional.ofNullable(embedder);
  }

  /**
   * Switches the embedder; documents already indexed keep their old vectors (or none), so call
   * this only together with {@link #deleteAll()}.
   */
  public void useEmbedder(Optional<Embedder> newEmbedder) {
    this.embedder = newEmbedder.orElse(null);
  }

  /** Opens (creating if needed) the Lucene index in {@code luceneDir}. */
  public static KbIndexWriter open(Path luceneDir) {
    try {
      Files.createDirectories(luceneDir);
      Directory dir = FSDirectory.open(luceneDir);
      AtomicBoolean positional = new AtomicBoolean(positional(dir));
      IndexWriterConfig cfg = new IndexWriterConfig(SupportAnalyzers.forIndex(() -> !positional.get()));
      cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
      cfg.setRAMBufferSizeMB(256);
      cfg.setUseCompoundFile(false);
      cfg.setCommitOnClose(false);
      cfg.setSimilarity(KbSimilarity.create());
      return new KbIndexWriter(luceneDir, dir, new IndexWriter(dir, cfg), positional);
    } catch (IOException e) {
      throw new KbException(
          luceneDir + ": cannot open the index for writing (" + e.getMessage()
              + "); check that the folder is writable and not used by another 'kb index'", e);
    }
  }

  /** Content hash of every indexed document of {@code source}, by id. */
  public Map<String, String> hashes(Source source) {
    return stored(source, KbFields.HASH);
  }

  /** Link of every indexed document of {@code source}, by id. */
  public Map<String, String> urls(Source source) {
    return stored(source, KbFields.URL);
  }

  /** One stored field of every indexed document of {@code source}, by id. */
  private Map<String, String> stored(Source source, String field) {
    Map<String, String> out = new HashMap<>();
    if (emptyAtStart && !written.contains(source)) {
      return out;
    }
    try (DirectoryReader reader = DirectoryReader.open(writer)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      Weight w = searcher.createWeight(
          searcher.rewrite(new TermQuery(new Term(KbFields.SOURCE, source.label()))), ScoreMode.COMPLETE_NO_SCORES, 1f);
      Set<String> fields = Set.of(KbFields.ID, field);
      for (LeafReaderContext leaf : reader.leaves()) {
        Scorer scorer = w.scorer(leaf);
        if (scorer == null) {
          continue;
        }
        Bits live = leaf.reader().getLiveDocs();
        StoredFields stored = leaf.reader().storedFields();
        DocIdSetIterator it = scorer.iterator();
        for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
          if (live != null && !live.get(d)) {
            continue;
          }
          Document doc = stored.document(d, fields);
          out.put(doc.get(KbFields.ID), doc.get(field));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The commit user data of the last commit (e.g. the forum sync watermark). */
  public Map<String, String> userData() {
    Map<String, String> out = new HashMap<>();
    Iterable<Map.Entry<String, String>> data = writer.getLiveCommitData();
    if (data != null) {
      data.forEach(e -> out.put(e.getKey(), e.getValue()));
    }
    return out;
  }

  /**
   * Brings {@code source} in line with {@code docs}: adds new, replaces changed, skips unchanged
   * and, when {@code deleteMissing}, deletes documents of that source that are no longer there.
   */
  public IndexReport sync(Source source, Collection<KbDocument> docs, boolean deleteMissing, IndexProgress progress) {
    return sync(Map.of(source, docs), deleteMissing, progress);
  }

  /**
   * Brings each source in line with its documents, as {@link #sync(Source, Collection, boolean,
   * IndexProgress)} does, in one pass over all of them: each indexing thread writes one segment for
   * every source together, where a pass per source wrote one per source and thread (a search sets
   * up each of its clauses once per segment).
   */
  public IndexReport sync(Map<Source, ? extends Collection<KbDocument>> bySource, boolean deleteMissing,
      IndexProgress progress) {
    return sync(bySource, null, deleteMissing, progress);
  }

  /**
   * The documents of one source that are read as they are indexed, on the indexing threads: {@code
   * count} of them, the i-th from {@code read}, so that they are never all held at once (holding
   * 100,000 read articles had the collector copy them from young to old space, a tenth of a
   * rebuild's CPU with Markdown markup). Their ids must be distinct.
   */
  public record Reading(Source source, int count, IntFunction<KbDocument> read) {}

  /**
   * {@link #sync(Map, boolean, IndexProgress)}, with the documents of {@code reading} (if not null)
   * read during the pass. A document that cannot be read, or an id read twice, stops the pass and
   * is thrown (an {@link IngestException}); nothing is committed then, so closing this writer
   * leaves the index as it was.
   */
  public IndexReport sync(Map<Source, ? extends Collection<KbDocument>> bySource, Reading reading,
      boolean deleteMissing, IndexProgress progress) {
    long t0 = System.nanoTime();
    Map<Source, Map<String, String>> existing = new java.util.EnumMap<>(Source.class);
    Map<Source, Set<String>> present = new java.util.EnumMap<>(Source.class);
    List<KbDocument> all = new ArrayList<>();
    Set<String> repeated = new HashSet<>();
    for (Map.Entry<Source, ? extends Collection<KbDocument>> e : bySource.entrySet()) {
      Source source = e.getKey();
      existing.put(source, hashes(source));
      Set<String> ids = new HashSet<>();
      for (KbDocument d : e.getValue()) {
        if (d.source() != source) {
          throw new IllegalArgumentException(d.key() + " is not a " + source.label());
        }
        if (!ids.add(d.id())) {
          repeated.add(d.key());
        }
      }
      present.put(source, ids);
      all.addAll(e.getValue());
    }
    Set<String> readIds = ConcurrentHashMap.newKeySet();
    int toRead = 0;
    Set<Source> sources = java.util.EnumSet.noneOf(Source.class);
    sources.addAll(bySource.keySet());
    if (reading != null) {
      if (bySource.containsKey(reading.source())) {
        throw new IllegalArgumentException(reading.source().label() + "s are both given and read");
      }
      existing.put(reading.source(), hashes(reading.source()));
      present.put(reading.source(), readIds);
      sources.add(reading.source());
      toRead = reading.count();
    }
    AtomicInteger added = new AtomicInteger();
    AtomicInteger updated = new AtomicInteger();
    AtomicInteger unchanged = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    int deleted = 0;
    List<KbDocument> list = List.copyOf(all);
    int total = list.size() + toRead;
    progress.start("indexing " + String.join(" and ", sources.stream().map(s -> s.label() + "s").toList()), total);
    // IndexWriter is thread-safe: analysis (the bulk of the cost) runs on every core
    int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), total / 256));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "kb-index");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> parts = new ArrayList<>(threads);
      for (int p = 0; p < threads; p++) {
        int part = p;
        int parts0 = threads;
        parts.add(pool.submit(() -> {
          try {
            for (int i = part; i < total && !stop.get(); i += parts0) {
              KbDocument d = i < list.size() ? list.get(i) : read(reading, i - list.size(), readIds);
              String hash = d.contentHash();
              String old = existing.get(d.source()).get(d.id());
              if (hash.equals(old)) {
                unchanged.incrementAndGet();
              } else {
                // a document the index does not hold (and that this pass writes once) needs no
                // delete-by-key: Lucene would look each key up in every segment for nothing
                put(d, hash, old != null || repeated.contains(d.key()));
                (old == null ? added : updated).incrementAndGet();
              }
              progress.step();
            }
          } catch (RuntimeException e) {
            stop.set(true); // the other threads stop too: nothing of this pass will be committed
            throw e;
          }
          // this thread's buffered documents are written out here, in parallel with the other
          // threads', rather than one after another by the commit
          writer.flushNextBuffer();
          return null;
        }));
      }
      RuntimeException first = null;
      for (Future<?> f : parts) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (first == null) {
            first = e.getCause() instanceof RuntimeException re ? re
                : new KbException(path + ": indexing failed: " + e.getCause(), e.getCause());
          }
        }
      }
      if (first != null) {
        throw first;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KbException(path + ": indexing was interrupted", e);
    } finally {
      pool.shutdownNow();
      progress.close();
    }
    if (deleteMissing) {
      for (Map.Entry<Source, Map<String, String>> e : existing.entrySet()) {
        for (String id : e.getValue().keySet()) {
          if (!present.get(e.getKey()).contains(id)) {
            delete(e.getKey(), id);
            deleted++;
          }
        }
      }
    }
    return new IndexReport(added.get(), updated.get(), unchanged.get(), deleted, System.nanoTime() - t0);
  }

  /** The i-th document of {@code reading}, its id noted in {@code ids}; an id read twice is an error. */
  private static KbDocument read(Reading reading, int i, Set<String> ids) {
    KbDocument d = reading.read().apply(i);
    if (d.source() != reading.source()) {
      throw new IllegalArgumentException(d.key() + " is not a " + reading.source().label());
    }
    if (!ids.add(d.id())) {
      throw new IngestException(d.key() + " is read twice; give each document its own id");
    }
    return d;
  }

  /** Adds or replaces one document. */
  public void put(KbDocument d) {
    put(d, d.contentHash(), true);
  }

  private void put(KbDocument d, String hash, boolean replace) {
    written.add(d.source());
    try {
      Document doc = positional.get() ? toLucene(d, hash, true) : REUSED.get().fill(d, hash);
      if (embedder != null) {
        doc.add(new KnnFloatVectorField(KbFields.VECTOR, embedder.embed(embeddingText(d)), VectorSimilarityFunction.DOT_PRODUCT));
      }
      if (replace) {
        writer.updateDocument(new Term(KbFields.KEY, d.key()), doc);
      } else {
        writer.addDocument(doc);
      }
    } catch (IOException e) {
      throw new KbException(path + ": cannot write document " + d.key() + ": " + e.getMessage(), e);
    }
  }

  /** Deletes one document, if present. */
  public void delete(Source source, String id) {
    try {
      writer.deleteDocuments(new Term(KbFields.KEY, KbDocument.key(source, id)));
    } catch (IOException e) {
      throw new KbException(path + ": cannot delete " + KbDocument.key(source, id) + ": " + e.getMessage(), e);
    }
  }

  /** Deletes every document. */
  public void deleteAll() {
    try {
      writer.deleteAll();
      // the fields go with the documents: the rebuilt index takes the current layout
      positional.set(false);
      emptyAtStart = true;
      written.clear();
    } catch (IOException e) {
      throw new KbException(path + ": cannot clear the index: " + e.getMessage(), e);
    }
  }

  /** The text whose embedding represents a document: its title and question. */
  public static String embeddingText(KbDocument d) {
    return d.question().isEmpty() ? d.title() : d.title() + ". " + d.question();
  }

  /** Makes every change durable and visible, with the given user data merged into the old. */
  public void commit(Map<String, String> extraUserData) {
    Map<String, String> data = userData();
    data.putAll(extraUserData);
    data.put(EMBEDDER_KEY, embedder == null ? Embedders.NONE : embedder.name());
    writer.setLiveCommitData(data.entrySet());
    try {
      writer.commit();
      committed = true;
    } catch (IOException e) {
      throw new KbException(path + ": cannot commit the index: " + e.getMessage(), e);
    }
  }

  /**
   * Text fields are indexed with documents and term frequencies, without positions: nothing
   * searches them by position (the error text's phrase is checked in the hit's text, {@code
   * ErrorPhrase}), and without positions a text's terms are handed to Lucene once each with their
   * counts ({@link CountingTokenizer}). Indexes built before keep their positions until rebuilt.
   */
  private static final FieldType TEXT = withoutPositions(TextField.TYPE_NOT_STORED);
  private static final FieldType STORED_TEXT = withoutPositions(TextField.TYPE_STORED);

  /** The Lucene document; {@code positional} for an index of the layout before 2026-12-04. */
  static Document toLucene(KbDocument d, String hash, boolean positional) {
    return new Reused(positional).fill(d, hash);
  }

  /** Each indexing thread's document and fields, filled again for every document it writes ({@link Reused}). */
  private static final ThreadLocal<Reused> REUSED = ThreadLocal.withInitial(() -> new Reused(false));

  /**
   * One document's fields, made once and given each document's values in turn, as Lucene allows between
   * {@code addDocument} calls: indexing allocates no fields per document, and the code filling them is
   * a few setters, which the JIT compiles in a fraction of the time it took for the constructors (a cold
   * {@code kb index} spent 0.46 s compiling the method that built them). Not thread-safe.
   */
  private static final class Reused {
    final boolean positional;
    final Document doc = new Document();
    final StringField key = new StringField(KbFields.KEY, "", Field.Store.YES);
    final StoredField id = new StoredField(KbFields.ID, "");
    final StringField source = new StringField(KbFields.SOURCE, "", Field.Store.YES);
    final StoredField url = new StoredField(KbFields.URL, "");
    final StoredField hash = new StoredField(KbFields.HASH, "");
    final StoredField updated = new StoredField(KbFields.UPDATED, "");
    final Field title;
    final Field tags;
    final Field question;
    final Field answer;
    final Field body;
    /** The exact-token field: one per text in the positional layout, else one of counted tokens (made at first use). */
    final Field[] codeTexts;
    Field code;
    /** The exact-token field's token stream, given each document's texts in turn (made at first use). */
    CountingTokenizer exactTokens;
    final BinaryDocValuesField snippet = new BinaryDocValuesField(KbFields.SNIPPET_TEXT, new BytesRef());
    final BinaryDocValuesField hit = new BinaryDocValuesField(KbFields.HIT, new BytesRef());
    final List<StringField> products = new ArrayList<>();
    final List<StringField> versions = new ArrayList<>();

    Reused(boolean positional) {
      this.positional = positional;
      FieldType text = positional ? TextField.TYPE_NOT_STORED : TEXT;
      title = new Field(KbFields.TITLE, "", positional ? TextField.TYPE_STORED : STORED_TEXT);
      tags = new Field(KbFields.TAGS, "", text);
      question = new Field(KbFields.QUESTION, "", text);
      answer = new Field(KbFields.BODY, "", text);
      body = new Field(KbFields.BODY, "", text);
      codeTexts = new Field[positional ? 4 : 0];
      for (int i = 0; i < codeTexts.length; i++) {
        codeTexts[i] = new Field(KbFields.CODE, "", text);
      }
    }

    Document fill(KbDocument d, String contentHash) {
      doc.clear();
      add(key, d.key());
      add(id, d.id());
      add(source, d.source().label());
      add(url, d.url());
      add(hash, contentHash);
      add(updated, d.updated());
      add(title, d.title());
      if (positional) {
        if (!d.tags().isEmpty()) {
          add(tags, tagText(d));
        }
        addText(question, d.question());
        // the accepted answer shares the body field (same weight): one scored clause fewer per query word
        // two values of one field: the terms, frequencies and length of the two texts joined, without joining them
        addText(answer, d.acceptedAnswer());
        addText(body, d.body());
        // one value per text rather than the texts joined: no exact token spans white space, so the
        // terms, frequencies and field length (all BM25 reads) are the same, without copying every text
        String[] texts = {d.title(), d.question(), d.acceptedAnswer(), d.body()};
        for (int i = 0; i < texts.length; i++) {
          addText(codeTexts[i], texts[i]);
        }
      } else {
        // Every text field in every document, empty ones too: norms of a field that some documents
        // lack are sparse, and a search then reads each scored document's norm through an index of
        // the documents that have it (a seventh of a lexical search's time where only forum topics
        // have a question). An empty value gives norm 0 and no term, so every score, document count
        // and length BM25 reads is as without it. The answer shares the body field (one scored clause
        // fewer per query word), as a second value: the two texts' terms, frequencies and length
        // joined, without joining them. The texts are listed as added, for the exact-token field.
        List<String> texts = new ArrayList<>(4);
        texts.add(d.title());
        add(tags, tagText(d));
        addGathered(texts, question, d.question());
        if (!d.acceptedAnswer().isEmpty()) {
          addGathered(texts, answer, d.acceptedAnswer());
        }
        if (!d.body().isEmpty() || d.acceptedAnswer().isEmpty()) {
          addGathered(texts, body, d.body());
        }
        // the same terms, counted, from the tokens gathered while the fields above are read
        if (code == null) {
          exactTokens = CountingTokenizer.forExactTokens();
          code = new Field(KbFields.CODE, exactTokens.exactTokensOf(ExactCollector.current().begin(), texts), TEXT);
        } else {
          code.setTokenStream(exactTokens.exactTokensOf(ExactCollector.current().begin(), texts));
        }
        doc.add(code);
      }
      snippet.setBytesValue(snippetText(d.question(), d.acceptedAnswer(), d.body()));
      doc.add(snippet);
      hit.setBytesValue(HitFields.encode(d));
      doc.add(hit);
      // a document may be filed under several products ("beacon,beacon-cloud"), or under none: every product
      int filed = 0;
      for (String part : d.product().split(",")) {
        String product = part.strip().toLowerCase(Locale.ROOT);
        if (!product.isEmpty()) {
          add(nth(products, filed++, KbFields.PRODUCT), product);
        }
      }
      if (filed == 0) {
        add(nth(products, 0, KbFields.PRODUCT), KbFields.NONE);
      }
      if (d.versions().isEmpty()) {
        add(nth(versions, 0, KbFields.VERSION), KbFields.NONE);
      } else {
        for (int i = 0; i < d.versions().size(); i++) {
          add(nth(versions, i, KbFields.VERSION), Versions.normalize(d.versions().get(i)));
        }
      }
      return doc;
    }

    private void add(Field f, String value) {
      f.setStringValue(value);
      doc.add(f);
    }

    /** The tags as one text, hyphens as spaces ({@code queue-state} is two words); empty without tags. */
    private static String tagText(KbDocument d) {
      return String.join(" ", d.tags()).replace('-', ' ');
    }

    /** Adds a text field whose tokens the exact-token field gathers, and lists its text in {@code texts}. */
    private void addGathered(List<String> texts, Field f, String text) {
      add(f, text);
      texts.add(text);
    }

    private void addText(Field f, String text) {
      if (!text.isEmpty()) {
        add(f, text);
      }
    }

    /** The {@code i}th of a kind of unstored keyword field, made when first needed. */
    private static StringField nth(List<StringField> made, int i, String name) {
      while (made.size() <= i) {
        made.add(new StringField(name, "", Field.Store.NO));
      }
      return made.get(i);
    }
  }

  /**
   * The snippet text's doc value: the non-blank texts joined by new lines, cut at {@link
   * #SNIPPET_SOURCE_CHARS} characters (never inside a surrogate pair), as UTF-8. The JDK's own
   * encoding: for the usual text (Latin-1, no character above 127) it is one vectorised copy, in the
   * interpreter and C1 too, where a loop of ours ran char by char until C2 compiled it; a cold
   * {@code kb index} of 100,000 files spent seconds there. (A lone surrogate becomes {@code ?}.)
   */
  static BytesRef snippetText(String... texts) {
    String only = null;
    int nonBlank = 0;
    int length = 0;
    for (String t : texts) {
      if (!t.isBlank()) {
        only = t;
        nonBlank++;
        length += t.length() + 1;
      }
    }
    String joined;
    if (nonBlank <= 1) {
      joined = only == null ? "" : only; // an article's body alone: no copy to join
    } else {
      StringBuilder b = new StringBuilder(Math.min(length, SNIPPET_SOURCE_CHARS + 1));
      for (String t : texts) {
        if (!t.isBlank() && b.length() < SNIPPET_SOURCE_CHARS) {
          if (!b.isEmpty()) {
            b.append('\n');
          }
          b.append(t, 0, Math.min(t.length(), SNIPPET_SOURCE_CHARS + 1 - b.length()));
        }
      }
      joined = b.toString();
    }
    int take = cut(joined, SNIPPET_SOURCE_CHARS);
    return new BytesRef((take == joined.length() ? joined : joined.substring(0, take)).getBytes(StandardCharsets.UTF_8));
  }

  /** How many chars of {@code t} fit in {@code left}, one fewer when the cut would split a surrogate pair. */
  private static int cut(String t, int left) {
    int n = Math.min(left, t.length());
    return n > 0 && n < t.length() && Character.isHighSurrogate(t.charAt(n - 1)) ? n - 1 : n;
  }

  /** A text field of {@code base}'s kind indexed without positions (documents and frequencies). */
  private static FieldType withoutPositions(FieldType base) {
    FieldType t = new FieldType(base);
    t.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
    t.freeze();
    return t;
  }

  /** Whether the index in {@code dir} holds a text field with positions (the layout before 2026-12-04). */
  private static boolean positional(Directory dir) throws IOException {
    if (!DirectoryReader.indexExists(dir)) {
      return false;
    }
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      FieldInfos infos = FieldInfos.getMergedFieldInfos(reader);
      for (String f : KbFields.STEMMED) {
        FieldInfo info = infos.fieldInfo(f);
        if (info != null && info.getIndexOptions().compareTo(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS) >= 0) {
          return true;
        }
      }
      return false;
    }
  }

  /** Whether this writer writes text fields with positions, as the index it opened has them. */
  boolean positional() {
    return positional.get();
  }

  /**
   * Merges the index down to at most {@code maxSegments} segments and commits. Searches over one
   * segment skip the per-segment set-up of every query clause; merging costs a rewrite of the
   * index, so it is worth it after a full rebuild, not after every small update.
   */
  public void forceMerge(int maxSegments) {
    try {
      writer.forceMerge(maxSegments);
    } catch (IOException e) {
      throw new KbException(path + ": cannot merge the index: " + e.getMessage(), e);
    }
    commit(Map.of());
  }

  /** Number of segments in the index as this writer sees it. */
  public int segments() {
    try (DirectoryReader reader = DirectoryReader.open(writer)) {
      return reader.leaves().size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The folder of the index. */
  public Path path() {
    return path;
  }

  @Override
  public void close() {
    try {
      if (committed) {
        writer.close();
      } else {
        writer.rollback();
      }
      directory.close();
    } catch (IOException e) {
      throw new KbException(path + ": cannot close the index: " + e.getMessage(), e);
    }
  }
}
