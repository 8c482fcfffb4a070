package org.supportbot.kb.search;

import java.util.Objects;
import java.util.Set;

/**
 * What to search for.
 *
 * @param text free text (title, description)
 * @param errorText a pasted error message, also matched as a phrase
 * @param product restrict to documents for this product or for every product (empty: no filter)
 * @param version restrict to documents for this version or for every version (empty: no filter)
 * @param onlyKeys restrict to these index keys ({@code forum:42}); empty means everything
 */
public record SearchRequest(String text, String errorText, String product, String version, Set<String> onlyKeys) {
  public SearchRequest {
    text = Objects.requireNonNullElse(text, "");
    errorText = Objects.requireNonNullElse(errorText, "");
    product = Objects.requireNonNullElse(product, "").strip();
    version = Objects.requireNonNullElse(version, "").strip();
    onlyKeys = Set.copyOf(Objects.requireNonNullElse(onlyKeys, Set.of()));
  }

  public static SearchRequest of(String text) {
    return new SearchRequest(text, "", "", "", Set.of());
  }

  public SearchRequest restrictedTo(Set<String> keys) {
    return new SearchRequest(text, errorText, product, version, keys);
  }
}
