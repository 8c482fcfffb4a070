package org.supportbot.kb.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.kb.Feedback;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.ingest.DiscourseTopics;
import org.supportbot.kb.ingest.KbDocument;
import org.supportbot.kb.search.KbSearcher;
import org.supportbot.kb.search.SearchHit;
import org.supportbot.kb.search.SearchRequest;
import org.supportbot.kb.search.SearchSettings;

/**
 * Feedback in ranking, on the SemEval data (skipped when {@code ../shared/data/kb-eval} is absent).
 * One index holds the dev and the train forum. Feedback is simulated from the train split only:
 * for every train query the top 5 are shown, and each is marked solved if the train judgements call
 * it relevant, not helpful otherwise (a customer who reads all five). The dev queries are then
 * measured before and after, searching the whole dev+train forum and re-ranking their candidates;
 * the train queries' own before and after (in sample: the verdicts are about these very drafts)
 * show that the verdicts act. Prints every figure; docs/knowledge-base.md ("Feedback") has them.
 */
class FeedbackEvalDataTest {
  @TempDir static Path work;
  static Path semeval;
  static List<Feedback> trainFeedback;

  @BeforeAll
  static void build() {
    Path data = KbEvalData.find().orElse(null);
    Assumptions.assumeTrue(data != null, "../shared/data/kb-eval not found beside the repository");
    semeval = data.resolve("semeval2016");
    List<KbDocument> topics = new ArrayList<>(DiscourseTopics.readFolder(semeval.resolve("forum-dev"), ""));
    topics.addAll(DiscourseTopics.readFolder(semeval.resolve("forum-train"), ""));
    KbIndexing.index(work, null, topics, false, KbIndexing.Mode.SEMANTIC, IndexProgress.NONE);
    trainFeedback = simulate(SearchSettings.defaults());
  }

  /** Verdicts of customers who read the top 5 of each train query. */
  static List<Feedback> simulate(SearchSettings settings) {
    Map<String, String> queries = EvalFiles.queries(semeval.resolve("queries-train.tsv"));
    Map<String, Map<String, Integer>> qrels = EvalFiles.qrels(semeval.resolve("qrels-train.txt"));
    List<Feedback> out = new ArrayList<>();
    try (KbSearcher k = KbSearcher.open(KbIndexing.luceneDir(work), settings)) {
      for (Map.Entry<String, String> q : queries.entrySet()) {
        for (SearchHit h : k.search(SearchRequest.of(q.getValue()), 5, false)) {
          boolean relevant = qrels.getOrDefault(q.getKey(), Map.of()).getOrDefault(h.id(), 0) > 0;
          out.add(new Feedback("train-" + q.getKey(), h.id(), h.source(),
              relevant ? Feedback.Verdict.SOLVED : Feedback.Verdict.NOT_HELPFUL, Instant.EPOCH, q.getValue()));
        }
      }
    }
    return out;
  }

  record BeforeAfter(Metrics before, Metrics after) {}

  static BeforeAfter run(String split, SearchSettings settings, boolean rerank) {
    Map<String, String> queries = EvalFiles.queries(semeval.resolve("queries-" + split + ".tsv"));
    Map<String, Map<String, Integer>> qrels = EvalFiles.qrels(semeval.resolve("qrels-" + split + ".txt"));
    Map<String, List<String>> candidates = rerank ? EvalFiles.candidates(semeval.resolve("candidates-" + split + ".tsv")) : null;
    try (KbSearcher k = KbSearcher.open(KbIndexing.luceneDir(work), settings)) {
      Metrics before = Evaluator.evaluate(k, queries, qrels, candidates);
      k.useFeedback(trainFeedback);
      Metrics after = Evaluator.evaluate(k, queries, qrels, candidates);
      System.out.printf(Locale.ROOT, "feedback from train, %s %s %s: MAP@10 %.4f -> %.4f, MRR@10 %.4f -> %.4f,"
              + " P@1 %.4f -> %.4f (%d verdicts, %d solved)%n",
          split, rerank ? "re-rank" : "dev+train forum", settings.semantic() > 0 ? "hybrid" : "lexical",
          before.map10(), after.map10(), before.mrr10(), after.mrr10(), before.p1(), after.p1(), trainFeedback.size(),
          trainFeedback.stream().filter(f -> f.verdict() == Feedback.Verdict.SOLVED).count());
      return new BeforeAfter(before, after);
    }
  }

  @Test
  void trainVerdictsLiftTheTrainQueriesThemselves() {
    for (SearchSettings s : List.of(SearchSettings.defaults(), SearchSettings.defaults().lexicalOnly())) {
      BeforeAfter whole = run("train", s, false);
      assertThat(whole.after().map10()).isGreaterThan(whole.before().map10() + 0.05);
    }
  }

  @Test
  void trainVerdictsDoNotLowerTheDevFigures() {
    for (SearchSettings s : List.of(SearchSettings.defaults(), SearchSettings.defaults().lexicalOnly())) {
      for (boolean rerank : List.of(false, true)) {
        BeforeAfter dev = run("dev", s, rerank);
        assertThat(dev.after().map10()).as("dev " + (rerank ? "re-rank " : "whole forum ") + s.semantic())
            .isGreaterThanOrEqualTo(dev.before().map10() - 0.005);
      }
    }
  }
}
