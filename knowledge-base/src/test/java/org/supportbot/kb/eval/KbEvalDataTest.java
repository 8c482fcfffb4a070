package org.supportbot.kb.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.search.KbSearcher;
import org.supportbot.kb.search.SearchSettings;

/**
 * Quality on the labelled development data in {@code ../shared/data/kb-eval} (skipped when the
 * folder is absent). The targets are asserted where they are met (hybrid: StackFAQ,
 * SemEval re-rank); elsewhere the measured level, rounded down, guards against regressions. The
 * README's quality table lists every figure, including the targets not yet met.
 */
class KbEvalDataTest {
  @TempDir static Path work;
  static Path data;
  static Path stackfaq;
  static Path forum;

  @BeforeAll
  static void build() {
    data = KbEvalData.find().orElse(null);
    Assumptions.assumeTrue(data != null, "../shared/data/kb-eval not found beside the repository");
    stackfaq = work.resolve("stackfaq");
    forum = work.resolve("forum");
    KbIndexing.indexFolders(stackfaq, data.resolve("stackfaq/articles"), null, "", false,
        KbIndexing.Mode.SEMANTIC, IndexProgress.NONE);
    KbIndexing.indexFolders(forum, null, data.resolve("semeval2016/forum-dev"), "", false,
        KbIndexing.Mode.SEMANTIC, IndexProgress.NONE);
  }

  /** Each configuration is run once; several tests read its figures. */
  private static final Map<String, Metrics> RUNS = new java.util.concurrent.ConcurrentHashMap<>();

  private static Metrics stackFaq(SearchSettings s) {
    return RUNS.computeIfAbsent("stackfaq " + s, key -> runStackFaq(s));
  }

  private static Metrics semEval(SearchSettings s, boolean rerank) {
    return RUNS.computeIfAbsent("semeval " + rerank + " " + s, key -> runSemEval(s, rerank));
  }

  private static Metrics runStackFaq(SearchSettings s) {
    try (KbSearcher k = KbSearcher.open(KbIndexing.luceneDir(stackfaq), s)) {
      return Evaluator.evaluate(k, EvalFiles.queries(data.resolve("stackfaq/queries-dev.tsv")),
          EvalFiles.qrels(data.resolve("stackfaq/qrels-dev.txt")), null);
    }
  }

  private static Metrics runSemEval(SearchSettings s, boolean rerank) {
    Path d = data.resolve("semeval2016");
    Map<String, List<String>> candidates = rerank ? EvalFiles.candidates(d.resolve("candidates-dev.tsv")) : null;
    try (KbSearcher k = KbSearcher.open(KbIndexing.luceneDir(forum), s)) {
      return Evaluator.evaluate(k, EvalFiles.queries(d.resolve("queries-dev.tsv")),
          EvalFiles.qrels(d.resolve("qrels-dev.txt")), candidates);
    }
  }

  @Test
  void hybridMeetsTheStackFaqTargets() {
    Metrics m = stackFaq(SearchSettings.defaults());
    assertThat(m.queries()).isEqualTo(625);
    assertThat(m.mrr10()).isGreaterThanOrEqualTo(0.90);
    assertThat(m.p1()).isGreaterThanOrEqualTo(0.84);
  }

  @Test
  void hybridMeetsTheSemEvalReRankTarget() {
    Metrics m = semEval(SearchSettings.defaults(), true);
    assertThat(m.queries()).isEqualTo(50);
    assertThat(m.map10()).isGreaterThanOrEqualTo(0.76);
  }

  @Test
  void hybridWholeForumStaysAtItsMeasuredLevel() {
    // target 0.68 is not met (measured 0.622); see the README
    assertThat(semEval(SearchSettings.defaults(), false).map10()).isGreaterThanOrEqualTo(0.60);
  }

  @Test
  void lexicalModeStaysAtItsMeasuredLevels() {
    SearchSettings lexical = SearchSettings.defaults().lexicalOnly();
    // measured: StackFAQ MRR@10 0.824, P@1 0.747; SemEval re-rank 0.742, whole forum 0.585
    Metrics sf = stackFaq(lexical);
    assertThat(sf.mrr10()).isGreaterThanOrEqualTo(0.80);
    assertThat(sf.p1()).isGreaterThanOrEqualTo(0.72);
    assertThat(semEval(lexical, true).map10()).isGreaterThanOrEqualTo(0.72);
    assertThat(semEval(lexical, false).map10()).isGreaterThanOrEqualTo(0.56);
  }

  @Test
  void hybridBeatsLexicalOnEveryMeasure() {
    SearchSettings lexical = SearchSettings.defaults().lexicalOnly();
    assertThat(stackFaq(SearchSettings.defaults()).mrr10()).isGreaterThan(stackFaq(lexical).mrr10());
    assertThat(semEval(SearchSettings.defaults(), true).map10()).isGreaterThan(semEval(lexical, true).map10());
  }
}
