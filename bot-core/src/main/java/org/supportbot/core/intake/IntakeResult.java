package org.supportbot.core.intake;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.supportbot.core.conversation.Suggestion;

/** How an intake ended. */
public sealed interface IntakeResult {

  /**
   * Everything needed to file the case. Answers are redacted.
   *
   * @param offered the suggestions the customer saw and declined, shown to engineers on the case
   */
  record Ready(String severityId, String categoryId, String product, String version, String title,
      Map<String, String> answers, List<Suggestion> offered) implements IntakeResult {
    public Ready {
      Objects.requireNonNull(severityId, "severityId");
      answers = Map.copyOf(answers);
      offered = List.copyOf(offered);
    }
  }

  /** A suggestion answered the question; nothing is filed. */
  record Deflected(Suggestion solvedBy) implements IntakeResult {
    public Deflected {
      Objects.requireNonNull(solvedBy, "solvedBy");
    }
  }

  /** The customer cancelled. */
  record Cancelled() implements IntakeResult {}

  /** The policy's answer ends it, e.g. a release past end of support. */
  record Refused(String message) implements IntakeResult {
    public Refused {
      Objects.requireNonNull(message, "message");
    }
  }

  /** Nothing was heard for longer than the configured time. */
  record Expired() implements IntakeResult {}
}
