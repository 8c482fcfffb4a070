package org.supportbot.kb.index;

import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.util.BytesRef;

/**
 * The English normalisation of one word token (possessive removed, lower case, ASCII folding,
 * stop words dropped, Porter stem), with the result remembered per word. Each of those steps
 * depends on the token alone, so a word seen before costs one lookup instead of five filters; a
 * word not remembered goes through Lucene's own filters, so the output is exactly theirs. Word
 * frequencies are Zipfian: a few thousand words make up most of any text.
 *
 * <p>The memory is direct-mapped, like a CPU cache: each word has one slot, chosen by its hash,
 * and a word whose slot holds another replaces it. A slot is 32 characters of one array, holding
 * the word and its result together, so a lookup reads one or two adjacent cache lines. (A probing
 * hash table ({@code CharArrayMap}) dereferenced a key per probe and then the value, and those
 * cache misses were a fifth of indexing; so were the separate arrays of each word.) Words or
 * results longer than 14 characters are normalised every time.
 *
 * <p>A numbering memory gives each distinct result a small number instead ({@link #termId}), kept
 * in the slot, so that {@link CountingTokenizer} counts a text's terms with one array increment per
 * word. Not thread-safe: one per analyzer component, that is per thread.
 */
final class WordMemory {
  /** Longest word, and longest result, a slot of a normalising memory holds. */
  private static final int SLOT_WORD = 14;
  /** A normalising slot: unused (2 chars), word length (0 = empty), result length or DROPPED, word, result. */
  private static final int SLOT = 4 + 2 * SLOT_WORD;
  /** Longest word a slot of a numbering memory holds. */
  private static final int NUMBERED_WORD = 13;
  /** A numbering slot: word length (0 = empty), term number (2 chars; -1 for a stop word), word. */
  private static final int NUMBERED_SLOT = 3 + NUMBERED_WORD;
  /** The result length that marks a stop word (dropped). */
  static final char DROPPED = 0xFFFF;
  /** The term number of a stop word. */
  static final int STOP_WORD = -1;

  private final char[] slots;
  private final int slotBits;
  private final boolean numbering;
  /** Each numbered result, by number, as UTF-8 (numbering memories only): what the index stores. */
  private final TermNumbers numbers = new TermNumbers();
  /** The result of the last word {@link #slot} could not remember: {@code [length or DROPPED, result...]}. */
  private char[] unremembered;
  private final Tokenizer word = new KeywordTokenizer();
  private final CharsReader reader = new CharsReader();
  private final TokenStream normalise;
  private final CharTermAttribute normalised;

  /**
   * @param remembered slots of the memory, a power of two
   * @param numbering a numbering memory ({@link #termId}), else a normalising one ({@link #slot})
   */
  WordMemory(CharArraySet stopWords, int remembered, boolean numbering) {
    if (Integer.bitCount(remembered) != 1) {
      throw new IllegalArgumentException("remembered must be a power of two, was " + remembered);
    }
    this.slots = new char[remembered * (numbering ? NUMBERED_SLOT : SLOT)];
    this.slotBits = Integer.numberOfTrailingZeros(remembered);
    this.numbering = numbering;
    TokenStream ts = new EnglishPossessiveFilter(word);
    ts = new LowerCaseFilter(ts);
    ts = new ASCIIFoldingFilter(ts);
    ts = new StopFilter(ts, stopWords);
    normalise = new PorterStemFilter(ts);
    normalised = normalise.getAttribute(CharTermAttribute.class);
  }

  /** The hash a word's slot is chosen by: {@link String#hashCode()} of the word. */
  static int hash(char[] buffer, int off, int length) {
    int h = 0;
    for (int i = off; i < off + length; i++) {
      h = 31 * h + buffer[i];
    }
    return h;
  }

  private int index(char[] buffer, int off, int length) {
    return (hash(buffer, off, length) * 0x9E3779B9) >>> (32 - slotBits);
  }

