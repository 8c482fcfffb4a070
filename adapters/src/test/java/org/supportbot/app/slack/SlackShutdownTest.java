package org.supportbot.app.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.supportbot.core.testing.Await;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing the HTTP endpoint and the adapter while a command is being handled: Slack was already
 * acknowledged, the endpoint stops taking requests, and the queued work still runs to its Web API
 * call before the adapter is closed. The test holds the desk at its first directory lookup, so the
 * command is in flight exactly when closing starts.
 */
@Timeout(300) // only stops a hung test: every wait inside is on a condition, bounded by Await.HUNG
class SlackShutdownTest {

  @TempDir Path dir;

  @Test
  void aCommandInFlightWhenClosingStartsIsFinished() throws Exception {
    try (SlackWire wire = new SlackWire(dir, SlackChatGateway.UpdateLimits.TIER_3)) {
      Thread closing;
      wire.held.hold();
      try {
        assertThat(wire.post(SlackWire.FORM, SlackWire.slashCommand(SlackWire.ANA, SlackWire.ACME, "/support", "",
            "1001.2002.closing")).statusCode()).as("acknowledged at once").isEqualTo(200);
        closing = Thread.ofPlatform().name("closing").start(wire.running::close);
        Await.until(() -> !wire.endpoint.serving(), "the endpoint to stop taking requests");
        assertThat(closing.isAlive()).as("close waits for the queued command").isTrue();
        Await.until(() -> wire.held.waiting() == 1, "the command to be in flight");
        assertThat(wire.api.calls("views.open")).as("not yet handled").isEmpty();
      } finally {
        wire.held.release(); // the desk is free: the command goes on
      }
      closing.join(Await.HUNG.toMillis());
      assertThat(closing.isAlive()).isFalse();
      assertThat(wire.api.calls("views.open")).hasSize(1)
          .allSatisfy(c -> assertThat(c.param("trigger_id")).isEqualTo("1001.2002.closing"));
    }
  }

}
