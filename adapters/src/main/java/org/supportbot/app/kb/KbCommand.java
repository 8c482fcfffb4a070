package org.supportbot.app.kb;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code supportbot kb}: the knowledge base of articles and forum threads. */
@Command(
    name = "kb",
    mixinStandardHelpOptions = true,
    description = "The knowledge base: index articles and forum threads, search, evaluate, feedback.",
    subcommands = {
      KbIndexCommand.class,
      KbSearchCommand.class,
      KbEvalCommand.class,
      KbFeedbackCommand.class,
      KbReportCommand.class
    })
public final class KbCommand implements Runnable {
  /** Exit code when the command ran but failed (bad source file, unreachable forum, no index). */
  static final int EXIT_FAILED = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
