package org.supportbot.app.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.slack.RecordingSlackApi.Call;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.store.JdbcConversationStore;
import org.supportbot.core.store.sqlite.SqliteInboxStore;

/**
 * The Slack side of the durable inbox, over the wire against {@link RecordingSlackApi} and a real
 * SQLite file: a request whose inbox write fails is not acknowledged, and after a restart the messages
 * posted meanwhile in a case thread and a bound channel are read back and handled once.
 */
class SlackInboxTest {
  private static final SlackChatGateway.UpdateLimits NO_COALESCING = new SlackChatGateway.UpdateLimits(Duration.ZERO, 50);

  @TempDir Path dir;
  private RecordingSlackApi api;
  private SlackWire wire;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void start() throws Exception {
    api = new RecordingSlackApi(SlackWire.TOKEN);
    wire = new SlackWire(dir, NO_COALESCING, api);
  }

  @AfterEach
  void stop() {
    wire.close();
    api.close();
  }

  private SlackWire restart() throws Exception {
    wire.close();
    wire = new SlackWire(dir, NO_COALESCING, api);
    wire.settle(); // the start's own work: the inbox, then the history
    return wire;
  }

  @Test
  void aRequestWhoseInboxWriteFailsIsAnswered503AndHasNoEffect() throws Exception {
    wire.db.write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE inbox"); // every write to the inbox fails from now on
      }
      return null;
    });

    HttpResponse<String> r = wire.post(SlackWire.FORM,
        SlackWire.slashCommand(SlackWire.ANA, SlackWire.ACME, "/help", "", "2002.3003.help"));
    wire.settle();

    assertThat(r.statusCode()).as("Slack retries a delivery answered with an error").isEqualTo(503);
    assertThat(r.body()).contains("retry later");
    assertThat(api.calls()).isEmpty();
  }

  private String message(Identity who, String ts, String threadTs, String text) {
    var m = json.createObjectNode().put("type", "message").put("user", who.userId()).put("text", text).put("ts", ts)
        .put("team", who.workspace()).put("user_team", who.workspace());
    if (threadTs != null) {
      m.put("thread_ts", threadTs);
    }
    return m.toString();
  }

  private List<Call> customerReplyNotices(int from) {
    List<Call> all = api.calls();
    return all.subList(from, all.size()).stream().filter(c -> c.method().equals("chat.postMessage")
        && c.param("channel").equals(SlackWire.TRIAGE) && c.param("text").startsWith("The customer replied on *ACME-1*"))
        .toList();
  }

  @Test
  void aBoundChannelNeverSeenIsReadBackFromTheStartBeforeTheRestart() throws Exception {
    wire.settle(); // the start's read-back (which marks the channel) runs on the adapter's worker
    assertThat(new SqliteInboxStore(wire.db, wire.clock).lastSeen("slack", SlackWire.ACME))
        .hasValue(SlackAdapter.ts(SlackWire.START));
    String quiet = SlackAdapter.ts(SlackWire.START.plusSeconds(60));
    api.addHistory(SlackWire.ACME, null, message(SlackWire.ANA, quiet, null, "is anyone there?"));

    restart();

    assertThat(api.calls("conversations.history")).singleElement()
        .satisfies(c -> assertThat(c.param("oldest")).isEqualTo("1795453200.000000"));
    assertThat(new JdbcConversationStore(wire.db).seen(SlackAdapter.messageKey(SlackWire.ACME, quiet))).isTrue();
  }

  @Test
  void messagesPostedWhileDownInACaseThreadAndABoundChannelAreHandledOnceAfterTheRestart() throws Exception {
    String root = wire.fileAcmeCase();
    // seen live before the stop: a reply in the case thread and chatter in the channel
    String seenReply = "1764000500.000100";
    String seenChatter = "1795453300.000200"; // after the first start (its mark is 1795453200.000000)
    wire.post(SlackWire.JSON, wire.messageEvent("Ev0LIVE1", SlackWire.CARL, SlackWire.ACME, seenReply, root,
        "It also fails on the staging servers"));
    wire.post(SlackWire.JSON, wire.messageEvent("Ev0LIVE2", SlackWire.ANA, SlackWire.ACME, seenChatter, null,
        "good morning"));
    wire.settle();
    int before = api.calls().size();
    assertThat(customerReplyNotices(0)).hasSize(1);

    // what Slack has meanwhile: the thread (its root, the reply seen, one new reply) and the channel
    String missedReply = "1764000600.000100";
    String missedChatter = "1795453400.000200";
    api.addHistory(SlackWire.ACME, root, "{\"type\":\"message\",\"bot_id\":\"B0BOT\",\"user\":\"U0BOT\",\"text\":\"status\","
        + "\"ts\":\"" + root + "\",\"thread_ts\":\"" + root + "\"}");
    api.addHistory(SlackWire.ACME, root, message(SlackWire.CARL, seenReply, root, "It also fails on the staging servers"));
    api.addHistory(SlackWire.ACME, root, message(SlackWire.CARL, missedReply, root, "And now on production too"));
    api.addHistory(SlackWire.ACME, null, message(SlackWire.ANA, seenChatter, null, "good morning"));
    api.addHistory(SlackWire.ACME, null, message(SlackWire.ANA, missedChatter, null, "anyone there?"));

    restart();

    List<Call> replies = api.calls("conversations.replies");
    assertThat(replies).singleElement().satisfies(c -> {
      assertThat(c.param("channel")).isEqualTo(SlackWire.ACME);
      assertThat(c.param("ts")).isEqualTo(root);
      assertThat(c.param("oldest")).isEqualTo(seenReply);
    });
    assertThat(api.calls("conversations.history")).singleElement()
        .satisfies(c -> assertThat(c.param("oldest")).isEqualTo(seenChatter));
    JdbcConversationStore handled = new JdbcConversationStore(wire.db);
    assertThat(handled.seen(SlackAdapter.messageKey(SlackWire.ACME, missedReply))).isTrue();
    assertThat(handled.seen(SlackAdapter.messageKey(SlackWire.ACME, missedChatter))).isTrue();
    assertThat(customerReplyNotices(before)).as(api.describe()).hasSize(1);
    assertThat(new SqliteInboxStore(wire.db, wire.clock).pendingCount("slack")).isZero();

    // the missed reply's own event arrives late (a retry): the same message, no second effect
    int settled = api.calls().size();
    wire.post(SlackWire.JSON, wire.messageEvent("Ev0LATE", SlackWire.CARL, SlackWire.ACME, missedReply, root,
        "And now on production too"));
    wire.settle();
    assertThat(api.calls()).hasSize(settled);

    // a second restart reads on from the new marks and handles nothing again
    restart();
    assertThat(api.calls("conversations.replies")).last()
        .satisfies(c -> assertThat(c.param("oldest")).isEqualTo(missedReply));
    assertThat(api.calls("conversations.history")).last()
        .satisfies(c -> assertThat(c.param("oldest")).isEqualTo(missedChatter));
    assertThat(customerReplyNotices(before)).hasSize(1);
  }
}
