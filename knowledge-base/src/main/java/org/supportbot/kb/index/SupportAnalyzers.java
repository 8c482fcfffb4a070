package org.supportbot.kb.index;

import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
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

  /** The analyzer for every field of the index. */
  public static Analyzer forIndex() {
    Map<String, Analyzer> perField = new HashMap<>();
    perField.put(KbFields.CODE, exact());
    KeywordAnalyzer keyword = new KeywordAnalyzer();
    for (String f : new String[] {KbFields.KEY, KbFields.SOURCE, KbFields.PRODUCT, KbFields.VERSION}) {
      perField.put(f, keyword);
    }
    return new PerFieldAnalyzerWrapper(
        stemmed(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, EnglishTermFilter.MAX_REMEMBERED), perField);
  }

  /** An immutable copy of the English stop words used at index time. */
  public static CharArraySet stopWords() {
    return CharArraySet.unmodifiableSet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
  }
}
