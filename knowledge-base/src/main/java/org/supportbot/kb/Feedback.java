package org.supportbot.kb;

import java.time.Instant;
import java.util.Objects;

/**
 * A customer's verdict on one suggestion shown for one case.
 *
 * @param caseId the draft or conversation the suggestion was shown for
 * @param suggestionId the {@link Suggestion#id()} the verdict is about
 * @param draft the text the suggestion was shown for (title and description), or empty when not
 *     known; verdicts with a draft move the document up or down for similar drafts
 */
public record Feedback(
    String caseId, String suggestionId, Source source, Verdict verdict, Instant at, String draft) {

  /** "This solved it" or "not helpful". */
  public enum Verdict {
    SOLVED,
    NOT_HELPFUL
  }

  public Feedback {
    if (caseId == null || caseId.isBlank()) {
      throw new IllegalArgumentException("feedback has a blank case id");
    }
    if (suggestionId == null || suggestionId.isBlank()) {
      throw new IllegalArgumentException("feedback for case " + caseId + " has a blank suggestion id");
    }
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(at, "at");
    caseId = caseId.strip();
    suggestionId = suggestionId.strip();
    draft = Objects.requireNonNullElse(draft, "").strip();
  }

  /** A verdict whose draft is not known: it counts in the deflection report, not in ranking. */
  public Feedback(String caseId, String suggestionId, Source source, Verdict verdict, Instant at) {
    this(caseId, suggestionId, source, verdict, at, "");
  }
}
