package org.supportbot.kb.index;

import java.util.Arrays;
import org.apache.lucene.analysis.CharacterUtils;

/**
 * The exact tokens ({@link ExactTokenizer}) of one document's texts, gathered while {@link
 * CountingTokenizer} reads those texts for the stemmed fields, so that the exact-token field does
 * not read every character of them a second time. One per indexing thread ({@link #current()}).
 *
 * <p>{@link KbIndexWriter} opens a document ({@link #begin}) just before Lucene inverts it; Lucene
 * inverts the fields in the document's order, the stemmed texts before the exact-token field, whose
 * tokenizer ({@link CountingTokenizer#forExactTokens}) then takes the tokens if they are that
 * document's and complete: every one of its texts read, none holding white space other than space,
 * tab and line breaks (where the two tokenizers' white space differs) and none with a white-space
 * token longer than {@link ExactTokenizer}'s longest. Otherwise it reads the texts with {@link
 * ExactTokenizer} itself.
 */
final class ExactCollector {
  private static final ThreadLocal<ExactCollector> CURRENT = ThreadLocal.withInitial(ExactCollector::new);
  /** More chars than this in one document's tokens: stop gathering (the exact field reads the texts). */
  private static final int MAX_CHARS = 1 << 20;

  private long document;
  private int texts;
  private boolean complete = true;
  private char[] chars = new char[1024];
  private int used;
  private int[] ends = new int[64];
  private int count;
  /** Documents whose exact field read its texts again (the gathered tokens were not complete). */
  private long reread;

  /** This thread's collector. */
  static ExactCollector current() {
    return CURRENT.get();
  }

  /** Starts a document; its number, for {@link #tokensOf}. */
  long begin() {
    clear();
    return ++document;
  }

  /** One more text read; {@code whole} when its tokens are exactly what {@link ExactTokenizer} gives. */
  void textRead(boolean whole) {
    texts++;
    complete &= whole;
  }

  /** Adds the exact token {@code text[start, end)}, lower-cased. */
  void add(char[] text, int start, int end) {
    int len = end - start;
    if (used + len > MAX_CHARS) {
      complete = false;
      return;
    }
    if (used + len > chars.length) {
      chars = Arrays.copyOf(chars, Math.max(used + len, chars.length * 2));
    }
    System.arraycopy(text, start, chars, used, len);
    CharacterUtils.toLowerCase(chars, used, used + len);
    used += len;
    if (count == ends.length) {
      ends = Arrays.copyOf(ends, count * 2);
    }
    ends[count++] = used;
  }

  /**
   * The tokens gathered for document {@code document} from {@code texts} texts, as {@code
   * consumer} takes them, and true; false (taking nothing) when they are another document's or not
   * complete. Either way the collector is cleared.
   */
  boolean tokensOf(long doc, int expectedTexts, TokenConsumer consumer) {
    try {
      if (doc != document || !complete || texts != expectedTexts) {
        reread++;
        return false;
      }
      int from = 0;
      for (int i = 0; i < count; i++) {
        consumer.accept(chars, from, ends[i] - from);
        from = ends[i];
      }
      return true;
    } finally {
      clear();
    }
  }

  /** How many documents' exact fields read their texts again on this thread. */
  long reread() {
    return reread;
  }

  private void clear() {
    used = 0;
    count = 0;
    texts = 0;
    complete = true;
  }

  /** Takes one token's chars. */
  interface TokenConsumer {
    void accept(char[] buffer, int off, int len);
  }
}
