package org.supportbot.kb.index;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * Finds where a text holds any of a few stemmed terms: the tokens of {@link SupportAnalyzers#stemmed()}
 * whose term is wanted, with their offsets. Only tokens that {@link PrefixGate} lets through are
 * normalised, so a snippet's matches cost a tokenizer pass and a few lookups instead of one
 * normalisation per word. One instance per thread.
 */
public final class StemmedMatcher {
  private final Tokenizer source = new StandardTokenizer();
  private final PrefixGate gate = new PrefixGate(source);
  private final TokenStream chain = new EnglishTermFilter(gate, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);

  /**
   * Adds {@code {start, end, hash of the term}} for every token of {@code text} whose stemmed term
   * is in {@code wanted}, in text order.
   */
  public void collect(String text, Set<String> wanted, List<int[]> out) throws IOException {
    if (wanted.isEmpty()) {
      return;
    }
    gate.allow(wanted);
    source.setReader(new StringReader(text));
    try {
      collect(chain, wanted, out);
    } finally {
      chain.close();
    }
  }

  /**
   * Adds {@code {start, end, hash of the term}} for every token of {@code ts} (not yet reset) whose
   * term is in {@code wanted}, in text order; the caller closes {@code ts}.
   */
  public static void collect(TokenStream ts, Set<String> wanted, List<int[]> out) throws IOException {
    // looked up in the term buffer itself: no String per token of a text of thousands of tokens
    CharArraySet lookup = new CharArraySet(wanted, false);
    CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
    OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
    ts.reset();
    while (ts.incrementToken()) {
      if (lookup.contains(term.buffer(), 0, term.length())) {
        out.add(new int[] {offset.startOffset(), offset.endOffset(), term.toString().hashCode()});
      }
    }
    ts.end();
  }
}
