package org.supportbot.kb.index;

import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/** A tokenizer's whole input in one buffer, reused from one text to the next. */
final class WholeText {
  /** Largest buffer kept from one text to the next: one long text must not keep it for the life of the thread. */
  private static final int MAX_KEPT_BUFFER = 1 << 16;

  private char[] chars = new char[4096];
  private int length;

  /** Reads all of {@code input}. */
  void read(Reader input) throws IOException {
    length = 0;
    if (chars.length > MAX_KEPT_BUFFER) {
      chars = new char[4096];
    }
    while (true) {
      if (length == chars.length) {
        chars = Arrays.copyOf(chars, chars.length * 2);
      }
      int n = input.read(chars, length, chars.length - length);
      if (n < 0) {
        return;
      }
      length += n;
    }
  }

  /** The buffer; the text is its first {@link #length()} chars. */
  char[] chars() {
    return chars;
  }

  int length() {
    return length;
  }
}
