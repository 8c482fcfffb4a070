package org.supportbot.kb.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.search.KbSearcher;
import org.supportbot.kb.search.SearchSettings;

/**
 * Quality on the labelled data in {@code ../shared/data/kb-eval} (skipped when the folder is
 * absent). The targets are asserted on the development split where they are met (hybrid:
 * StackFAQ, SemEval re-rank); elsewhere the measured level, rounded down, guards against
 * regressions. The SemEval train split is checked as well: it was not used to choose settings, so
 * a change that helps dev but not train is fitting the dev queries. The README's quality table
 * lists every figure, including the target not yet met.
 */
class KbEvalDataTest {
  @TempDir static Path work;
  static Path data;
  static Path stackfaq;

  /** One hybrid index per SemEval split, of that split's forum folder. */
  enum Split {
    DEV("dev"),
    TRAIN("train");

    final String name;

    Split(String name) {
      this.name = name;
    }

    Path index() {
      return work.resolve("forum-" + name);
    }
  }

  @BeforeAll
  static void build() {
    data = KbEvalData.find().orElse(null);
    Assumptions.assumeTrue(data != null, "../shared/data/kb-eval not found beside the repository");
    stackfaq = work.resolve("stackfaq");
    KbIndexing.indexFolders(stackfaq, data.resolve("stackfaq/articles"), null, "", false,
        KbIndexing.Mode.SEMANTIC, IndexProgress.NONE);
    for (Split s : Split.values()) {
      KbIndexing.indexFolders(s.index(), null, data.resolve("semeval2016/forum-" + s.name), "", false,
          KbIndexing.Mode.SEMANTIC, IndexProgress.NONE);
    }
  }

  /** Each configuration is run once; several tests read its figures. */
  private static final Map<String, Metrics> RUNS = new ConcurrentHashMap<>();

  /** Prints every run's figures, so a change's before and after can be read from the build log. */
  @AfterAll
  static void printFigures() {
    new TreeMap<>(RUNS).forEach((run, m) -> System.out.printf(java.util.Locale.ROOT,
        "kb-eval %s: MAP@10 %.4f MRR@10 %.4f P@1 %.4f%n", run.replaceAll(" SearchSettings\\[.*semantic=([0-9.]+)]", " semantic=$1"),
        m.map10(), m.mrr10(), m.p1()));
  }

  private static Metrics stackFaq(SearchSettings s) {
    return RUNS.computeIfAbsent("stackfaq " + s, key -> runStackFaq(s));
  }

  private static Metrics semEval(Split split, SearchSettings s, boolean rerank) {
    return RUNS.computeIfAbsent("semeval " + split + " " + rerank + " " + s, key -> runSemEval(split, s, rerank));
  }

  private static Metrics runStackFaq(SearchSettings s) {
    try (KbSearcher k = KbSearcher.open(KbIndexing.luceneDir(stackfaq), s)) {
      return Evaluator.evaluate(k, EvalFiles.queries(data.resolve("stackfaq/queries-dev.tsv")),
          EvalFiles.qrels(data.resolve("stackfaq/qrels-dev.txt")), null);
    }
  }

  private static Metrics runSemEval(Split split, SearchSettings s, boolean rerank) {
    Path d = data.resolve("semeval2016");
    Map<String, List<String>> candidates =
        rerank ? EvalFiles.candidates(d.resolve("candidates-" + split.name + ".tsv")) : null;
    try (KbSearcher k = KbSearcher.open(KbIndexing.luceneDir(split.index()), s)) {
      return Evaluator.evaluate(k, EvalFiles.queries(d.resolve("queries-" + split.name + ".tsv")),
          EvalFiles.qrels(d.resolve("qrels-" + split.name + ".txt")), candidates);
    }
  }

  private static SearchSettings hybrid() {
    return SearchSettings.defaults();
  }

  private static SearchSettings lexical() {
    return SearchSettings.defaults().lexicalOnly();
  }

  @Test
  void hybridMeetsTheStackFaqTargets() {
    Metrics m = stackFaq(hybrid());
    assertThat(m.queries()).isEqualTo(625);
    assertThat(m.mrr10()).isGreaterThanOrEqualTo(0.90);
    assertThat(m.p1()).isGreaterThanOrEqualTo(0.84);
  }

  @Test
  void hybridMeetsTheSemEvalReRankTarget() {
    Metrics m = semEval(Split.DEV, hybrid(), true);
    assertThat(m.queries()).isEqualTo(50);
    assertThat(m.map10()).isGreaterThanOrEqualTo(0.76);
  }

  @Test
  void hybridReRankReachesTheTargetOnTheTrainSplitToo() {
    Metrics m = semEval(Split.TRAIN, hybrid(), true);
    assertThat(m.queries()).isEqualTo(67);
    assertThat(m.map10()).isGreaterThanOrEqualTo(0.76); // measured 0.792
  }

  @Test
  void hybridWholeForumStaysAtItsMeasuredLevel() {
    // target 0.68 (dev) is not met: measured 0.639 dev, 0.633 train; see the README
    assertThat(semEval(Split.DEV, hybrid(), false).map10()).isGreaterThanOrEqualTo(0.62);
    assertThat(semEval(Split.TRAIN, hybrid(), false).map10()).isGreaterThanOrEqualTo(0.61);
  }

  @Test
  void lexicalModeStaysAtItsMeasuredLevels() {
    // measured: StackFAQ MRR@10 0.821, P@1 0.742; SemEval re-rank 0.742 dev, 0.754 train;
    // whole forum 0.628 dev, 0.583 train
    Metrics sf = stackFaq(lexical());
    assertThat(sf.mrr10()).isGreaterThanOrEqualTo(0.80);
    assertThat(sf.p1()).isGreaterThanOrEqualTo(0.72);
    assertThat(semEval(Split.DEV, lexical(), true).map10()).isGreaterThanOrEqualTo(0.72);
    assertThat(semEval(Split.TRAIN, lexical(), true).map10()).isGreaterThanOrEqualTo(0.74);
    assertThat(semEval(Split.DEV, lexical(), false).map10()).isGreaterThanOrEqualTo(0.60);
    assertThat(semEval(Split.TRAIN, lexical(), false).map10()).isGreaterThanOrEqualTo(0.56);
  }

  @Test
  void hybridBeatsLexicalOnBothSplits() {
    assertThat(stackFaq(hybrid()).mrr10()).isGreaterThan(stackFaq(lexical()).mrr10());
    for (Split s : Split.values()) {
      assertThat(semEval(s, hybrid(), true).map10()).as(s + " re-rank").isGreaterThan(semEval(s, lexical(), true).map10());
      assertThat(semEval(s, hybrid(), false).map10()).as(s + " whole forum").isGreaterThan(semEval(s, lexical(), false).map10());
    }
  }
}