  /**
   * The offset in the memory of the slot remembering the word {@code buffer[off, off + length)},
   * normalised and remembered now if it was not; -1 when the word or its result is too long to
   * remember ({@link #results} then holds the result). Normalising memories only.
   */
  int slot(char[] buffer, int off, int length) throws IOException {
    if (length > SLOT_WORD) {
      unremembered = normalised(buffer, off, length);
      return -1;
    }
    int at = index(buffer, off, length) * SLOT;
    if (slots[at + 2] == length && same(at + 4, buffer, off, length)) {
      return at;
    }
    char[] r = normalised(buffer, off, length);
    if (r[0] != DROPPED && r[0] > SLOT_WORD) {
      unremembered = r;
      return -1;
    }
    slots[at + 2] = (char) length;
    slots[at + 3] = r[0];
    System.arraycopy(buffer, off, slots, at + 4, length);
    System.arraycopy(r, 1, slots, at + 4 + SLOT_WORD, r.length - 1);
    return at;
  }

  /**
   * The number of the term the word {@code buffer[off, off + length)} normalises to, or {@link
   * #STOP_WORD}; {@link #term} gives the term. A slot here is half a normalising one (the word and
   * its number, not its result), so twice as many words stay in the same cache. Numbering memories
   * only.
   */
  int termId(char[] buffer, int off, int length) throws IOException {
    return termId(buffer, off, length, hash(buffer, off, length));
  }

  /** {@link #termId(char[], int, int)} for a word whose {@link #hash} the caller has computed. */
  int termId(char[] buffer, int off, int length, int hash) throws IOException {
    if (length > NUMBERED_WORD) {
      char[] r = normalised(buffer, off, length);
      return r[0] == DROPPED ? STOP_WORD : number(r);
    }
    int at = ((hash * 0x9E3779B9) >>> (32 - slotBits)) * NUMBERED_SLOT;
    if (slots[at] == length && same(at + 3, buffer, off, length)) {
      return (slots[at + 1] << 16) | slots[at + 2];
    }
    char[] r = normalised(buffer, off, length);
    int id = r[0] == DROPPED ? STOP_WORD : number(r);
    slots[at] = (char) length;
    slots[at + 1] = (char) (id >>> 16);
    slots[at + 2] = (char) id;
    System.arraycopy(buffer, off, slots, at + 3, length);
    return id;
  }

  /** Word comparison by hand: words are short, and {@code Arrays.equals} sets up a vector compare. */
  private boolean same(int at, char[] buffer, int off, int length) {
    for (int i = 0; i < length; i++) {
      if (slots[at + i] != buffer[off + i]) {
        return false;
      }
    }
    return true;
  }

  /** The array holding the result of {@code slot}'s word: the memory, or the unremembered result. */
  char[] results(int slot) {
    return slot >= 0 ? slots : unremembered;
  }

  /** Where the result of {@code slot}'s word starts in {@link #results}. */
  static int resultStart(int slot) {
    return slot >= 0 ? slot + 4 + SLOT_WORD : 1;
  }

  /** The length of the result of {@code slot}'s word, or {@link #DROPPED} for a stop word. */
  char resultLength(int slot) {
    return slot >= 0 ? slots[slot + 3] : unremembered[0];
  }

  /** The term numbered {@code id}, as UTF-8. */
  BytesRef term(int id) {
    return numbers.term(id);
  }

  /** How many terms are numbered: every {@link #termId} is below it. */
  int numbered() {
    return numbers.size();
  }

  /**
   * Forgets every word and number when the numbers have run up to their limit (a corpus with
   * millions of distinct words); call it only between texts, while no number is held.
   */
  void trim() {
    if (numbers.clearIfFull()) {
      Arrays.fill(slots, (char) 0);
    }
  }

  private int number(char[] r) {
    return numbers.number(r, 1, r.length - 1);
  }

  /** Lucene's filters run on the word: {@code [result length or DROPPED, result...]}. */
  private char[] normalised(char[] buffer, int off, int length) throws IOException {
    word.setReader(reader.reset(buffer, off, length));
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
