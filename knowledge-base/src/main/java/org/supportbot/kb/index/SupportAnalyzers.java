package org.supportbot.kb.index;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.lucene.analysis.DelegatingAnalyzerWrapper;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * Analysis for support text. The stemmed analyzer is English: Unicode word tokens (which keep
 * {@code ERR_CONN_REFUSED}, {@code 2.3.1} and {@code config.yml} whole), possessives removed,
 * lower case, ASCII folding, English stop words, Porter stemming (one {@link EnglishTermFilter}
 * that remembers each word's result). The exact analyzer keeps
 * whitespace-separated tokens that look like identifiers, versions, codes or paths, lower-cased
 * and trimmed of punctuation, so that a pasted error string matches token for token.
 */
public final class SupportAnalyzers {

  private SupportAnalyzers() {}

  /** The stemmed English analyzer. */
  public static Analyzer stemmed() {
    return stemmed(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
  }

  /** The stemmed English analyzer with its own stop words (queries drop more words than documents). */
  public static Analyzer stemmed(CharArraySet stopWords) {
    return stemmed(stopWords, EnglishTermFilter.SEARCH_REMEMBERED);
  }

  /** The same, remembering up to {@code remembered} words per thread (a power of two). */
  private static Analyzer stemmed(CharArraySet stopWords, int remembered) {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = new StandardTokenizer();
        return new TokenStreamComponents(source, new EnglishTermFilter(source, stopWords, remembered));
      }

      @Override
      protected TokenStream normalize(String fieldName, TokenStream in) {
        return new ASCIIFoldingFilter(new LowerCaseFilter(in));
      }
    };
  }

  /**
   * The stemmed analyzer's terms, each once with its number of occurrences ({@link
   * CountingTokenizer}), for fields indexed without positions.
   */
  static Analyzer counting(CharArraySet stopWords) {
    return counting(stopWords, false, CountingTokenizer.REMEMBERED);
  }

  /**
   * The same, also gathering each text's exact tokens in this thread's {@link ExactCollector} when {@code
   * gather}, with a word memory of {@code remembered} slots.
   */
  private static Analyzer counting(CharArraySet stopWords, boolean gather, int remembered) {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        return new TokenStreamComponents(new CountingTokenizer(stopWords, remembered,
            gather ? ExactCollector.current() : null));
      }
    };
  }

  /** The exact-token analyzer for identifiers, versions, error codes and paths. */
  public static Analyzer exact() {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = new ExactTokenizer();
        return new TokenStreamComponents(source, source);
      }
    };
  }

  /**
   * The analyzer for every field of an index whose text fields have positions (the layout before
   * 2026-12-04): every token one by one.
   */
  public static Analyzer forIndex() {
    return forIndex(() -> false);
  }

  /**
   * The analyzer for every field of the index: the stemmed fields' terms counted ({@link
   * #counting}) while {@code counting} says so (fields without positions), else token by token.
   */
  static Analyzer forIndex(BooleanSupplier counting) {
    Map<String, Analyzer> perField = new HashMap<>();
    perField.put(KbFields.CODE, exact());
    KeywordAnalyzer keyword = new KeywordAnalyzer();
    for (String f : new String[] {KbFields.KEY, KbFields.SOURCE, KbFields.PRODUCT, KbFields.VERSION}) {
      perField.put(f, keyword);
    }
    // the texts of the exact-token field (title, question, answer, body) gather its tokens as they
    // are read (ExactCollector); tags are not among them, and are counted without gathering (token
    // by token they kept a second tokenizer and filter chain hot, for the JIT to compile, for a few words)
    Analyzer gathered = counting(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, true, CountingTokenizer.REMEMBERED);
    Analyzer counted = counting(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, false, CountingTokenizer.TAGS_REMEMBERED);
    Analyzer perToken = stemmed(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, EnglishTermFilter.MAX_REMEMBERED);
    return new DelegatingAnalyzerWrapper(Analyzer.PER_FIELD_REUSE_STRATEGY) {
      @Override
      protected Analyzer getWrappedAnalyzer(String fieldName) {
        Analyzer a = perField.get(fieldName);
        return a != null ? a : !counting.getAsBoolean() ? perToken : fieldName.equals(KbFields.TAGS) ? counted : gathered;
      }
    };
  }

  /** An immutable copy of the English stop words used at index time. */
  public static CharArraySet stopWords() {
    return CharArraySet.unmodifiableSet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
  }
}
