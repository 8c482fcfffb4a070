package org.supportbot.core.conversation;

import java.util.List;

/**
 * The knowledge base as the desk sees it: suggestions for a case being described, and the
 * customer's verdict on them. Implemented by the knowledge-base module's Lucene index.
 */
public interface KnowledgeSuggestions {

  /**
   * At most {@code k} suggestions for a draft, best first; empty when nothing is confident enough.
   */
  List<Suggestion> suggest(String title, String description, String errorText, String product, String version, int k);

  /** Records the customer's verdict: {@code solved} true for "this solved it", false for "not helpful". */
  void feedback(String suggestionId, String source, boolean solved, String caseKey);

  /** A knowledge base with nothing in it. */
  KnowledgeSuggestions NONE = new KnowledgeSuggestions() {
    @Override
    public List<Suggestion> suggest(String title, String description, String errorText, String product, String version, int k) {
      return List.of();
    }

    @Override
    public void feedback(String suggestionId, String source, boolean solved, String caseKey) {}
  };
}
