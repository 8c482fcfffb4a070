package org.supportbot.kb.search;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first sentence of a query that has more than one. People put what a question is about
 * first (a forum post's subject line, a ticket's title, the opening sentence of a chat message)
 * and follow it with context: what they tried, where they are, how urgent it is. The context
 * words match many documents about other things, so the searcher weights the first sentence's
 * words above the rest ({@link SearchSettings#lead()}), as the index weights a document's title
 * above its body. A query of one sentence has no lead and is weighted evenly.
 */
final class LeadSentence {
  /** A sentence ends at . ? or ! followed by white space, or at a line break. */
  private static final Pattern END = Pattern.compile("[.?!]+(?=\\s)|\\n");

  private LeadSentence() {}

  /**
   * The first sentence of {@code text}, or the empty string when nothing follows it (and when the
   * text opens with a sentence end, as in "...", which names no subject).
   */
  static String of(String text) {
    String t = text.strip();
    int start = -1;
    int end = -1;
    // the first match of END, found by hand (a regular expression per query was a few percent of a search)
    for (int i = 0; i < t.length() && start < 0; i++) {
      char c = t.charAt(i);
      if (c == '\n') {
        start = i;
        end = i + 1;
      } else if (c == '.' || c == '?' || c == '!') {
        int j = i;
        while (j < t.length() && (t.charAt(j) == '.' || t.charAt(j) == '?' || t.charAt(j) == '!')) {
          j++;
        }
        if (j < t.length() && isSpace(t.charAt(j))) {
          start = i;
          end = j;
        } else {
          i = j - 1;
        }
      }
    }
    if (start <= 0) {
      return "";
    }
    String rest = t.substring(end).strip();
    return rest.isEmpty() ? "" : t.substring(0, end).strip();
  }

  /** What {@code \\s} matches: ASCII white space. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  /** The same as {@link #of}, by the regular expression it replaces (for tests). */
  static String byPattern(String text) {
    String t = text.strip();
    Matcher m = END.matcher(t);
    if (!m.find() || m.start() == 0) {
      return "";
    }
    String rest = t.substring(m.end()).strip();
    return rest.isEmpty() ? "" : t.substring(0, m.end()).strip();
  }
}
