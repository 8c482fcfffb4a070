package org.supportbot.kb;

import java.util.Locale;

/** Where a suggestion comes from: a knowledge-base article or a community-forum topic. */
public enum Source {
  ARTICLE,
  FORUM;

  private final String label = name().toLowerCase(Locale.ROOT);

  /** The lower-case name used in JSON output and in the index: {@code article} or {@code forum}. */
  public String label() {
    return label;
  }

  private static final Source[] VALUES = values();

  /** Parses {@code article} or {@code forum} (any case). */
  public static Source parse(String text) {
    for (Source s : VALUES) {
      if (s.label().equals(text)) {
        return s; // the stored form, read for every hit
      }
    }
    for (Source s : values()) {
      if (s.label().equalsIgnoreCase(text == null ? "" : text.strip())) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown source \"" + text + "\"; use \"article\" or \"forum\"");
  }
}
