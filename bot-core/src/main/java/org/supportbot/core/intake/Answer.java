package org.supportbot.core.intake;

import java.util.List;
import java.util.Objects;

/** What became of one answer to an intake question. */
public sealed interface Answer {

  /**
   * The answer is taken.
   *
   * @param value the normalized value stored on the case ("" for a skipped optional field)
   * @param notes things to tell the customer, e.g. that a release has only limited support
   */
  record Accepted(String value, List<String> notes) implements Answer {
    public Accepted {
      Objects.requireNonNull(value, "value");
      notes = List.copyOf(notes);
    }

    public static Accepted of(String value) {
      return new Accepted(value, List.of());
    }
  }

  /** The answer cannot be used; ask again with this message. */
  record Reprompt(String message) implements Answer {
    public Reprompt {
      Objects.requireNonNull(message, "message");
    }
  }

  /** The answer ends the intake with the policy's answer (e.g. a release past end of support). */
  record Refused(String message) implements Answer {
    public Refused {
      Objects.requireNonNull(message, "message");
    }
  }
}
