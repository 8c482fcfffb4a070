package org.supportbot.kb;

import java.util.Objects;

/**
 * One suggested article or forum topic.
 *
 * @param id the article's front-matter {@code id} or the forum topic's id
 * @param snippet a short extract with the matched terms marked as {@code **term**}
 * @param score the relevance score; higher is better, comparable only within one query
 */
public record Suggestion(
    String id, Source source, String title, String url, String snippet, double score) {

  public Suggestion {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("suggestion id is blank");
    }
    Objects.requireNonNull(source, "source");
    title = Objects.requireNonNullElse(title, "");
    url = Objects.requireNonNullElse(url, "");
    snippet = Objects.requireNonNullElse(snippet, "");
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException("suggestion " + id + " has a non-finite score " + score);
    }
  }
}
