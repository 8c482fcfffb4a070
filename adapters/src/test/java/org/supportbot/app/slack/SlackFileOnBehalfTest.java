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
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.intake.Intake;
import org.supportbot.core.store.JdbcConversationStore;
import org.supportbot.core.store.sqlite.SqliteIncidentStore;

/**
 * An engineer files a customer's message on the customer's behalf over the wire: the "File as
 * incident" message shortcut, the settings' {@code :ticket:} reaction ({@code reaction_added}, whose
 * text is read back with {@code conversations.replies}) and {@code /support <@U0CARL|carl>}. No modal
 * opens for the engineer; the case is filed at once and its open questions are posted in the case's
 * thread for the customer, who answers them there by message and by button.
 */
class SlackFileOnBehalfTest {

  private static final String CARLS_MESSAGE = "Dashboards are empty since the upgrade to 3.2.1";
  private static final String TS = "1764000700.000100";
  private static final IncidentNumber ACME_1 = new IncidentNumber("ACME", 1);

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

  /** Lets the posts held back by Slack's per-channel rate limit go out, as time passes. */
  private void drain() throws Exception {
    for (int i = 0; i < 5; i++) {
      wire.clock.advance(Duration.ofSeconds(1));
      wire.adapter.tick();
      wire.settle();
    }
  }

  private IncidentSnapshot acme1() {
    return new SqliteIncidentStore(wire.db).snapshot(ACME_1).orElseThrow();
  }

  /** Filed at once for Carl; returns the ts of the case thread's root, where the first question went. */
  private String assertFiledForCarlAndAskedInTheThread() {
    List<Call> replies = wire.api.calls("chat.postEphemeral");
    assertThat(replies).as(wire.api.describe()).singleElement().satisfies(r -> {
      assertThat(r.param("user")).isEqualTo(SlackWire.EVE.userId());
      assertThat(r.param("text")).isEqualTo("Filed ACME-1 for @U0CARL at P4 (provisional); I ask them the 7 open"
          + " questions in its thread, one at a time. The case records that you filed it on their behalf.");
    });
    String root = wire.messages.find(SlackWire.TEAM, "thread:ACME-1").orElseThrow().ts();
    assertThat(wire.api.calls("chat.postMessage")).as(wire.api.describe())
        .filteredOn(c -> c.param("thread_ts").equals(root)).extracting(c -> c.param("text"))
        .anySatisfy(t -> assertThat(t).startsWith("Thanks <@U0CARL>, your case *ACME-1* is filed (by <@U0EVE> on your"
            + " behalf): " + CARLS_MESSAGE + "\nSeverity: P4 No Operational Impact (provisional until you answer the"
            + " severity question)"))
        .last().isEqualTo("<@U0CARL> (7 questions left) *Which Atheer Service is affected?*");
    assertThat(wire.api.calls("views.open")).isEmpty();
    assertThat(new JdbcConversationStore(wire.db).intakes()).isEmpty();
    IncidentEvent.Filed filed = (IncidentEvent.Filed) new SqliteIncidentStore(wire.db).events(ACME_1).getFirst();
    assertThat(filed.origin().actor().identity()).isEqualTo(SlackWire.CARL);
    assertThat(filed.origin().at()).isEqualTo(SlackWire.START);
    assertThat(filed.filedBy()).contains(SlackWire.EVE);
    assertThat(filed.fields()).containsEntry("description", CARLS_MESSAGE);
    return root;
  }

  @Test
  void theShortcutUsedByAnEngineerFilesForTheMessagesAuthorWhoAnswersInTheThread() throws Exception {
    assertThat(wire.post(SlackWire.FORM, SlackWire.interactive(wire.messageShortcut(SlackWire.EVE, SlackWire.ACME,
        SlackWire.CARL, TS, CARLS_MESSAGE, "5005.6006.onbehalf")))).extracting(r -> r.statusCode()).isEqualTo(200);
    wire.settle();
    String root = assertFiledForCarlAndAskedInTheThread();

    // Carl answers in the thread: by message, then by the category question's button
    wire.post(SlackWire.JSON, wire.messageEvent("Ev0CARL1", SlackWire.CARL, SlackWire.ACME, "1764000800.000100", root,
        "Atheer AiR Enterprise"));
    wire.settle();
    drain();
    assertThat(acme1().product()).isEqualTo("Atheer AiR Enterprise");
    assertThat(wire.api.calls("chat.postMessage")).filteredOn(c -> c.param("thread_ts").equals(root))
        .extracting(c -> c.param("text")).last().asString()
        .startsWith("<@U0CARL> (6 questions left) *What kind of request is this?*\nError or abnormal behavior");
    wire.post(SlackWire.FORM, SlackWire.interactive(wire.blockAction(SlackWire.CARL, SlackWire.ACME,
        "1764000900.000100", root, false, Intake.ANSWER + SlackRenderer.ACTION_SUFFIX + "0", "incident",
        "7007.8008.category")));
    wire.settle();
    assertThat(acme1().categoryId()).isEqualTo("incident");
    assertThat(acme1().pendingDetails()).containsExactly("steps_to_reproduce", "reproducible", "users_affected",
        "business_impact", "severity");
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
    assertFiledForCarlAndAskedInTheThread();
    assertThat(wire.api.calls("users.info")).extracting(c -> c.param("user")).contains("U0CARL");
  }

  @Test
  void supportWithSlacksEscapedMentionFilesForThatPersonAtTheLevelGiven() throws Exception {
    // with should_escape, Slack sends "/support @carl P2" as "<@U0CARL|carl> P2", and < > escaped as entities
    assertThat(wire.post(SlackWire.FORM, SlackWire.slashCommand(SlackWire.EVE, SlackWire.ACME, "/support",
        "<@U0CARL|carl> P2 Dashboards &amp; reports are empty", "1001.2002.onbehalf")).statusCode()).isEqualTo(200);
    wire.settle();
    assertThat(wire.api.calls("chat.postEphemeral")).as(wire.api.describe()).singleElement()
        .satisfies(r -> assertThat(r.param("text")).isEqualTo("Filed ACME-1 for @U0CARL at P2; I ask them the 6 open"
            + " questions in its thread, one at a time. The case records that you filed it on their behalf."));
    assertThat(wire.api.calls("views.open")).isEmpty();
    IncidentSnapshot s = acme1();
    assertThat(s.reporter()).isEqualTo(SlackWire.CARL);
    assertThat(s.severityId()).isEqualTo("P2");
    assertThat(s.title()).isEqualTo("Dashboards & reports are empty");

    // a channel is not a person
    wire.post(SlackWire.FORM, SlackWire.slashCommand(SlackWire.EVE, SlackWire.ACME, "/support", "<#C0ACME|acme>",
        "1001.2002.channel"));
    wire.settle();
    assertThat(wire.api.calls("chat.postEphemeral")).last().satisfies(r -> assertThat(r.param("text"))
        .isEqualTo("Nothing filed: `&lt;#C0ACME|acme&gt;` is a channel, not a person. Mention one person, e.g."
            + " /support @ana.")); // Slack shows the escaped text as typed
  }
}
