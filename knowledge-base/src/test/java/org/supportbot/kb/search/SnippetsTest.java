package org.supportbot.kb.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnippetsTest {
  @Test
  void theWindowWithTheMostDistinctTermsIsShownWithTheTermsMarked() {
    String text = "printer printer printer " + "filler ".repeat(60) + "scanner lid paper jam";
    List<int[]> matches = new ArrayList<>();
    for (String w : List.of("printer", "scanner", "lid", "paper")) {
      for (int at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + 1)) {
        matches.add(new int[] {at, at + w.length(), w.hashCode()});
      }
    }
    String snippet = Snippets.highlight(text, matches, 60);
    assertThat(snippet).startsWith("…").contains("**scanner** **lid** **paper** jam").doesNotContain("printer");
  }

  @Test
  void theOnePassWindowPicksWhatCheckingEveryWindowPicks() {
    Random rnd = new Random(11);
    for (int round = 0; round < 2_000; round++) {
      StringBuilder text = new StringBuilder();
      List<int[]> matches = new ArrayList<>();
      int words = 1 + rnd.nextInt(300);
      for (int w = 0; w < words; w++) {
        int term = rnd.nextInt(8);
        String word = "w" + term + "x".repeat(rnd.nextInt(12));
        if (rnd.nextInt(3) == 0) {
          matches.add(new int[] {text.length(), text.length() + word.length(), term});
        }
        text.append(word).append(rnd.nextInt(10) == 0 ? '\n' : ' ');
      }
      int max = 20 + rnd.nextInt(300);
      assertThat(Snippets.highlight(text.toString(), matches, max))
          .as("round %d", round)
          .isEqualTo(everyWindow(text.toString(), matches, max));
    }
  }

  /** The snippet as it was cut before: every window counted from scratch. */
  private static String everyWindow(String text, List<int[]> matches, int maxChars) {
    String flat = text.replace('\n', ' ');
    if (matches.isEmpty()) {
      return Snippets.highlight(text, matches, maxChars);
    }
    List<int[]> sorted = new ArrayList<>(matches);
    sorted.sort(Comparator.<int[]>comparingInt(m -> m[0]).thenComparingInt(m -> -m[1]));
    int bestStart = 0;
    int bestScore = -1;
    for (int i = 0; i < sorted.size(); i++) {
      int from = Math.max(0, sorted.get(i)[0] - 40);
      Set<Integer> distinct = new HashSet<>();
      int count = 0;
      for (int j = i; j < sorted.size() && sorted.get(j)[1] <= from + maxChars; j++) {
        distinct.add(sorted.get(j)[2]);
        count++;
      }
      if (distinct.size() * 100 + count > bestScore) {
        bestScore = distinct.size() * 100 + count;
        bestStart = from;
      }
    }
    int start = bestStart;
    while (bestStart > 0 && start > 0 && !Character.isWhitespace(flat.charAt(start - 1)) && bestStart - start < 20) {
      start--;
    }
    int end = Math.min(flat.length(), start + maxChars);
    int limit = end;
    while (end < flat.length() && !Character.isWhitespace(flat.charAt(end)) && end - limit < 20) {
      end++;
    }
    StringBuilder out = new StringBuilder(start > 0 ? "…" : "");
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
    return out.toString().strip();
  }
}
