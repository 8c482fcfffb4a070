package org.supportbot.app.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Span;
import org.supportbot.core.conversation.Suggestion;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;

class SlackRendererTest {
  private static final ChatPlace CHANNEL = new ChatPlace("slack", "T1", "C1", "");
  private static final Identity ANA = new Identity("slack", "T1", "U0ANA");
  private static final Instant DUE = Instant.parse("2026-11-23T21:00:00Z");

  private final SlackRenderer renderer = new SlackRenderer();
  private final ObjectMapper json = new ObjectMapper();

  private JsonNode blocks(Outbound o) throws Exception {
    return json.readTree(renderer.render(o).blocks());
  }

  @Test
  void deadlinesAreSlackDateTokensWithAnAbsoluteUtcFallback() {
    assertThat(SlackRenderer.date(DUE))
        .isEqualTo("<!date^1795467600^{date_short_pretty} {time}|Mon 23 Nov 2026 21:00 UTC>");
  }

  @Test
  void spansBecomeMrkdwnWithMentionsAndEscaping() {
    String text = SlackRenderer.mrkdwn(List.of(new Span.Plain("a < b & c > d "), new Span.Strong("ACME-1"),
        new Span.Plain(" "), new Span.Code("BCN-4012"), new Span.Plain(" "), new Span.Person(ANA), new Span.Plain(" "),
        new Span.Role("S0ONCALL", "on-call"), new Span.Plain(" "), new Span.Link("docs", "https://example.com/a?b=1"),
        new Span.Plain(" due "), new Span.Deadline(DUE)));
    assertThat(text).isEqualTo("a &lt; b &amp; c &gt; d *ACME-1* `BCN-4012` <@U0ANA> <!subteam^S0ONCALL>"
        + " <https://example.com/a?b=1|docs> due <!date^1795467600^{date_short_pretty} {time}|Mon 23 Nov 2026 21:00 UTC>");
  }

  @ParameterizedTest(name = "role {0} renders as {2}")
  @CsvSource({
      "S0ONCALL, on-call, <!subteam^S0ONCALL>",
      "here, here, <!here>",
      "channel, channel, <!channel>",
      "oncall, on-call, @on-call",
  })
  void rolesPingUserGroupsOrBroadcastsAndOtherwiseStayPlain(String id, String label, String rendered) {
    assertThat(SlackRenderer.mrkdwn(List.of(new Span.Role(id, label)))).isEqualTo(rendered);
  }

  @Test
  void paragraphsFactsAndButtonsBecomeSectionsFieldsAndAnActionsBlock() throws Exception {
    Outbound o = Outbound.toPlace(CHANNEL, Outbound.Kind.STATUS).replaces("status:ACME-1")
        .text(new Span.Strong("ACME-1: agent down"))
        .fact("State", "new")
        .fact("Next deadline", "first response ", DUE)
        .actions(new Outbound.Action("intake.answer", "P1 Severe", "P1", true),
            new Outbound.Action("intake.answer", "P2 Significant", "P2", false))
        .build();

    JsonNode b = blocks(o);
    assertThat(b).hasSize(3);
    assertThat(b.get(0).path("text").path("text").asText()).isEqualTo("*ACME-1: agent down*");
    assertThat(b.get(1).path("fields")).hasSize(2);
    assertThat(b.get(1).path("fields").get(1).path("text").asText())
        .isEqualTo("*Next deadline*\nfirst response <!date^1795467600^{date_short_pretty} {time}|Mon 23 Nov 2026 21:00 UTC>");
    JsonNode buttons = b.get(2).path("elements");
    assertThat(b.get(2).path("type").asText()).isEqualTo("actions");
    assertThat(buttons.get(0).path("action_id").asText()).isEqualTo("intake.answer#0");
    assertThat(buttons.get(1).path("action_id").asText()).isEqualTo("intake.answer#1");
    assertThat(buttons.get(0).path("value").asText()).isEqualTo("P1");
    assertThat(buttons.get(0).path("style").asText()).isEqualTo("primary");
    assertThat(buttons.get(1).has("style")).isFalse();
    assertThat(renderer.render(o).text()).isEqualTo("*ACME-1: agent down*\nState: new\nNext deadline: first response "
        + "<!date^1795467600^{date_short_pretty} {time}|Mon 23 Nov 2026 21:00 UTC>");
  }

