package org.supportbot.kb.embed;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * all-MiniLM-L6-v2 (384 dimensions, quantized), run in-process with ONNX Runtime via
 * langchain4j-embeddings. Loaded once, on first use (about half a second).
 */
public final class MiniLmEmbedder implements Embedder {
  public static final String NAME = "all-minilm-l6-v2-q";
  /** Characters of a document embedded: the model reads at most 256 word pieces anyway. */
  private static final int MAX_CHARS = 1_500;

  private final AllMiniLmL6V2QuantizedEmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();

  private static final class Holder {
    static final MiniLmEmbedder INSTANCE = new MiniLmEmbedder();
  }

  private MiniLmEmbedder() {}

  public static MiniLmEmbedder instance() {
    return Holder.INSTANCE;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int dimension() {
    return 384;
  }

  @Override
  public float[] embed(String text) {
    String t = text == null || text.isBlank() ? "." : text;
    if (t.length() > MAX_CHARS) {
      t = t.substring(0, MAX_CHARS);
    }
    float[] v = model.embed(t).content().vector();
    double norm = 0;
    for (float f : v) {
      norm += f * f;
    }
    norm = Math.sqrt(norm);
    if (norm > 0 && Math.abs(norm - 1) > 1e-3) {
      for (int i = 0; i < v.length; i++) {
        v[i] /= (float) norm;
      }
    }
    return v;
  }
}
