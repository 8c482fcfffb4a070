package org.supportbot.app.kb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.supportbot.kb.KbException;
import org.supportbot.kb.eval.EvalFiles;
import org.supportbot.kb.eval.Evaluator;
import org.supportbot.kb.eval.Metrics;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.search.KbSearcher;
import org.supportbot.kb.search.SearchSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code supportbot kb eval}: ranking quality on labelled questions. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Prints MAP@10, MRR@10, P@1, Recall@5 and nDCG@10 of the knowledge base on labelled queries.",
      "With --candidates, only each query's candidates are re-ranked (SemEval-2016 protocol)."
    })
final class KbEvalCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--index", required = true, paramLabel = "DIR", description = "Knowledge-base folder.")
  Path index;

  @Option(names = "--queries", required = true, paramLabel = "FILE", description = "query_id<TAB>text lines.")
  Path queries;

  @Option(names = "--qrels", required = true, paramLabel = "FILE", description = "query_id 0 doc_id relevance lines.")
  Path qrels;

  @Option(names = "--candidates", paramLabel = "FILE", description = "query_id<TAB>doc ids: re-rank only these.")
  Path candidates;

  @Option(names = "--lexical", description = "BM25 only, even if the index has embeddings.")
  boolean lexical;

  @Option(names = "--plain", description = "Plain BM25 (every text field weight 1, default BM25 parameters, no query"
      + " stop words, no exact tokens): the reference point of the README's quality table.")
  boolean plain;

  @Option(names = "--semantic-weight", paramLabel = "W", description = "Weight of the embeddings' cosine similarity"
      + " in the fusion with BM25 (default ${DEFAULT-VALUE}), to compare fusion weights.")
  float semanticWeight = SearchSettings.defaults().semantic();

  @Option(names = "--json", description = "JSON output.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SearchSettings settings = settings();
    try (KbSearcher searcher = KbSearcher.open(KbIndexing.luceneDir(index), settings)) {
      Map<String, String> q = EvalFiles.queries(queries);
      Map<String, Map<String, Integer>> r = EvalFiles.qrels(qrels);
      Map<String, List<String>> c = candidates == null ? null : EvalFiles.candidates(candidates);
      Metrics m = Evaluator.evaluate(searcher, q, r, c);
      Evaluator.FloorCheck f = Evaluator.floorCheck(searcher, q, r);
      if (json) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("queries", m.queries());
        o.put("mode", plain ? "plain" : searcher.semantic() ? "hybrid" : "lexical");
        o.put("MAP@10", m.map10());
        o.put("MRR@10", m.mrr10());
        o.put("P@1", m.p1());
        o.put("Recall@5", m.recall5());
        o.put("nDCG@10", m.ndcg10());
        ObjectNode fo = o.putObject("floor");
        fo.put("value", f.floor());
        fo.put("no_relevant", f.noRelevant());
        fo.put("no_relevant_silenced", f.noRelevantSilenced());
        fo.put("top1_relevant", f.top1Relevant());
        fo.put("top1_relevant_silenced", f.top1RelevantSilenced());
        if (Double.isFinite(f.fittedFloor())) {
          fo.put("fitted", f.fittedFloor());
        }
        out.println(o);
      } else {
        out.printf("queries   %d (%s%s)%n", m.queries(),
            plain ? "plain BM25" : searcher.semantic() ? "hybrid BM25 + embeddings" : "lexical BM25",
            c == null ? ", whole index" : ", re-ranking candidates");
        out.printf("MAP@10    %.4f%n", m.map10());
        out.printf("MRR@10    %.4f%n", m.mrr10());
        out.printf("P@1       %.4f%n", m.p1());
        out.printf("Recall@5  %.4f%n", m.recall5());
        out.printf("nDCG@10   %.4f%n", m.ndcg10());
        out.printf("floor     %.3f: no suggestion for %d of %d queries without a relevant document;"
            + " %d of %d correct top answers lost (whole index)%n",
            f.floor(), f.noRelevantSilenced(), f.noRelevant(), f.top1RelevantSilenced(), f.top1Relevant());
        out.printf("fit       %s%n", Double.isFinite(f.fittedFloor())
            ? String.format(java.util.Locale.ROOT, "%.3f: the confidence at which these queries' top hit is as likely"
                + " relevant as not (logistic fit; how the shipped floors were set, on SemEval train)", f.fittedFloor())
            : "none: these queries cannot tell (every top hit relevant, or none)");
      }
      return 0;
    } catch (KbException e) {
      err.println("error: " + e.getMessage());
      return KbCommand.EXIT_FAILED;
    }
  }

  private SearchSettings settings() {
    boolean weighted = spec.commandLine().getParseResult().hasMatchedOption("--semantic-weight");
    if (plain && (lexical || weighted)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--plain is BM25 alone; it cannot be combined with " + (lexical ? "--lexical" : "--semantic-weight"));
    }
    if (lexical && weighted) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--lexical and --semantic-weight exclude each other");
    }
    if (!(semanticWeight >= 0) || Float.isInfinite(semanticWeight)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--semantic-weight must be a finite number >= 0, was " + semanticWeight + "; 0 means BM25 alone");
    }
    if (plain) {
      return SearchSettings.plain();
    }
    return lexical ? SearchSettings.defaults().lexicalOnly() : SearchSettings.defaults().withSemantic(semanticWeight);
  }
}
