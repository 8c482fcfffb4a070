package org.supportbot.core.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.config.policy.SupportPolicy;

class SeveritySuggestionTest {
  private static PolicyCatalog catalog;

  @BeforeAll
  static void load() throws Exception {
    catalog = PolicyCatalog.bundled();
  }

  @ParameterizedTest(name = "{0}: {1} / {2}% / {3} -> {4}")
  @CsvSource(delimiter = '|', textBlock = """
      atheer    | The whole service is down, nobody can log in        | 100 | incident  | P1
      atheer    | Reports page times out for the sales team, no workaround | 30 | incident | P2
      atheer    | Export is slow, we can still use the CSV workaround | 10  | incident  | P3
      atheer    | How do I change my notification settings?           | 0   | question  | P4
      alectrona | Sync fails for most users                           | 70  | incident  | high
      alectrona | Total loss of functionality, system is down         |     | incident  | urgent
      atomrock  | We'd like a feature request for dark mode           | 0   | enhancement | S4
      atomrock  | Dashboard widget shows the wrong timezone           | 5   | defect    | S3
      """)
  void suggestsALevelFromTheAnswers(String policyId, String description, String share, String category, String expected) {
    SupportPolicy p = catalog.get(policyId).orElseThrow();
    var answers = new java.util.HashMap<String, String>(Map.of("description", description, "category", category));
    if (share != null) {
      answers.put("users_affected", share);
    }
    SeveritySuggestion s = SeveritySuggestion.suggest(p, answers);
    assertThat(s.severityId()).isEqualTo(expected);
    assertThat(s.reasons()).isNotEmpty();
  }
}
