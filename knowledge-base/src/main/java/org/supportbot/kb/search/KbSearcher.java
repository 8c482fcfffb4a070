package org.supportbot.kb.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.util.VectorUtil;
import org.supportbot.kb.embed.Embedder;
import org.supportbot.kb.embed.Embedders;
import org.supportbot.kb.index.KbIndexWriter;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.util.CloseableThreadLocal;
import org.supportbot.kb.index.HitFields;
import org.supportbot.kb.index.StemmedMatcher;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.supportbot.kb.KbException;
import org.supportbot.kb.Source;
import org.supportbot.kb.index.KbFields;
import org.supportbot.kb.index.KbSimilarity;
import org.supportbot.kb.index.SupportAnalyzers;
import org.supportbot.kb.index.Versions;

/**
 * Searches one snapshot of the index. Thread-safe; reopen to see later changes. A holder that swaps
 * snapshots while searches run uses {@link #acquire()} and {@link #release()}: the snapshot is closed
 * when it has been closed and the last search holding it has released it.
 */
public final class KbSearcher implements AutoCloseable {
  private static final int SNIPPET_CHARS = 220;
  /** Query terms beyond these are ignored, keeping very long pastes below Lucene's clause limit. */
  private static final int MAX_TERMS = 120;
  private static final int MAX_EXACT = 30;
  /** (field, word) statistics kept across searches before the memory starts afresh. */
  private static final int MAX_CACHED_TERMS = 100_000;
  /** Candidates taken from each of BM25 and nearest neighbours before fusing. */
  private static final int HYBRID_CANDIDATES = 100;
  /**
   * Hits taken beyond those asked for: one more tells whether the last one asked for is tied with
   * what follows, and only then is the search widened to order the whole tie.
   */
  private static final int TIE_MARGIN = 1;
  /** Best matches of a search's words that an error text's phrase re-ranks. */
  private static final int PHRASE_CANDIDATES = 100;
  /** The widest a lexical search grows to take in every document tied at the cut-off. */
  private static final int MAX_TIED = 1_000;

  private final Path path;
  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final SearchSettings settings;
  private final Analyzer stemmed = SupportAnalyzers.stemmed();
  private final Analyzer queryAnalyzer;
  private final Analyzer exact = SupportAnalyzers.exact();
  /** Finds a snippet's stemmed matches; one per searching thread, like an analyzer's components. */
  private final CloseableThreadLocal<StemmedMatcher> matchers = new CloseableThreadLocal<>() {
    @Override
    protected StemmedMatcher initialValue() {
      return new StemmedMatcher();
    }
  };
  private final List<FieldWeight> fields;
  private final Embedder embedder;
  /**
   * Term statistics of this snapshot, kept across searches: building them is a seek in every
   * segment per (field, word), and support questions reuse the same few thousand words. They
   * belong to this reader and die with this searcher; a reopen starts with none.
   */
  private final Map<Term, TermStates> termStates = new ConcurrentHashMap<>();
  /** Each word's share of the confidence bound over the text fields, kept like {@link #termStates}. */
  private final Map<String, Double> termBounds = new ConcurrentHashMap<>();
  /** Verdicts applied to similar drafts, and the document number of each document they name. */
  private volatile AppliedFeedback feedback = new AppliedFeedback(FeedbackRanking.NONE, Map.of());
  /** The opener's reference plus one per search in flight; the snapshot closes at zero. */
  private final java.util.concurrent.atomic.AtomicInteger refs = new java.util.concurrent.atomic.AtomicInteger(1);

  private record AppliedFeedback(FeedbackRanking ranking, Map<Integer, String> keyOfDoc) {}

  /** The products documents of this snapshot are filed under (lower case, e.g. {@code beacon-cloud}). */
  private final Set<String> products;

  /** Candidates re-ranked when verdicts on similar drafts apply, so a boosted document can rise into the top k. */
  private static final int FEEDBACK_CANDIDATES = 50;

  private record FieldWeight(String field, float weight) {}

  /**
   * An index searcher that computes each field's collection statistics once: Lucene sums them
   * over every segment for every term clause of every query, and this snapshot never changes.
   */
  private static final class SnapshotSearcher extends IndexSearcher {
    private final Map<String, java.util.Optional<CollectionStatistics>> stats = new ConcurrentHashMap<>();

    SnapshotSearcher(DirectoryReader reader) {
      super(reader);
    }

    @Override
    public CollectionStatistics collectionStatistics(String field) throws IOException {
      java.util.Optional<CollectionStatistics> s = stats.get(field);
      if (s == null) {
        s = java.util.Optional.ofNullable(super.collectionStatistics(field));
        stats.put(field, s);
      }
      return s.orElse(null);
    }
  }

  /**
   * Terms of one query: stemmed terms with their query frequency, exact tokens, and the stemmed
   * terms of its lead sentence ({@link LeadSentence}), weighted {@link SearchSettings#lead()}.
   */
  record QueryTerms(Map<String, Integer> stemmed, Set<String> exact, Set<String> lead) {}

