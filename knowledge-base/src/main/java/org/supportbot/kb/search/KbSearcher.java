package org.supportbot.kb.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.Term;
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
import org.apache.lucene.search.TermStatistics;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;
import org.supportbot.kb.KbException;
import org.supportbot.kb.Source;
import org.supportbot.kb.index.KbFields;
import org.supportbot.kb.index.KbSimilarity;
import org.supportbot.kb.index.SupportAnalyzers;
import org.supportbot.kb.index.Versions;

/**
 * Searches one snapshot of the index. Thread-safe; reopen to see later changes.
 */
public final class KbSearcher implements AutoCloseable {
  private static final int SNIPPET_CHARS = 220;
  /** Query terms beyond these are ignored, keeping very long pastes below Lucene's clause limit. */
  private static final int MAX_TERMS = 120;
  private static final int MAX_EXACT = 30;

  private final Path path;
  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final SearchSettings settings;
  private final Analyzer stemmed = SupportAnalyzers.stemmed();
  private final Analyzer queryAnalyzer;
  private final Analyzer exact = SupportAnalyzers.exact();
  private final List<FieldWeight> fields;

  private record FieldWeight(String field, float weight) {}

  /** Terms of one query: stemmed terms with their query frequency, and exact tokens. */
  record QueryTerms(Map<String, Integer> stemmed, Set<String> exact) {}

