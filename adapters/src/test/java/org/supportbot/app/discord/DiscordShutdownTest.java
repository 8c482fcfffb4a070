package org.supportbot.app.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.supportbot.core.testing.Await;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing the adapter while an interaction is being handled: the interaction is finished and
 * answered before JDA disconnects. The desk is held busy by the test (at its first directory lookup),
 * so the interaction is in flight exactly when closing starts.
 */
@Timeout(300) // only stops a hung test: every wait inside is on a condition, bounded by Await.HUNG
class DiscordShutdownTest {

  @TempDir Path dir;

  @Test
  void anInteractionInFlightWhenClosingStartsIsFinishedAndAnswered() throws Exception {
    try (FakeDiscord fake = new FakeDiscord(); DeskFixture world = new DeskFixture(dir)) {
      DiscordAdapter adapter = DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock,
          DeskFixture.local(fake, false));
      int from = fake.calls().size();
      Thread closing;
      world.held.hold();
      try {
        String interaction = fake.slash(DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL, "help", null);
        fake.await(from, c -> c.is("POST", "interactions/" + interaction + "/.+/callback"), "the deferred reply");
        Await.until(() -> adapter.inFlight() == 1, "the interaction in flight");
        closing = Thread.ofPlatform().name("closing").start(adapter::close);
        Await.until(adapter::closing, "closing to begin");
        assertThat(closing.isAlive()).as("close waits for the interaction").isTrue();
        assertThat(fake.since(from)).as("nothing answered yet").noneMatch(c -> c.path().startsWith("webhooks/"));
      } finally {
        world.held.release(); // the desk is free: the interaction goes on
      }
      closing.join(Await.HUNG.toMillis());
      assertThat(closing.isAlive()).isFalse();
      assertThat(fake.since(from)).as("the /help answer went out through the hook before the disconnect")
          .anyMatch(c -> c.is("POST", "webhooks/" + FakeDiscord.APP_ID + "/.+")
              && c.body().path("content").asText().contains("/support"));
      assertThat(adapter.inFlight()).isZero();
      assertThat(adapter.jda().getStatus()).isEqualTo(net.dv8tion.jda.api.JDA.Status.SHUTDOWN);
    }
  }

}
