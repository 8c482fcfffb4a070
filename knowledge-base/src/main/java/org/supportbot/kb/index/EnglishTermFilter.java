package org.supportbot.kb.index;

import java.io.CharArrayReader;
import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.FilteringTokenFilter;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The English normalisation of one word token (possessive removed, lower case, ASCII folding,
 * stop words dropped, Porter stem), with the result remembered per word. Each of those steps
 * depends on the token alone, so a word seen before costs one lookup instead of five filters; a
 * word not remembered goes through Lucene's own filters, so the output is exactly theirs. Word
 * frequencies are Zipfian: a few thousand words make up most of any text.
 *
 * <p>The memory is direct-mapped, like a CPU cache: each word has one slot, chosen by its hash,
 * holding the word and its result in one array; a word whose slot holds another replaces it. A
 * lookup reads the slot's hash and, only when it agrees, that one array. (A hash table that probes
 * ({@code CharArrayMap}, 0.8 full) dereferenced a key for every probe, and those cache misses were
 * a fifth of indexing.)
 */
final class EnglishTermFilter extends FilteringTokenFilter {
  /** Slots of the memory (a power of two): a few hundred KB per analysing thread. */
  static final int MAX_REMEMBERED = 1 << 15;
  /** Longer tokens (long identifiers, pasted junk) are normalised every time. */
  private static final int MAX_REMEMBERED_LENGTH = 40;
  /** The result length that marks a stop word (dropped). */
  private static final char DROPPED = 0xFFFF;

  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  /** Per slot: the word's hash. */
  private final int[] hashes = new int[MAX_REMEMBERED];
  /** Per slot: {@code [word length, word..., result length or DROPPED, result...]}, or null. */
  private final char[][] entries = new char[MAX_REMEMBERED][];
  private final Tokenizer word = new KeywordTokenizer();
  private final TokenStream normalise;
  private final CharTermAttribute normalised;

  EnglishTermFilter(TokenStream in, CharArraySet stopWords) {
    super(in);
    TokenStream ts = new EnglishPossessiveFilter(word);
    ts = new LowerCaseFilter(ts);
    ts = new ASCIIFoldingFilter(ts);
    ts = new StopFilter(ts, stopWords);
    normalise = new PorterStemFilter(ts);
    normalised = normalise.getAttribute(CharTermAttribute.class);
  }

  @Override
  protected boolean accept() throws IOException {
    int length = term.length();
    char[] e = entry(term.buffer(), 0, length);
    char resultLength = e[1 + length];
    if (resultLength == DROPPED) {
      return false;
    }
    term.copyBuffer(e, 2 + length, resultLength);
    return true;
  }

  /**
   * The hash ({@link String#hashCode()}) of the term the word {@code buffer[off, off + length)}
   * normalises to when that term is in {@code wanted}, else -1; as if the word were a token of this
   * filter.
   */
  long termIn(char[] buffer, int off, int length, CharArraySet wanted) throws IOException {
    char[] e = entry(buffer, off, length);
    char resultLength = e[1 + length];
    if (resultLength == DROPPED || !wanted.contains(e, 2 + length, resultLength)) {
      return -1;
    }
    int h = 0;
    for (int i = 2 + length; i < 2 + length + resultLength; i++) {
      h = 31 * h + e[i];
    }
    return h & 0xFFFF_FFFFL;
  }

  /** The remembered entry of a word, normalised and remembered now if it is not. */
  private char[] entry(char[] buffer, int off, int length) throws IOException {
    if (length > MAX_REMEMBERED_LENGTH) {
      return normalised(buffer, off, length);
    }
    int h = 0;
    for (int i = off; i < off + length; i++) {
      h = 31 * h + buffer[i];
    }
    int slot = (h * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(MAX_REMEMBERED));
    char[] e = entries[slot];
    if (e != null && hashes[slot] == h && e[0] == length
        && Arrays.equals(e, 1, 1 + length, buffer, off, off + length)) {
      return e;
    }
    e = normalised(buffer, off, length);
    entries[slot] = e;
    hashes[slot] = h;
    return e;
  }

  /** Lucene's filters run on the word: {@code [length, word..., result length or DROPPED, result...]}. */
  private char[] normalised(char[] buffer, int off, int length) throws IOException {
    word.setReader(new CharArrayReader(buffer, off, length));
    normalise.reset();
    boolean kept = normalise.incrementToken();
    int resultLength = kept ? normalised.length() : 0;
    char[] e = new char[2 + length + resultLength];
    e[0] = (char) length;
    System.arraycopy(buffer, off, e, 1, length);
    e[1 + length] = kept ? (char) resultLength : DROPPED;
    if (kept) {
      System.arraycopy(normalised.buffer(), 0, e, 2 + length, resultLength);
    }
    normalise.end();
    normalise.close();
    return e;
  }
}
