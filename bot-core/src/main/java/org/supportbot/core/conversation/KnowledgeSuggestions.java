package org.supportbot.core.conversation;

import java.util.List;

/**
 * The knowledge base as the desk sees it: suggestions for a case being described, and the
 * customer's verdict on them. Implemented by the knowledge-base module's Lucene index.
 */
public interface KnowledgeSuggestions {

  /**
   * At most {@code k} suggestions for a draft, best first; empty when nothing is confident enough.
   * {@code product} and {@code version} are the case's answers as given: the knowledge base filters by
   * them where they name a product it files documents under and a version number.
   */
  List<Suggestion> suggest(String title, String description, String errorText, String product, String version, int k);

  /** Records the customer's verdict: {@code solved} true for "this solved it", false for "not helpful". */
  void feedback(String suggestionId, String source, boolean solved, String caseKey);

  /**
   * The case as it was described when the suggestions were shown (redacted answers), so that a verdict
   * can move its document up or down for similar drafts later.
   */
  record Draft(String title, String description, String errorText, String product, String version) {
    public Draft {
      java.util.Objects.requireNonNull(title, "title");
      java.util.Objects.requireNonNull(description, "description");
      java.util.Objects.requireNonNull(errorText, "errorText");
      java.util.Objects.requireNonNull(product, "product");
      java.util.Objects.requireNonNull(version, "version");
    }
  }

  /**
   * Records the customer's verdict on a suggestion shown for {@code draft}; a knowledge base that ranks
   * by feedback uses the draft, others record the verdict alone.
   */
  default void feedback(String suggestionId, String source, boolean solved, String caseKey, Draft draft) {
    feedback(suggestionId, source, solved, caseKey);
  }

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
