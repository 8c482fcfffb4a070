package org.supportbot.kb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.search.SearchSettings;

/**
 * A suggestion is shown only when it is likely to answer, for the case's product and version: the
 * bundled sample in both modes (the bot's demo runs lexical, a new index is hybrid).
 */
class SuggestionsThatHelpTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC);

  @TempDir static Path hybridDir;
  @TempDir static Path lexicalDir;
  static LuceneKnowledgeBase hybrid;
  static LuceneKnowledgeBase lexical;

  @BeforeAll
  static void build() {
    KbIndexing.indexFolders(hybridDir, SampleKb.articles(), SampleKb.forum(), "https://forum.beacon.example", false,
        KbIndexing.Mode.SEMANTIC, IndexProgress.NONE);
    KbIndexing.indexFolders(lexicalDir, SampleKb.articles(), SampleKb.forum(), "https://forum.beacon.example", false,
        KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    hybrid = LuceneKnowledgeBase.open(hybridDir, SearchSettings.defaults(), CLOCK);
    lexical = LuceneKnowledgeBase.open(lexicalDir, SearchSettings.defaults(), CLOCK);
  }

  @AfterAll
  static void close() {
    hybrid.close();
    lexical.close();
  }

  private static List<String> ids(LuceneKnowledgeBase kb, IncidentDraft d) {
    return kb.suggest(d, 3).stream().map(Suggestion::id).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"every", "dashboard", "reports", "Dashboards", "agent", "help", "dashboard?"})
  void oneCommonWordBringsUpNothing(String word) {
    assertThat(ids(hybrid, IncidentDraft.ofText(word))).isEmpty();
    assertThat(ids(lexical, IncidentDraft.ofText(word))).isEmpty();
    assertThat(ids(lexical, new IncidentDraft(word, word, "", "beacon", ""))).as("title and description the same word")
        .isEmpty();
  }

  @Test
  void twoWordsThatSayWhatIsWrongOrOnePastedErrorCodeDo() {
    assertThat(ids(lexical, IncidentDraft.ofText("dashboard timezone"))).first().isEqualTo("beacon-012");
    assertThat(ids(hybrid, IncidentDraft.ofText("dashboard timezone"))).first().isEqualTo("beacon-012");
    assertThat(ids(lexical, new IncidentDraft("", "", "BCN-4012", "", ""))).first().isEqualTo("beacon-001");
  }

  @Test
  void aQuestionTheKnowledgeBaseAnswersGetsItsArticleAndOneItDoesNotAnswerGetsNothing() {
    IncidentDraft rotate = new IncidentDraft("", "How do I rotate the agent log file under /var/log/beacon?", "",
        "Beacon", "none");
    assertThat(ids(lexical, rotate)).first().isEqualTo("beacon-013");
    assertThat(ids(hybrid, rotate)).first().isEqualTo("beacon-013");
    IncidentDraft unanswered = new IncidentDraft("", "Can the mobile app show push notifications on a smartwatch?",
        "", "Beacon", "");
    assertThat(ids(lexical, unanswered)).isEmpty();
    assertThat(ids(hybrid, unanswered)).isEmpty();
  }

  @Test
  void theCasesProductFiltersWhenItNamesOneTheDocumentsAreFiledUnder() {
    String sso = "single sign-on with SAML fails after login";
    assertThat(ids(lexical, new IncidentDraft("", sso, "", "", ""))).contains("beacon-005");
    // beacon-005 is filed under beacon-cloud
    assertThat(ids(lexical, new IncidentDraft("", sso, "", "Beacon Cloud", ""))).contains("beacon-005");
    assertThat(ids(lexical, new IncidentDraft("", sso, "", "beacon-cloud", ""))).contains("beacon-005");
    assertThat(ids(lexical, new IncidentDraft("", sso, "", "Beacon", ""))).doesNotContain("beacon-005");
    assertThat(ids(lexical, new IncidentDraft("", sso, "", "the Beacon server", ""))).doesNotContain("beacon-005");
    assertThat(ids(hybrid, new IncidentDraft("", sso, "", "Beacon", ""))).doesNotContain("beacon-005");
    // a product no document is filed under gets only documents filed under no product
    String csv = "Export a report to CSV fails";
    assertThat(ids(lexical, new IncidentDraft("", csv, "", "", ""))).contains("beacon-008");
    assertThat(ids(lexical, new IncidentDraft("", csv, "", "Beacon Cloud", ""))).contains("beacon-008");
    assertThat(ids(lexical, new IncidentDraft("", csv, "", "Beacon", ""))).contains("beacon-008");
    assertThat(ids(lexical, new IncidentDraft("", csv, "", "Atollon Accounting", ""))).doesNotContain("beacon-008");
    assertThat(ids(hybrid, new IncidentDraft("", csv, "", "Atollon Accounting", ""))).doesNotContain("beacon-008");
    assertThat(ids(lexical, new IncidentDraft("", sso, "", "Atollon Accounting", ""))).doesNotContain("beacon-005");
  }

  @Test
  void theCasesVersionFiltersWhenItIsAVersionNumber() {
    String upgrade = "upgrading from 2.x to 3.0 fails on the database migration";
    assertThat(ids(lexical, new IncidentDraft("", upgrade, "", "beacon", ""))).first().isEqualTo("beacon-003");
    assertThat(ids(lexical, new IncidentDraft("", upgrade, "", "beacon", "2.4"))).first().isEqualTo("beacon-003");
    // beacon-003 is for 2.x and 3.0
    assertThat(ids(lexical, new IncidentDraft("", upgrade, "", "beacon", "3.2.1"))).doesNotContain("beacon-003");
    assertThat(ids(lexical, new IncidentDraft("", upgrade, "", "beacon", "v3.2"))).doesNotContain("beacon-003");
    // not a version: no filter
    assertThat(ids(lexical, new IncidentDraft("", upgrade, "", "beacon", "none"))).first().isEqualTo("beacon-003");
    assertThat(ids(lexical, new IncidentDraft("", upgrade, "", "beacon", "latest"))).first().isEqualTo("beacon-003");
  }
}
