package org.supportbot.kb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.search.SearchSettings;

/** Verdicts with their drafts change what similar drafts are shown, on the bundled sample knowledge base. */
class FeedbackReachesRankingTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);
  static final IncidentDraft DRAFT = IncidentDraft.ofText("the agent will not start after the upgrade, connection refused");
  static final IncidentDraft SIMILAR = IncidentDraft.ofText("agent does not start after upgrade: connection refused");
  static final IncidentDraft OTHER = IncidentDraft.ofText("export a report to excel");

  static List<String> ids(LuceneKnowledgeBase kb, IncidentDraft d) {
    return kb.suggest(d, 5).stream().map(Suggestion::id).toList();
  }

  @Test
  void solvedMovesUpAndRepeatedNotHelpfulMovesDownForSimilarDraftsOnly(@TempDir Path dir) {
    KbIndexing.indexFolders(dir, SampleKb.articles(), SampleKb.forum(), "", false, KbIndexing.Mode.LEXICAL,
        IndexProgress.NONE);
    String solvedId;
    try (LuceneKnowledgeBase kb = LuceneKnowledgeBase.open(dir, SearchSettings.defaults().withFloors(0, 0), CLOCK)) {
      List<Suggestion> before = kb.suggest(DRAFT, 5);
      assertThat(before).hasSizeGreaterThanOrEqualTo(3);
      List<String> other = ids(kb, OTHER);
      List<String> similarBefore = ids(kb, SIMILAR);
      Suggestion first = before.get(0);
      Suggestion third = before.get(2);
      solvedId = third.id();

      kb.record("case-1", DRAFT, third, Feedback.Verdict.SOLVED);
      assertThat(ids(kb, SIMILAR).indexOf(third.id())).isLessThan(similarBefore.indexOf(third.id()));

      kb.record("case-2", DRAFT, first, Feedback.Verdict.NOT_HELPFUL);
      assertThat(ids(kb, DRAFT).indexOf(first.id())).as("one not-helpful verdict").isEqualTo(0);
      kb.record("case-3", SIMILAR, first, Feedback.Verdict.NOT_HELPFUL);
      assertThat(ids(kb, DRAFT).indexOf(first.id())).as("two not-helpful verdicts").isGreaterThan(0);

      assertThat(ids(kb, OTHER)).isEqualTo(other);
    }
    try (LuceneKnowledgeBase reopened = LuceneKnowledgeBase.open(dir, SearchSettings.defaults().withFloors(0, 0), CLOCK)) {
      assertThat(ids(reopened, SIMILAR).get(0)).as("verdicts are read back from feedback.jsonl").isEqualTo(solvedId);
    }
  }
}
