package org.supportbot.kb.index;

import java.io.IOException;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.FilteringTokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The English normalisation of each word token (possessive removed, lower case, ASCII folding,
 * stop words dropped, Porter stem), remembered per word in a {@link WordMemory}: the output is
 * exactly Lucene's filters', at one lookup for a word seen before.
 */
final class EnglishTermFilter extends FilteringTokenFilter {
  /** Slots of an indexing analyzer's memory (a power of two): 2 MB per indexing thread. */
  static final int MAX_REMEMBERED = 1 << 15;
  /** Slots of a searching analyzer's memory: 128 KB per searching thread, as a server has many. */
  static final int SEARCH_REMEMBERED = 1 << 11;

  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final WordMemory memory;

  /** @param remembered slots of the memory, a power of two */
  EnglishTermFilter(TokenStream in, CharArraySet stopWords, int remembered) {
    super(in);
    this.memory = new WordMemory(stopWords, remembered, false);
  }

  @Override
  protected boolean accept() throws IOException {
    int at = memory.slot(term.buffer(), 0, term.length());
    char length = memory.resultLength(at);
    if (length == WordMemory.DROPPED) {
      return false;
    }
    term.copyBuffer(memory.results(at), WordMemory.resultStart(at), length);
    return true;
  }

  /**
   * The hash ({@link String#hashCode()}) of the term the word {@code buffer[off, off + length)}
   * normalises to when that term is in {@code wanted}, else -1; as if the word were a token of this
   * filter.
   */
  long termIn(char[] buffer, int off, int length, CharArraySet wanted) throws IOException {
    int at = memory.slot(buffer, off, length);
    char[] from = memory.results(at);
    int result = WordMemory.resultStart(at);
    char resultLength = memory.resultLength(at);
    if (resultLength == WordMemory.DROPPED || !wanted.contains(from, result, resultLength)) {
      return -1;
    }
    int h = 0;
    for (int i = result; i < result + resultLength; i++) {
      h = 31 * h + from[i];
    }
    return h & 0xFFFF_FFFFL;
  }
}
