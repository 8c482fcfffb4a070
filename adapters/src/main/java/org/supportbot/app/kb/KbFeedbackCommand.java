package org.supportbot.app.kb;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.supportbot.kb.Feedback;
import org.supportbot.kb.KbException;
import org.supportbot.kb.Source;
import org.supportbot.kb.feedback.FeedbackStore;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code supportbot kb feedback}: records "this solved it" or "not helpful" on a suggestion. */
@Command(name = "feedback", mixinStandardHelpOptions = true,
    description = "Records a verdict on a suggestion shown for a case.")
final class KbFeedbackCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--index", required = true, paramLabel = "DIR", description = "Knowledge-base folder.")
  Path index;

  @Option(names = "--case", required = true, paramLabel = "ID", description = "The case (draft or conversation).")
  String caseId;

  @Option(names = "--id", required = true, paramLabel = "ID", description = "The suggested article or topic id.")
  String id;

  @Option(names = "--source", required = true, paramLabel = "SOURCE", description = "article or forum.")
  String source;

  @Option(names = "--draft", paramLabel = "TEXT", defaultValue = "",
      description = "The text the suggestion was shown for (title, then description); with it the verdict moves"
          + " the document up (solved) or down (not helpful, twice) for similar drafts.")
  String draft;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Verdict verdict;

  static final class Verdict {
    @Option(names = "--solved", required = true, description = "This solved it.") boolean solved;
    @Option(names = "--not-helpful", required = true, description = "Not helpful.") boolean notHelpful;
  }

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    Source s;
    try {
      s = Source.parse(source);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    try {
      Feedback f = new Feedback(caseId, id, s, verdict.solved ? Feedback.Verdict.SOLVED : Feedback.Verdict.NOT_HELPFUL,
          clock.instant(), draft);
      FeedbackStore.in(index).append(f);
      spec.commandLine().getOut().println("recorded: case " + f.caseId() + ", " + s.label() + " " + f.suggestionId()
          + ", " + (verdict.solved ? "solved" : "not helpful"));
      return 0;
    } catch (KbException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return KbCommand.EXIT_FAILED;
    }
  }
}
