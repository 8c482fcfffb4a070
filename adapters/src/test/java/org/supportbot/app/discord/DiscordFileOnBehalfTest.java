package org.supportbot.app.discord;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.store.JdbcConversationStore;
import org.supportbot.core.store.sqlite.SqliteIncidentStore;
import org.supportbot.core.testing.Await;

/**
 * An engineer files Ana's message on her behalf through the gateway of {@link FakeDiscord}: the
 * "File as incident" message command, and the settings' reaction emoji (MESSAGE_REACTION_ADD). The
 * case is filed at once; its open questions are asked of Ana in the case's thread, where she answers
 * them; the engineer is told what was done.
 */
@Timeout(300) // only stops a hung test: every wait inside is on a condition, bounded by Await.HUNG
class DiscordFileOnBehalfTest {

  private static final String TICKET = "\uD83C\uDFAB";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final IncidentNumber ACME_1 = new IncidentNumber("ACME", 1);

  @TempDir Path dir;
  private FakeDiscord fake;
  private DeskFixture world;
  private DiscordAdapter adapter;

  @BeforeEach
  void start(TestInfo test) throws Exception {
    fake = new FakeDiscord();
    world = new DeskFixture(dir);
    // typed answers in the case thread are read with the Message Content intent (read_thread_replies)
    boolean readThreadReplies = test.getDisplayName().contains("AnswersInTheThread");
    if (readThreadReplies) {
      fake.enableMessageContent();
    }
    adapter = DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock,
        new DiscordSettings(readThreadReplies, Duration.ofHours(1), Optional.of(fake.restBaseUrl()), Optional.of(fake.gatewayUrl()),
            Optional.of(TICKET)));
  }

  @AfterEach
  void stop() throws Exception {
    DeskFixture.stop(adapter, fake, world);
  }

  /**
   * The case filed at once for Ana and its first open question asked of her in the case's thread;
   * returns the thread's channel id.
   */
  private String askedInTheCaseThread(int from, int open) {
    String thread = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.SUPPORT_CHANNEL + "/threads"),
        "creating the case thread").response().get("id").asText();
    FakeDiscord.Call question = fake.await(from, c -> c.is("POST", "channels/" + thread + "/messages")
        && c.body().path("content").asText().contains("questions left"), "asking Ana in the case thread");
    assertThat(question.body().path("content").asText()).isEqualTo("<@" + DeskFixture.ANA + "> (" + open
        + " questions left) **Which Atheer Service is affected?**");
    fake.await(from, c -> c.is("POST", "channels/" + thread + "/messages") && c.body().path("embeds").size() == 1,
        "posting the status");
    assertThat(new JdbcConversationStore(world.db).intakes()).isEmpty();
    IncidentEvent.Filed filed = (IncidentEvent.Filed) new SqliteIncidentStore(world.db).events(ACME_1).getFirst();
    assertThat(filed.origin().actor().identity()).isEqualTo(DeskFixture.person(DeskFixture.ANA));
    assertThat(filed.filedBy()).contains(DeskFixture.person(DeskFixture.EVE));
    return thread;
  }

  @Test
  void theMessageCommandOfAnEngineerFilesForTheMessagesAuthorWhoAnswersInTheThread() {
    String message = fake.typedWhileAway(DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL,
        "The collector drops every agent after five minutes");
    ObjectNode shape = JSON.createObjectNode().put("type", 2).put("channel_id", FakeDiscord.SUPPORT_CHANNEL);
    ObjectNode data = shape.putObject("data").put("id", fake.snowflake()).put("name", DiscordAdapter.FILE_AS_INCIDENT)
        .put("type", 3).put("target_id", message).put("guild_id", FakeDiscord.GUILD);
    data.putObject("resolved").putObject("messages").set(message, fake.message(message));
    int from = fake.calls().size();
    fake.interaction(shape, DeskFixture.EVE);

    String thread = askedInTheCaseThread(from, 7);
    FakeDiscord.Call told = fake.await(from, c -> c.body() != null
        && c.body().path("content").asText().startsWith("Filed ACME-1 for @" + DeskFixture.ANA), "telling Eve");
    assertThat(told.path()).startsWith("webhooks/"); // the answer to Eve's own interaction, only for her
    assertThat(told.body().path("content").asText()).isEqualTo("Filed ACME-1 for @" + DeskFixture.ANA + " at P4"
        + " (provisional); I ask them the 7 open questions in its thread, one at a time. The case records that you"
        + " filed it on their behalf.");
    assertThat(new SqliteIncidentStore(world.db).snapshot(ACME_1).orElseThrow().title())
        .isEqualTo("The collector drops every agent after five minutes");

    // Ana answers in the thread; the next question follows there
    int answered = fake.calls().size();
    fake.typed(DeskFixture.ANA, thread, "Atheer AiR Enterprise");
    fake.await(answered, c -> c.is("POST", "channels/" + thread + "/messages")
        && c.body().path("content").asText().contains("(6 questions left)"), "the next question");
    assertThat(new SqliteIncidentStore(world.db).snapshot(ACME_1).orElseThrow().product())
        .isEqualTo("Atheer AiR Enterprise");
  }

  @Test
  void theTicketReactionOfAnEngineerFilesTheMessageAndOtherEmojiDoNothing() {
    String message = fake.typedWhileAway(DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL, "exports fail since 5.2");
    fake.event("MESSAGE_REACTION_ADD", reaction(DeskFixture.EVE, message, "\uD83D\uDC40")); // eyes: not the desk's
    int from = fake.calls().size();
    fake.event("MESSAGE_REACTION_ADD", reaction(DeskFixture.EVE, message, TICKET));

    // the gateway's events are handled in order: had the eyes filed a case, the ticket's would be ACME-2.
    // Without Message Content the gateway gives no text: the description is asked too
    askedInTheCaseThread(from, 8);
    assertThat(new SqliteIncidentStore(world.db).snapshot(new IncidentNumber("ACME", 2))).isEmpty();
    // Eve, with no interaction to answer, is told by direct message
    FakeDiscord.Call open = fake.await(from, c -> c.is("POST", "users/@me/channels")
        && c.body().path("recipient_id").asText().equals(DeskFixture.EVE), "opening the DM to Eve");
    String dm = open.response().get("id").asText();
    assertThat(fake.await(from, c -> c.is("POST", "channels/" + dm + "/messages"), "telling Eve").body()
        .path("content").asText()).startsWith("Filed ACME-1 for @" + DeskFixture.ANA + " at P4 (provisional); I ask"
            + " them the 8 open questions");
  }

  private static ObjectNode reaction(String user, String message, String emoji) {
    ObjectNode d = JSON.createObjectNode().put("user_id", user).put("channel_id", FakeDiscord.SUPPORT_CHANNEL)
        .put("message_id", message).put("guild_id", FakeDiscord.GUILD).put("message_author_id", DeskFixture.ANA)
        .put("burst", false).put("type", 0);
    d.putObject("emoji").putNull("id").put("name", emoji);
    ObjectNode member = d.putObject("member");
    member.set("user", FakeDiscord.user(user, false));
    member.putArray("roles");
    member.put("joined_at", "2026-01-05T10:00:00.000000+00:00").put("deaf", false).put("mute", false).put("flags", 0)
        .put("pending", false).putNull("nick").putNull("avatar").putNull("premium_since")
        .putNull("communication_disabled_until");
    return d;
  }
}
