package org.supportbot.app.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.MessageEmbed;
import org.junit.jupiter.api.Test;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Span;
import org.supportbot.core.conversation.Suggestion;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.intake.Intake;

class DiscordRendererTest {

  private static final ChatPlace CHANNEL = new ChatPlace("discord", "100", "200", "");
  private static final Identity ANA = new Identity("discord", "100", "300");
  private static final Instant DUE = Instant.parse("2026-11-23T21:00:00Z");
  private final DiscordRenderer renderer = new DiscordRenderer();

  private static List<String> buttonIds(DiscordMessage m) {
    return m.rows().stream().flatMap(r -> r.getButtons().stream()).map(Button::getCustomId).toList();
  }

  @Test
  void statusMessageIsAnEmbedWithAbsoluteAndLiveDeadline() {
    Outbound status = Outbound.toPlace(new ChatPlace("discord", "100", "200", "ACME-1"), Outbound.Kind.STATUS)
        .replaces("status:ACME-1")
        .text(new Span.Strong("ACME-1: Beacon agent fails"))
        .fact("State", "new")
        .fact("Owner", "unassigned")
        .fact("Next deadline", "first response ", DUE)
        .actions(new Outbound.Action("case.claim", "Claim", "ACME-1", true))
        .build();

    DiscordMessage m = renderer.render(status, false);

    assertThat(m.content()).isEmpty();
    MessageEmbed embed = m.embeds().getFirst();
    assertThat(embed.getTitle()).isEqualTo("ACME-1: Beacon agent fails");
    assertThat(embed.getFields()).extracting(MessageEmbed.Field::getName).containsExactly("State", "Owner", "Next deadline");
    long unix = DUE.getEpochSecond();
    assertThat(embed.getFields().get(2).getValue())
        .isEqualTo("first response <t:" + unix + ":f> (<t:" + unix + ":R>)");
    assertThat(buttonIds(m)).containsExactly("case.claim:ACME-1");
    assertThat(m.rows().getFirst().getButtons().getFirst().getStyle().name()).isEqualTo("PRIMARY");
  }

  @Test
  void rolePingMayPingExactlyTheMentionedRoleAndPeople() {
    Outbound ping = Outbound.toPlace(CHANNEL, Outbound.Kind.ESCALATION_PING)
        .text(new Span.Role("555", "on-call"), " New P1 case ", new Span.Strong("ACME-1"), ": reported by ", ANA,
            " @everyone")
        .build();

    DiscordMessage m = renderer.render(ping, false);

    assertThat(m.content()).isEqualTo("<@&555> New P1 case **ACME-1**: reported by <@300> @everyone");
    assertThat(m.roles()).containsExactly("555");
    assertThat(m.users()).containsExactly("300");
    String json = m.create().toData().toString();
    assertThat(json).contains("\"allowed_mentions\"");
    assertThat(m.create().getAllowedMentions()).isEmpty();
    assertThat(m.create().getMentionedRoles()).containsExactly("555");
    assertThat(m.create().getMentionedUsers()).containsExactly("300");
  }

  @Test
  void identitiesOfOtherPlatformsAndNamedRolesAreNotMentions() {
    Outbound o = Outbound.toPlace(CHANNEL, Outbound.Kind.NOTICE)
        .text(new Identity("console", "demo", "eve"), " and ", new Span.Role("on-call", "on-call")).build();

    DiscordMessage m = renderer.render(o, false);

    assertThat(m.content()).isEqualTo("@eve and @on-call");
    assertThat(m.users()).isEmpty();
    assertThat(m.roles()).isEmpty();
  }

