package org.supportbot.kb;

import java.util.Objects;

/**
 * What a customer has typed so far. Every part may be empty (never null); {@code errorText} is
 * matched token for token so that a pasted error message finds the article that quotes it,
 * {@code product} and {@code version} restrict suggestions to documents that apply.
 */
public record IncidentDraft(
    String title, String description, String errorText, String product, String version) {

  public IncidentDraft {
    title = Objects.requireNonNullElse(title, "").strip();
    description = Objects.requireNonNullElse(description, "").strip();
    errorText = Objects.requireNonNullElse(errorText, "").strip();
    product = Objects.requireNonNullElse(product, "").strip();
    version = Objects.requireNonNullElse(version, "").strip();
  }

  /** A draft with only free text, no error, product or version. */
  public static IncidentDraft ofText(String text) {
    return new IncidentDraft("", text, "", "", "");
  }

  /**
   * The text the draft is searched by: the title joined to the description (its first sentence weighs
   * more, see the searcher), which is also what a verdict recorded for the draft is compared by.
   */
  public String searchText() {
    return title.isEmpty() ? description : title + ".\n" + description;
  }

  /** True when there is no text to search for. */
  public boolean isBlank() {
    return title.isEmpty() && description.isEmpty() && errorText.isEmpty();
  }
}
