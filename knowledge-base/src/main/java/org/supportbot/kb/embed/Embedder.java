package org.supportbot.kb.embed;

/** Turns text into a unit-length vector; similar meanings give a high dot product. */
public interface Embedder {
  /** A stable name recorded in the index, so that an index is never searched with another model. */
  String name();

  int dimension();

  float[] embed(String text);
}
