package org.supportbot.kb.index;

import java.io.IOException;
import org.apache.lucene.analysis.FilteringTokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Keeps only tokens that look like identifiers, error codes, versions or paths: they contain a
 * digit, one of {@code _ . / \ : - # @ =}, or an upper-case letter after a lower-case one
 * ({@code camelCase}). Plain words are left to the stemmed fields. The reference {@link
 * ExactTokenizer} is checked against (the index's filter until 2026-12-04).
 */
final class ExactTokenFilter extends FilteringTokenFilter {
  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);

  ExactTokenFilter(TokenStream in) {
    super(in);
  }

  @Override
  protected boolean accept() throws IOException {
    char[] b = term.buffer();
    int len = term.length();
    if (len < 2) {
      return false;
    }
    boolean sawLower = false;
    for (int i = 0; i < len; i++) {
      char c = b[i];
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