  @Test
  void factsCodeLinksAndSuggestionsBecomeMarkdown() {
    Outbound o = Outbound.toPlace(CHANNEL, Outbound.Kind.SUGGESTIONS).onlyFor(ANA)
        .text("Error ", new Span.Code("BCN-4012"), " see ", new Span.Link("docs", "https://example.org/a"))
        .fact("Severity", "P1 Critical")
        .suggestions(List.of(new Suggestion("kb-1", "article", "Agent *fails* to start", "https://kb.example.org/1",
            "restart it", 1.0)))
        .actions(new Outbound.Action(Intake.SOLVED, "#1 solved it", "kb-1", false),
            new Outbound.Action(Intake.CONTINUE, "Still need help", "", true))
        .build();

    DiscordMessage m = renderer.render(o, true);

    assertThat(m.ephemeral()).isTrue();
    assertThat(m.content()).isEqualTo("Error `BCN-4012` see [docs](<https://example.org/a>)\n"
        + "**Severity:** P1 Critical\n"
        + "1. [Agent \\*fails\\* to start](<https://kb.example.org/1>) — restart it");
    assertThat(buttonIds(m)).containsExactly("intake.solved:kb-1", "intake.continue:");
  }

  @Test
  void aFreeTextIntakeQuestionGetsAnAnswerButtonThatOpensAModal() {
    Outbound q = Outbound.toPlace(CHANNEL, Outbound.Kind.INTAKE).onlyFor(ANA)
        .text("(4/13) ", new Span.Strong("Identify and describe the Incident.")).build();

    DiscordMessage m = renderer.render(q, true);

    assertThat(buttonIds(m)).containsExactly("form:4/13", "intake.cancel:");
  }

  @Test
  void aQuestionWithChoicesKeepsItsButtonsInRowsOfFive() {
    Outbound.Action[] choices = new Outbound.Action[7];
    for (int i = 0; i < choices.length; i++) {
      choices[i] = new Outbound.Action(Intake.ANSWER, "Choice " + i, "c" + i, false);
    }
    Outbound q = Outbound.toPlace(CHANNEL, Outbound.Kind.INTAKE).onlyFor(ANA)
        .text("(3/13) ", new Span.Strong("What kind of request is this?")).actions(choices).build();

    DiscordMessage m = renderer.render(q, true);

    assertThat(m.rows()).hasSize(2);
    assertThat(m.rows().get(0).getButtons()).hasSize(5);
    assertThat(buttonIds(m)).startsWith("intake.answer:c0").doesNotContain("form:3/13");
  }

  @Test
  void aButtonWhoseCustomIdWouldExceedDiscordsLimitIsRefusedWithTheReason() {
    Outbound o = Outbound.toPlace(CHANNEL, Outbound.Kind.REPLY)
        .actions(new Outbound.Action("intake.answer", "Long", "x".repeat(90), false)).build();

    assertThatThrownBy(() -> renderer.render(o, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("104 characters; Discord allows 100");
  }

  @Test
  void longContentIsCutToDiscordsLimit() {
    Outbound o = Outbound.toPlace(CHANNEL, Outbound.Kind.REPLY).text("a".repeat(2500)).build();

    assertThat(renderer.render(o, false).content()).hasSize(2000).endsWith("…");
  }

  @Test
  void customIdsReadBackIntoPicks() {
    assertThat(DiscordRenderer.picked("case.claim:ACME-1")).isEqualTo(new Inbound.Picked("case.claim", "ACME-1"));
    assertThat(DiscordRenderer.picked("intake.continue:")).isEqualTo(new Inbound.Picked("intake.continue", ""));
    assertThat(DiscordRenderer.picked("intake.answer:a:b")).isEqualTo(new Inbound.Picked("intake.answer", "a:b"));
  }

  @Test
  void aFileBecomesAnAttachmentOfTheMessage() throws Exception {
    Outbound o = Outbound.toPlace(new ChatPlace("discord", "100", "200", "ACME-1"), Outbound.Kind.REPLY)
        .text("Transcript of ACME-1.").file("ACME-1-transcript.md", "# ACME-1: blank page\n").build();
    DiscordMessage m = renderer.render(o, false);
    assertThat(m.content()).isEqualTo("Transcript of ACME-1.");
    var files = m.create().getFiles();
    assertThat(files).singleElement().satisfies(f -> {
      assertThat(f.getName()).isEqualTo("ACME-1-transcript.md");
      try (var data = f.getData()) {
        assertThat(new String(data.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
            .isEqualTo("# ACME-1: blank page\n");
      }
    });
  }
}
