package org.supportbot.core.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.config.policy.ReportField;
import org.supportbot.config.policy.SupportPolicy;

class AnswerReaderTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);
  private static SupportPolicy atomrock;
  private static SupportPolicy resourceOptimizer;

  @BeforeAll
  static void load() throws Exception {
    var catalog = PolicyCatalog.bundled();
    atomrock = catalog.get("atomrock").orElseThrow();
    resourceOptimizer = catalog.get("resource-optimizer").orElseThrow();
  }

  private static ReportField field(SupportPolicy p, String id) {
    return p.report().stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow();
  }

  private static Answer read(SupportPolicy p, String fieldId, String raw) {
    return new AnswerReader(p).read(field(p, fieldId), raw, Map.of("product", "edge"), TODAY);
  }

  @ParameterizedTest(name = "{0}: \"{1}\" -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      reproducible      | Yes               | yes
      reproducible      | nope              | no
      reproducible      | intermittently    | sometimes
      users_affected    | 30%               | 30
      users_affected    | about 45 percent  | 45
      users_affected    | all               | 100
      users_affected    | just me           | 1
      severity          | s2                | S2
      severity          | 1                 | S1
      severity          | Severity 3        | S3
      severity          | Minimal Business Impact | S4
      category          | 1                 | defect
      category          | usage question    | how_to
      category          | enhancement       | enhancement
      existing_incident | acme-42           | ACME-42
      existing_incident | no                | ''
      error_messages    | none              | none
      logs              | none              | ''
      version           | v2.1.0            | 2.1.0
      product           | Atomrock Edge     | edge
      """)
  void answersAreNormalized(String fieldId, String raw, String expected) {
    assertThat(read(atomrock, fieldId, raw)).isEqualTo(Answer.Accepted.of(expected));
  }

  @ParameterizedTest(name = "{0}: \"{1}\"")
  @CsvSource(delimiter = '|', textBlock = """
      reproducible   | maybe?       | Please answer yes, no or sometimes.
      users_affected | 140%         | Please give a share of users between 0 and 100
      severity       | S9           | Please choose a level: S1 (Critical Business Impact), S2
      category       | defekt       | Did you mean "Software defect"?
      version        | latest       | Please give the version number as shown in the product
      version        | 3.0.0        | Atomrock Edge has no release "3.0.0"; known releases: [1.0.0, 2.0.0, 2.1.0, 2.1.1]
      description    | broken       | Please describe the problem in a sentence or two
      product        | Edgy         | Did you mean "Atomrock Edge"?
      existing_incident | yesterday | Please give an incident number such as ACME-42
      """)
  void unusableAnswersAreAskedAgainWithAHint(String fieldId, String raw, String hint) {
    Answer a = read(atomrock, fieldId, raw);
    assertThat(a).isInstanceOf(Answer.Reprompt.class);
    assertThat(((Answer.Reprompt) a).message()).contains(hint);
  }

  @Test
  void aRequiredQuestionCannotBeSkipped() {
    assertThat(read(atomrock, "steps_to_reproduce", "  ")).isInstanceOf(Answer.Reprompt.class);
    assertThat(read(atomrock, "business_impact", "")).isEqualTo(Answer.Accepted.of(""));
  }

  @Test
  void aReleaseInLimitedSupportIsAcceptedAndFlagged() {
    Answer a = read(atomrock, "version", "2.0.0");
    assertThat(a).isInstanceOf(Answer.Accepted.class);
    assertThat(((Answer.Accepted) a).notes()).singleElement().asString()
        .contains("limited support until 2027-06-03")
        .contains("clarifying Documentation and assistance in upgrading");
  }

  @Test
  void aReleasePastEndOfSupportGetsThePolicysAnswer() {
    Answer a = read(atomrock, "version", "1.0.0");
    assertThat(a).isEqualTo(new Answer.Refused(
        "Atomrock Edge 1.0.0 reached end of support on 2026-02-01; please upgrade to a supported release."));
  }

  @Test
  void resourceOptimizerSupportsOnlyTheCurrentAndPrecedingRelease() {
    var reader = new AnswerReader(resourceOptimizer);
    ReportField version = field(resourceOptimizer, "version");
    assertThat(reader.read(version, "2025.1", Map.of("product", "optimizer"), TODAY)).isEqualTo(Answer.Accepted.of("2025.1"));
    assertThat(reader.read(version, "2024.1", Map.of("product", "optimizer"), TODAY))
        .isInstanceOf(Answer.Refused.class).asString().contains("older than the 2 newest releases");
  }
}
