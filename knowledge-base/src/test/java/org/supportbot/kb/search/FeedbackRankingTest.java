package org.supportbot.kb.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.supportbot.kb.Feedback;
import org.supportbot.kb.Feedback.Verdict;
import org.supportbot.kb.Source;

class FeedbackRankingTest {
  static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");
  static final Set<String> DRAFT = terms("agent memory grows after upgrade");

  static Set<String> terms(String text) {
    return new HashSet<>(Arrays.asList(text.split(" ")));
  }

  static Feedback verdict(String caseId, String doc, Verdict v, String draft) {
    return new Feedback(caseId, doc, Source.ARTICLE, v, AT, draft);
  }

  static FeedbackRanking ranking(Feedback... fs) {
    return FeedbackRanking.of(List.of(fs), FeedbackRankingTest::terms, null);
  }

  @Test
  void solvedOnTheSameDraftRaisesTheScoreByHalf() {
    FeedbackRanking r = ranking(verdict("c1", "a", Verdict.SOLVED, "agent memory grows after upgrade"));
    assertThat(r.factor("article:a", DRAFT, null)).isEqualTo(1.5);
    assertThat(r.factor("article:b", DRAFT, null)).isEqualTo(1.0);
  }

  @Test
  void notHelpfulCountsOnlyWhenRepeated() {
    Feedback once = verdict("c1", "a", Verdict.NOT_HELPFUL, "agent memory grows after upgrade");
    Feedback twice = verdict("c2", "a", Verdict.NOT_HELPFUL, "agent memory grows after upgrade");
    assertThat(ranking(once).factor("article:a", DRAFT, null)).isEqualTo(1.0);
    assertThat(ranking(once, twice).factor("article:a", DRAFT, null)).isEqualTo(0.5);
  }

  @Test
  void dissimilarDraftsAndVerdictsWithoutADraftDoNotCount() {
    FeedbackRanking r = ranking(
        verdict("c1", "a", Verdict.SOLVED, "export the monthly report to excel"),
        verdict("c2", "b", Verdict.SOLVED, ""));
    assertThat(r.factor("article:a", DRAFT, null)).isEqualTo(1.0);
    assertThat(r.keys()).containsExactly("article:a");
    assertThat(r.anySimilar(DRAFT, null)).isFalse();
  }

  @Test
  void similarityAboveTheThresholdWeighsInProportion() {
    // 3 of 5 terms shared with a 5-term draft: cosine 0.6, weight (0.6 - 0.2) / 0.8 = 0.5
    FeedbackRanking r = ranking(verdict("c1", "a", Verdict.SOLVED, "agent memory grows during login"));
    assertThat(r.factor("article:a", DRAFT, null)).isCloseTo(1.25, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aCaseLastVerdictReplacesItsEarlierOne() {
    FeedbackRanking r = ranking(
        verdict("c1", "a", Verdict.SOLVED, "agent memory grows after upgrade"),
        verdict("c1", "a", Verdict.NOT_HELPFUL, "agent memory grows after upgrade"),
        verdict("c2", "a", Verdict.NOT_HELPFUL, "agent memory grows after upgrade"));
    assertThat(r.factor("article:a", DRAFT, null)).isEqualTo(0.5);
  }
}
