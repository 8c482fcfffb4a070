package org.supportbot.kb.index;

import java.io.Reader;

/**
 * A reader over a range of a char array that can be pointed at another range, so that a tokenizer
 * run on word after word does not allocate a reader per word. Closing it does nothing (a tokenizer
 * closes its reader after every text).
 */
final class CharsReader extends Reader {
  private char[] chars = new char[0];
  private int at;
  private int end;

  /** Reads {@code chars[off, off + len)} from now on. */
  CharsReader reset(char[] buffer, int off, int len) {
    this.chars = buffer;
    this.at = off;
    this.end = off + len;
    return this;
  }

  @Override
  public int read(char[] cbuf, int off, int len) {
    if (at >= end) {
      return -1;
    }
    int n = Math.min(len, end - at);
    System.arraycopy(chars, at, cbuf, off, n);
    at += n;
    return n;
  }

  @Override
  public void close() {
    // nothing to release; the same reader is pointed at the next text
  }
}
