package org.supportbot.kb.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The analyzers' fast paths give exactly the tokens of the Lucene filter chains they replace. */
class SupportAnalyzersTest {
  private static final String[] WORDS = {
    "the", "The", "THE", "a", "is", "not", "how", "do", "I", "connection", "connections", "Connected",
    "John's", "users'", "café", "Ünïcode", "naïve", "résumé", "ORA-00942", "4.2.1", "config.yml",
    "ERR_POOL_TIMEOUT_MS", "maxPoolSize", "/etc/app/app.yml", "C:\\ProgramData\\Beacon", "x", "42",
    "running", "runs", "ran", "happily", "generalizations", "it’s", "don't", "«quoted»", "(paren)",
    "e-mail", "über-cool", "日本語", "emoji😀", "ﬁle", "ＦＵＬＬ", "ß", "İstanbul",
  };

  /** Lucene's chain as it was before {@link EnglishTermFilter}. */
  private static Analyzer referenceStemmed(CharArraySet stopWords) {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = new StandardTokenizer();
        TokenStream ts = new EnglishPossessiveFilter(source);
        ts = new LowerCaseFilter(ts);
        ts = new ASCIIFoldingFilter(ts);
        ts = new StopFilter(ts, stopWords);
        ts = new PorterStemFilter(ts);
        return new TokenStreamComponents(source, ts);
      }
    };
  }

  /** Term, position increment and offsets of every token, then the final offset and increment. */
  private static List<String> analyse(Analyzer a, String text) throws IOException {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = a.tokenStream("body", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
      OffsetAttribute off = ts.addAttribute(OffsetAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term + " +" + inc.getPositionIncrement() + " " + off.startOffset() + "-" + off.endOffset());
      }
      ts.end();
      out.add("end +" + inc.getPositionIncrement() + " " + off.endOffset());
    }
    return out;
  }

  private static String randomText(SplittableRandom rnd, int words) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < words; i++) {
      if (rnd.nextInt(4) == 0) {
        // a made-up word, so that remembered words evict one another
        b.append(WORDS[rnd.nextInt(WORDS.length)]).append(Integer.toString(rnd.nextInt(1 << 20), 36));
      } else {
        b.append(WORDS[rnd.nextInt(WORDS.length)]);
      }
      b.append(rnd.nextInt(10) == 0 ? ". " : " ");
    }
    return b.toString();
  }

  @ParameterizedTest(name = "{0} stop words")
  @ValueSource(strings = {"index", "case-blind query", "indexing (larger memory)"})
  void stemmedAnalyzerGivesLuceneChainTokens(String which) throws IOException {
    CharArraySet stop = which.equals("case-blind query")
        ? new CharArraySet(List.of("how", "do", "i", "not", "the", "possible"), true)
        : EnglishAnalyzer.ENGLISH_STOP_WORDS_SET;
    Analyzer fast = which.startsWith("indexing") ? SupportAnalyzers.forIndex() : SupportAnalyzers.stemmed(stop);
    Analyzer reference = referenceStemmed(stop);
    SplittableRandom rnd = new SplittableRandom(20_261_201L);
    int tokens = 0;
    for (int doc = 0; doc < 1_200; doc++) {
      String text = randomText(rnd, 1 + rnd.nextInt(600));
      List<String> expected = analyse(reference, text);
      assertThat(analyse(fast, text)).as("text %s", text).isEqualTo(expected);
      tokens += expected.size();
    }
    assertThat(tokens / 4).as("enough made-up words to start the memory afresh")
        .isGreaterThan(EnglishTermFilter.MAX_REMEMBERED);
  }

  @Test
  void stemmedAnalyzerHandlesEdgeTokens() throws IOException {
    Analyzer fast = SupportAnalyzers.stemmed();
    Analyzer reference = referenceStemmed(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
    for (String text : new String[] {"", " ", "'s", "s's", "The the THE", "x".repeat(300) + " y's",
        "a".repeat(41) + " " + "a".repeat(41) + "s", "Ünïcode's résumés"}) {
      assertThat(analyse(fast, text)).as(text).isEqualTo(analyse(reference, text));
    }
  }
}
