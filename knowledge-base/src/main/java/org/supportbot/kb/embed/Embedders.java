package org.supportbot.kb.embed;

import java.util.Optional;

/** Looks up embedders by the name recorded in an index. */
public final class Embedders {
  /** Recorded in indexes built without embeddings. */
  public static final String NONE = "none";

  private Embedders() {}

  /** The embedder with this name, or empty for {@link #NONE}. */
  public static Optional<Embedder> byName(String name) {
    if (name == null || name.isBlank() || NONE.equals(name)) {
      return Optional.empty();
    }
    if (MiniLmEmbedder.NAME.equals(name)) {
      return Optional.of(MiniLmEmbedder.instance());
    }
    throw new IllegalArgumentException(
        "the index was built with embedder \"" + name + "\", which this version does not know; rebuild it with 'kb index --rebuild'");
  }
}
