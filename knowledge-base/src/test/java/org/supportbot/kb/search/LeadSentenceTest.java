package org.supportbot.kb.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeadSentenceTest {
  @Test
  void theFirstSentenceLeadsWhenMoreTextFollows() {
    assertThat(LeadSentence.of("Good Bank. Which is a good bank as per your experience in Doha"))
        .isEqualTo("Good Bank.");
    assertThat(LeadSentence.of("What is the best place now in Qatar?. What is the best place to spend Eid"))
        .isEqualTo("What is the best place now in Qatar?.");
    assertThat(LeadSentence.of("Printer offline!\nIt was fine yesterday.")).isEqualTo("Printer offline!");
  }

  @Test
  void aTicketTitleLeadsItsDescription() {
    // LuceneKnowledgeBase joins a draft's title and description with ".\n"
    assertThat(LeadSentence.of("VPN drops every hour.\nSince the update the client disconnects"))
        .isEqualTo("VPN drops every hour.");
    assertThat(LeadSentence.of("VPN drops every hour\nSince the update the client disconnects"))
        .isEqualTo("VPN drops every hour");
  }

  @Test
  void aSingleSentenceHasNoLead() {
    assertThat(LeadSentence.of("How to make font strikethrough on github.")).isEmpty();
    assertThat(LeadSentence.of("  export fails with version 2.4.1  ")).isEmpty();
    assertThat(LeadSentence.of("Is it possible?  ")).isEmpty();
    assertThat(LeadSentence.of("")).isEmpty();
    assertThat(LeadSentence.of("... anyone? The scanner jams")).isEmpty();
  }

  @Test
  void theHandWrittenScanFindsWhatTheRegularExpressionFinds() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(19);
    String alphabet = "ab .?!\n\t\r\u00a0";
    for (int n = 0; n < 200_000; n++) {
      StringBuilder b = new StringBuilder();
      int len = random.nextInt(14);
      for (int i = 0; i < len; i++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String text = b.toString();
      org.assertj.core.api.Assertions.assertThat(LeadSentence.of(text)).as("\"" + text + "\"")
          .isEqualTo(LeadSentence.byPattern(text));
    }
  }
}
