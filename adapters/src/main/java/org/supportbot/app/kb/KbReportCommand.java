package org.supportbot.app.kb;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.supportbot.kb.DeflectionReport;
import org.supportbot.kb.KbException;
import org.supportbot.kb.Source;
import org.supportbot.kb.feedback.FeedbackStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code supportbot kb report}: the deflection rate overall, per source and per document. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {
      "Deflection: cases not filed because a suggestion solved them.",
      "A case is deflected when any suggestion shown for it was marked solved."
    })
final class KbReportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--index", required = true, paramLabel = "DIR", description = "Knowledge-base folder.")
  Path index;

  @Option(names = "--top", paramLabel = "N", defaultValue = "20", description = "Documents to list (default: ${DEFAULT-VALUE}).")
  int top;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      DeflectionReport r = FeedbackStore.in(index).report();
      out.printf("deflection  %s%n", rate(r.overall()));
      for (Map.Entry<Source, DeflectionReport.Rate> e : r.bySource().entrySet()) {
        out.printf("  %-8s  %s%n", e.getKey().label(), rate(e.getValue()));
      }
      if (!r.byDocument().isEmpty()) {
        out.println("per document (solved / verdicts):");
        r.byDocument().stream().limit(top).forEach(d ->
            out.printf("  %-8s %-20s %s%n", d.source().label(), d.id(), rate(d.rate())));
      }
      return 0;
    } catch (KbException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return KbCommand.EXIT_FAILED;
    }
  }

  private static String rate(DeflectionReport.Rate r) {
    return String.format("%5.1f%%  (%d of %d)", 100 * r.rate(), r.solved(), r.total());
  }
}
