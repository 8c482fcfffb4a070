package org.supportbot.core.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.core.conversation.KnowledgeSuggestions;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Suggestion;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.redact.Redactor;

class IntakeTest {

  private static final PolicyCatalog CATALOG = catalog();

  private static PolicyCatalog catalog() {
    try {
      return PolicyCatalog.bundled();
    } catch (org.supportbot.config.load.ConfigException e) {
      throw new IllegalStateException(e);
    }
  }
  private static final Identity ANA = new Identity("console", "demo", "ana");
  private static final ChatPlace PLACE = new ChatPlace("console", "demo", "acme-support", "");
  private static final Instant T0 = Instant.parse("2026-11-23T17:00:00Z");

  /** Records what it was asked and answers with fixed suggestions. */
  private static final class FixedKnowledge implements KnowledgeSuggestions {
    final List<String> queries = new ArrayList<>();
    final List<Suggestion> answer;

    FixedKnowledge(List<Suggestion> answer) {
      this.answer = answer;
    }

    @Override
    public List<Suggestion> suggest(String title, String description, String errorText, String product, String version, int k) {
      queries.add(description);
      return answer.stream().limit(k).toList();
    }

    @Override
    public void feedback(String suggestionId, String source, boolean solved, String caseKey) {}
  }

  private static final Suggestion ARTICLE = new Suggestion("kb-7", "article", "Resetting the sync token", "https://kb/7",
      "the **sync** fails", 4.2);

  private IntakeTurn run(Intake intake, String... answers) {
    IntakeTurn turn = intake.start("in-1", "acme", ANA, PLACE, T0);
    Instant at = T0;
    for (String a : answers) {
      assertThat(turn.ended()).as("intake ended before answer \"%s\"", a).isFalse();
      at = at.plusSeconds(30);
      turn = intake.answer(turn.state().orElseThrow(), a, at);
    }
    return turn;
  }

  @Test
  void atheerIntakeAsksEveryReportQuestionAndEndsReadyToFile() {
    Intake intake = new Intake(CATALOG.get("atheer").orElseThrow(), KnowledgeSuggestions.NONE, new Redactor());
    IntakeTurn turn = run(intake, "Atheer AiR Enterprise", "none", "incident",
        "The service is down for every user in the field. No workaround.",
        "calls stay up", "start a call and wait 30 s", "ERR_SESSION_TIMEOUT", "none", "yes", "all",
        "the field team cannot work", "ok", "no");
    assertThat(turn.ended()).isTrue();
    IntakeResult.Ready ready = (IntakeResult.Ready) turn.result().orElseThrow();
    assertThat(ready.severityId()).isEqualTo("P1");
    assertThat(ready.title()).isEqualTo("The service is down for every user in the field.");
    assertThat(ready.answers()).containsEntry("users_affected", "100").containsEntry("reproducible", "yes")
        .containsEntry("error_messages", "ERR_SESSION_TIMEOUT");
  }

  @Test
  void anInvalidAnswerRepromptsAndKeepsTheQuestion() {
    Intake intake = new Intake(CATALOG.get("atheer").orElseThrow(), KnowledgeSuggestions.NONE, new Redactor());
    IntakeTurn turn = run(intake, "Atheer AiR Enterprise", "none", "incident", "broken");
    IntakeState state = turn.state().orElseThrow();
    assertThat(state.field()).isEqualTo(3);
    assertThat(turn.say()).singleElement().extracting(Outbound::plainText).asString().contains("at least 20 characters");
    assertThat(state.lastActivity()).isEqualTo(T0.plusSeconds(120));
  }

  @Test
  void secretsArePurgedBeforeTheAnswerIsKeptAndTheCustomerIsTold() {
    Intake intake = new Intake(CATALOG.get("atheer").orElseThrow(), KnowledgeSuggestions.NONE, new Redactor());
    IntakeTurn turn = run(intake, "Atheer AiR Enterprise", "none", "incident",
        "Login fails for ops@acme.example with password=hunter2hunter2 since this morning");
    IntakeState state = turn.state().orElseThrow();
    assertThat(state.answers().get("description")).doesNotContain("ops@acme.example").doesNotContain("hunter2")
        .contains("[redacted: e-mail]");
    assertThat(state.redactions()).isEqualTo(2);
    assertThat(turn.say().get(0).plainText()).startsWith("I removed 2 items");
  }

