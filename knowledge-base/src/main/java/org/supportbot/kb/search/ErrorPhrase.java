package org.supportbot.kb.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.supportbot.kb.index.KbFields;
import org.supportbot.kb.index.StemmedMatcher;

/**
 * A pasted error text as a phrase, found in a document's own text. The index's text fields have no
 * positions (they are written as terms with counts), so a phrase cannot be a Lucene phrase query;
 * instead the hit's title and text (question, accepted answer and body, the first 8,000 characters)
 * are searched for the error text's stemmed terms ({@link StemmedMatcher}, which tokenizes only
 * the few chunks that may hold one) and an occurrence is the terms in the phrase's order, each
 * separated from the previous one by as many words as the phrase separates them (a stop word the
 * analysis dropped still counts as one), give or take {@link #SLOP} words in all. Each occurrence
 * counts {@code 1 / (1 + words off)}, as Lucene's sloppy phrase frequency counts a match.
 */
final class ErrorPhrase {
  /** Words by which an occurrence's spacing may differ from the phrase's, in all. */
  static final int SLOP = 1;

  private final List<String> terms;
  /** Words between term {@code j - 1} and term {@code j} in the phrase (stop words dropped there). */
  private final int[] gaps;
  private final int[] hashes;
  private final Set<String> wanted;

  private ErrorPhrase(List<String> terms, int[] gaps) {
    this.terms = List.copyOf(terms);
    this.gaps = gaps;
    this.hashes = terms.stream().mapToInt(String::hashCode).toArray();
    this.wanted = Set.copyOf(new LinkedHashSet<>(terms));
  }

  /** The phrase of {@code errorText} under the index's stemmed analysis, if it has two terms or more. */
  static Optional<ErrorPhrase> of(Analyzer stemmed, String errorText) {
    List<String> terms = new ArrayList<>();
    List<Integer> gaps = new ArrayList<>();
    try (TokenStream ts = stemmed.tokenStream(KbFields.BODY, errorText)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        gaps.add(terms.isEmpty() ? 0 : inc.getPositionIncrement() - 1);
        terms.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (terms.size() < 2) {
      return Optional.empty();
    }
    return Optional.of(new ErrorPhrase(terms, gaps.stream().mapToInt(Integer::intValue).toArray()));
  }

  /** The phrase's distinct terms. */
  Set<String> terms() {
    return wanted;
  }

  /** The phrase's frequency in {@code text}: the sum over its occurrences of {@code 1 / (1 + words off)}. */
  double frequency(String text, StemmedMatcher matcher) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    List<int[]> found = new ArrayList<>();
    try {
      matcher.collect(text, wanted, found);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    double freq = 0;
    for (int i = 0; i + hashes.length <= found.size(); i++) {
      if (found.get(i)[2] != hashes[0]) {
        continue;
      }
      int off = 0;
      int j = 1;
      for (; j < hashes.length; j++) {
        int[] prev = found.get(i + j - 1);
        int[] next = found.get(i + j);
        if (next[2] != hashes[j]) {
          break;
        }
        off += Math.abs(wordsBetween(text, prev[1], next[0]) - gaps[j]);
        if (off > SLOP) {
          break;
        }
      }
      if (j == hashes.length) {
        freq += 1.0 / (1 + off);
      }
    }
    return freq;
  }

  /** Words (runs of letters and digits) in {@code text[from, to)}. */
  private static int wordsBetween(String text, int from, int to) {
    int words = 0;
    boolean inWord = false;
    for (int i = from; i < to; i++) {
      boolean w = Character.isLetterOrDigit(text.charAt(i));
      if (w && !inWord) {
        words++;
      }
      inWord = w;
    }
    return words;
  }

  @Override
  public String toString() {
    return String.join(" ", terms);
  }
}
