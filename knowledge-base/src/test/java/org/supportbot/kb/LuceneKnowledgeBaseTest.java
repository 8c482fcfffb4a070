package org.supportbot.kb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.search.SearchSettings;

class LuceneKnowledgeBaseTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC);

  @TempDir static Path dir;
  static LuceneKnowledgeBase kb;
  /** The same index without confidence floors, to see every document a filter lets through. */
  static LuceneKnowledgeBase unfloored;

  @BeforeAll
  static void build() {
    KbIndexing.indexFolders(dir, SampleKb.articles(), SampleKb.forum(), "https://forum.beacon.example", false,
        KbIndexing.Mode.SEMANTIC, IndexProgress.NONE);
    kb = LuceneKnowledgeBase.open(dir, SearchSettings.defaults(), CLOCK);
    unfloored = LuceneKnowledgeBase.open(dir, SearchSettings.defaults().withFloors(0, 0), CLOCK);
  }

  @AfterAll
  static void close() {
    kb.close();
    unfloored.close();
  }

  @Test
  void pastedErrorStringFindsTheArticleThatQuotesIt() {
    List<Suggestion> s = kb.suggest(new IncidentDraft("agent down", "", "BCN-4012: connection refused (collector=127.0.0.1:7443)", "", ""), 3);
    assertThat(s).isNotEmpty();
    assertThat(s.get(0).id()).isEqualTo("beacon-001");
    assertThat(s.get(0).source()).isEqualTo(Source.ARTICLE);
    assertThat(s.get(0).url()).isEqualTo("https://docs.beacon.example/kb/beacon-001");
  }

  @Test
  void snippetMarksTheMatchedTerms() {
    List<Suggestion> s = kb.suggest(IncidentDraft.ofText("webhook TLS handshake fails with PKIX path building failed"), 1);
    assertThat(s.get(0).id()).isEqualTo("beacon-009");
    assertThat(s.get(0).snippet()).contains("**PKIX**").contains("**path**");
  }

  @Test
  void forumThreadsAreSuggestedWithTheirTopicUrl() {
    List<Suggestion> s = kb.suggest(IncidentDraft.ofText("after Azure AD sign in we end up in an endless redirect loop"), 3);
    assertThat(s).extracting(Suggestion::id).first().isEqualTo("1002");
    assertThat(s.get(0).source()).isEqualTo(Source.FORUM);
    assertThat(s.get(0).url()).isEqualTo("https://forum.beacon.example/t/sso-with-azure-ad-redirect-loop-after-login/1002");
  }

  @Test
  void productFilterKeepsDocumentsOfThatProductAndGenericOnes() {
    List<Suggestion> s = unfloored.suggest(new IncidentDraft("login problem", "cannot log in", "", "beacon-cloud", ""), 20);
    assertThat(s).extracting(Suggestion::id).doesNotContain("beacon-004", "beacon-010").contains("beacon-005");
  }

  @Test
  void versionFilterUsesVersionPrefixes() {
    List<Suggestion> on2 = unfloored.suggest(new IncidentDraft("", "upgrade migrate schema version mismatch", "", "", "2.8.1"), 20);
    assertThat(on2).extracting(Suggestion::id).contains("beacon-003").doesNotContain("beacon-001", "beacon-009");
    List<Suggestion> on3 = unfloored.suggest(new IncidentDraft("", "agent connection refused", "", "", "v3.2"), 20);
    assertThat(on3).extracting(Suggestion::id).contains("beacon-001");
  }

  @Test
  void belowTheConfidenceFloorNothingIsSuggested() {
    assertThat(kb.suggest(IncidentDraft.ofText("recipe for a vegetarian lasagne with spinach"), 5)).isEmpty();
  }

  @Test
  void lexicalModeAlsoStaysSilentOnNonsenseButAnswersRealQuestions(@TempDir Path other) {
    KbIndexing.indexFolders(other, SampleKb.articles(), SampleKb.forum(), "", false, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    try (LuceneKnowledgeBase k = LuceneKnowledgeBase.open(other, SearchSettings.defaults().lexicalOnly(), CLOCK)) {
      assertThat(k.suggest(IncidentDraft.ofText("zxqv blorf wibble"), 5)).isEmpty();
      assertThat(k.suggest(IncidentDraft.ofText("two-factor authentication codes rejected"), 1))
          .extracting(Suggestion::id).containsExactly("beacon-007");
    }
  }

  @Test
  void blankDraftGivesNoSuggestions() {
    assertThat(kb.suggest(new IncidentDraft(null, " ", "", null, null), 5)).isEmpty();
  }

  @Test
  void repeatedDraftsAreServedFromTheCache() {
    IncidentDraft d = IncidentDraft.ofText("export report to excel");
    List<Suggestion> first = kb.suggest(d, 2);
    long cached = kb.cachedDrafts();
    List<Suggestion> second = kb.suggest(new IncidentDraft("", "export report to excel", "", "", ""), 2);
    assertThat(second).isSameAs(first);
    assertThat(kb.cachedDrafts()).isEqualTo(cached);
  }

  @Test
  void kOutsideTheAllowedRangeIsRejected() {
    assertThatThrownBy(() -> kb.suggest(IncidentDraft.ofText("x"), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and");
  }

  @Test
  void feedbackIsStoredAndGivesDeflectionPerSourceAndDocument(@TempDir Path other) {
    KbIndexing.indexFolders(other, SampleKb.articles(), null, "", false, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    try (LuceneKnowledgeBase k = LuceneKnowledgeBase.open(other, SearchSettings.defaults().lexicalOnly(), CLOCK)) {
      Suggestion a = k.suggest(IncidentDraft.ofText("two-factor code rejected"), 1).get(0);
      k.record("case-1", a, Feedback.Verdict.SOLVED);
      k.record(new Feedback("case-2", a.id(), Source.ARTICLE, Feedback.Verdict.NOT_HELPFUL, CLOCK.instant()));
      k.record(new Feedback("case-2", "1004", Source.FORUM, Feedback.Verdict.NOT_HELPFUL, CLOCK.instant()));
    }
    try (LuceneKnowledgeBase k = LuceneKnowledgeBase.open(other, SearchSettings.defaults().lexicalOnly(), CLOCK)) {
      DeflectionReport r = k.deflection();
      assertThat(r.overall()).isEqualTo(new DeflectionReport.Rate(2, 1));
      assertThat(r.bySource().get(Source.ARTICLE)).isEqualTo(new DeflectionReport.Rate(2, 1));
      assertThat(r.bySource().get(Source.FORUM)).isEqualTo(new DeflectionReport.Rate(1, 0));
      assertThat(r.byDocument().get(0).id()).isEqualTo("beacon-007");
      assertThat(r.byDocument().get(0).rate().rate()).isEqualTo(0.5);
    }
  }

  @Test
  void openingAFolderWithoutAnIndexSaysHowToBuildOne(@TempDir Path empty) {
    assertThatThrownBy(() -> LuceneKnowledgeBase.open(empty, CLOCK))
        .isInstanceOf(KbException.class).hasMessageContaining("kb index");
  }
}
