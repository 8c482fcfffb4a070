package org.supportbot.kb.index;

import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.search.similarities.PerFieldSimilarityWrapper;
import org.apache.lucene.search.similarities.Similarity;

/**
 * BM25 per field. Titles and tags are short and of similar length, so their length
 * normalization is weaker than that of bodies.
 */
public final class KbSimilarity {
  private KbSimilarity() {}

  public static Similarity create() {
    return create(1.2f, 0.75f, 0.5f);
  }

  /** BM25 with {@code k1}, {@code b} for long fields and {@code shortB} for titles and tags. */
  public static Similarity create(float k1, float b, float shortB) {
    BM25Similarity longFields = new BM25Similarity(k1, b);
    BM25Similarity shortFields = new BM25Similarity(k1, shortB);
    return new PerFieldSimilarityWrapper() {
      @Override
      public Similarity get(String name) {
        return KbFields.TITLE.equals(name) || KbFields.TAGS.equals(name) ? shortFields : longFields;
      }
    };
  }
}
