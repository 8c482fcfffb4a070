package org.supportbot.app.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.slack.RecordingSlackApi.Call;
import org.supportbot.core.store.sqlite.SqliteConversationStore;

/**
 * An engineer files a customer's message on the customer's behalf over the wire: the "File as
 * incident" message shortcut and the settings' {@code :ticket:} reaction ({@code reaction_added},
 * whose text is read back with {@code conversations.replies}). No modal opens for the engineer; the
 * intake's questions are posted in the channel for the customer.
 */
class SlackFileOnBehalfTest {

  private static final String CARLS_MESSAGE = "Dashboards are empty since the upgrade to 3.2.1";
  private static final String TS = "1764000700.000100";

  @TempDir Path dir;
  private SlackWire wire;

  @BeforeEach
  void start() throws Exception {
    wire = new SlackWire(dir, new SlackChatGateway.UpdateLimits(Duration.ZERO, 50));
  }

  @AfterEach
  void stop() throws Exception {
    wire.close();
  }

  private void assertAskedOfCarlInTheChannel() {
    List<Call> replies = wire.api.calls("chat.postEphemeral");
    assertThat(replies).as(wire.api.describe()).singleElement().satisfies(r -> {
      assertThat(r.param("user")).isEqualTo(SlackWire.EVE.userId());
      assertThat(r.param("text")).isEqualTo("Filing for @U0CARL: I asked them the questions still open in this channel."
          + " The case will record that you filed it on their behalf.");
    });
    assertThat(wire.api.calls("chat.postMessage")).as(wire.api.describe()).first().satisfies(intro -> {
      assertThat(intro.param("channel")).isEqualTo(SlackWire.ACME);
      assertThat(intro.param("text")).startsWith("<@U0CARL>, <@U0EVE> is filing your message as a support case with"
          + " *Atheer* for you. I'll ask 12 short questions here;");
    });
    assertThat(wire.api.calls("views.open")).isEmpty();
    assertThat(new SqliteConversationStore(wire.db).intakes()).singleElement().satisfies(s -> {
      assertThat(s.reporter()).isEqualTo(SlackWire.CARL);
      assertThat(s.filedBy()).contains(SlackWire.EVE);
      assertThat(s.answers()).containsEntry("description", CARLS_MESSAGE);
    });
  }

  @Test
  void theShortcutUsedByAnEngineerFilesForTheMessagesAuthor() throws Exception {
    assertThat(wire.post(SlackWire.FORM, SlackWire.interactive(wire.messageShortcut(SlackWire.EVE, SlackWire.ACME,
        SlackWire.CARL, TS, CARLS_MESSAGE, "5005.6006.onbehalf")))).extracting(r -> r.statusCode()).isEqualTo(200);
    wire.settle();
    assertAskedOfCarlInTheChannel();
  }

  @Test
  void theTicketReactionOfAnEngineerFilesTheMessageReadBackFromSlack() throws Exception {
    wire.api.addHistory(SlackWire.ACME, TS, "{\"type\":\"message\",\"user\":\"U0CARL\",\"team\":\""
        + SlackWire.CUSTOMER_TEAM + "\",\"ts\":\"" + TS + "\",\"text\":\"" + CARLS_MESSAGE + "\"}");
    // another emoji is only acknowledged
    assertThat(wire.post(SlackWire.JSON, wire.reactionEvent("Ev0EYES", SlackWire.EVE, "eyes", SlackWire.CARL,
        SlackWire.ACME, TS)).statusCode()).isEqualTo(200);
    wire.settle();
    assertThat(wire.api.calls()).as(wire.api.describe()).isEmpty();

    assertThat(wire.post(SlackWire.JSON, wire.reactionEvent("Ev0TICKET", SlackWire.EVE, SlackWire.REACTION,
        SlackWire.CARL, SlackWire.ACME, TS)).statusCode()).isEqualTo(200);
    wire.settle();
    assertThat(wire.api.calls("conversations.replies")).singleElement().satisfies(c -> {
      assertThat(c.param("channel")).isEqualTo(SlackWire.ACME);
      assertThat(c.param("ts")).isEqualTo(TS);
    });
    assertAskedOfCarlInTheChannel();
    assertThat(wire.api.calls("users.info")).extracting(c -> c.param("user")).contains("U0CARL");
  }
}
