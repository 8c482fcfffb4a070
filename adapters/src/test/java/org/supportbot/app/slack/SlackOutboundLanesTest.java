package org.supportbot.app.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.testing.Await;

/**
 * The adapter as in production (signed requests through Bolt, the desk on a SQLite file, the gateway
 * on its lanes) with one customer channel whose posts hang: the desk goes on, and replies elsewhere
 * and to other people go out while the hung call is still blocked.
 */
class SlackOutboundLanesTest {
  @TempDir Path dir;
  private SlackWire wire;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void start() throws Exception {
    wire = new SlackWire(dir, new SlackChatGateway.UpdateLimits(Duration.ZERO, 50));
  }

  @AfterEach
  void stop() throws Exception {
    wire.api.release(SlackWire.ACME);
    wire.close();
  }

  private long ephemeralsTo(String channel, String user) {
    return wire.api.calls("chat.postEphemeral").stream()
        .filter(c -> c.param("channel").equals(channel) && c.param("user").equals(user)).count();
  }

  /** The failed attempts of the case's status message, still in the outbox; -1 once it left. */
  private int statusAttempts() {
    return wire.db.read(c -> {
      try (var ps = c.prepareStatement("SELECT attempts FROM outbox WHERE kind = 'STATUS'");
          var rs = ps.executeQuery()) {
        return rs.next() ? rs.getInt(1) : -1;
      }
    });
  }

  @Test
  void aHungCustomerChannelDelaysNeitherTriageNorACommandsReply() throws Exception {
    HttpResponse<String> support = wire.post(SlackWire.FORM,
        SlackWire.slashCommand(SlackWire.ANA, SlackWire.ACME, "/support", "", "1001.2002.support"));
    assertThat(support.statusCode()).isEqualTo(200);
    wire.settle();
    String metadata = json.readTree(wire.api.calls("views.open").getFirst().param("view"))
        .path("private_metadata").asText();

    wire.api.hang(SlackWire.ACME);
    HttpResponse<String> filed = wire.post(SlackWire.FORM, SlackWire.interactive(wire.viewSubmission(SlackWire.ANA,
        "V0INTAKE1", metadata, SlackWire.typedAnswers(), SlackWire.selectedAnswers())));
    assertThat(filed.statusCode()).isEqualTo(200);
    Await.until(() -> wire.api.hungNow() == 1, "the case's status post in the customer channel to hang");
    Await.until(() -> wire.api.calls("chat.postMessage").stream()
        .anyMatch(c -> c.param("channel").equals(SlackWire.TRIAGE)), "the triage notice");

    long before = ephemeralsTo(SlackWire.ACME, SlackWire.ANA.userId());
    HttpResponse<String> help = wire.post(SlackWire.FORM,
        SlackWire.slashCommand(SlackWire.ANA, SlackWire.ACME, "/help", "", "1001.2003.help"));
    assertThat(help.statusCode()).isEqualTo(200);
    Await.until(() -> ephemeralsTo(SlackWire.ACME, SlackWire.ANA.userId()) > before, "the reply to /help");

    assertThat(statusAttempts()).as("the status post is still under way: not failed, not sent").isEqualTo(0);
    assertThat(wire.api.calls("chat.postMessage").stream().filter(c -> c.param("channel").equals(SlackWire.ACME)))
        .as("nothing else went to the customer channel, so the status message stays the thread's root").hasSize(1);
  }
}
