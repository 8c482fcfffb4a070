package org.supportbot.app.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.supportbot.app.Main;
import org.supportbot.config.load.ConfigException;
import org.supportbot.config.load.PolicyCatalog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code supportbot demo}: the whole desk in a terminal, with no token and no network. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    header = "The whole desk in a terminal workspace, with no tokens and no network.",
    description = {"The whole desk in a terminal workspace: sample organizations on the five seed policies, their",
        "channels and people, an embedded SQLite file and the bundled sample knowledge base.",
        "Type /demo inside for the workspace commands, /help for the desk's."})
public final class DemoCommand implements Callable<Integer> {

  /** Scripts start on a Monday morning in California so that transcripts are the same on every run. */
  static final Instant SCRIPT_START = Instant.parse("2026-11-23T17:00:00Z");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--script", paramLabel = "FILE",
      description = "Run the lines of FILE as if typed, print what everyone sees, and exit.")
  Path script;

  @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
      description = "Folder of the demo's database and knowledge-base index (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--start", paramLabel = "INSTANT",
      description = "Start of the simulated clock, e.g. 2026-11-23T17:00:00Z (default: now; scripts: "
          + "2026-11-23T17:00:00Z).")
  String start;

  @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "America/Los_Angeles",
      description = "Time zone deadlines are shown in (default: ${DEFAULT-VALUE}).")
  ZoneId zone;

  @Option(names = "--web-port", paramLabel = "PORT", defaultValue = "8080",
      description = "Serve the web board on 127.0.0.1:PORT, with sample cases (default: ${DEFAULT-VALUE}; 0 picks a"
          + " free port). Not with --script.")
  int webPort;

  @Option(names = "--no-web", description = "Do not serve the web board (and file no sample cases).")
  boolean noWeb;

  /** Whether something already listens on the loopback {@code port}. */
  private static boolean inUse(int port) {
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Instant begin;
    try {
      begin = start != null ? Instant.parse(start) : script != null ? SCRIPT_START : Clock.systemUTC().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    } catch (DateTimeParseException e) {
      err.println("error: --start \"" + start + "\" is not an instant; write e.g. 2026-11-23T17:00:00Z");
      return Main.EXIT_USAGE;
    }
    if (script != null && !Files.isReadable(script)) {
      err.println("error: cannot read the script " + script + "; check the path");
      return Main.EXIT_USAGE;
    }
    PolicyCatalog catalog;
    try {
      catalog = PolicyCatalog.bundled();
    } catch (ConfigException e) {
      err.println("error: the bundled policies do not load: " + e.getMessage());
      return 1;
    }
    OptionalInt port = script != null || noWeb ? OptionalInt.empty() : OptionalInt.of(webPort);
    if (port.isPresent() && webPort != 0 && !spec.commandLine().getParseResult().hasMatchedOption("--web-port")
        && inUse(webPort)) { // the default port is taken: a free one, rather than no demo at all
      err.println("supportbot demo: 127.0.0.1:" + webPort + " is in use; serving the web board on a free port instead"
          + " (choose one with --web-port PORT)");
      port = OptionalInt.of(0);
    }
    DemoDesk demo;
    try {
      demo = DemoDesk.open(data, begin, catalog, port);
    } catch (java.net.BindException e) {
      err.println("error: cannot serve the web board on 127.0.0.1:" + webPort + " (it is in use); pass --web-port 0"
          + " for a free port, or --no-web");
      return 1;
    }
    try (demo) {
      String session = script != null ? "script" : "console-" + UUID.randomUUID().toString().substring(0, 8);
      ConsoleWorkspace workspace = demo.workspace(out, session, zone);
      demo.web().ifPresent(web -> {
        out.println("supportbot demo: the web board is on " + web.publicUrl() + " with two weeks of sample cases.");
        out.println("  Sign in as max (support manager) with this one-time link, valid "
            + org.supportbot.app.web.SignIns.LINK_LIFETIME.toMinutes() + " minutes: " + demo.signInLink("max").orElseThrow());
        out.println("  Anyone else types /board in chat for their own link (e.g. /as eve, then /board).");
      });
      return script != null ? runScript(workspace, out) : interactive(workspace, out);
    }
  }

  private int runScript(ConsoleWorkspace workspace, PrintWriter out) throws IOException {
    List<String> lines = Files.readAllLines(script, StandardCharsets.UTF_8);
    for (String line : lines) {
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      out.println(workspace.prompt() + line.strip());
      if (!workspace.line(line)) {
        break;
      }
    }
    out.flush();
    return 0;
  }

  private int interactive(ConsoleWorkspace workspace, PrintWriter out) throws IOException {
    out.println("supportbot demo: you are ana@acme, a named contact of Acme Corp (Atheer policy), in #acme-support.");
    out.println("Try /support to file a case; /demo lists the workspace commands (/as, /channel, /advance, /press).");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    while (true) {
      out.print(workspace.prompt());
      out.flush();
      String line = in.readLine();
      if (line == null || !workspace.line(line)) {
        return 0;
      }
    }
  }
}
