package org.supportbot.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The launcher's training run ({@code supportbot train-startup}): it starts the real run path on scratch data,
 * every request it sends is answered (the help and queue replies, the filing's modal), and it ends cleanly;
 * if the run path stopped answering one of them the training would fail and the launcher make no cache.
 */
class StartupTrainingTest {
  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  @Test
  void theTrainingRunStartsTheDeskAndEveryRequestIsAnswered() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new StartupTraining(Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"),
        ZoneOffset.UTC)));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    java.nio.file.Path nativeDir = dir.resolve("native");
    assertThat(cli.execute("--native-dir", nativeDir.toString(), "--index-articles", "400"))
        .as("exit code; stderr: %s", err).isZero();
    assertThat(err.toString()).isEmpty();
    // then it indexed the generated articles, as kb index --rebuild does
    assertThat(out.toString()).contains("indexed 400 generated articles");
    // the SQLite library it unpacked is the one sqlite-jdbc has for this machine, whole
    java.nio.file.Path lib = nativeDir.resolve(System.mapLibraryName("sqlitejdbc"));
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(nativeDir)) {
      assertThat(files).containsExactly(lib);
    }
    try (var in = org.sqlite.JDBC.class.getResourceAsStream("/org/sqlite/native/"
        + org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + lib.getFileName())) {
      assertThat(java.nio.file.Files.readAllBytes(lib)).isEqualTo(in.readAllBytes());
    }
  }

  @Test
  void aNegativeArticleCountIsRefusedWithWhatToGive() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new StartupTraining());
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute("--index-articles", "-1")).isEqualTo(2);
    assertThat(err.toString()).contains("--index-articles must be 0 or more, got -1");
  }
}
