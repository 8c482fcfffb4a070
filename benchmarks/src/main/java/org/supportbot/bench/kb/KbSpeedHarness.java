package org.supportbot.bench.kb;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.supportbot.kb.Source;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.IndexReport;
import org.supportbot.kb.index.KbIndexWriter;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.ingest.KbDocument;
import org.supportbot.kb.search.KbSearcher;
import org.supportbot.kb.search.SearchRequest;
import org.supportbot.kb.search.SearchSettings;

/**
 * The knowledge-base speed figures with CPU time beside wall time, for a shared machine where
 * wall time depends on what else runs. A plain main, not JMH, because it reads the CPU time of
 * the process (indexing, on every indexing thread) and of the searching thread (per query).
 *
 * <p>Indexing: {@code builds} full lexical builds of {@code docs} generated documents
 * ({@link KbCorpus}, seed 42) into a fresh folder, exactly what {@link KbIndexBenchmark} times;
 * prints documents per wall second and per CPU second of the whole process. Search: one index of
 * {@code docs} documents, the same 1,000-query pool as {@link KbSearchBenchmark} (seed 7), top 5
 * with snippets ({@code snippets=false}: without) on one thread; {@code warmup} queries, then
 * {@code queries} measured ones; prints wall and thread-CPU p50, p99 and mean. {@code segments=N}
 * force-merges the index to N segments first and prints how long that took. {@code mode=hybrid} uses the benchmark's pooled document
 * vectors and embeds queries with the real model.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.supportbot.bench.kb.KbSpeedHarness index docs=100000 builds=3
 * java -cp benchmarks/target/benchmarks.jar org.supportbot.bench.kb.KbSpeedHarness search mode=lexical
 * java -cp benchmarks/target/benchmarks.jar org.supportbot.bench.kb.KbSpeedHarness search mode=hybrid
 * </pre>
 */
public final class KbSpeedHarness {
  private KbSpeedHarness() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0 || !(args[0].equals("index") || args[0].equals("search"))) {
      System.err.println("usage: KbSpeedHarness index|search [docs=N] [builds=N] [mode=lexical|hybrid]"
          + " [warmup=N] [queries=N] [snippets=true|false] [segments=N]");
      System.exit(2);
    }
    int docs = intArg(args, "docs", 100_000);
    KbCorpus corpus = KbCorpus.load();
    System.out.printf(Locale.ROOT, "corpus: %,d words from %s%n", corpus.vocabularySize(), KbCorpus.vocabularySource());
    List<KbDocument> all = corpus.documents(42, docs);
    if (args[0].equals("index")) {
      index(all, intArg(args, "builds", 3));
    } else {
      search(corpus, all, arg(args, "mode", "lexical"), intArg(args, "warmup", 3_000), intArg(args, "queries", 5_000),
          booleanArg(args, "snippets", true), intArg(args, "segments", 0));
    }
  }

  private static void index(List<KbDocument> all, int builds) throws IOException {
    List<KbDocument> articles = all.stream().filter(d -> d.source() == Source.ARTICLE).toList();
    List<KbDocument> forum = all.stream().filter(d -> d.source() == Source.FORUM).toList();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int b = 0; b < builds; b++) {
      Path dir = Files.createTempDirectory("kb-speed-index");
      try {
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        IndexReport r = KbIndexing.index(dir, articles, forum, true, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf(Locale.ROOT, "build %d: %d docs in %.1f s wall, %.1f s CPU: %,.0f docs/s wall,"
                + " %,.0f docs per CPU-second (load %s)%n",
            b + 1, r.added(), wall, cpu, all.size() / wall, all.size() / cpu, load());
      } finally {
        KbBench.deleteTree(dir);
      }
    }
  }

  private static void search(KbCorpus corpus, List<KbDocument> all, String mode, int warmup, int measured,
      boolean snippets, int segments) throws IOException {
    boolean hybrid = "hybrid".equals(mode);
    Path dir = Files.createTempDirectory("kb-speed-search");
    try {
      try (KbIndexWriter w = KbIndexWriter.open(KbIndexing.luceneDir(dir))) {
        if (hybrid) {
          w.useEmbedder(Optional.of(new KbSearchBenchmark.PooledEmbedder(all.subList(0, Math.min(1_000, all.size())))));
        }
        w.sync(Map.of(Source.ARTICLE, all.stream().filter(d -> d.source() == Source.ARTICLE).toList(),
            Source.FORUM, all.stream().filter(d -> d.source() == Source.FORUM).toList()), true, IndexProgress.NONE);
        w.commit(Map.of());
        if (segments > 0) {
          long t0 = System.nanoTime();
          w.forceMerge(segments);
          System.out.printf(Locale.ROOT, "merged to %d segment(s) in %.1f s%n", segments, (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf(Locale.ROOT, "segments: %d%n", w.segments());
      }
      SearchSettings settings = hybrid ? SearchSettings.defaults() : SearchSettings.defaults().lexicalOnly();
      SplittableRandom rnd = new SplittableRandom(7);
      List<SearchRequest> pool = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        pool.add(SearchRequest.of(corpus.query(rnd)));
      }
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      try (KbSearcher searcher = KbSearcher.open(KbIndexing.luceneDir(dir), settings)) {
        long sink = 0;
        for (int i = 0; i < warmup; i++) {
          sink += searcher.search(pool.get(i % pool.size()), 5, snippets).size();
        }
        long[] wall = new long[measured];
        long[] cpu = new long[measured];
        for (int i = 0; i < measured; i++) {
          SearchRequest q = pool.get((warmup + i) % pool.size());
          long c0 = threads.getCurrentThreadCpuTime();
          long t0 = System.nanoTime();
          sink += searcher.search(q, 5, snippets).size();
          wall[i] = System.nanoTime() - t0;
          cpu[i] = threads.getCurrentThreadCpuTime() - c0;
        }
        System.out.printf(Locale.ROOT, "%s search%s, %d docs, %d queries: wall %s; thread CPU %s (load %s; %d hits)%n",
            mode, snippets ? "" : " without snippets", all.size(), measured, percentiles(wall), percentiles(cpu), load(), sink);
      }
    } finally {
      KbBench.deleteTree(dir);
    }
  }

  private static String percentiles(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    double mean = Arrays.stream(s).average().orElse(0);
    return String.format(Locale.ROOT, "p50 %.2f ms, p99 %.2f ms, mean %.2f ms",
        s[s.length / 2] / 1e6, s[(int) Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)] / 1e6, mean / 1e6);
  }

  private static boolean booleanArg(String[] args, String name, boolean def) {
    String v = arg(args, name, Boolean.toString(def));
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(name + "=" + v + ": expected true or false");
    }
    return Boolean.parseBoolean(v);
  }

  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static String arg(String[] args, String name, String fallback) {
    for (String a : args) {
      if (a.startsWith(name + "=")) {
        return a.substring(name.length() + 1);
      }
    }
    return fallback;
  }

  private static int intArg(String[] args, String name, int fallback) {
    return Integer.parseInt(arg(args, name, Integer.toString(fallback)));
  }
}
