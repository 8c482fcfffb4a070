package org.supportbot.app.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Ana answers each intake question while the bot has not yet heard back from Discord about posting it. */
@Timeout(300)
class DiscordIntakeRaceTest {

  @TempDir Path dir;
  private FakeDiscord fake;
  private DeskFixture world;
  private DiscordAdapter adapter;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeDiscord();
    world = new DeskFixture(dir);
    adapter = DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock, DeskFixture.local(fake, false));
  }

  @AfterEach
  void stop() throws Exception {
    DeskFixture.stop(adapter, fake, world);
  }

  @Test
  void eachQuestionIsAskedWhenTheAnswerComesBeforeTheBotHeardBackAboutThePreviousOne() {
    // the post of each question is made and shown to Ana, but the bot hears back only after she answered it
    fake.holdAnswers(c -> c.is("POST", "webhooks/" + FakeDiscord.APP_ID + "/.*")
        && c.body().path("content").asText().matches("(?s).*\\(\\d+/\\d+\\).*"));
    int from = fake.calls().size();
    fake.slash(DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL, "support", null);
    FakeDiscord.Call question = fake.await(from, c -> isQuestion(c, 1), "asking question 1");
    for (int k = 1; k <= IntakeDriver.ANSWERS.size(); k++) {
      String counter = k + "/" + IntakeDriver.ANSWERS.size();
      String messageId = question.response().get("id").asText();
      String answer = IntakeDriver.ANSWERS.get(k - 1);
      from = fake.calls().size();
      if (answer.startsWith("=")) {
        fake.click(DeskFixture.ANA, messageId, "intake.answer:" + answer.substring(1));
      } else {
        String click = fake.click(DeskFixture.ANA, messageId, "form:" + counter);
        fake.await(from, c -> c.is("POST", "interactions/" + click + "/.*/callback"), "opening the answer form");
        fake.submit(DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL, "form:" + counter, Map.of("answer", answer));
      }
      int next = k + 1;
      FakeDiscord.Call earlier = question;
      if (next <= IntakeDriver.ANSWERS.size()) {
        // the answer is handled and the next question posted while the bot still waits to hear about this one
        question = fake.await(from, c -> isQuestion(c, next), "asking question " + next + "/13");
      }
      fake.releaseAnswer(earlier);
    }
    fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.SUPPORT_CHANNEL + "/threads"), "creating the case thread");
    assertThat(world.desk).isNotNull();
  }

  /**
   * The intake race seen under load: one follow-up that Discord did not take (a timeout or a 5xx that JDA's
   * retries did not get past) left Ana's ephemeral lane waiting for its retry, so the next question, recorded
   * behind it, was not handed to her answer's interaction; the ticker later sent it as a direct message,
   * where the intake's buttons do not work. The question must still reach her in the channel, ephemeral,
   * through her latest interaction.
   */
  @Test
  void aFollowUpDiscordDidNotTakeDoesNotLeaveTheNextQuestionUnasked() {
    int from = welcomeFailsThenQuestion1IsOpened();
    String submitted = fake.submit(DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL, "form:1/13", Map.of("answer", "Beacon"));
    fake.await(from, c -> c.is("POST", "interactions/" + submitted + "/.*/callback"), "acknowledging the answer");

    // the welcome waits for its retry; once it is due, the ticker hands it and the question out again
    world.clock.advance(java.time.Duration.ofSeconds(6));
    adapter.tick();
    FakeDiscord.Call second = fake.await(from, c -> isQuestion(c, 2), "asking question 2");
    assertThat(second.path()).as("through the answer's interaction").contains("interaction-token-" + submitted);
    assertThat(second.body().get("flags").asInt() & 64).as("only Ana sees it").isEqualTo(64);
    FakeDiscord.Call welcome = fake.await(from, DiscordIntakeRaceTest::isWelcomeMade, "the welcome, retried");
    assertThat(fake.calls().indexOf(welcome)).as("in order").isLessThan(fake.calls().indexOf(second));
    assertThat(fake.calls()).as("no direct message to Ana").noneMatch(c -> c.is("POST", "users/@me/channels")
        && c.body().path("recipient_id").asText().equals(DeskFixture.ANA));
  }

  /**
   * The race behind an intermittent failure of the test above: the ticker has handed out the welcome again,
   * and its lane's worker has not posted it yet (busy, as behind a slow call) when Ana's answer is handled.
   * The next question, handed out at once because the welcome is in flight rather than waiting, goes on its
   * own route (her answer's follow-up) and used to overtake the welcome. It now waits for the welcome.
   */
  @Test
  void theNextQuestionDoesNotOvertakeTheWelcomeTheTickerIsAboutToSendAgain() throws Exception {
    welcomeFailsThenQuestion1IsOpened();
    // Ana's ephemeral lane is busy (as behind a slow call): the welcome the ticker hands out waits behind it
    java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
    adapter.runInLane("discord/" + FakeDiscord.GUILD + "/" + FakeDiscord.SUPPORT_CHANNEL + "/@" + DeskFixture.ANA, () -> {
      try {
        busy.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    world.clock.advance(java.time.Duration.ofSeconds(6));
    adapter.tick();
    int beforeAnswer = fake.calls().size();
    String submitted = answerQuestion1WhileTheWelcomeIsUnderWay(beforeAnswer);

    busy.countDown();
    FakeDiscord.Call second = fake.await(beforeAnswer, c -> isQuestion(c, 2), "asking question 2");
    FakeDiscord.Call welcome = fake.await(beforeAnswer, DiscordIntakeRaceTest::isWelcomeMade, "the welcome, retried");
    assertThat(second.path()).as("through the answer's interaction").contains("interaction-token-" + submitted);
    assertThat(fake.calls().indexOf(welcome)).as("in order").isLessThan(fake.calls().indexOf(second));
    assertThat(world.outbox.awaitingEarlier()).isZero();
  }

  /** As above, with the welcome's call made and Discord's answer to it not yet back. */
  @Test
  void theNextQuestionWaitsForTheAnswerToTheWelcomeSentAgain() throws Exception {
    welcomeFailsThenQuestion1IsOpened();
    fake.holdAnswers(DiscordIntakeRaceTest::isWelcomeMade);
    int beforeTick = fake.calls().size();
    world.clock.advance(java.time.Duration.ofSeconds(6));
    adapter.tick();
    FakeDiscord.Call welcome = fake.await(beforeTick, DiscordIntakeRaceTest::isWelcomeMade, "the welcome, retried");
    int beforeAnswer = fake.calls().size();
    String submitted = answerQuestion1WhileTheWelcomeIsUnderWay(beforeAnswer);

    fake.releaseAnswer(welcome);
    FakeDiscord.Call second = fake.await(beforeAnswer, c -> isQuestion(c, 2), "asking question 2");
    assertThat(second.path()).as("through the answer's interaction").contains("interaction-token-" + submitted);
    assertThat(world.outbox.awaitingEarlier()).isZero();
  }

  /**
   * Ana files with /support; the welcome fails once, question 1 is asked, and she opens its answer form.
   * Returns the number of calls before her click.
   */
  private int welcomeFailsThenQuestion1IsOpened() {
    fake.failNext(c -> c.is("POST", "webhooks/" + FakeDiscord.APP_ID + "/.*")
        && c.body().path("content").asText().startsWith("Let's file a support case"), 1);
    int from = fake.calls().size();
    fake.slash(DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL, "support", null);
    FakeDiscord.Call first = fake.await(from, c -> isQuestion(c, 1) && c.status() == 200, "asking question 1");
    String messageId = first.response().get("id").asText();
    from = fake.calls().size();
    String click = fake.click(DeskFixture.ANA, messageId, "form:1/13");
    fake.await(from, c -> c.is("POST", "interactions/" + click + "/.*/callback"), "opening the answer form");
    return from;
  }

  /**
   * Ana answers question 1 while the welcome's retry is under way; question 2 is not asked before the welcome
   * (it waits for it in the outbox). Returns her answer's interaction.
   */
  private String answerQuestion1WhileTheWelcomeIsUnderWay(int beforeAnswer) throws InterruptedException {
    String submitted = fake.submit(DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL, "form:1/13", Map.of("answer", "Beacon"));
    org.supportbot.core.testing.Await.until(() -> world.outbox.awaitingEarlier() == 1
        || fake.calls().stream().anyMatch(c -> isQuestion(c, 2)), "question 2 sent, or waiting for the welcome");
    assertThat(fake.calls().subList(beforeAnswer, fake.calls().size())).as("question 2 not before the welcome")
        .noneMatch(c -> isQuestion(c, 2));
    return submitted;
  }

  /** The welcome's post, made (Discord took it). */
  private static boolean isWelcomeMade(FakeDiscord.Call c) {
    return c.is("POST", "webhooks/.*") && c.status() == 200
        && c.body().path("content").asText().startsWith("Let's file a support case");
  }

  private static boolean isQuestion(FakeDiscord.Call c, int k) {
    return c.is("POST", "webhooks/" + FakeDiscord.APP_ID + "/.*")
        && c.body().path("content").asText().contains("(" + k + "/" + IntakeDriver.ANSWERS.size() + ")");
  }
}
