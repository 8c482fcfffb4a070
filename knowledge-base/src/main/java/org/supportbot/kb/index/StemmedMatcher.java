package org.supportbot.kb.index;

import java.io.CharArrayReader;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
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
  private final StandardTokenizer source = new StandardTokenizer();
  private final PrefixGate gate = new PrefixGate(source);
  private final TokenStream chain = new EnglishTermFilter(gate, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);

  /**
   * Adds {@code {start, end, hash of the term}} for every token of {@code text} whose stemmed term
   * is in {@code wanted}, in text order.
   *
   * <p>The tokenizer runs only over the stretches of text that can hold a match. No token spans
   * ASCII white space, and none starts between two ASCII letters or digits (Unicode word-break
   * rules WB5 and WB8-WB10 join them), so a white-space-separated chunk is tokenized only when one
   * of its possible token starts passes {@link PrefixGate#mayStartAt}; chunks longer than the
   * tokenizer's longest token (which it splits anywhere) are always tokenized. A chunk is
   * tokenized on its own, the offsets shifted by where it starts: the white space before it is a
   * token boundary either way. {@code PrefixGateTest} checks the matches against a full pass.
   */
  public void collect(String text, Set<String> wanted, List<int[]> out) throws IOException {
    if (wanted.isEmpty()) {
      return;
    }
    gate.allow(wanted);
    int n = text.length();
    if (chars.length < n) {
      chars = new char[Math.max(n, 2 * chars.length)];
    }
    text.getChars(0, n, chars, 0);
    CharArraySet lookup = new CharArraySet(wanted, false);
    int from = -1;
    int to = -1;
    int i = 0;
    while (i < n) {
      while (i < n && isSpace(chars[i])) {
        i++;
      }
      int start = i;
      boolean open = false;
      boolean afterWordChar = false;
      for (; i < n && !isSpace(chars[i]); i++) {
        char c = chars[i];
        if (!open && !afterWordChar && gate.mayStartAt(chars, i, n)) {
          open = true;
        }
        afterWordChar = c < 128 && Character.isLetterOrDigit(c);
      }
      if (i == start || !(open || i - start > source.getMaxTokenLength())) {
        continue;
      }
      if (from >= 0 && start - to <= JOIN_GAP) {
        to = i; // one tokenizer pass over both chunks and the few characters between
      } else {
        if (from >= 0) {
          collectRange(from, to, lookup, out);
        }
        from = start;
        to = i;
      }
    }
    if (from >= 0) {
      collectRange(from, to, lookup, out);
    }
  }

  /** Chunks this close together are tokenized in one pass rather than two. */
  private static final int JOIN_GAP = 64;

  private char[] chars = new char[1_024];

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private void collectRange(int from, int to, CharArraySet lookup, List<int[]> out) throws IOException {
    source.setReader(new CharArrayReader(chars, from, to - from));
    try {
      CharTermAttribute term = chain.addAttribute(CharTermAttribute.class);
      OffsetAttribute offset = chain.addAttribute(OffsetAttribute.class);
      chain.reset();
      while (chain.incrementToken()) {
        if (lookup.contains(term.buffer(), 0, term.length())) {
          out.add(new int[] {from + offset.startOffset(), from + offset.endOffset(), term.toString().hashCode()});
        }
      }
      chain.end();
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