  private KbSearcher(Path path, Directory directory, DirectoryReader reader, SearchSettings settings) {
    this.path = path;
    this.directory = directory;
    this.reader = reader;
    this.settings = settings;
    this.searcher = new SnapshotSearcher(reader);
    this.searcher.setSimilarity(KbSimilarity.create(settings.k1(), settings.b(), settings.shortB()));
    this.queryAnalyzer = settings.queryStopWords() ? queryAnalyzer() : stemmed;
    List<FieldWeight> fw = new ArrayList<>();
    addField(fw, KbFields.TITLE, settings.title());
    addField(fw, KbFields.TAGS, settings.tags());
    addField(fw, KbFields.QUESTION, settings.question());
    addField(fw, KbFields.BODY, settings.body());
    if (hasField(reader, KbFields.ANSWER)) {
      addField(fw, KbFields.ANSWER, settings.body()); // an index built before answers shared the body
    }
    this.fields = List.copyOf(fw);
    this.products = productsOf(reader);
    Embedder e = null;
    if (settings.semantic() > 0) {
      try {
        e = Embedders.byName(reader.getIndexCommit().getUserData().get(KbIndexWriter.EMBEDDER_KEY)).orElse(null);
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
    this.embedder = e;
  }

  private static Set<String> productsOf(DirectoryReader reader) {
    Set<String> out = new HashSet<>();
    try {
      for (LeafReaderContext leaf : reader.leaves()) {
        org.apache.lucene.index.Terms terms = leaf.reader().terms(KbFields.PRODUCT);
        if (terms == null) {
          continue;
        }
        org.apache.lucene.index.TermsEnum te = terms.iterator();
        for (BytesRef t = te.next(); t != null; t = te.next()) {
          String p = t.utf8ToString();
          if (!p.equals(KbFields.NONE)) {
            out.add(p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Set.copyOf(out);
  }

  /**
   * The request with its product and version as filters this index can apply. A draft's product is
   * what a customer answered ("Beacon", "beacon cloud 3.1", "the Beacon agent"): it filters when it
   * names a product documents are filed under (the longest such run of its words, joined by
   * {@code -}). A case about a product no document is filed under ("Atollon Accounting" on a knowledge
   * base about Beacon) gets only the documents filed under no product: an article about another
   * product is not an answer, however well its words match. No product answered, or an index whose
   * documents name no product at all, filters nothing. A version filters when it is one (starts with
   * a digit, {@code v3.2} included); "none", "latest" or "cloud" do not.
   */
  public SearchRequest resolved(SearchRequest request) {
    String product = resolveProduct(request.product());
    String version = Versions.normalize(request.version());
    if (version.isEmpty() || !Character.isDigit(version.charAt(0))) {
      version = "";
    }
    if (product.equals(request.product()) && version.equals(request.version())) {
      return request;
    }
    return new SearchRequest(request.text(), request.errorText(), product, version, request.onlyKeys());
  }

  private String resolveProduct(String answer) {
    String a = answer.strip().toLowerCase(Locale.ROOT);
    if (a.isEmpty() || products.isEmpty()) {
      return "";
    }
    if (products.contains(a)) {
      return a;
    }
    String[] words = a.split("[^\\p{L}\\p{N}]+");
    String best = "";
    for (int i = 0; i < words.length; i++) {
      StringBuilder run = new StringBuilder();
      for (int j = i; j < words.length; j++) {
        if (words[j].isEmpty()) {
          break;
        }
        if (j > i) {
          run.append('-');
        }
        run.append(words[j]);
        String candidate = run.toString();
        if (products.contains(candidate) && candidate.length() > best.length()) {
          best = candidate;
        }
      }
    }
    return best.isEmpty() ? KbFields.NONE : best;
  }

  /**
   * Whether a draft says enough to suggest anything for: at least two distinct words that carry
   * meaning (after the stop words and question phrasing are dropped), or a token kept whole (an
   * error code, a path, a version). One word ("dashboard", "reports", "every") names a topic, not a
   * problem, and whatever it matches best is as likely as not beside the point.
   */
  public boolean informative(SearchRequest request) {
    QueryTerms t = terms(request);
    return t.stemmed().size() >= MIN_TERMS || !t.exact().isEmpty();
  }

  /** Distinct meaningful words a draft needs before anything is suggested for it ({@link #informative}). */
  public static final int MIN_TERMS = 2;

  private static boolean hasField(DirectoryReader reader, String field) {
    for (LeafReaderContext leaf : reader.leaves()) {
      if (leaf.reader().getFieldInfos().fieldInfo(field) != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * Applies these verdicts ({@link FeedbackRanking}) to later searches: documents marked solved
   * move up for similar drafts, documents repeatedly marked not helpful move down. Verdicts on
   * documents this snapshot does not hold are ignored.
   */
  public void useFeedback(List<org.supportbot.kb.Feedback> verdicts) {
    FeedbackRanking ranking = FeedbackRanking.of(verdicts,
        draft -> new HashSet<>(terms(SearchRequest.of(draft)).stemmed().keySet()),
        embedder == null ? null : embedder::embed);
    Map<Integer, String> keyOfDoc = new HashMap<>();
    try {
      for (String key : ranking.keys()) {
        for (ScoreDoc sd : searcher.search(new TermQuery(new Term(KbFields.KEY, key)), 1).scoreDocs) {
          keyOfDoc.put(sd.doc, key);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot look up the documents feedback names", e);
    }
    this.feedback = new AppliedFeedback(ranking, Map.copyOf(keyOfDoc));
  }

  /** True when queries are matched by embeddings as well as by BM25. */
  public boolean semantic() {
    return embedder != null;
  }

  private static void addField(List<FieldWeight> fw, String field, float w) {
    if (w > 0) {
      fw.add(new FieldWeight(field, w));
    }
  }

  /** Opens the Lucene index in {@code luceneDir}. */
  public static KbSearcher open(Path luceneDir, SearchSettings settings) {
    if (!Files.isDirectory(luceneDir)) {
      throw new KbException(luceneDir + ": no index here; build one with 'supportbot kb index --index <dir> ...'");
    }
    Directory dir = null;
    try {
      dir = FSDirectory.open(luceneDir);
      return new KbSearcher(luceneDir, dir, DirectoryReader.open(dir), settings);
    } catch (IndexNotFoundException e) {
      closeQuietly(dir);
      throw new KbException(luceneDir + ": no index here; build one with 'supportbot kb index --index <dir> ...'", e);
    } catch (IOException e) {
      closeQuietly(dir);
      throw new KbException(luceneDir + ": cannot open the index: " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(Directory dir) {
    if (dir != null) {
      try {
        dir.close();
      } catch (IOException ignored) {
        // already failing; the first error is the one reported
      }
    }
  }

  /** The confidence floor of this searcher's mode (with or without embeddings). */
  public double floor() {
    return embedder == null ? settings.lexicalFloor() : settings.floor();
  }

  /** Number of index segments in this snapshot (each query clause is set up once per segment). */
  public int segments() {
    return reader.leaves().size();
  }

  /** Number of live documents. */
  public int size() {
    return reader.numDocs();
  }

  public SearchSettings settings() {
    return settings;
  }

  /** The best {@code k} documents for the request, best first. */
  public List<SearchHit> search(SearchRequest request, int k, boolean withSnippets) {
    return search(request, k, withSnippets ? 0 : Double.POSITIVE_INFINITY);
  }

  /**
   * The best {@code k} documents for the request, best first, with snippets only for the hits
   * whose confidence is at least {@code snippetFloor}; the others have an empty snippet. A
   * suggestion list leaves out the hits below the confidence floor ({@link #floor()}), so cutting
   * their snippets is work for nothing: pass {@link #floor()} there, 0 for every snippet and
   * infinity for none.
   */
  public List<SearchHit> search(SearchRequest request, int k, double snippetFloor) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be positive, was " + k);
    }
    if (Double.isNaN(snippetFloor)) {
      throw new IllegalArgumentException("snippetFloor must be a number (0 for every snippet, infinity for none)");
    }
    request = resolved(request);
    QueryTerms terms = terms(request);
    boolean lexical = !(terms.stemmed().isEmpty() && terms.exact().isEmpty());
    if (!lexical && (embedder == null || request.text().isBlank() && request.errorText().isBlank())) {
      return List.of();
    }
    try {
      AppliedFeedback fb = feedback;
      float[] qv = embedder == null ? null : embedder.embed((request.text() + "\n" + request.errorText()).strip());
      boolean adjust = !fb.keyOfDoc().isEmpty() && fb.ranking().anySimilar(terms.stemmed().keySet(), qv);
      int n = embedder == null ? k + TIE_MARGIN : Math.max(k + TIE_MARGIN, HYBRID_CANDIDATES);
      if (adjust) {
        n = Math.max(n, FEEDBACK_CANDIDATES);
      }
      ScoreDoc[] lex = new ScoreDoc[0];
      double bound = 0;
      if (lexical) {
        TermLookup lookup = new TermLookup();
        Query query = buildQuery(request, terms, Map.of(), lookup);
        Optional<ErrorPhrase> phrase = settings.phrase() > 0 && !request.errorText().isBlank()
            ? ErrorPhrase.of(stemmed, request.errorText()) : Optional.empty();
        // the error text's phrase re-ranks the best matches of its words: look at enough of them
        int lexN = phrase.isPresent() ? Math.max(n, PHRASE_CANDIDATES) : n;
        TopDocs top = topDocs(query, lexN);
        if (settings.prfDocs() > 0 && settings.prfTerms() > 0 && top.scoreDocs.length > 0) {
          Map<String, Float> expansion = expansion(top.scoreDocs, terms);
          if (!expansion.isEmpty()) {
            query = buildQuery(request, terms, expansion, lookup);
            top = topDocs(query, lexN);
          }
        }
        lex = top.scoreDocs;
        if (phrase.isPresent()) {
          lex = withPhrase(lex, phrase.get(), lookup);
        }
        bound = upperBound(terms, lookup);
      }
      List<Scored> ranked = new ArrayList<>();
      if (embedder == null) {
        for (ScoreDoc sd : lex) {
          ranked.add(new Scored(sd.doc, sd.score, bound <= 0 ? 0 : Math.min(1.0, sd.score / bound)));
        }
      } else {
        ranked = fuse(request, qv, lex, n);
      }
      if (adjust) {
        ranked = withFeedback(ranked, fb, terms.stemmed().keySet(), qv);
      }
      StoredFields stored = searcher.storedFields();
      orderTiesById(ranked, k, stored);
      List<SearchHit> hits = new ArrayList<>(Math.min(k, ranked.size()));
      for (Scored sd : ranked.subList(0, Math.min(k, ranked.size()))) {
        boolean withSnippets = sd.confidence() >= snippetFloor;
        Shown shown = shown(sd.doc(), withSnippets, stored);
        HitFields f = shown.fields();
        String snippet = withSnippets ? snippet(shown.text(), f.title(), terms) : "";
        hits.add(new SearchHit(
            f.id(), Source.parse(f.source()), f.title(), f.url(), (float) sd.score(), sd.confidence(), snippet));
      }
      return hits;
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": search failed", e);
    }
  }

  private record Scored(int doc, double score, double confidence) {}

  /**
   * Each candidate's score plus the error text's phrase score, best first again: {@code phrase}
   * times the better of the title's and the text's (question, answer, body) BM25 of the phrase,
   * whose weight is the sum of its terms' idf in that field and whose frequency is {@link
   * ErrorPhrase#frequency} (saturated by k1, not normalised by length). The same form as the
   * disjunction of per-field phrase queries it replaces, for an index without positions.
   */
  private ScoreDoc[] withPhrase(ScoreDoc[] lex, ErrorPhrase phrase, TermLookup lookup) throws IOException {
    double titleIdf = 0;
    double textIdf = 0;
    for (String t : phrase.terms()) {
      titleIdf += idf(KbFields.TITLE, t, lookup);
      textIdf += idf(KbFields.BODY, t, lookup);
    }
    StemmedMatcher matcher = matchers.get();
    StoredFields stored = searcher.storedFields();
    boolean[] may = mayHoldPhrase(lex, phrase);
    ScoreDoc[] out = new ScoreDoc[lex.length];
    for (int i = 0; i < lex.length; i++) {
      ScoreDoc sd = lex[i];
      if (!may[i]) {
        out[i] = sd; // not every word of the phrase is in the title, nor in the other texts
        continue;
      }
      Shown shown = shown(sd.doc, true, stored);
      double bonus = Math.max(settings.title() * titleIdf * saturated(phrase.frequency(shown.fields().title(), matcher)),
          settings.body() * textIdf * saturated(phrase.frequency(shown.text(), matcher)));
      out[i] = new ScoreDoc(sd.doc, (float) (sd.score + settings.phrase() * bonus), sd.shardIndex);
    }
    Arrays.sort(out, Comparator.comparingDouble((ScoreDoc sd) -> -sd.score).thenComparingInt(sd -> sd.doc));
    return out;
  }

  /**
   * For each candidate, whether it may hold the phrase: every word of it in the title, or every
   * word in the question, accepted answer or body. Only those have their text read (a look-up in
   * the postings of a few words, where reading and matching a text costs a hundred times more).
   */
  private boolean[] mayHoldPhrase(ScoreDoc[] lex, ErrorPhrase phrase) throws IOException {
    boolean[] may = new boolean[lex.length];
    Integer[] order = new Integer[lex.length];
    for (int i = 0; i < lex.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> lex[i].doc));
    List<String> words = List.copyOf(phrase.terms());
    String[] textFields = {KbFields.QUESTION, KbFields.BODY, KbFields.ANSWER};
    int at = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      int end = leaf.docBase + leaf.reader().maxDoc();
      if (at >= order.length || lex[order[at]].doc >= end) {
        continue;
      }
      PostingsEnum[] title = new PostingsEnum[words.size()];
      PostingsEnum[][] text = new PostingsEnum[words.size()][];
      for (int w = 0; w < words.size(); w++) {
        title[w] = postings(leaf, KbFields.TITLE, words.get(w));
        text[w] = new PostingsEnum[textFields.length];
        for (int f = 0; f < textFields.length; f++) {
          text[w][f] = postings(leaf, textFields[f], words.get(w));
        }
      }
      for (; at < order.length && lex[order[at]].doc < end; at++) {
        int doc = lex[order[at]].doc - leaf.docBase;
        boolean inTitle = true;
        boolean inText = true;
        for (int w = 0; w < words.size() && (inTitle || inText); w++) {
          inTitle &= holds(title[w], doc);
          boolean any = false;
          for (PostingsEnum pe : text[w]) {
            any |= holds(pe, doc);
          }
          inText &= any;
        }
        may[order[at]] = inTitle || inText;
      }
    }
    return may;
  }

  private static PostingsEnum postings(LeafReaderContext leaf, String field, String word) throws IOException {
    Terms terms = leaf.reader().terms(field);
    if (terms == null) {
      return null;
    }
    TermsEnum te = terms.iterator();
    return te.seekExact(new BytesRef(word)) ? te.postings(null, PostingsEnum.NONE) : null;
  }

  /** Whether the postings (advanced in increasing document order) hold {@code doc}. */
  private static boolean holds(PostingsEnum pe, int doc) throws IOException {
    if (pe == null) {
      return false;
    }
    int d = pe.docID() >= doc ? pe.docID() : pe.advance(doc);
    return d == doc;
  }

  /** BM25's term-frequency part without length normalisation. */
  private double saturated(double freq) {
    return freq <= 0 ? 0 : (settings.k1() + 1) * freq / (freq + settings.k1());
  }

  /**
   * Puts documents of equal score in the order of their own ids. Lucene breaks ties by its
   * document numbers, which depend on how the index was built (two threads index large folders,
   * so the numbers differ from one build to the next); ordering ties by id makes the same data
   * give the same ranking every time. Copies of a thread are the usual ties. Only the first
   * {@code k} places are shown, so only runs of ties that begin among them are ordered: a run
   * further down cannot change them (a search widened to take in a whole tie can hold hundreds of
   * tied documents past the cut-off, and reading each one's id was a tenth of a search's time).
   */
  private static void orderTiesById(List<Scored> ranked, int k, StoredFields stored) throws IOException {
    int start = 0;
    while (start < Math.min(k, ranked.size())) {
      int end = start + 1;
      while (end < ranked.size() && ranked.get(end).score() == ranked.get(start).score()) {
        end++;
      }
      if (end - start > 1) {
        List<Scored> run = ranked.subList(start, end);
        Map<Integer, String> ids = new HashMap<>();
        for (Scored sd : run) {
          ids.put(sd.doc(), stored.document(sd.doc(), ID_FIELD).get(KbFields.ID));
        }
        run.sort(Comparator.comparing((Scored sd) -> ids.get(sd.doc())));
      }
      start = end;
    }
  }

  private static final Set<String> ID_FIELD = Set.of(KbFields.ID);
  private static final Set<String> HIT_FIELDS =
      Set.of(KbFields.ID, KbFields.SOURCE, KbFields.TITLE, KbFields.URL);
  /** A hit's fields and its snippet text, read from the stored fields together (indexes built before 2026-12-03). */
  private static final Set<String> HIT_AND_SNIPPET_FIELDS =
      Set.of(KbFields.ID, KbFields.SOURCE, KbFields.TITLE, KbFields.URL, KbFields.SNIPPET_SOURCE);

  /**
   * The best {@code n} documents. Only the top {@code n} are needed, never the number of matches,
   * so Lucene may skip documents that cannot enter the top {@code n} from the first full queue on
   * (its default counts the first 1,000 matches exactly before it starts skipping).
   */
  private TopDocs topDocs(Query query, int n) throws IOException {
    TopDocs top = searcher.search(query, new TopScoreDocCollectorManager(n, n));
    int wanted = n;
    // the last two equal: documents beyond may be tied too, and which of them make the cut would
    // depend on Lucene's document numbers; take the whole tie so that ids can order it
    while (top.scoreDocs.length == wanted && wanted < MAX_TIED && wanted >= 2
        && top.scoreDocs[wanted - 1].score == top.scoreDocs[wanted - 2].score) {
      wanted = Math.min(MAX_TIED, wanted * 4);
      top = searcher.search(query, new TopScoreDocCollectorManager(wanted, wanted));
    }
    return top;
  }

  /**
   * BM25 divided by the query's best BM25 score, plus {@code semantic} times the cosine
   * similarity of the embeddings, over the union of the BM25 and nearest-neighbour candidates.
   * The confidence is the cosine similarity.
   */
  private List<Scored> fuse(SearchRequest request, float[] qv, ScoreDoc[] lex, int n) throws IOException {
    Query filter = filters(request);
    KnnFloatVectorQuery knn = new KnnFloatVectorQuery(KbFields.VECTOR, qv, n, filter);
    TopDocs near = searcher.search(knn, n);
    Map<Integer, Double> cosine = new HashMap<>();
    for (ScoreDoc sd : near.scoreDocs) {
      cosine.put(sd.doc, 2.0 * sd.score - 1.0); // DOT_PRODUCT scores are (1 + dot) / 2
    }
    double max = lex.length == 0 ? 1 : Math.max(lex[0].score, 1e-6);
    Map<Integer, Double> lexNorm = new HashMap<>();
    for (ScoreDoc sd : lex) {
      lexNorm.put(sd.doc, sd.score / max);
    }
    Set<Integer> docs = new HashSet<>(cosine.keySet());
    docs.addAll(lexNorm.keySet());
    List<Scored> out = new ArrayList<>(docs.size());
    for (int doc : docs) {
      Double cos = cosine.get(doc);
      if (cos == null) {
        cos = cosineOf(doc, qv);
      }
      double score = lexNorm.getOrDefault(doc, 0.0) + settings.semantic() * cos;
      out.add(new Scored(doc, score, Math.max(0, Math.min(1, cos))));
    }
    out.sort(Comparator.comparingDouble(Scored::score).reversed().thenComparingInt(Scored::doc));
    return out;
  }

  /** Scores multiplied by the feedback factor of each document, best first again. */
  private static List<Scored> withFeedback(List<Scored> ranked, AppliedFeedback fb, Set<String> queryTerms, float[] qv) {
    List<Scored> out = new ArrayList<>(ranked.size());
    for (Scored sd : ranked) {
      String key = fb.keyOfDoc().get(sd.doc());
      double f = key == null ? 1 : fb.ranking().factor(key, queryTerms, qv);
      out.add(f == 1 ? sd : new Scored(sd.doc(), sd.score() * f, sd.confidence()));
    }
    out.sort(Comparator.comparingDouble(Scored::score).reversed().thenComparingInt(Scored::doc));
    return out;
  }

  private double cosineOf(int doc, float[] qv) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    FloatVectorValues values = leaf.reader().getFloatVectorValues(KbFields.VECTOR);
    if (values == null) {
      return 0;
    }
    KnnVectorValues.DocIndexIterator it = values.iterator();
    int local = doc - leaf.docBase;
    if (it.advance(local) != local) {
      return 0;
    }
    return VectorUtil.dotProduct(qv, values.vectorValue(it.index()));
  }

  /** Product, version and key restrictions of a request, or null when there are none. */
  private Query filters(SearchRequest request) {
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    boolean any = addFilters(q, request);
    return any ? q.build() : null;
  }

  QueryTerms terms(SearchRequest request) {
    String text = request.text() + "\n" + request.errorText();
    // the lead sentence's words are taken from the one pass over the whole text: the tokens that end
    // within it (the analysis is per token, so they are the tokens of the sentence on its own)
    int leadEnd = -1;
    if (settings.lead() != 1f) {
      String first = LeadSentence.of(request.text());
      if (!first.isEmpty()) {
        leadEnd = request.text().indexOf(first) + first.length();
      }
    }
    Map<String, Integer> stems = new LinkedHashMap<>();
    Set<String> lead = new HashSet<>();
    try (TokenStream ts = queryAnalyzer.tokenStream(KbFields.BODY, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      org.apache.lucene.analysis.tokenattributes.OffsetAttribute offset =
          ts.addAttribute(org.apache.lucene.analysis.tokenattributes.OffsetAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        String t = term.toString();
        if (stems.size() < MAX_TERMS || stems.containsKey(t)) {
          stems.merge(t, 1, Integer::sum);
          if (offset.endOffset() <= leadEnd) {
            lead.add(t);
          }
        }
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> codes = new HashSet<>();
    for (String c : tokens(exact, KbFields.CODE, text)) {
      if (codes.size() < MAX_EXACT) {
        codes.add(c);
      }
    }
    return new QueryTerms(stems, codes, lead);
  }

  /**
   * Term statistics of one search, looked up once per term and field: the query's term clauses
   * and the confidence bound both need them, and each lookup is a seek in every segment.
   */
  private final class TermLookup {
    private final Map<Term, TermStates> states = new HashMap<>();

    TermStates states(Term t) throws IOException {
      TermStates ts = states.get(t);
      if (ts == null) {
        ts = termStates.get(t);
        if (ts == null) {
          ts = TermStates.build(searcher, t, true);
          if (termStates.size() >= MAX_CACHED_TERMS) {
            termStates.clear();
          }
          termStates.put(t, ts);
        }
        states.put(t, ts);
      }
      return ts;
    }

    Query query(String field, String term) {
      Term t = new Term(field, term);
      try {
        return new TermQuery(t, states(t));
      } catch (IOException e) {
        throw new UncheckedIOException(path + ": cannot read term statistics", e);
      }
    }
  }

  private Query buildQuery(SearchRequest request, QueryTerms terms, Map<String, Float> expansion, TermLookup lookup) {
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    for (String t : terms.stemmed().keySet()) {
      addTerm(q, t, weight(terms, t), lookup);
    }
    for (Map.Entry<String, Float> e : expansion.entrySet()) {
      addTerm(q, e.getKey(), e.getValue(), lookup);
    }
    if (settings.code() > 0) {
      for (String c : terms.exact()) {
        q.add(new BoostQuery(lookup.query(KbFields.CODE, c), settings.code()), BooleanClause.Occur.SHOULD);
        }
    }
    addFilters(q, request);
    return q.build();
  }

  /** A query term's weight: the lead weight for the words of the lead sentence, else 1. */
  private float weight(QueryTerms terms, String term) {
    return terms.lead().contains(term) ? settings.lead() : 1f;
  }

  private static boolean addFilters(BooleanQuery.Builder q, SearchRequest request) {
    boolean any = false;
    if (!request.product().isEmpty()) {
      any = true;
      q.add(new TermInSetQuery(KbFields.PRODUCT, List.of(
          new BytesRef(request.product().toLowerCase(Locale.ROOT)), new BytesRef(KbFields.NONE))),
          BooleanClause.Occur.FILTER);
    }
    if (!request.version().isEmpty()) {
      any = true;
      List<BytesRef> versions = new ArrayList<>();
      for (String v : Versions.withPrefixes(request.version())) {
        versions.add(new BytesRef(v));
      }
      versions.add(new BytesRef(KbFields.NONE));
      q.add(new TermInSetQuery(KbFields.VERSION, versions), BooleanClause.Occur.FILTER);
    }
    if (!request.onlyKeys().isEmpty()) {
      any = true;
      q.add(new TermInSetQuery(KbFields.KEY, request.onlyKeys().stream().map(BytesRef::new).toList()),
          BooleanClause.Occur.FILTER);
    }
    return any;
  }

  /**
   * Adds one query term, scored in every text field. With tie-breaker 1 the per-field scores are
   * summed, so each (field, term) pair becomes its own clause of the top-level disjunction: that
   * is the same score, and lets Lucene skip documents that cannot reach the top k (block-max
   * WAND), which a disjunction-max with a tie-breaker does not.
   */
  private void addTerm(BooleanQuery.Builder q, String term, float boost, TermLookup lookup) {
    if (settings.tie() >= 1f) {
      for (FieldWeight fw : fields) {
        q.add(new BoostQuery(lookup.query(fw.field(), term), fw.weight() * boost), BooleanClause.Occur.SHOULD);
      }
    } else {
      q.add(termQuery(term, boost, lookup), BooleanClause.Occur.SHOULD);
    }
  }

  private Query termQuery(String term, float boost, TermLookup lookup) {
    List<Query> perField = new ArrayList<>(fields.size());
    for (FieldWeight fw : fields) {
      perField.add(new BoostQuery(lookup.query(fw.field(), term), fw.weight()));
    }
    Query q = perField.size() == 1 ? perField.get(0) : new DisjunctionMaxQuery(perField, settings.tie());
    return boost == 1f ? q : new BoostQuery(q, boost);
  }

  /** Expansion terms from the top documents' titles and text, weighted by tf * idf. */
  private Map<String, Float> expansion(ScoreDoc[] top, QueryTerms terms) throws IOException {
    Map<String, Double> weight = new HashMap<>();
    int n = Math.min(settings.prfDocs(), top.length);
    StoredFields stored = searcher.storedFields();
    for (int i = 0; i < n; i++) {
      Shown shown = shown(top[i].doc, true, stored);
      Map<String, Integer> tf = new HashMap<>();
      String text = shown.fields().title() + "\n" + shown.fields().title() + "\n" + shown.text();
      for (String t : tokens(queryAnalyzer, KbFields.BODY, text)) {
        tf.merge(t, 1, Integer::sum);
      }
      double total = tf.values().stream().mapToInt(Integer::intValue).sum();
      for (Map.Entry<String, Integer> e : tf.entrySet()) {
        if (!terms.stemmed().containsKey(e.getKey()) && e.getKey().length() > 2) {
          weight.merge(e.getKey(), e.getValue() / total, Double::sum);
        }
      }
    }
    CollectionStatistics cs = searcher.collectionStatistics(KbFields.BODY);
    long docs = cs == null ? reader.maxDoc() : cs.docCount();
    Map<String, Double> scored = new HashMap<>();
    for (Map.Entry<String, Double> e : weight.entrySet()) {
      int df = reader.docFreq(new Term(KbFields.BODY, e.getKey()));
      if (df < 2) {
        continue;
      }
      scored.put(e.getKey(), e.getValue() * Math.log(1 + (docs - df + 0.5) / (df + 0.5)));
    }
    List<Map.Entry<String, Double>> best = scored.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(settings.prfTerms())
        .toList();
    Map<String, Float> out = new LinkedHashMap<>();
    if (best.isEmpty()) {
      return out;
    }
    double max = best.get(0).getValue();
    for (Map.Entry<String, Double> e : best) {
      out.put(e.getKey(), (float) (settings.prfWeight() * e.getValue() / max));
    }
    return out;
  }

  /** The highest score the query's terms could reach (BM25 with tf to infinity in every field). */
  private double upperBound(QueryTerms terms, TermLookup lookup) throws IOException {
    double bound = 0;
    for (String t : terms.stemmed().keySet()) {
      Double b = termBounds.get(t);
      if (b == null) {
        double max = 0;
        double sum = 0;
        for (FieldWeight fw : fields) {
          double w = fw.weight() * idf(fw.field(), t, lookup);
          max = Math.max(max, w);
          sum += w;
        }
        b = max + settings.tie() * (sum - max);
        if (termBounds.size() >= MAX_CACHED_TERMS) {
          termBounds.clear();
        }
        termBounds.put(t, b);
      }
      bound += weight(terms, t) * b;
    }
    if (settings.code() > 0) {
      for (String c : terms.exact()) {
        bound += settings.code() * idf(KbFields.CODE, c, lookup);
      }
    }
    return bound;
  }

  private double idf(String field, String term, TermLookup lookup) throws IOException {
    CollectionStatistics cs = searcher.collectionStatistics(field);
    if (cs == null) {
      return 0;
    }
    // a term found nowhere counts as the rarest possible: a query of unknown words has a high
    // bound and so a low confidence, however well its one known word matches
    long df = lookup.states(new Term(field, term)).docFreq();
    return Math.log(1 + (cs.docCount() - df + 0.5) / (df + 0.5));
  }

  /** What a hit shows, and the text its snippet and phrase are read from (null unless asked for). */
  private record Shown(HitFields fields, String text) {}

  /**
   * A hit's {@link Shown} from its doc values, or from the stored fields of an index built before
   * them (2026-12-03 for the text, 2026-12-04 for the rest), read together when both are needed.
   */
  private Shown shown(int doc, boolean withText, StoredFields stored) throws IOException {
    HitFields f = hitFields(doc);
    String text = withText ? snippetText(doc) : null;
    if (f == null || withText && text == null) {
      Document d = stored.document(doc, withText && text == null ? HIT_AND_SNIPPET_FIELDS : HIT_FIELDS);
      if (f == null) {
        f = new HitFields(d.get(KbFields.ID), d.get(KbFields.SOURCE), d.get(KbFields.TITLE), d.get(KbFields.URL));
      }
      if (withText && text == null) {
        text = d.get(KbFields.SNIPPET_SOURCE);
      }
    }
    return new Shown(f, text);
  }

  /**
   * The text a document's snippet is cut from, read from its doc value, or null when the document
   * has none (an index built before 2026-12-03 stored it as {@link KbFields#SNIPPET_SOURCE}).
   */
  private String snippetText(int doc) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    BinaryDocValues values = leaf.reader().getBinaryDocValues(KbFields.SNIPPET_TEXT);
    if (values == null || !values.advanceExact(doc - leaf.docBase)) {
      return null;
    }
    return values.binaryValue().utf8ToString();
  }

  /**
   * What a hit shows, read from its doc value, or null when the document has none (an index built
   * before 2026-12-04 has only the stored fields).
   */
  private HitFields hitFields(int doc) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    BinaryDocValues values = leaf.reader().getBinaryDocValues(KbFields.HIT);
    if (values == null || !values.advanceExact(doc - leaf.docBase)) {
      return null;
    }
    return HitFields.decode(values.binaryValue());
  }

  private String snippet(String source, String title, QueryTerms terms) throws IOException {
    String text = source;
    if (text == null || text.isBlank()) {
      text = title;
    }
    return Snippets.highlight(text, matches(text, terms), SNIPPET_CHARS);
  }

  private List<int[]> matches(String text, QueryTerms terms) throws IOException {
    List<int[]> out = new ArrayList<>();
    matchers.get().collect(text, terms.stemmed().keySet(), out);
    collect(exact, KbFields.CODE, text, terms.exact(), out);
    return out;
  }

  private static void collect(Analyzer a, String field, String text, Set<String> wanted, List<int[]> out)
      throws IOException {
    if (wanted.isEmpty()) {
      return;
    }
    try (TokenStream ts = a.tokenStream(field, text)) {
      StemmedMatcher.collect(ts, wanted, out);
    }
  }


  static List<String> tokens(Analyzer a, String field, String text) {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = a.tokenStream(field, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static Analyzer queryAnalyzer() {
    return SupportAnalyzers.stemmed(QueryStopWords.WORDS);
  }

  /**
   * Takes a reference for one search; false when this snapshot is already closed (the caller takes
   * the holder's newer snapshot instead).
   */
  public boolean acquire() {
    while (true) {
      int n = refs.get();
      if (n <= 0) {
        return false;
      }
      if (refs.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Gives back a reference taken by {@link #acquire()}; the last one closes the snapshot. */
  public void release() {
    int n = refs.decrementAndGet();
    if (n == 0) {
      closeNow();
    } else if (n < 0) {
      throw new IllegalStateException(path + ": searcher released more often than acquired");
    }
  }

  /** Gives back the opener's reference: closes now, or when the last search in flight releases it. */
  @Override
  public void close() {
    if (refs.get() > 0) {
      release();
    }
  }

  private void closeNow() {
    matchers.close();
    try {
      reader.close();
      directory.close();
    } catch (IOException e) {
      throw new KbException(path + ": cannot close the index: " + e.getMessage(), e);
    }
  }
}
