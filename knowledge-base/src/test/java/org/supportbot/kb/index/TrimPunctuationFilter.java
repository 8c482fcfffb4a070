package org.supportbot.kb.index;

import java.io.IOException;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * Strips sentence punctuation, quotes and brackets from both ends of a whitespace token: the
 * reference {@link ExactTokenizer} is checked against (it was the index's filter until 2026-12-04).
 */
final class TrimPunctuationFilter extends TokenFilter {
  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);

  TrimPunctuationFilter(TokenStream in) {
    super(in);
  }

  private static boolean trim(char c) {
    return switch (c) {
      case '.', ',', ';', ':', '!', '?', '"', '\'', '`', '(', ')', '[', ']', '{', '}', '<', '>', '*' -> true;
      default -> false;
    };
  }

  @Override
  public boolean incrementToken() throws IOException {
    while (input.incrementToken()) {
      char[] b = term.buffer();
      int len = term.length();
      int start = 0;
      while (start < len && trim(b[start])) {
        start++;
      }
      int end = len;
      while (end > start && trim(b[end - 1])) {
        end--;
      }
      if (end == start) {
        continue;
      }
      if (start > 0 || end < len) {
        int so = offset.startOffset();
        int eo = offset.endOffset();
        System.arraycopy(b, start, b, 0, end - start);
        term.setLength(end - start);
        if (eo - so == len) {
          offset.setOffset(so + start, so + end);
        }
      }
      return true;
    }
    return false;
  }
}
