package org.supportbot.kb.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.junit.jupiter.api.Test;

/** {@link ExactTokenizer} gives exactly the tokens of the filter chain it replaced. */
class ExactTokenizerTest {
  /** Pieces of text: codes, words, punctuation, white space of every kind, surrogates, casing traps. */
  private static final String[] PIECES = {
    "ORA-00942", "4.2.1", "v2", "config.yml", "ERR_POOL_TIMEOUT_MS", "maxPoolSize", "/etc/app/app.yml",
    "C:\\ProgramData\\Beacon", "x", "42", "a-", "-a", "_", "a_b", "#12", "@user", "k=v", "key:value",
    "connection", "The", "İstanbul", "ǅemal", "ΣΑΣ", "camelCase", "ABc", "aBC", "ß", "ﬁle", "ＦＵＬＬ",
    "١٢٣", "٣x", "日本語", "emoji😀", "😀", "\uD83D", "\uDE00", "a\uD83Db", "(paren)", "\"quoted\"",
    "'single'", "`tick`", "[x]", "{y}", "<z>", "*bold*", "end.", "end,", "what?!", "...", "***", ".a.",
    "(a1)", "«4.2»", "’s", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2028", "\u2003", "\u3000", "\u000B",
    "\u001C", "\u0085", "\u200B",
  };

  /** The chain {@link SupportAnalyzers#exact()} was until {@link ExactTokenizer}. */
  private static Analyzer reference() {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = new WhitespaceTokenizer();
        TokenStream ts = new TrimPunctuationFilter(source);
        ts = new ExactTokenFilter(ts);
        ts = new LowerCaseFilter(ts);
        return new TokenStreamComponents(source, ts);
      }
    };
  }

  /** Term, position increment and offsets of every token, then the final offset and increment. */
  private static List<String> analyse(Analyzer a, String text) throws IOException {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = a.tokenStream(KbFields.CODE, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
      OffsetAttribute off = ts.addAttribute(OffsetAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term + " +" + inc.getPositionIncrement() + " " + off.startOffset() + "-" + off.endOffset());
      }
      ts.end();
      out.add("end +" + inc.getPositionIncrement() + " " + off.startOffset() + "-" + off.endOffset());
    }
    return out;
  }

  private static String randomText(SplittableRandom rnd, int pieces) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < pieces; i++) {
      switch (rnd.nextInt(12)) {
        // a run long enough for the 255-char cut, sometimes with a surrogate pair across it
        case 0 -> b.append("x".repeat(240 + rnd.nextInt(30))).append(rnd.nextBoolean() ? "😀1" : "A.b");
        case 1 -> b.append(' ');
        default -> b.append(PIECES[rnd.nextInt(PIECES.length)]);
      }
      if (rnd.nextInt(3) > 0) {
        b.append(rnd.nextInt(8) == 0 ? "\n" : " ");
      }
    }
    return b.toString();
  }

  @Test
  void givesTheFilterChainsTokensPositionsAndOffsets() throws IOException {
    Analyzer fast = SupportAnalyzers.exact();
    Analyzer reference = reference();
    SplittableRandom rnd = new SplittableRandom(20_261_204L);
    int kept = 0;
    for (int doc = 0; doc < 3_000; doc++) {
      String text = randomText(rnd, rnd.nextInt(400));
      List<String> expected = analyse(reference, text);
      assertThat(analyse(fast, text)).as("text %s", text).isEqualTo(expected);
      kept += expected.size() - 1;
    }
    assertThat(kept).as("tokens kept over all texts").isGreaterThan(100_000);
  }

  @Test
  void givesTheFilterChainsTokensOnEdgeTexts() throws IOException {
    Analyzer fast = SupportAnalyzers.exact();
    Analyzer reference = reference();
    for (String text : new String[] {"", " ", "\n\n", "a", "a1", "plain words only", "x".repeat(255),
        "x".repeat(254) + "😀", "x".repeat(510) + "1", "1" + "x".repeat(600), "...", "(4.2)", "\uD83D",
        "words then ORA-00942", "ORA-00942 then words", "ab\u00a0c1 d2", "ab1 ".repeat(40_000) + "v2",
        "after a long text: v3"}) {
      assertThat(analyse(fast, text)).as(text).isEqualTo(analyse(reference, text));
    }
    // the same stream, reused on a second text, starts afresh
    assertThat(analyse(fast, "word word")).isEqualTo(analyse(reference, "word word"));
  }
}
