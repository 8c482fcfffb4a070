package org.supportbot.kb.index;

import java.io.CharArrayReader;
import java.io.IOException;
import java.util.Arrays;
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
 * whose term is wanted, with their offsets. Only words that {@link PrefixGate} lets through are
 * normalised, and the tokenizer runs only over the few chunks of text that are not plain words
 * (see {@link #collect}). One instance per thread.
 */
public final class StemmedMatcher {
  private final StandardTokenizer source = new StandardTokenizer();
  private final PrefixGate gate = new PrefixGate(source);
  private final EnglishTermFilter filter =
      new EnglishTermFilter(gate, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, EnglishTermFilter.SEARCH_REMEMBERED);
  private final TokenStream chain = filter;

  /**
   * Adds {@code {start, end, hash of the term}} for every token of {@code text} whose stemmed term
   * is in {@code wanted}, in text order.
   *
   * <p>Most of the text is never tokenized. No token spans ASCII white space, and none starts
   * between two ASCII letters or digits (Unicode word-break rules WB5 and WB8-WB10 join them). So
   * the text is read as white-space-separated chunks: a chunk of one run of ASCII letters and
   * digits with only ASCII punctuation around it (not {@code _}, which joins) is that one token,
   * normalised directly when {@link PrefixGate#mayStartAt} lets its start through; any other chunk
   * is tokenized on its own (the white space before it is a token boundary either way, so offsets
   * are only shifted) when one of its possible token starts passes the gate, and always when it is
   * longer than the tokenizer's longest token (which it splits anywhere). {@code PrefixGateTest}
   * checks the matches against a full pass of the analyzer.
   */
  public void collect(String text, Set<String> wanted, List<int[]> out) throws IOException {
    if (wanted.isEmpty()) {
      return;
    }
    gate.allow(wanted);
    if (!wanted.equals(memoWanted)) {
      memoWanted = Set.copyOf(wanted);
      generation++;
    }
    int n = text.length();
    if (chars.length < n) {
      chars = new char[Math.max(n, 2 * chars.length)];
    }
    text.getChars(0, n, chars, 0);
    CharArraySet lookup = new CharArraySet(wanted, false);
    int i = 0;
    while (i < n) {
      while (i < n && isSpace(chars[i])) {
        i++;
      }
      int start = i;
      boolean open = false;
      boolean afterWordChar = false;
      int runs = 0;
      int runStart = -1;
      int runEnd = -1;
      boolean plain = true;
      for (; i < n && !isSpace(chars[i]); i++) {
        char c = chars[i];
        boolean wordChar = c < 128 && WORD[c];
        if (wordChar) {
          if (!afterWordChar) {
            runs++;
            runStart = i;
            if (!open && gate.mayStartAt(chars, i, n)) {
              open = true;
            }
          }
          runEnd = i + 1;
        } else {
          if (c >= 128 || c == '_') {
            plain = false;
          }
          if (!open && gate.mayStartAt(chars, i, n)) {
            open = true;
          }
        }
        afterWordChar = wordChar;
      }
      if (i == start) {
        continue;
      }
      if (plain && runs <= 1 && i - start <= source.getMaxTokenLength()) {
        // one token or none: no tokenizer needed
        if (runs == 1 && gate.mayStartAt(chars, runStart, runEnd)) {
          long hash = termIn(runStart, runEnd - runStart, lookup);
          if (hash >= 0) {
            out.add(new int[] {runStart, runEnd, (int) hash});
          }
        }
      } else if (open || i - start > source.getMaxTokenLength()) {
        collectRange(start, i, lookup, out);
      }
    }
  }

  /**
   * What {@link EnglishTermFilter#termIn} said of a short word for the current wanted terms: the
   * hits of one query share most of their words, and this table (a few KB, direct-mapped, the
   * words inline) stays in the nearest CPU cache where the analysis's word memory does not.
   */
  private static final int MEMO_SLOTS = 512;
  private static final int MEMO_CHARS = 16;
  private final char[] memoWords = new char[MEMO_SLOTS * MEMO_CHARS];
  private final int[] memoLength = new int[MEMO_SLOTS];
  private final long[] memoTerm = new long[MEMO_SLOTS];
  private final int[] memoGeneration = new int[MEMO_SLOTS];
  /** The wanted terms the memo's answers are for; a new set starts a new generation. */
  private Set<String> memoWanted = Set.of();
  private int generation = 1;

  private long termIn(int off, int length, CharArraySet lookup) throws IOException {
    if (length > MEMO_CHARS) {
      return filter.termIn(chars, off, length, lookup);
    }
    int h = 0;
    for (int i = off; i < off + length; i++) {
      h = 31 * h + chars[i];
    }
    int slot = (h * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(MEMO_SLOTS));
    int at = slot * MEMO_CHARS;
    if (memoGeneration[slot] == generation && memoLength[slot] == length
        && Arrays.equals(memoWords, at, at + length, chars, off, off + length)) {
      return memoTerm[slot];
    }
    long term = filter.termIn(chars, off, length, lookup);
    System.arraycopy(chars, off, memoWords, at, length);
    memoLength[slot] = length;
    memoTerm[slot] = term;
    memoGeneration[slot] = generation;
    return term;
  }

  /** ASCII letters and digits (also {@link CountingTokenizer}'s chunk reading). */
  static final boolean[] WORD = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      WORD[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }
  }

  private char[] chars = new char[1_024];

  /** The white space that separates chunks: no token of {@link StandardTokenizer} spans it. */
  static boolean isSpace(char c) {
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
