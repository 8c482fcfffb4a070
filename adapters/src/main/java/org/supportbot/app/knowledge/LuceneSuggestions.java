package org.supportbot.app.knowledge;

import java.util.List;
import java.util.Objects;
import org.supportbot.core.conversation.KnowledgeSuggestions;
import org.supportbot.core.conversation.Suggestion;
import org.supportbot.kb.Feedback;
import org.supportbot.kb.IncidentDraft;
import org.supportbot.kb.KnowledgeBase;
import org.supportbot.kb.Source;

/** The core's suggestion port on the Lucene knowledge base. */
public final class LuceneSuggestions implements KnowledgeSuggestions {
  private final KnowledgeBase kb;
  private final java.time.Clock clock;

  public LuceneSuggestions(KnowledgeBase kb, java.time.Clock clock) {
    this.kb = Objects.requireNonNull(kb, "kb");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public List<Suggestion> suggest(String title, String description, String errorText, String product, String version,
      int k) {
    return kb.suggest(new IncidentDraft(title, description, errorText, product, version), k).stream()
        .map(s -> new Suggestion(s.id(), s.source().label(), s.title(), s.url(), s.snippet(), s.score()))
        .toList();
  }

  /** A verdict without its draft counts in the deflection report only. */
  @Override
  public void feedback(String suggestionId, String source, boolean solved, String caseKey) {
    kb.record(new Feedback(caseKey, suggestionId, Source.parse(source),
        solved ? Feedback.Verdict.SOLVED : Feedback.Verdict.NOT_HELPFUL, clock.instant()));
  }

  /**
   * A verdict with the draft it was shown for: documents that solved a case move up for similar drafts,
   * those repeatedly not helpful move down (as {@code kb feedback --draft} does).
   */
  @Override
  public void feedback(String suggestionId, String source, boolean solved, String caseKey, Draft draft) {
    IncidentDraft d = new IncidentDraft(draft.title(), draft.description(), draft.errorText(), draft.product(),
        draft.version());
    kb.record(new Feedback(caseKey, suggestionId, Source.parse(source),
        solved ? Feedback.Verdict.SOLVED : Feedback.Verdict.NOT_HELPFUL, clock.instant(), d.searchText()));
  }
}
