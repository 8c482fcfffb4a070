package org.supportbot.kb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordsTest {
  @Test
  void draftTurnsNullIntoEmptyAndStrips() {
    IncidentDraft d = new IncidentDraft(null, "  text ", null, null, " 3.1 ");
    assertThat(d.title()).isEmpty();
    assertThat(d.description()).isEqualTo("text");
    assertThat(d.version()).isEqualTo("3.1");
    assertThat(d.isBlank()).isFalse();
  }

  @Test
  void suggestionRejectsBlankIdAndNonFiniteScore() {
    assertThatThrownBy(() -> new Suggestion(" ", Source.ARTICLE, "t", "u", "s", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Suggestion("a", Source.ARTICLE, "t", "u", "s", Double.NaN))
        .hasMessageContaining("non-finite");
  }

  @Test
  void feedbackNeedsCaseAndSuggestion() {
    assertThatThrownBy(() -> new Feedback("", "a", Source.FORUM, Feedback.Verdict.SOLVED, Instant.EPOCH))
        .hasMessageContaining("case id");
  }

  @Test
  void sourceParsesLabelsAndExplainsUnknownOnes() {
    assertThat(Source.parse("Forum")).isEqualTo(Source.FORUM);
    assertThatThrownBy(() -> Source.parse("wiki")).hasMessageContaining("use \"article\" or \"forum\"");
  }

  @Test
  void rateIsZeroWithoutFeedback() {
    assertThat(new DeflectionReport.Rate(0, 0).rate()).isZero();
  }
}
