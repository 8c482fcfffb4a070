package org.supportbot.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Start-up failures of {@code supportbot run}, in-process through picocli: each is one line on stderr
 * naming the fix and exits 1, with no stack trace unless {@code --verbose}. {@code run --check} reports
 * a database path that cannot be used as {@code file:line: database: problem; fix}, and creates nothing.
 */
class RunStartFailuresTest {
  @TempDir Path dir;

  private record Result(int exitCode, String out, String err) {}

  private Result run(Path settings, String... flags) {
    RunCommand command = new RunCommand(Map.of("DISCORD_TOKEN", "MTAx.fake.token"), Clock.systemUTC());
    CommandLine cli = new CommandLine(command);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> args = new ArrayList<>(List.of("--config", settings.toString()));
    args.addAll(List.of(flags));
    int code = cli.execute(args.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  /** A Discord-only settings file whose line 4 is {@code database: <database>}. */
  private Path settings(Path database, String discord) throws Exception {
    Path f = dir.resolve("bot.yaml");
    Files.writeString(f, """
        triage: discord/1/2
        organizations:
          - { id: acme, key: ACME, policy: atheer, channels: [discord/1/3] }
        database: %s
        discord: %s
        """.formatted(database, discord));
    return f;
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void aDiscordOnlyRunThatCannotReachDiscordSaysSoInOneLine() throws Exception {
    int port = closedPort();
    String rest = "http://127.0.0.1:" + port + "/api/v10/";
    Path f = settings(dir.resolve("bot.db"), "{ rest_url: \"" + rest + "\", gateway_url: \"ws://127.0.0.1:" + port
        + "/\" }");
    Result r = run(f);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: cannot reach Discord's API at " + rest + " to log in (ConnectException); check"
        + " the network and proxy settings, or discord.rest_url" + System.lineSeparator());
    Result verbose = run(f, "--verbose");
    assertThat(verbose.exitCode()).isEqualTo(1);
    assertThat(r.err()).doesNotContain("\tat ");
    assertThat(verbose.err()).startsWith(r.err()).contains("\tat ");
  }

  @Test
  void aDatabasePathUnderAFileIsReportedByRunAndByCheck() throws Exception {
    Path file = dir.resolve("afile");
    Files.writeString(file, "x");
    Path db = file.resolve("bot.db");
    Path f = settings(db, "{}");
    String line = f + ":4: database: " + db + " cannot be created: " + file + " is a file, not a folder; choose a path"
        + " in a writable folder, e.g. data/supportbot.db beside the settings file" + System.lineSeparator();
    Result check = run(f, "--check");
    assertThat(check.exitCode()).isEqualTo(1);
    assertThat(check.err()).isEqualTo(line);
    assertThat(check.out()).isEmpty();
    Result r = run(f);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo(line);
  }

  @Test
  void aFileThatIsNotSqliteIsReportedAndLeftAlone() throws Exception {
    Path db = dir.resolve("notes.db");
    Files.writeString(db, "these are notes, not a database; the bot must not overwrite them");
    Path f = settings(db, "{}");
    String line = f + ":4: database: " + db + " is not a SQLite database; point database: at the bot's database file,"
        + " or at a new path to start an empty one" + System.lineSeparator();
    Result check = run(f, "--check");
    assertThat(check.exitCode()).isEqualTo(1);
    assertThat(check.err()).isEqualTo(line);
    Result r = run(f, "--verbose");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo(line);
    assertThat(Files.readString(db)).startsWith("these are notes");
  }

  @Test
  void anUnexpectedFailureIsOneLineAndTheTraceOnlyWithVerbose() throws Exception {
    Path kb = Files.createDirectories(dir.resolve("kb"));
    Files.writeString(kb.resolve("segments_1"), "not a Lucene index");
    Path f = settings(dir.resolve("bot.db"), "{}");
    Files.writeString(f, Files.readString(f) + "knowledge_base: " + kb + "\n");
    Result r = run(f);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: run stopped: KbException: " + kb.resolve("lucene") + ": no index here; build"
        + " one with 'supportbot kb index --index <dir> ...' (run again with --verbose for the stack trace)"
        + System.lineSeparator());
    Result verbose = run(f, "--verbose");
    assertThat(verbose.exitCode()).isEqualTo(1);
    assertThat(verbose.err()).startsWith("error: run stopped: KbException: ").contains("\tat ");
  }

  @Test
  void aFolderAsTheDatabaseIsReportedWithAFileNameToUse() throws Exception {
    Path db = Files.createDirectories(dir.resolve("data"));
    Path f = settings(db, "{}");
    Result check = run(f, "--check");
    assertThat(check.exitCode()).isEqualTo(1);
    assertThat(check.err()).isEqualTo(f + ":4: database: " + db + " is a folder; write the path of a file in it, e.g. "
        + db.resolve("supportbot.db") + System.lineSeparator());
  }

  @Test
  void aFolderThisUserCannotWriteIsReported() throws Exception {
    Path locked = Files.createDirectories(dir.resolve("locked"));
    assertThat(locked.toFile().setWritable(false, false)).isTrue();
    try {
      org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(locked), "this user (root?) writes anywhere");
      Path db = locked.resolve("sub/bot.db");
      Path f = settings(db, "{}");
      Result check = run(f, "--check");
      assertThat(check.exitCode()).isEqualTo(1);
      assertThat(check.err()).isEqualTo(f + ":4: database: " + db + " cannot be created: the folder " + locked
          + " cannot be written by this user; give it write permission or choose another path"
          + System.lineSeparator());
    } finally {
      locked.toFile().setWritable(true, false);
    }
  }
}
