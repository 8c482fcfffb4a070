package org.supportbot.bench.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
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
import org.supportbot.app.web.Viewer;

/**
 * Server time of the web board for a manager: reading the open cases from SQLite, ordering and
 * filtering them, and rendering the page with its precompiled template (everything but the socket).
 * Target: at most 200 ms for 1,000 open cases.
 *
 * <p>Run: {@code ./mvnw -B -ntp -Pbenchmarks -pl benchmarks -am package -DskipTests &&
 * $JAVA_HOME/bin/java -jar benchmarks/target/benchmarks.jar BoardRenderBenchmark}
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(1)
@State(Scope.Benchmark)
public class BoardRenderBenchmark {
  @Param({"1000"})
  int open;

  private Path dir;
  private BoardFixture fixture;
  private final Viewer manager = Viewer.vendor(BoardFixture.MANAGER, "Max", true);

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("board-bench");
    fixture = new BoardFixture(dir, open, Clock.systemUTC());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    fixture.close();
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The whole board page for a manager, as the server renders it. */
  @Benchmark
  public int managerBoard() {
    return fixture.web.renderBoard(manager).length();
  }
}
