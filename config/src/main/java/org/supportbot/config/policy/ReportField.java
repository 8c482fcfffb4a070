package org.supportbot.config.policy;

import java.util.List;
import java.util.Objects;

/**
 * One thing a report must or should contain, in the order the intake asks for it.
 *
 * @param id a standard field id (see {@link Kind} for how it is answered)
 * @param prompt the question put to the customer
 * @param kind how the answer is read and validated
 * @param required whether the case cannot be filed without it
 * @param choices for {@link Kind#CHOICE}: the allowed answers
 */
public record ReportField(String id, String prompt, Kind kind, boolean required, List<String> choices) {
  /** How an answer is read. */
  public enum Kind {
    TEXT,
    LONG_TEXT,
    YES_NO,
    PERCENT,
    CHOICE,
    PRODUCT,
    VERSION,
    CATEGORY,
    SEVERITY,
    INCIDENT_REFERENCE,
    ATTACHMENT
  }

  public ReportField {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(kind, "kind");
    choices = List.copyOf(choices);
    if (kind == Kind.CHOICE && choices.isEmpty()) {
      throw new IllegalArgumentException("report field " + id + " is a choice but lists no choices");
    }
  }
}
