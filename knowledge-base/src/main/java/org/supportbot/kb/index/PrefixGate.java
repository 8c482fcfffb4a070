package org.supportbot.kb.index;

import java.util.Arrays;
import java.util.Collection;
import org.apache.lucene.analysis.FilteringTokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Lets through only the word tokens whose English normalisation could be one of a few wanted
 * terms, judged by their first two characters, so that the normalisation (a hash lookup whose
 * table misses the CPU cache on a large vocabulary) runs for a few tokens instead of all.
 *
 * <p>Why two characters are enough: lower-casing and ASCII folding change a character by itself
 * (an ASCII letter only in case, anything else only if it is not ASCII), the possessive filter
 * removes a trailing {@code 's}, and the Porter stemmer rewrites suffixes only, keeping the first
 * two characters except when it turns a final {@code y} into {@code i} ({@code eying -> ei}). So a
 * token whose first two characters are ASCII normalises to a term that starts with those two
 * characters lower-cased, {@code y} read as {@code i} in the second place, or to a one-character
 * term equal to its first character lower-cased, or to nothing (a stop word). Tokens that start
 * with anything else, and one-character tokens, always pass. {@code PrefixGateTest} checks this
 * against the real chain on every short string over the letters the stemmer treats specially and
 * on the whole kb-eval vocabulary.
 */
final class PrefixGate extends FilteringTokenFilter {
  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  /** Bit {@code 128 * first + second} for each wanted term of two or more ASCII characters. */
  private final long[] pairs = new long[128 * 128 / 64];
  /** Bit {@code first} for each wanted term of one character, or whose second is not ASCII. */
  private final long[] firsts = new long[2];
  private boolean everything;

  PrefixGate(TokenStream in) {
    super(in);
  }

  /** Sets the wanted terms (normalised, as the stemmed analyzer writes them). */
  void allow(Collection<String> wanted) {
    Arrays.fill(pairs, 0);
    Arrays.fill(firsts, 0);
    everything = false;
    for (String w : wanted) {
      if (w.isEmpty() || w.charAt(0) >= 128) {
        everything = true;
      } else if (w.length() == 1 || w.charAt(1) >= 128) {
        set(firsts, w.charAt(0));
      } else {
        set(pairs, 128 * w.charAt(0) + second(w.charAt(1)));
      }
    }
  }

  @Override
  protected boolean accept() {
    return mayMatch(term.buffer(), term.length());
  }

  /** Whether a token of {@code len} characters in {@code b} may normalise to a wanted term. */
  boolean mayMatch(char[] b, int len) {
    if (everything || len < 2) {
      return true;
    }
    char c0 = b[0];
    char c1 = b[1];
    if (c0 >= 128 || c1 >= 128) {
      return true;
    }
    int first = lower(c0);
    return isSet(firsts, first) || isSet(pairs, 128 * first + second(lower(c1)));
  }

  /**
   * Whether a token that starts at {@code i} of {@code text} (which ends at {@code end}) may
   * normalise to a wanted term, whatever the token's length: the test of {@link #mayMatch} on its
   * first two characters. A one-character token normalises to itself lower-cased or to nothing, so
   * it can match only a wanted one-character term; the character after it is read as if it were
   * the token's second, which can only let more through.
   */
  boolean mayStartAt(char[] text, int i, int end) {
    char c0 = text[i];
    if (everything || c0 >= 128) {
      return true;
    }
    int first = lower(c0);
    if (isSet(firsts, first)) {
      return true;
    }
    if (i + 1 >= end) {
      return false;
    }
    char c1 = text[i + 1];
    return c1 >= 128 || isSet(pairs, 128 * first + second(lower(c1)));
  }

  private static int lower(char c) {
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
  }

  /** The stemmer may turn {@code y} into {@code i}; both read as {@code i} in the second place. */
  private static int second(int c) {
    return c == 'y' ? 'i' : c;
  }

  private static void set(long[] bits, int i) {
    bits[i >>> 6] |= 1L << i;
  }

  private static boolean isSet(long[] bits, int i) {
    return (bits[i >>> 6] & (1L << i)) != 0;
  }
}
