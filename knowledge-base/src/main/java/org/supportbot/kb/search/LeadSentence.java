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
    Matcher m = END.matcher(t);
    if (!m.find() || m.start() == 0) {
      return "";
    }
    String rest = t.substring(m.end()).strip();
    return rest.isEmpty() ? "" : t.substring(0, m.end()).strip();
  }
}
