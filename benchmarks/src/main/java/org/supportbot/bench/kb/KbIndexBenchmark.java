package org.supportbot.bench.kb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;
import org.supportbot.kb.Source;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.IndexReport;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.ingest.KbDocument;

/**
 * A full build of the knowledge base from {@code docs} generated documents (see {@link KbCorpus};
 * about 330 words each, two thirds articles, one third forum topics) into a fresh index on disk,
 * committed, as {@code kb index --rebuild} does after reading the files. One invocation is one
 * build; documents per second = {@code docs} / the reported time. {@code mode=lexical} stores BM25
 * fields only; {@code mode=hybrid} also embeds each document with all-MiniLM-L6-v2, which is far
 * slower, so run it on fewer documents.
 *
 * <p>Run: {@code ./mvnw -B -ntp -Pbenchmarks -pl benchmarks -am package -DskipTests &&
 * java -jar benchmarks/target/benchmarks.jar KbIndexBenchmark} (lexical, 100,000 documents), and
 * {@code java -jar benchmarks/target/benchmarks.jar KbIndexBenchmark -p mode=hybrid -p docs=1000}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class KbIndexBenchmark {
  @Param({"lexical"})
  String mode;

  @Param({"100000"})
  int docs;

  private List<KbDocument> articles;
  private List<KbDocument> forum;
  private Path dir;

  @Setup(Level.Trial)
  public void generate() {
    List<KbDocument> all = KbCorpus.load().documents(42, docs);
    articles = all.stream().filter(d -> d.source() == Source.ARTICLE).toList();
    forum = all.stream().filter(d -> d.source() == Source.FORUM).toList();
  }

  @Setup(Level.Iteration)
  public void freshFolder() throws IOException {
    dir = Files.createTempDirectory("kb-index-bench");
  }

  @TearDown(Level.Iteration)
  public void deleteFolder() throws IOException {
    KbBench.deleteTree(dir);
  }

  @Benchmark
  public IndexReport build() {
    KbIndexing.Mode m = "hybrid".equals(mode) ? KbIndexing.Mode.SEMANTIC : KbIndexing.Mode.LEXICAL;
    return KbIndexing.index(dir, articles, forum, true, m, IndexProgress.NONE);
  }
}
