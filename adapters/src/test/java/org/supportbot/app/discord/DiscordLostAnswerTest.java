package org.supportbot.app.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.testing.Await;

/**
 * A post Discord made whose answer never reached the bot is not made again: the fake applies the call (Ana
 * sees the message), then closes the connection without an answer, or holds the answer past the bot's request
 * timeout. An interaction follow-up has no nonce and cannot be looked up, so neither OkHttp, nor JDA, nor the
 * outbox may send it again; a channel message carries its nonce, and Discord answers a retry with the message
 * it made.
 */
@Timeout(300)
class DiscordLostAnswerTest {

  /** The request timeout of the test that holds an answer past it; the others keep the default. */
  private static final Duration SHORT_TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path dir;
  private FakeDiscord fake;
  private DeskFixture world;
  private DiscordAdapter adapter;

  @BeforeEach
  void start(TestInfo test) throws Exception {
    fake = new FakeDiscord();
    world = new DeskFixture(dir);
    DiscordSettings settings = DeskFixture.local(fake, false);
    if (test.getDisplayName().contains("TimesOut")) {
      settings = settings.withRequestTimeout(SHORT_TIMEOUT);
    }
    adapter = DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock, settings);
  }

  @AfterEach
  void stop() throws Exception {
    DeskFixture.stop(adapter, fake, world);
  }

  @Test
  void aFollowUpWhoseConnectionBreaksBeforeTheAnswerIsSaidOnce() throws Exception {
    fake.loseAnswers(question(1), 1);
    int from = fake.calls().size();
    fake.slash(DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL, "support", null);
    FakeDiscord.Call asked = fake.await(from, question(1), "asking question 1");
    Await.until(() -> adapter.followUpsUnanswered() == 1 || count(question(1)) > 1, "the adapter to give up on the answer");
    drainOutbox();

    assertThat(fake.lostAnswers()).as("the answer was lost").isEqualTo(1);
    assertThat(count(question(1))).as("question 1 made once, not sent again after the lost answer").isEqualTo(1);
    assertThat(adapter.followUpsUnanswered()).isEqualTo(1);
    assertThat(world.outbox.pendingCount()).as("nothing left to send again").isZero();

    // the question Ana sees works: her answer moves the intake on
    from = fake.calls().size();
    String click = fake.click(DeskFixture.ANA, asked.response().get("id").asText(), "form:1/13");
    fake.await(from, c -> c.is("POST", "interactions/" + click + "/.*/callback"), "opening the answer form");
    fake.submit(DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL, "form:1/13", Map.of("answer", "Beacon"));
    fake.await(from, question(2), "asking question 2");
  }

  @Test
  void aFollowUpWhoseAnswerTimesOutIsSaidOnce() throws Exception {
    fake.holdAnswers(question(1));
    int from = fake.calls().size();
    fake.slash(DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL, "support", null);
    FakeDiscord.Call asked = fake.await(from, question(1), "asking question 1");
    // JDA's own retry of a timed-out request would send it again while the first is still held
    Await.until(() -> adapter.followUpsUnanswered() == 1 || count(question(1)) > 1, "the request to time out");
    fake.releaseAnswer(asked);
    drainOutbox();

    assertThat(count(question(1))).as("question 1 made once, not sent again after the timeout").isEqualTo(1);
    assertThat(adapter.followUpsUnanswered()).isEqualTo(1);
    assertThat(world.outbox.pendingCount()).isZero();
  }

  /**
   * The retry of a follow-up Discord refused (a 500 that JDA's retries did not get past) goes through Ana's latest
   * interaction when the outbox hands it out again; that retry's answer is lost, and it is not sent a third time.
   */
  @Test
  void aRetriedFollowUpWhoseAnswerIsLostIsSaidOnce() throws Exception {
    Predicate<FakeDiscord.Call> welcome = c -> c.is("POST", "webhooks/" + FakeDiscord.APP_ID + "/.*")
        && c.body().path("content").asText().startsWith("Let's file a support case");
    fake.failNext(welcome, 1);
    int from = fake.calls().size();
    fake.slash(DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL, "support", null);
    fake.await(from, c -> welcome.test(c) && c.status() == 500, "the welcome, refused");
    fake.loseAnswers(c -> welcome.test(c) && c.status() == 200, 1);
    // the adapter counts the refusal before the outbox records it (and its next attempt, from the clock's now):
    // moving the clock in between would put the retry 30 s further off
    Await.until(() -> adapter.platformErrors() == 1 && world.outbox.inFlight() == 0,
        "the refusal to be recorded by the outbox");
    world.clock.advance(Duration.ofSeconds(30)); // past the outbox's first backoff
    adapter.tick();
    fake.await(from, c -> welcome.test(c) && c.status() == 200, "the welcome, retried through Ana's interaction");
    Await.until(() -> adapter.followUpsUnanswered() == 1 || count(c -> welcome.test(c) && c.status() == 200) > 1,
        "the adapter to give up on the retry's answer");
    drainOutbox();

    assertThat(count(c -> welcome.test(c) && c.status() == 200)).as("the welcome made once").isEqualTo(1);
    assertThat(world.outbox.pendingCount()).isZero();
  }

  /** A message in a channel carries its outbox nonce: sent again after a lost answer, Discord makes it once. */
  @Test
  void aChannelPostWhoseConnectionBreaksBeforeTheAnswerIsMadeOnce() throws Exception {
    Predicate<FakeDiscord.Call> toTriage = c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages");
    fake.loseAnswers(toTriage, 1);
    int from = IntakeDriver.fileCase(fake);
    FakeDiscord.Call lost = fake.await(from, toTriage, "the triage notice");
    String nonce = lost.body().path("nonce").asText();
    assertThat(nonce).as("sent with its outbox nonce").isNotEmpty();
    assertThat(lost.body().path("enforce_nonce").asBoolean()).isTrue();
    Await.until(() -> fake.lostAnswers() == 1, "the notice's answer to be lost");
    drainOutbox();

    assertThat(count(c -> toTriage.test(c) && nonce.equals(c.body().path("nonce").asText())))
        .as("sent again after the lost answer").isGreaterThan(1);
    assertThat(fake.messagesIn(FakeDiscord.TRIAGE)).as("made once").filteredOn(m -> m.path("id").asText()
        .equals(lost.response().path("id").asText())).hasSize(1);
    assertThat(fake.messagesIn(FakeDiscord.TRIAGE).stream().map(m -> m.path("content").asText()))
        .as("no message twice in triage").doesNotHaveDuplicates();
    assertThat(world.outbox.pendingCount()).isZero();
  }

  /** Lets the outbox hand out what waits for a retry, several backoffs over, until it holds nothing. */
  private void drainOutbox() throws Exception {
    for (int round = 0; round < 6; round++) {
      adapter.awaitIdle(Await.HUNG);
      world.clock.advance(Duration.ofMinutes(2));
      adapter.tick();
      adapter.awaitIdle(Await.HUNG);
    }
  }

  private long count(Predicate<FakeDiscord.Call> matching) {
    return fake.calls().stream().filter(matching).count();
  }

  private static Predicate<FakeDiscord.Call> question(int k) {
    return c -> c.is("POST", "webhooks/" + FakeDiscord.APP_ID + "/.*")
        && c.body().path("content").asText().contains("(" + k + "/" + IntakeDriver.ANSWERS.size() + ")");
  }
}