  @Test
  void actionIdsComeBackWithoutTheirPosition() {
    assertThat(SlackRenderer.actionId("intake.answer#12")).isEqualTo("intake.answer");
    assertThat(SlackRenderer.actionId("case.claim")).isEqualTo("case.claim");
  }

  @Test
  void moreThanTenFactsAndTwentyFiveButtonsAreSplitAtSlacksLimits() throws Exception {
    Outbound.Builder b = Outbound.toPlace(CHANNEL, Outbound.Kind.REPLY);
    for (int i = 0; i < 12; i++) {
      b.fact("f" + i, "v" + i);
    }
    Outbound.Action[] many = new Outbound.Action[27];
    for (int i = 0; i < many.length; i++) {
      many[i] = new Outbound.Action("a", "x".repeat(100), "v", false);
    }
    JsonNode blocks = blocks(b.actions(many).build());
    assertThat(blocks).extracting(n -> n.path("type").asText()).containsExactly("section", "section", "actions", "actions");
    assertThat(blocks.get(0).path("fields")).hasSize(10);
    assertThat(blocks.get(1).path("fields")).hasSize(2);
    assertThat(blocks.get(2).path("elements")).hasSize(25);
    assertThat(blocks.get(3).path("elements")).hasSize(2);
    assertThat(blocks.get(2).path("elements").get(0).path("text").path("text").asText()).hasSize(75).endsWith("…");
  }

  @Test
  void suggestionsAreANumberedListOfLinks() throws Exception {
    Outbound o = Outbound.toPlace(CHANNEL, Outbound.Kind.SUGGESTIONS).text("These may already answer it:")
        .suggestions(List.of(new Suggestion("kb-1", "article", "Agent fails <to> start", "https://kb.example/1",
            "the **agent** stops", 3.0), new Suggestion("t-9", "forum", "Idle timeouts", "", "", 1.0)))
        .build();
    JsonNode b = blocks(o);
    assertThat(b.get(1).path("text").path("text").asText()).isEqualTo(
        "1. <https://kb.example/1|Agent fails &lt;to&gt; start> _(article)_\n> the *agent* stops\n"
            + "2. *Idle timeouts* _(forum)_");
  }

  @Test
  void aFileIsShownAsCodeBlocksSplitToSlacksSectionLimitAndCutWhereAMessageIsFull() throws Exception {
    Outbound small = Outbound.toPlace(CHANNEL, Outbound.Kind.REPLY).text("Transcript of ACME-1.")
        .file("ACME-1-transcript.md", "# ACME-1: blank page\n\n> a <b> & ```c```").build();
    JsonNode b = blocks(small);
    assertThat(b.get(1).path("text").path("text").asText()).isEqualTo("*ACME-1-transcript.md*");
    assertThat(b.get(2).path("text").path("text").asText()).isEqualTo("```# ACME-1: blank page\n\n&gt; a &lt;b&gt;"
        + " &amp; ` ` `c` ` ````");
    assertThat(renderer.render(small).text()).contains("ACME-1-transcript.md");

    String line = "x".repeat(99) + "\n";
    JsonNode big = blocks(Outbound.toPlace(CHANNEL, Outbound.Kind.REPLY).file("big.md", line.repeat(3000)).build());
    assertThat(big.size()).isEqualTo(SlackRenderer.FILE_BLOCKS_MAX + 1);
    for (int i = 1; i < SlackRenderer.FILE_BLOCKS_MAX; i++) {
      assertThat(big.get(i).path("text").path("text").asText()).startsWith("```").endsWith("```")
          .hasSizeLessThanOrEqualTo(SlackRenderer.SECTION_TEXT);
    }
    assertThat(big.get(SlackRenderer.FILE_BLOCKS_MAX).path("text").path("text").asText())
        .isEqualTo("_(cut here: the rest of big.md does not fit in one Slack message)_");
  }
}
