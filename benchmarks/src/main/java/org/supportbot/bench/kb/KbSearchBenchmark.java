package org.supportbot.bench.kb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.supportbot.kb.Source;
import org.supportbot.kb.embed.Embedder;
import org.supportbot.kb.embed.MiniLmEmbedder;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbIndexWriter;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.ingest.KbDocument;
import org.supportbot.kb.search.KbSearcher;
import org.supportbot.kb.search.SearchHit;
import org.supportbot.kb.search.SearchRequest;
import org.supportbot.kb.search.SearchSettings;

/**
 * Latency of one suggestion search, single-threaded, over an index of {@code docs} generated
 * documents ({@link KbCorpus}): the top 5 with highlighted snippets, as the bot asks, bypassing the
 * Caffeine cache. Queries are 4-25 Zipfian words from a seeded pool of 1,000. Sample mode reports
 * p50 and p99.
 *
 * <p>{@code mode=lexical}: BM25 only. {@code mode=hybrid}: BM25 plus the query's real
 * all-MiniLM-L6-v2 embedding, nearest-neighbour search and score fusion. Embedding 100,000
 * documents with the model would take about half an hour on two cores, so the documents' vectors
 * are real model embeddings of 1,000 generated documents, each reused for 100 documents with
 * small seeded noise; the index therefore holds 100,000 distinct 384-dimension vectors in
 * Lucene's HNSW graph, and the query side is exactly the production path.
 *
 * <p>Run: {@code ./mvnw -B -ntp -Pbenchmarks -pl benchmarks -am package -DskipTests &&
 * java -jar benchmarks/target/benchmarks.jar KbSearchBenchmark}
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Thread)
public class KbSearchBenchmark {
  private static final int POOL = 1_000;

  @Param({"lexical", "hybrid"})
  String mode;

  @Param({"100000"})
  int docs;

  private Path dir;
  private KbSearcher searcher;
  private final List<SearchRequest> queries = new ArrayList<>();
  private int next;

  @Setup(Level.Trial)
  public void build() throws IOException {
    KbCorpus corpus = KbCorpus.load();
    List<KbDocument> all = corpus.documents(42, docs);
    dir = Files.createTempDirectory("kb-search-bench");
    if ("hybrid".equals(mode)) {
      try (KbIndexWriter w = KbIndexWriter.open(KbIndexing.luceneDir(dir))) {
        w.useEmbedder(Optional.of(new PooledEmbedder(all.subList(0, Math.min(POOL, all.size())))));
        w.sync(Map.of(Source.ARTICLE, all.stream().filter(d -> d.source() == Source.ARTICLE).toList(),
            Source.FORUM, all.stream().filter(d -> d.source() == Source.FORUM).toList()), true, IndexProgress.NONE);
        w.commit(Map.of());
      }
    } else {
      KbIndexing.index(dir, all.stream().filter(d -> d.source() == Source.ARTICLE).toList(),
          all.stream().filter(d -> d.source() == Source.FORUM).toList(), true, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    }
    SearchSettings settings = "hybrid".equals(mode) ? SearchSettings.defaults() : SearchSettings.defaults().lexicalOnly();
    searcher = KbSearcher.open(KbIndexing.luceneDir(dir), settings);
    if (searcher.semantic() != "hybrid".equals(mode)) {
      throw new IllegalStateException("index mode does not match " + mode);
    }
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 1_000; i++) {
      queries.add(SearchRequest.of(corpus.query(rnd)));
    }
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    searcher.close();
    KbBench.deleteTree(dir);
  }

  @Benchmark
  public List<SearchHit> suggest() {
    SearchRequest q = queries.get(next);
    next = (next + 1) % queries.size();
    return searcher.search(q, 5, true);
  }

  /**
   * Real model vectors of a pool of documents, handed out by text hash with seeded noise, under
   * the model's name so that queries are embedded by the real model.
   */
  static final class PooledEmbedder implements Embedder {
    private final float[][] pool;

    PooledEmbedder(List<KbDocument> sample) {
      pool = new float[sample.size()][];
      for (int i = 0; i < sample.size(); i++) {
        pool[i] = MiniLmEmbedder.instance().embed(KbIndexWriter.embeddingText(sample.get(i)));
      }
    }

    @Override
    public String name() {
      return MiniLmEmbedder.NAME;
    }

    @Override
    public int dimension() {
      return MiniLmEmbedder.instance().dimension();
    }

    @Override
    public float[] embed(String text) {
      int h = text.hashCode();
      float[] base = pool[Math.floorMod(h, pool.length)];
      SplittableRandom rnd = new SplittableRandom(h);
      float[] v = new float[base.length];
      double norm = 0;
      for (int i = 0; i < v.length; i++) {
        v[i] = base[i] + (float) (rnd.nextGaussian() * 0.02);
        norm += v[i] * v[i];
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
      return v;
    }
  }
}