  @Test
  void suggestionsComeAfterTheDescriptionAndSolvedEndsAsDeflected() {
    FixedKnowledge kb = new FixedKnowledge(List.of(ARTICLE));
    Intake intake = new Intake(CATALOG.get("atheer").orElseThrow(), kb, new Redactor());
    IntakeTurn turn = run(intake, "Atheer AiR Enterprise", "none", "incident",
        "The sync of my device fails every morning with a token error");
    assertThat(kb.queries).containsExactly("The sync of my device fails every morning with a token error");
    assertThat(turn.state().orElseThrow().phase()).isEqualTo(IntakeState.Phase.SUGGESTING);
    assertThat(turn.say().get(turn.say().size() - 1).kind()).isEqualTo(Outbound.Kind.SUGGESTIONS);
    IntakeTurn solved = intake.pick(turn.state().orElseThrow(), Intake.SOLVED, "kb-7", T0.plusSeconds(200));
    assertThat(solved.result()).contains(new IntakeResult.Deflected(ARTICLE));
  }

  @Test
  void stillNeedHelpGoesOnToTheNextQuestionAndTheOfferIsKept() {
    Intake intake = new Intake(CATALOG.get("atheer").orElseThrow(), new FixedKnowledge(List.of(ARTICLE)), new Redactor());
    IntakeTurn turn = run(intake, "Atheer AiR Enterprise", "none", "incident",
        "The sync of my device fails every morning with a token error", "still need help");
    IntakeState state = turn.state().orElseThrow();
    assertThat(state.phase()).isEqualTo(IntakeState.Phase.ASKING);
    assertThat(state.field()).isEqualTo(4);
    assertThat(state.offered()).containsExactly(ARTICLE);
    assertThat(turn.say().get(turn.say().size() - 1).plainText()).contains("What should have happened?");
  }

  private static java.util.Map<String, String> atheerForm() {
    java.util.Map<String, String> form = new java.util.LinkedHashMap<>();
    form.put("product", "Atheer AiR Enterprise");
    form.put("version", "none");
    form.put("category", "incident");
    form.put("description", "The sync of my device fails every morning with a token error");
    form.put("expected_result", "the sync finishes");
    form.put("steps_to_reproduce", "open the app at 8:00");
    form.put("error_messages", "ERR_TOKEN_EXPIRED");
    form.put("logs", "none");
    form.put("reproducible", "yes");
    form.put("users_affected", "10");
    form.put("business_impact", "the field team waits");
    form.put("severity", "P3");
    form.put("existing_incident", "no");
    return form;
  }

  @Test
  void aFormIsReadWholeBeforeSuggestionsAndStillNeedHelpFilesWithEveryAnswer() {
    FixedKnowledge kb = new FixedKnowledge(List.of(ARTICLE));
    Intake intake = new Intake(CATALOG.get("atheer").orElseThrow(), kb, new Redactor());
    IntakeState started = intake.start("in-1", "acme", ANA, PLACE, T0).state().orElseThrow();

    IntakeTurn turn = intake.answerForm(started, atheerForm(), T0.plusSeconds(60));

    // one search, once the whole form is read
    assertThat(kb.queries).containsExactly("The sync of my device fails every morning with a token error");
    IntakeState suggesting = turn.state().orElseThrow();
    assertThat(suggesting.phase()).isEqualTo(IntakeState.Phase.SUGGESTING);
    assertThat(suggesting.answers()).containsEntry("error_messages", "ERR_TOKEN_EXPIRED").containsEntry("severity", "P3");
    assertThat(turn.say()).extracting(Outbound::kind).containsExactly(Outbound.Kind.SUGGESTIONS);

    IntakeTurn filed = intake.pick(suggesting, Intake.CONTINUE, "", T0.plusSeconds(90));
    IntakeResult.Ready ready = (IntakeResult.Ready) filed.result().orElseThrow();
    assertThat(ready.severityId()).isEqualTo("P3");
    assertThat(ready.answers()).isEqualTo(suggesting.answers());
    assertThat(ready.offered()).containsExactly(ARTICLE);
    assertThat(kb.queries).hasSize(1);
  }

