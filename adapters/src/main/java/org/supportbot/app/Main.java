package org.supportbot.app;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code supportbot} command line: the one place where the application is wired.
 * Each operator command is a subcommand class of its own; see {@code --help}.
 */
@Command(
    name = "supportbot",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "An open-source support desk that lives in Slack and Discord.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  /** Exit code for wrong usage: unknown option, bad value, unknown policy or level. */
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Lucene tells every run, at WARNING, that the incubating vector module is not enabled; that is our choice. */
  private static final java.util.logging.Logger LUCENE_VECTORS =
      java.util.logging.Logger.getLogger("org.apache.lucene.internal.vectorization");

  public static void main(String[] args) {
    LUCENE_VECTORS.setLevel(java.util.logging.Level.SEVERE);
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams; used by {@link #main} and by tests. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = commandLine(args);
    cli.setOut(out);
    cli.setErr(err);
    return cli.execute(args);
  }

  /** Every subcommand, for {@code --help} and for arguments that name none. */
  static CommandLine commandLine() {
    return commandLine(new String[0]);
  }

  /**
   * The command line for {@code args}: when they start with a subcommand's name, only that subcommand is
   * built (what it parses and prints is the same), so {@code supportbot run} starts sooner.
   */
  static CommandLine commandLine(String[] arguments) {
    CommandLine cli = new CommandLine(new Main());
    java.util.List<Object> subs = arguments.length > 0
        ? Commands.named(arguments[0]).map(java.util.List::of).orElseGet(Commands::all)
        : Commands.all();
    for (Object sub : subs) {
      cli.addSubcommand(sub);
    }
    cli.setExitCodeExceptionMapper(e -> EXIT_USAGE);
    cli.setParameterExceptionHandler((ex, args) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println("error: " + ex.getMessage());
      CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr());
      c.getErr().println("Run '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
      return EXIT_USAGE;
    });
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"supportbot " + (v == null ? "dev" : v)};
    }
  }
}
