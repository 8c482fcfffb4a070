package org.supportbot.core.conversation;

import java.util.Objects;

/**
 * A knowledge-base article or forum thread offered as a possible answer.
 *
 * @param id the article's id or the forum topic's id
 * @param source "article" or "forum"
 * @param snippet a short excerpt; matched terms are wrapped in {@code **}
 */
public record Suggestion(String id, String source, String title, String url, String snippet, double score) {
  public Suggestion {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(title, "title");
    url = url == null ? "" : url;
    snippet = snippet == null ? "" : snippet;
  }
}
