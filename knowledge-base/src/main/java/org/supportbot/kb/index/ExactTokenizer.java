package org.supportbot.kb.index;

import java.io.IOException;
import org.apache.lucene.analysis.CharacterUtils;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * The exact tokens of a text in one pass: white-space-separated tokens (as Lucene's {@code
 * WhitespaceTokenizer} cuts them, at most 255 characters), trimmed of sentence punctuation, quotes
 * and brackets at both ends, kept only when they look like an identifier, error code, version or
 * path (a digit; one of {@code _ . / \ : - # @ =} inside; an upper-case letter after a lower-case
 * one), then lower-cased.
 *
 * <p>That was a chain of a tokenizer and three filters, and most white-space tokens of a text are
 * plain words that the chain built, trimmed and dropped one attribute-clearing step at a time (an
 * eighth of indexing). Here a token becomes a term only when it is kept. Terms, positions and
 * offsets are the chain's exactly: {@code ExactTokenizerTest} compares them on random text over a
 * hostile alphabet.
 */
final class ExactTokenizer extends Tokenizer {
  /** Longest token, in chars, as {@code WhitespaceTokenizer} cuts them (its default). */
  static final int MAX_TOKEN = 255;

  /** Classes of ASCII chars: white space, lower-case letter, trimmed but no shape, anything else. */
  static final byte SPACE = 1;
  static final byte LOWER = 2;
  static final byte TRIM_ONLY = 4;
  static final byte OTHER = 8;
  /** The class of each ASCII char (see {@link #SPACE} and the others). */
  static final byte[] ASCII = new byte[0x80];

  static {
    for (char c = 0; c < 0x80; c++) {
      boolean shape = c >= '0' && c <= '9' || "_./\\:-#@=".indexOf(c) >= 0;
      ASCII[c] = Character.isWhitespace(c) ? SPACE
          : c >= 'a' && c <= 'z' ? LOWER
          : trimmed(c) && !shape ? TRIM_ONLY
          : OTHER;
    }
  }

  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
  private final PositionIncrementAttribute position = addAttribute(PositionIncrementAttribute.class);
  private final WholeText whole = new WholeText();
  private char[] text;
  private int length;
  private int at;
  /** Tokens dropped as plain words since the last kept one: each still takes a position. */
  private int skipped;

  @Override
  public void reset() throws IOException {
    super.reset();
    whole.read(input);
    text = whole.chars();
    length = whole.length();
    at = 0;
    skipped = 0;
  }

  @Override
  public boolean incrementToken() throws IOException {
    clearAttributes();
    while (true) {
      // the next white-space token [start, end), cut at MAX_TOKEN chars as CharTokenizer does
      int start = at;
      while (start < length) {
        char ch = text[start];
        if (ch < 0x80) {
          if (ASCII[ch] != SPACE) {
            break;
          }
          start++;
        } else {
          int c = Character.codePointAt(text, start, length);
          if (!Character.isWhitespace(c)) {
            break;
          }
          start += Character.charCount(c);
        }
      }
      if (start >= length) {
        at = length;
        return false;
      }
      int end = start;
      int seen = 0;
      while (end < length) {
        char ch = text[end];
        if (ch < 0x80) {
          byte k = ASCII[ch];
          if (k == SPACE) {
            break;
          }
          seen |= k;
          end++;
        } else {
          int c = Character.codePointAt(text, end, length);
          if (Character.isWhitespace(c)) {
            break;
          }
          seen |= OTHER;
          end += Character.charCount(c);
        }
        if (end - start >= MAX_TOKEN) {
          break;
        }
      }
      at = end;
      if ((seen & OTHER) == 0) {
        // lower-case letters and punctuation that is trimmed: a plain word (a dropped token that
        // takes a position), or nothing left once trimmed (gone without one)
        if ((seen & LOWER) != 0) {
          skipped++;
        }
        continue;
      }
      while (start < end && trimmed(text[start])) {
        start++;
      }
      while (end > start && trimmed(text[end - 1])) {
        end--;
      }
      if (start == end) {
        continue; // all punctuation: gone without a position, as the trimming filter dropped it
      }
      if (!looksExact(text, start, end - start)) {
        skipped++;
        continue;
      }
      int len = end - start;
      char[] buffer = term.resizeBuffer(len);
      System.arraycopy(text, start, buffer, 0, len);
      CharacterUtils.toLowerCase(buffer, 0, len);
      term.setLength(len);
      offset.setOffset(correctOffset(start), correctOffset(end));
      position.setPositionIncrement(1 + skipped);
      skipped = 0;
      return true;
    }
  }

  @Override
  public void end() throws IOException {
    super.end();
    int last = correctOffset(length);
    offset.setOffset(last, last);
    position.setPositionIncrement(skipped);
  }

  static boolean trimmed(char c) {
    return switch (c) {
      case '.', ',', ';', ':', '!', '?', '"', '\'', '`', '(', ')', '[', ']', '{', '}', '<', '>', '*' -> true;
      default -> false;
    };
  }

  /**
   * Whether a trimmed token looks like an identifier, code, version or path: at least two chars and
   * a digit, one of {@code _ . / \ : - # @ =} not at either end, or an upper-case letter right after
   * a lower-case one.
   */
  static boolean looksExact(char[] b, int off, int len) {
    if (len < 2) {
      return false;
    }
    boolean sawLower = false;
    for (int i = 0; i < len; i++) {
      char c = b[off + i];
      if (Character.isDigit(c)) {
        return true;
      }
      switch (c) {
        case '_', '.', '/', '\\', ':', '-', '#', '@', '=' -> {
          if (i > 0 && i < len - 1) {
            return true;
          }
        }
        default -> {
          if (Character.isUpperCase(c) && sawLower) {
            return true;
          }
          sawLower = Character.isLowerCase(c);
        }
      }
    }
    return false;
  }
}