  @Test
  void aFormWithoutSuggestionsEndsReadyAndOneNeedingAFixStopsThere() {
    Intake intake = new Intake(CATALOG.get("atheer").orElseThrow(), KnowledgeSuggestions.NONE, new Redactor());
    IntakeState started = intake.start("in-1", "acme", ANA, PLACE, T0).state().orElseThrow();
    assertThat(intake.answerForm(started, atheerForm(), T0.plusSeconds(60)).result().orElseThrow())
        .isInstanceOf(IntakeResult.Ready.class);

    java.util.Map<String, String> wrong = atheerForm();
    wrong.put("users_affected", "lots");
    IntakeTurn fix = intake.answerForm(started, wrong, T0.plusSeconds(60));
    IntakeState waiting = fix.state().orElseThrow();
    assertThat(waiting.phase()).isEqualTo(IntakeState.Phase.ASKING);
    assertThat(intake.policy().report().get(waiting.field()).id()).isEqualTo("users_affected");
    assertThat(waiting.answers()).containsEntry("error_messages", "ERR_TOKEN_EXPIRED").doesNotContainKey("users_affected");
  }

  @Test
  void cancelWorksAtAnyStep() {
    Intake intake = new Intake(CATALOG.get("alectrona").orElseThrow(), KnowledgeSuggestions.NONE, new Redactor());
    IntakeTurn turn = run(intake, "Cancel");
    assertThat(turn.result()).contains(new IntakeResult.Cancelled());
    assertThat(turn.say().get(0).plainText()).isEqualTo("Cancelled; nothing was filed.");
  }

  @Test
  void severityQuestionOffersThePolicyDefinitionsAndASuggestion() {
    Intake intake = new Intake(CATALOG.get("alectrona").orElseThrow(), KnowledgeSuggestions.NONE, new Redactor());
    IntakeTurn turn = run(intake, "on-premise", "none", "incident",
        "Reports page is slow for a few users but a manual export works as workaround", "fast page",
        "open reports", "none", "none", "no", "the reports take longer");
    Outbound question = turn.say().get(turn.say().size() - 1);
    assertThat(question.plainText()).contains("Which priority fits best?").contains("From your answers I suggest");
    assertThat(question.blocks()).anyMatch(b -> b instanceof Outbound.Actions);
  }

  @Test
  void anIdleIntakeExpiresWithANoteAndAnActiveOneDoesNot() {
    Intake intake = new Intake(CATALOG.get("atheer").orElseThrow(), KnowledgeSuggestions.NONE, new Redactor());
    IntakeState state = intake.start("in-1", "acme", ANA, PLACE, T0).state().orElseThrow();
    assertThat(intake.expireIfIdle(state, T0.plus(Duration.ofHours(24)).minusSeconds(1), Duration.ofHours(24))).isEmpty();
    IntakeTurn expired = intake.expireIfIdle(state, T0.plus(Duration.ofHours(24)), Duration.ofHours(24)).orElseThrow();
    assertThat(expired.result()).contains(new IntakeResult.Expired());
    assertThat(expired.say().get(0).plainText()).contains("expired after 24 hours");
  }

  @Test
  void titleIsTheFirstSentenceCappedAt80Characters() {
    assertThat(Intake.title(java.util.Map.of("description", "Sync fails. Since Monday."))).isEqualTo("Sync fails.");
    assertThat(Intake.title(java.util.Map.of("description", "x".repeat(100)))).hasSize(80).endsWith("…");
  }
}
