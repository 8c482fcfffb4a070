package org.supportbot.bench.kb;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.supportbot.kb.Source;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbIndexWriter;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.ingest.KbDocument;
import org.supportbot.kb.search.KbSearcher;
import org.supportbot.kb.search.SearchRequest;
import org.supportbot.kb.search.SearchSettings;

/**
 * The knowledge base (lexical mode) against {@link PlainLucene} on the same generated documents
 * ({@link KbCorpus}, seed 42) and the same queries (seed 7), interleaved in one process so that
 * both see the same machine, and the ratio printed beside each pair. On a shared machine the
 * absolute figures move from run to run; the ratio is the figure to read.
 *
 * <ul>
 *   <li>{@code index}: full builds of {@code docs} documents, ours then plain, then plain then
 *       ours, {@code rounds} times; documents per second of wall time and per CPU-second of the
 *       whole process (both index on two threads), with the seconds the collector paused (elapsed)
 *       and the JIT's CPU seconds (its compiler threads', on Linux; {@link #jitMillis}). Before them, {@code warmbuilds}
 *       (default 2) uncounted builds of each side, so that the counted ones measure compiled code:
 *       with one, ours' first counted build still had about 2 s of C2 compilation in it (plain
 *       Lucene's 0.1 s), the backlog of the first build's; {@code cold} counts the JIT instead.
 *   <li>{@code search}: one index of each kind; every query runs on both, in alternating order,
 *       top 5 on one thread (ours with snippets, without, and with snippets only for the hits at
 *       or above the confidence floor, as {@code suggest} asks); wall and thread-CPU p50 and p99.
 *   <li>{@code files}: {@code docs} Markdown files written by {@link KbCorpusWriter}, then what
 *       {@code kb index --rebuild --lexical-only --articles DIR} does (read and check every file,
 *       then index) against plain Lucene reading the same files on two threads.
 *       With {@code markup=N}, every N-th file has Markdown markup (heading, list, emphasis, inline
 *       code, links: {@link KbCorpusWriter#write(Path, int, int)}) and goes through the parser.
 *   <li>{@code cold}: the same two builds from files, each in a JVM of its own started for it, as
 *       the command runs: class loading and the JIT's compilations are counted (the child reports
 *       its process CPU; wall time includes the JVM's start). With {@code aot=N} each side first
 *       trains a JDK 25 AOT cache (classes and method profiles) with a build of its own over N files,
 *       and its counted builds start from it, as {@code kb index} does once the launcher has trained
 *       its cache.
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.supportbot.bench.kb.KbVersusLucene search docs=10000,100000
 * java -cp benchmarks/target/benchmarks.jar org.supportbot.bench.kb.KbVersusLucene index docs=100000 rounds=3
 * java -cp benchmarks/target/benchmarks.jar org.supportbot.bench.kb.KbVersusLucene files docs=100000 rounds=2
 * java -cp benchmarks/target/benchmarks.jar org.supportbot.bench.kb.KbVersusLucene cold docs=100000 rounds=4
 * java -cp benchmarks/target/benchmarks.jar org.supportbot.bench.kb.KbVersusLucene cold docs=100000 rounds=4 aot=20000
 * </pre>
 *
 * Run it from the repository folder, so that {@link KbCorpus} finds the kb-eval vocabulary.
 */
