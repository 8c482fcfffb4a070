package org.supportbot.app.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.supportbot.core.testing.Await;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With Message Content switched on: a reply typed in a case thread reaches the desk as the
 * customer's reply; and a note meant for one person outside any interaction goes to them as a
 * direct message.
 */
@Timeout(300) // only stops a hung test: every wait inside is on a condition, bounded by Await.HUNG
class DiscordThreadRepliesTest {

  @TempDir Path dir;
  private FakeDiscord fake;
  private DeskFixture world;
  private DiscordAdapter adapter;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeDiscord();
    fake.enableMessageContent();
    world = new DeskFixture(dir);
    adapter = DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock, DeskFixture.local(fake, true));
  }

  @AfterEach
  void stop() throws Exception {
    DeskFixture.stop(adapter, fake, world);
  }

  @Test
  void aCustomerReplyTypedInTheCaseThreadIsRecordedAndTriageIsTold() {
    int from = IntakeDriver.fileCase(fake);
    FakeDiscord.Call thread = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.SUPPORT_CHANNEL + "/threads"),
        "creating the case thread");
    String threadId = thread.response().get("id").asText();
    fake.await(from, c -> c.is("POST", "channels/" + threadId + "/messages") && c.body().path("embeds").size() == 1,
        "posting the status");

    int before = fake.calls().size();
    fake.typed(DeskFixture.ANA, threadId, "collector.host is beacon-collector.internal");

    FakeDiscord.Call told = fake.await(before, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages"),
        "telling triage about the reply");
    assertThat(told.body().get("content").asText()).isEqualTo("The customer replied on **ACME-1** (unassigned)");
    assertThat(fake.since(before)).filteredOn(c -> c.path().endsWith("/threads")).as("the same thread").isEmpty();
  }

  @Test
  void anUnfinishedIntakeExpiresWithADirectMessageToTheReporter() {
    int from = fake.calls().size();
    fake.slash(DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL, "support", null);
    fake.await(from, c -> c.is("POST", "webhooks/.*") && c.body().path("content").asText().contains("(1/13)"),
        "asking the first question");

    world.clock.advance(Duration.ofHours(25));
    int before = fake.calls().size();
    adapter.tick();

    // the digest to the manager goes out at the same tick, on its own lane: wait for Ana's direct message
    FakeDiscord.Call open = fake.await(before, c -> c.is("POST", "users/@me/channels")
        && c.body().path("recipient_id").asText().equals(DeskFixture.ANA), "opening the DM to Ana");
    String dm = open.response().get("id").asText();
    FakeDiscord.Call note = fake.await(before, c -> c.is("POST", "channels/" + dm + "/messages"), "sending the DM");
    assertThat(note.body().get("content").asText()).startsWith("Your unfinished support request has expired after");
  }
}
