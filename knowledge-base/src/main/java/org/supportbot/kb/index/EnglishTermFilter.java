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
 * and a word whose slot holds another replaces it. A slot is 32 characters of one array, holding
 * the hash, the word and its result together, so a lookup reads one or two adjacent cache lines.
 * (A probing hash table ({@code CharArrayMap}) dereferenced a key per probe and then the value,
 * and those cache misses were a fifth of indexing; so were the separate arrays of each word.)
 * Words or results longer than 14 characters are normalised every time.
 */
final class EnglishTermFilter extends FilteringTokenFilter {
  /** Slots of an indexing analyzer's memory (a power of two): 2 MB per indexing thread. */
  static final int MAX_REMEMBERED = 1 << 15;
  /** Slots of a searching analyzer's memory: 128 KB per searching thread, as a server has many. */
  static final int SEARCH_REMEMBERED = 1 << 11;
  /** Longest word, and longest result, a slot holds. */
  private static final int SLOT_WORD = 14;
  /** A slot: hash (2 chars), word length (0 = empty), result length or DROPPED, word, result. */
  private static final int SLOT = 4 + 2 * SLOT_WORD;
  /** The result length that marks a stop word (dropped). */
  private static final char DROPPED = 0xFFFF;

  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final char[] slots;
  private final int slotBits;
  /** The result of the last word {@link #slot} could not remember: {@code [length or DROPPED, result...]}. */
  private char[] unremembered;
  private final Tokenizer word = new KeywordTokenizer();
  private final TokenStream normalise;
  private final CharTermAttribute normalised;

  /** @param remembered slots of the memory, a power of two */
  EnglishTermFilter(TokenStream in, CharArraySet stopWords, int remembered) {
    super(in);
    if (Integer.bitCount(remembered) != 1) {
      throw new IllegalArgumentException("remembered must be a power of two, was " + remembered);
    }
    slots = new char[remembered * SLOT];
    slotBits = Integer.numberOfTrailingZeros(remembered);
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
    int at = slot(term.buffer(), 0, length);
    char[] from = at >= 0 ? slots : unremembered;
    int result = at >= 0 ? at + 4 + SLOT_WORD : 1;
    char resultLength = from[result - (at >= 0 ? 1 + SLOT_WORD : 1)];
    if (resultLength == DROPPED) {
      return false;
    }
    term.copyBuffer(from, result, resultLength);
    return true;
  }

  /**
   * The hash ({@link String#hashCode()}) of the term the word {@code buffer[off, off + length)}
   * normalises to when that term is in {@code wanted}, else -1; as if the word were a token of this
   * filter.
   */
  long termIn(char[] buffer, int off, int length, CharArraySet wanted) throws IOException {
    int at = slot(buffer, off, length);
    char[] from = at >= 0 ? slots : unremembered;
    int result = at >= 0 ? at + 4 + SLOT_WORD : 1;
    char resultLength = from[result - (at >= 0 ? 1 + SLOT_WORD : 1)];
    if (resultLength == DROPPED || !wanted.contains(from, result, resultLength)) {
      return -1;
    }
    int h = 0;
    for (int i = result; i < result + resultLength; i++) {
      h = 31 * h + from[i];
    }
    return h & 0xFFFF_FFFFL;
  }

  /**
   * The offset in {@link #slots} of the slot remembering the word, normalised and remembered now if
   * it was not; -1 when the word or its result is too long to remember ({@link #unremembered} then
   * holds the result).
   */
  private int slot(char[] buffer, int off, int length) throws IOException {
    if (length > SLOT_WORD) {
      unremembered = normalised(buffer, off, length);
      return -1;
    }
    int h = 0;
    for (int i = off; i < off + length; i++) {
      h = 31 * h + buffer[i];
    }
    int at = ((h * 0x9E3779B9) >>> (32 - slotBits)) * SLOT;
    if (slots[at + 2] == length && slots[at] == (char) (h >>> 16) && slots[at + 1] == (char) h
        && Arrays.equals(slots, at + 4, at + 4 + length, buffer, off, off + length)) {
      return at;
    }
    char[] r = normalised(buffer, off, length);
    if (r[0] != DROPPED && r[0] > SLOT_WORD) {
      unremembered = r;
      return -1;
    }
    slots[at] = (char) (h >>> 16);
    slots[at + 1] = (char) h;
    slots[at + 2] = (char) length;
    slots[at + 3] = r[0];
    System.arraycopy(buffer, off, slots, at + 4, length);
    System.arraycopy(r, 1, slots, at + 4 + SLOT_WORD, r.length - 1);
    return at;
  }

  /** Lucene's filters run on the word: {@code [result length or DROPPED, result...]}. */
  private char[] normalised(char[] buffer, int off, int length) throws IOException {
    word.setReader(new CharArrayReader(buffer, off, length));
    normalise.reset();
    boolean kept = normalise.incrementToken();
    int resultLength = kept ? normalised.length() : 0;
    char[] r = new char[1 + resultLength];
    r[0] = kept ? (char) resultLength : DROPPED;
    if (kept) {
      System.arraycopy(normalised.buffer(), 0, r, 1, resultLength);
    }
    normalise.end();
    normalise.close();
    return r;
  }
}