  private KbSearcher(Path path, Directory directory, DirectoryReader reader, SearchSettings settings) {
    this.path = path;
    this.directory = directory;
    this.reader = reader;
    this.settings = settings;
    this.searcher = new IndexSearcher(reader);
    this.searcher.setSimilarity(KbSimilarity.create(settings.k1(), settings.b(), settings.shortB()));
    this.queryAnalyzer = settings.queryStopWords() ? queryAnalyzer() : stemmed;
    List<FieldWeight> fw = new ArrayList<>();
    addField(fw, KbFields.TITLE, settings.title());
    addField(fw, KbFields.TAGS, settings.tags());
    addField(fw, KbFields.QUESTION, settings.question());
    addField(fw, KbFields.ANSWER, settings.answer());
    addField(fw, KbFields.BODY, settings.body());
    this.fields = List.copyOf(fw);
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

  /** Number of live documents. */
  public int size() {
    return reader.numDocs();
  }

  public SearchSettings settings() {
    return settings;
  }

  /** The best {@code k} documents for the request, best first. */
  public List<SearchHit> search(SearchRequest request, int k, boolean withSnippets) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be positive, was " + k);
    }
    QueryTerms terms = terms(request);
    if (terms.stemmed().isEmpty() && terms.exact().isEmpty()) {
      return List.of();
    }
    try {
      Query query = buildQuery(request, terms, Map.of());
      TopDocs top = searcher.search(query, k);
      if (settings.prfDocs() > 0 && settings.prfTerms() > 0 && top.scoreDocs.length > 0) {
        Map<String, Float> expansion = expansion(top.scoreDocs, terms);
        if (!expansion.isEmpty()) {
          query = buildQuery(request, terms, expansion);
          top = searcher.search(query, k);
        }
      }
      double bound = upperBound(terms);
      List<SearchHit> hits = new ArrayList<>(top.scoreDocs.length);
      Set<String> want = Set.of(KbFields.ID, KbFields.SOURCE, KbFields.TITLE, KbFields.URL);
      for (ScoreDoc sd : top.scoreDocs) {
        Document d = searcher.storedFields().document(sd.doc, want);
        double confidence = bound <= 0 ? 0 : Math.min(1.0, sd.score / bound);
        String snippet = withSnippets ? snippet(sd.doc, terms) : "";
        hits.add(new SearchHit(
            d.get(KbFields.ID), Source.parse(d.get(KbFields.SOURCE)), d.get(KbFields.TITLE),
            d.get(KbFields.URL), sd.score, confidence, snippet));
      }
      return hits;
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": search failed", e);
    }
  }

  QueryTerms terms(SearchRequest request) {
    String text = request.text() + "\n" + request.errorText();
    Map<String, Integer> stems = new LinkedHashMap<>();
    for (String t : tokens(queryAnalyzer, KbFields.BODY, text)) {
      if (stems.size() < MAX_TERMS || stems.containsKey(t)) {
        stems.merge(t, 1, Integer::sum);
      }
    }
    Set<String> codes = new HashSet<>();
    for (String c : tokens(exact, KbFields.CODE, text)) {
      if (codes.size() < MAX_EXACT) {
        codes.add(c);
      }
    }
    return new QueryTerms(stems, codes);
  }

  private Query buildQuery(SearchRequest request, QueryTerms terms, Map<String, Float> expansion) {
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    for (String t : terms.stemmed().keySet()) {
      q.add(termQuery(t, 1f), BooleanClause.Occur.SHOULD);
    }
    for (Map.Entry<String, Float> e : expansion.entrySet()) {
      q.add(termQuery(e.getKey(), e.getValue()), BooleanClause.Occur.SHOULD);
    }
    if (settings.code() > 0) {
      for (String c : terms.exact()) {
        q.add(new BoostQuery(new TermQuery(new Term(KbFields.CODE, c)), settings.code()), BooleanClause.Occur.SHOULD);
        }
    }
    if (settings.phrase() > 0 && !request.errorText().isBlank()) {
      QueryBuilder qb = new QueryBuilder(stemmed);
      List<Query> phrases = new ArrayList<>();
      for (FieldWeight fw : fields) {
        Query p = qb.createPhraseQuery(fw.field(), request.errorText(), 1);
        if (p != null) {
          phrases.add(new BoostQuery(p, fw.weight()));
        }
      }
      if (!phrases.isEmpty()) {
        q.add(new BoostQuery(new DisjunctionMaxQuery(phrases, 0f), settings.phrase()), BooleanClause.Occur.SHOULD);
        }
    }
    if (!request.product().isEmpty()) {
      q.add(new TermInSetQuery(KbFields.PRODUCT, List.of(
          new BytesRef(request.product().toLowerCase(Locale.ROOT)), new BytesRef(KbFields.NONE))),
          BooleanClause.Occur.FILTER);
    }
    if (!request.version().isEmpty()) {
      List<BytesRef> versions = new ArrayList<>();
      for (String v : Versions.withPrefixes(request.version())) {
        versions.add(new BytesRef(v));
      }
      versions.add(new BytesRef(KbFields.NONE));
      q.add(new TermInSetQuery(KbFields.VERSION, versions), BooleanClause.Occur.FILTER);
    }
    if (!request.onlyKeys().isEmpty()) {
      q.add(new TermInSetQuery(KbFields.KEY, request.onlyKeys().stream().map(BytesRef::new).toList()),
          BooleanClause.Occur.FILTER);
    }
    return q.build();
  }

  private Query termQuery(String term, float boost) {
    List<Query> perField = new ArrayList<>(fields.size());
    for (FieldWeight fw : fields) {
      perField.add(new BoostQuery(new TermQuery(new Term(fw.field(), term)), fw.weight()));
    }
    Query q = perField.size() == 1 ? perField.get(0) : new DisjunctionMaxQuery(perField, settings.tie());
    return boost == 1f ? q : new BoostQuery(q, boost);
  }

  /** Expansion terms from the top documents' titles and text, weighted by tf * idf. */
  private Map<String, Float> expansion(ScoreDoc[] top, QueryTerms terms) throws IOException {
    Map<String, Double> weight = new HashMap<>();
    int n = Math.min(settings.prfDocs(), top.length);
    Set<String> want = Set.of(KbFields.TITLE, KbFields.SNIPPET_SOURCE);
    for (int i = 0; i < n; i++) {
      Document d = searcher.storedFields().document(top[i].doc, want);
      Map<String, Integer> tf = new HashMap<>();
      String text = d.get(KbFields.TITLE) + "\n" + d.get(KbFields.TITLE) + "\n" + d.get(KbFields.SNIPPET_SOURCE);
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
  private double upperBound(QueryTerms terms) throws IOException {
    double bound = 0;
    for (String t : terms.stemmed().keySet()) {
      double max = 0;
      double sum = 0;
      for (FieldWeight fw : fields) {
        double w = fw.weight() * idf(fw.field(), t);
        max = Math.max(max, w);
        sum += w;
      }
      bound += max + settings.tie() * (sum - max);
    }
    if (settings.code() > 0) {
      for (String c : terms.exact()) {
        bound += settings.code() * idf(KbFields.CODE, c);
      }
    }
    return bound;
  }

  private double idf(String field, String term) throws IOException {
    CollectionStatistics cs = searcher.collectionStatistics(field);
    if (cs == null) {
      return 0;
    }
    int df = reader.docFreq(new Term(field, term));
    if (df == 0) {
      return 0;
    }
    TermStatistics ts = new TermStatistics(new BytesRef(term), df, Math.max(df, 1));
    return Math.log(1 + (cs.docCount() - ts.docFreq() + 0.5) / (ts.docFreq() + 0.5));
  }

  private String snippet(int doc, QueryTerms terms) throws IOException {
    Document d = searcher.storedFields().document(doc, Set.of(KbFields.SNIPPET_SOURCE, KbFields.TITLE));
    String text = d.get(KbFields.SNIPPET_SOURCE);
    if (text == null || text.isBlank()) {
      text = d.get(KbFields.TITLE);
    }
    return Snippets.highlight(text, matches(text, terms), SNIPPET_CHARS);
  }

  private List<int[]> matches(String text, QueryTerms terms) throws IOException {
    List<int[]> out = new ArrayList<>();
    collect(stemmed, KbFields.BODY, text, terms.stemmed().keySet(), out);
    collect(exact, KbFields.CODE, text, terms.exact(), out);
    return out;
  }

  private static void collect(Analyzer a, String field, String text, Set<String> wanted, List<int[]> out)
      throws IOException {
    if (wanted.isEmpty()) {
      return;
    }
    try (TokenStream ts = a.tokenStream(field, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      OffsetAttribute off = ts.addAttribute(OffsetAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        if (wanted.contains(term.toString())) {
          out.add(new int[] {off.startOffset(), off.endOffset(), term.toString().hashCode()});
        }
      }
      ts.end();
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
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = new StandardTokenizer();
        TokenStream ts = new EnglishPossessiveFilter(source);
        ts = new LowerCaseFilter(ts);
        ts = new ASCIIFoldingFilter(ts);
        ts = new StopFilter(ts, QueryStopWords.WORDS);
        ts = new PorterStemFilter(ts);
        return new TokenStreamComponents(source, ts);
      }
    };
  }

  @Override
  public void close() {
    try {
      reader.close();
      directory.close();
    } catch (IOException e) {
      throw new KbException(path + ": cannot close the index: " + e.getMessage(), e);
    }
  }
}