public final class KbVersusLucene {
  private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private KbVersusLucene() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 3 && args[0].equals("one")) {
      oneColdBuild(args[1], Path.of(args[2]));
      return;
    }
    List<String> parts = List.of("index", "search", "files", "cold");
    if (args.length == 0 || !parts.contains(args[0])) {
      System.err.println("usage: KbVersusLucene index|search|files|cold [docs=N[,N...]] [rounds=N] [warmbuilds=N]"
          + " [warmup=N] [queries=N] [markup=N] [aot=N]");
      System.exit(2);
    }
    KbCorpus corpus = KbCorpus.load();
    System.out.printf(Locale.ROOT, "corpus: %,d words from %s%n", corpus.vocabularySize(), KbCorpus.vocabularySource());
    int rounds = intArg(args, "rounds", 3);
    for (String size : arg(args, "docs", "10000,100000").split(",")) {
      int docs = Integer.parseInt(size.strip());
      switch (args[0]) {
        case "index" -> index(corpus.documents(42, docs), rounds, intArg(args, "warmbuilds", 2));
        case "search" -> search(corpus, corpus.documents(42, docs), intArg(args, "warmup", 3_000),
            intArg(args, "queries", 5_000));
        case "files" -> files(docs, rounds, intArg(args, "warmbuilds", 2), intArg(args, "markup", 0));
        default -> cold(docs, rounds, intArg(args, "markup", 0), intArg(args, "aot", 0));
      }
    }
  }

  /** One build's wall and process CPU seconds, and the part of them the collector and the JIT took. */
  private record Cost(double wall, double cpu, double gc, double jit) {
    static Cost of(long wall0, long cpu0, long gc0, long jit0) {
      return new Cost((System.nanoTime() - wall0) / 1e9, (OS.getProcessCpuTime() - cpu0) / 1e9,
          (gcMillis() - gc0) / 1e3, (jitMillis() - jit0) / 1e3);
    }
  }

  /**
   * Milliseconds the JIT has compiled: the CPU time of the compiler threads where Linux shows it
   * ({@code /proc/self/task}), which a busy machine does not inflate, else the elapsed compilation
   * time the JVM reports. (On this 2-core machine the JVM runs one C1 and one C2 thread, which never
   * exit, so none of their time is lost.)
   */
  private static long jitMillis() {
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return JIT.getTotalCompilationTime();
    }
    long ticks = 0;
    try (var list = Files.list(tasks)) {
      for (Path task : (Iterable<Path>) list::iterator) {
        try {
          if (!Files.readString(task.resolve("comm")).contains("CompilerThre")) {
            continue;
          }
          String stat = Files.readString(task.resolve("stat"));
          // fields after the command's closing parenthesis: state is field 3, utime 14, stime 15
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException gone) {
          // a thread that ended while listed
        }
      }
    } catch (IOException e) {
      return JIT.getTotalCompilationTime();
    }
    return ticks * 10; // USER_HZ is 100 on Linux
  }

  private static long gcMillis() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  private interface Build {
    void run(Path dir) throws IOException;
  }

  private static Cost timed(Build build) throws IOException {
    Path dir = Files.createTempDirectory("kb-vs-lucene");
    try {
      long gc0 = gcMillis();
      long jit0 = jitMillis();
      long cpu0 = OS.getProcessCpuTime();
      long t0 = System.nanoTime();
      build.run(dir);
      return Cost.of(t0, cpu0, gc0, jit0);
    } finally {
      KbBench.deleteTree(dir);
    }
  }

  private static void index(List<KbDocument> all, int rounds, int warmBuilds) throws IOException {
    List<KbDocument> articles = all.stream().filter(d -> d.source() == Source.ARTICLE).toList();
    List<KbDocument> forum = all.stream().filter(d -> d.source() == Source.FORUM).toList();
    Build ours = dir -> KbIndexing.index(dir, articles, forum, true, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    Build plain = dir -> PlainLucene.index(dir, all.size(), i -> PlainLucene.document(all.get(i)), 2);
    compareBuilds("index " + all.size() + " docs", all.size(), ours, plain, rounds, warmBuilds);
  }

  private static void files(int docs, int rounds, int warmBuilds, int markupEvery) throws IOException {
    Path files = Files.createTempDirectory("kb-vs-lucene-files");
    try {
      long t0 = System.nanoTime();
      KbCorpusWriter.write(files, docs, markupEvery);
      System.out.printf(Locale.ROOT, "wrote %,d Markdown files in %.1f s%n", docs, (System.nanoTime() - t0) / 1e9);
      Build[] builds = fileBuilds(files);
      compareBuilds("kb index --rebuild, " + docs + " Markdown files" + marked(markupEvery), docs, builds[0], builds[1],
          rounds, warmBuilds);
    } finally {
      KbBench.deleteTree(files);
    }
  }

  private static String marked(int markupEvery) {
    return markupEvery <= 0 ? "" : markupEvery == 1 ? " (all with markup)" : " (every " + markupEvery + "th with markup)";
  }

  /** Our build and plain Lucene's, from the same files. */
  private static Build[] fileBuilds(Path files) {
    Build ours = dir -> KbIndexing.indexFolders(dir, files, null, "", true, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    Build plain = dir -> {
      List<Path> paths = PlainLucene.markdownFiles(files);
      PlainLucene.index(dir, paths.size(), i -> PlainLucene.fromFile(paths.get(i)), 2);
    };
    return new Build[] {ours, plain};
  }

  /**
   * Each build from files in a JVM of its own, as {@code kb index --rebuild} runs: the JIT's and the
   * class loading's cost is counted, as a command pays it. The child reports its own process CPU.
   */
  private static void cold(int docs, int rounds, int markupEvery, int aotTraining) throws IOException {
    Path files = Files.createTempDirectory("kb-vs-lucene-files");
    Path caches = Files.createTempDirectory("kb-vs-lucene-aot");
    try {
      KbCorpusWriter.write(files, docs, markupEvery);
      String what = "cold build in its own JVM, " + docs + " Markdown files" + marked(markupEvery);
      Map<String, List<String>> jvm = new java.util.HashMap<>(Map.of("ours", List.of(), "plain", List.of()));
      if (aotTraining > 0) {
        // each side gets a JDK 25 AOT cache (classes and method profiles) from a training build of its own (over
        // the first files of the corpus), as the launcher trains one for kb index; the counted builds start from it
        Path training = caches.resolve("training-files");
        KbCorpusWriter.write(training, aotTraining, markupEvery);
        for (String who : List.of("ours", "plain")) {
          Path cache = caches.resolve(who + ".aot");
          inChild(who, training, List.of("-XX:AOTCacheOutput=" + cache, "-Xlog:aot*=off", "-Xlog:cds*=off"));
          jvm.put(who, List.of("-XX:AOTCache=" + cache, "-Xlog:aot*=off", "-Xlog:cds*=off"));
        }
        what += ", each side with an AOT cache trained on its own build of the first " + aotTraining + " of them";
      }
      // one uncounted build of each side first: the first build after the corpus was written took 17-26 CPU-s
      // where the next ones took 14-16 (cause not established; the kernel writing the new files back is a candidate)
      for (String who : List.of("ours", "plain")) {
        report(what + " (first, not counted)", who.equals("ours") ? "ours " : "plain", docs,
            inChild(who, files, jvm.get(who)));
      }
      List<Cost> o = new ArrayList<>();
      List<Cost> p = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        for (String who : r % 2 == 0 ? List.of("ours", "plain") : List.of("plain", "ours")) {
          Cost c = report(what, who.equals("ours") ? "ours " : "plain", docs, inChild(who, files, jvm.get(who)));
          (who.equals("ours") ? o : p).add(c);
        }
      }
      summary(what, docs, rounds, o, p);
    } finally {
      KbBench.deleteTree(files);
      KbBench.deleteTree(caches);
    }
  }

  private static Cost inChild(String who, Path files, List<String> jvmOptions) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), KbVersusLucene.class.getName(), "one", who,
        files.toString()));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    long t0 = System.nanoTime();
    Process child = pb.start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      if (child.waitFor() != 0) {
        throw new IOException("the " + who + " build failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    // the child's last line of three figures (a JVM writing an AOT cache may print after it)
    String[] f = out.lines().filter(l -> l.matches("[0-9.]+ [0-9.]+ [0-9.]+")).reduce((a, b) -> b)
        .orElseThrow(() -> new IOException("the " + who + " build printed no figures: " + out)).split(" ");
    return new Cost(wall, Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]));
  }

  /** In the child: one build, then this process's CPU, collector and JIT seconds on one line. */
  private static void oneColdBuild(String who, Path files) throws IOException {
    Build build = fileBuilds(files)[who.equals("ours") ? 0 : 1];
    timed(build);
    System.out.printf(Locale.ROOT, "%.3f %.3f %.3f%n", OS.getProcessCpuTime() / 1e9, gcMillis() / 1e3,
        jitMillis() / 1e3);
  }

  private static void compareBuilds(String what, int docs, Build ours, Build plain, int rounds, int warmBuilds)
      throws IOException {
    // uncounted builds of each side first: the JIT compiles Lucene's indexing chain during the first
    // build in a JVM (several CPU-seconds on the compiler threads, which process CPU counts), and
    // without them whichever side builds first pays that for both; ours' compilations run on into
    // its second build, hence two by default
    for (int r = 0; r < warmBuilds; r++) {
      report(what + " (warm-up, not counted)", "ours ", docs, timed(ours));
      report(what + " (warm-up, not counted)", "plain", docs, timed(plain));
    }
    List<Cost> o = new ArrayList<>();
    List<Cost> p = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      // alternate which goes first, so neither always gets the colder JIT or the busier moment
      if (r % 2 == 0) {
        o.add(report(what, "ours ", docs, timed(ours)));
        p.add(report(what, "plain", docs, timed(plain)));
      } else {
        p.add(report(what, "plain", docs, timed(plain)));
        o.add(report(what, "ours ", docs, timed(ours)));
      }
    }
    summary(what, docs, rounds, o, p);
  }

  private static void summary(String what, int docs, int rounds, List<Cost> o, List<Cost> p) {
    double oc = o.stream().mapToDouble(Cost::cpu).sum();
    double pc = p.stream().mapToDouble(Cost::cpu).sum();
    double ow = o.stream().mapToDouble(Cost::wall).sum();
    double pw = p.stream().mapToDouble(Cost::wall).sum();
    // each round's pair ran back to back: the median of their ratios is less moved by one slow build
    // (a busy moment of this shared machine) than the ratio of the sums
    double[] pairs = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      pairs[r] = p.get(r).cpu() / o.get(r).cpu();
    }
    Arrays.sort(pairs);
    double median = rounds % 2 == 1 ? pairs[rounds / 2] : (pairs[rounds / 2 - 1] + pairs[rounds / 2]) / 2;
    System.out.printf(Locale.ROOT, "%s, all rounds: ours %,.0f docs per CPU-second, plain %,.0f: ours/plain %.2f"
            + " (median of the rounds' ratios %.2f, from %.2f to %.2f);"
            + " wall ours %.1f s, plain %.1f s per build: ours/plain time %.2f (load %s)%n",
        what, docs * rounds / oc, docs * rounds / pc, pc / oc, median, pairs[0], pairs[rounds - 1], ow / rounds,
        pw / rounds, ow / pw, load());
  }

  private static Cost report(String what, String who, int docs, Cost c) {
    System.out.printf(Locale.ROOT, "%s, %s: %.1f s wall, %.1f s CPU: %,.0f docs/s wall, %,.0f docs per CPU-second"
        + " (collector pauses %.2f s, JIT %.1f CPU-s; load %s)%n", what, who, c.wall(), c.cpu(), docs / c.wall(),
        docs / c.cpu(), c.gc(), c.jit(), load());
    return c;
  }

  private interface Query {
    int run(int i) throws IOException;
  }

  private static void search(KbCorpus corpus, List<KbDocument> all, int warmup, int measured) throws IOException {
    Path ours = Files.createTempDirectory("kb-vs-lucene-ours");
    Path plain = Files.createTempDirectory("kb-vs-lucene-plain");
    try {
      try (KbIndexWriter w = KbIndexWriter.open(KbIndexing.luceneDir(ours))) {
        w.sync(Map.of(Source.ARTICLE, all.stream().filter(d -> d.source() == Source.ARTICLE).toList(),
            Source.FORUM, all.stream().filter(d -> d.source() == Source.FORUM).toList()), true, IndexProgress.NONE);
        w.commit(Map.of());
      }
      PlainLucene.index(plain, all.size(), i -> PlainLucene.document(all.get(i)), 2);
      SplittableRandom rnd = new SplittableRandom(7);
      List<String> pool = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        pool.add(corpus.query(rnd));
      }
      List<SearchRequest> requests = pool.stream().map(SearchRequest::of).toList();
      try (KbSearcher k = KbSearcher.open(KbIndexing.luceneDir(ours), SearchSettings.defaults().lexicalOnly());
          PlainLucene.Searcher p = new PlainLucene.Searcher(plain)) {
        Query[] runs = {
          i -> k.search(requests.get(i % requests.size()), 5, true).size(),
          i -> k.search(requests.get(i % requests.size()), 5, false).size(),
          i -> k.search(requests.get(i % requests.size()), 5, k.floor()).size(),
          i -> p.search(pool.get(i % pool.size())),
        };
        String[] names = {"ours", "ours without snippets", "ours as suggest asks (snippets above the floor)",
            "plain Lucene"};
        int reference = runs.length - 1;
        long sink = 0;
        for (int i = 0; i < warmup; i++) {
          for (Query q : runs) {
            sink += q.run(i);
          }
        }
        long[][] wall = new long[runs.length][measured];
        long[][] cpu = new long[runs.length][measured];
        for (int i = 0; i < measured; i++) {
          for (int j = 0; j < runs.length; j++) {
            int r = (i + j) % runs.length; // each kind first, second and third in turn
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            sink += runs[r].run(warmup + i);
            wall[r][i] = System.nanoTime() - t0;
            cpu[r][i] = THREADS.getCurrentThreadCpuTime() - c0;
          }
        }
        double[] plainWall = percentiles(wall[reference]);
        double[] plainCpu = percentiles(cpu[reference]);
        for (int r = 0; r < runs.length; r++) {
          double[] w = percentiles(wall[r]);
          double[] c = percentiles(cpu[r]);
          System.out.printf(Locale.ROOT, "search %,d docs, %s: wall p50 %.3f ms, p99 %.3f ms; thread CPU p50 %.3f ms,"
                  + " p99 %.3f ms; against plain: wall p50 %.2fx, p99 %.2fx, CPU p50 %.2fx, p99 %.2fx (load %s)%n",
              all.size(), names[r], w[0], w[1], c[0], c[1], w[0] / plainWall[0], w[1] / plainWall[1],
              c[0] / plainCpu[0], c[1] / plainCpu[1], load());
        }
        System.out.printf(Locale.ROOT, "(%d measured queries after %d warm-up, %d hits; segments: ours %d, plain %d)%n",
            measured, warmup, sink, k.segments(), p.segments());
        // how much the floor-aware column saves depends on how many hits reach the floor
        int shown = 0;
        int top = 0;
        int hits = 0;
        for (SearchRequest r : requests) {
          List<org.supportbot.kb.search.SearchHit> h = k.search(r, 5, false);
          hits += h.size();
          shown += (int) h.stream().filter(x -> x.confidence() >= k.floor()).count();
          top += !h.isEmpty() && h.get(0).confidence() >= k.floor() ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "(of the %d distinct queries' %d hits, %d reach the floor %.3f; %d queries' top hit does)%n",
            requests.size(), hits, shown, k.floor(), top);
      }
    } finally {
      KbBench.deleteTree(ours);
      KbBench.deleteTree(plain);
    }
  }

  /** p50 and p99 in milliseconds. */
  private static double[] percentiles(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return new double[] {s[s.length / 2] / 1e6, s[(int) Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)] / 1e6};
  }

  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
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
    String v = arg(args, name, Integer.toString(fallback));
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + "=" + v + ": not a whole number; write e.g. " + name + "=" + fallback);
    }
  }
}
