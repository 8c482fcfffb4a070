package org.supportbot.kb.index;

import java.nio.CharBuffer;
import java.util.Arrays;
import org.apache.lucene.analysis.CharArrayMap;
import org.apache.lucene.util.BytesRef;

/**
 * Small numbers for distinct terms, each term kept once as the UTF-8 the index stores, so that a text's
 * terms are counted in an array by number and each is encoded once, not once per text ({@link
 * CountingTokenizer}). Numbers start afresh once {@link #MAX_TERMS} are given ({@link #clearIfFull}),
 * which a caller does only between texts, while no number is held. Not thread-safe.
 */
final class TermNumbers {
  /** Most distinct terms numbered before the numbering starts afresh. */
  static final int MAX_TERMS = 1 << 20;

  private final CharArrayMap<Integer> numbers = new CharArrayMap<>(16, false);
  private BytesRef[] terms = new BytesRef[0];

  /** The number of the term {@code buffer[off, off + len)}, given now if it has none. */
  int number(char[] buffer, int off, int len) {
    Integer id = numbers.get(buffer, off, len);
    if (id != null) {
      return id;
    }
    int next = numbers.size();
    char[] term = Arrays.copyOfRange(buffer, off, off + len);
    numbers.put(term, next);
    if (next == terms.length) {
      terms = Arrays.copyOf(terms, Math.max(1024, next * 2));
    }
    terms[next] = new BytesRef(CharBuffer.wrap(term));
    return next;
  }

  /** The term numbered {@code id}, as UTF-8. */
  BytesRef term(int id) {
    return terms[id];
  }

  /** How many terms are numbered: every number given is below it. */
  int size() {
    return numbers.size();
  }

  /** Forgets every number once {@link #MAX_TERMS} are given; true when it did. */
  boolean clearIfFull() {
    if (numbers.size() < MAX_TERMS) {
      return false;
    }
    numbers.clear();
    terms = new BytesRef[0];
    return true;
  }
}
