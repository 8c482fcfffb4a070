package org.supportbot.kb.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Cuts a short window around the densest matches and marks matched terms as {@code **term**}. */
final class Snippets {
  private Snippets() {}

  /**
   * @param matches {start, end, termHash} of every matched token in {@code text}
   */
  static String highlight(String text, List<int[]> matches, int maxChars) {
    // line breaks become spaces in the window only, not in the whole text (up to 8,000 characters)
    String flat = text;
    if (matches.isEmpty()) {
      return (flat.length() <= maxChars ? flat : cut(flat, 0, maxChars) + "…").replace('\n', ' ');
    }
    // the stemmed matches come in text order; only the exact tokens' (appended after them) need a sort
    List<int[]> sorted = matches;
    if (!inOrder(matches)) {
      sorted = new ArrayList<>(matches);
      sorted.sort(Comparator.<int[]>comparingInt(m -> m[0]).thenComparingInt(m -> -m[1]));
    }
    // each window opens 40 characters before a match and holds the matches from that one on
    // up to the first that ends beyond it; windows only move right, so one pass over the
    // matches, adding at the right edge and dropping at the left, scores them all
    int bestStart = 0;
    int bestScore = -1;
    // each match's term as a small number, so that the window's counts are an array (a query has
    // few terms, so a linear search of those seen so far is the cheapest map)
    int[] terms = new int[sorted.size()];
    int distinctTerms = 0;
    int[] term = new int[sorted.size()];
    for (int i = 0; i < term.length; i++) {
      int hash = sorted.get(i)[2];
      int t = 0;
      while (t < distinctTerms && terms[t] != hash) {
        t++;
      }
      if (t == distinctTerms) {
        terms[distinctTerms++] = hash;
      }
      term[i] = t;
    }
    int[] inWindow = new int[distinctTerms];
    int distinct = 0;
    int next = 0;
    for (int i = 0; i < sorted.size(); i++) {
      int from = Math.max(0, sorted.get(i)[0] - 40);
      int to = from + maxChars;
      next = Math.max(next, i);
      while (next < sorted.size() && sorted.get(next)[1] <= to) {
        if (inWindow[term[next]]++ == 0) {
          distinct++;
        }
        next++;
      }
      int score = distinct * 100 + (next - i);
      if (score > bestScore) {
        bestScore = score;
        bestStart = from;
      }
      if (next > i && --inWindow[term[i]] == 0) {
        distinct--;
      }
    }
    int start = bestStart == 0 ? 0 : wordStart(flat, bestStart);
    int end = Math.min(flat.length(), start + maxChars);
    end = wordEnd(flat, end);
    StringBuilder out = new StringBuilder();
    if (start > 0) {
      out.append('…');
    }
    int pos = start;
    for (int[] m : sorted) {
      if (m[0] < pos || m[1] > end) {
        continue;
      }
      out.append(flat, pos, m[0]).append("**").append(flat, m[0], m[1]).append("**");
      pos = m[1];
    }
    out.append(flat, pos, end);
    if (end < flat.length()) {
      out.append('…');
    }
    return out.toString().replace('\n', ' ').strip();
  }

  /** Whether the matches are already in the order the window needs: by start, the longer first. */
  private static boolean inOrder(List<int[]> matches) {
    for (int i = 1; i < matches.size(); i++) {
      int[] a = matches.get(i - 1);
      int[] b = matches.get(i);
      if (a[0] > b[0] || a[0] == b[0] && a[1] < b[1]) {
        return false;
      }
    }
    return true;
  }

  private static String cut(String s, int from, int max) {
    return s.substring(from, wordEnd(s, Math.min(s.length(), from + max)));
  }

  private static int wordStart(String s, int i) {
    int p = i;
    while (p > 0 && !Character.isWhitespace(s.charAt(p - 1)) && i - p < 20) {
      p--;
    }
    return p;
  }

  private static int wordEnd(String s, int i) {
    int p = i;
    while (p < s.length() && !Character.isWhitespace(s.charAt(p)) && p - i < 20) {
      p++;
    }
    return p;
  }
}
