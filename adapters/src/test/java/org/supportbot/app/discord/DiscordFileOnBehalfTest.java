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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.store.sqlite.SqliteConversationStore;
import org.supportbot.core.testing.Await;

/**
 * An engineer files Ana's message on her behalf through the gateway of {@link FakeDiscord}: the
 * "File as incident" message command, and the settings' reaction emoji (MESSAGE_REACTION_ADD). The
 * intake's questions are posted in the channel for Ana; the engineer is told what was done.
 */
@Timeout(300) // only stops a hung test: every wait inside is on a condition, bounded by Await.HUNG
class DiscordFileOnBehalfTest {

  private static final String TICKET = "\uD83C\uDFAB";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private FakeDiscord fake;
  private DeskFixture world;
  private DiscordAdapter adapter;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeDiscord();
    world = new DeskFixture(dir);
    adapter = DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock,
        new DiscordSettings(false, Duration.ofHours(1), Optional.of(fake.restBaseUrl()), Optional.of(fake.gatewayUrl()),
            Optional.of(TICKET)));
  }

  @AfterEach
  void stop() throws Exception {
    adapter.jda().shutdownNow();
    adapter.jda().awaitShutdown(Await.HUNG);
    adapter.close();
    fake.close();
    world.close();
  }

  private FakeDiscord.Call intro(int from) {
    return fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.SUPPORT_CHANNEL + "/messages")
        && c.body().path("content").asText().contains("is filing"), "asking Ana in the channel");
  }

  @Test
  void theMessageCommandOfAnEngineerFilesForTheMessagesAuthor() {
    String message = fake.typedWhileAway(DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL,
        "The collector drops every agent after five minutes");
    ObjectNode shape = JSON.createObjectNode().put("type", 2).put("channel_id", FakeDiscord.SUPPORT_CHANNEL);
    ObjectNode data = shape.putObject("data").put("id", fake.snowflake()).put("name", DiscordAdapter.FILE_AS_INCIDENT)
        .put("type", 3).put("target_id", message).put("guild_id", FakeDiscord.GUILD);
    data.putObject("resolved").putObject("messages").set(message, fake.message(message));
    int from = fake.calls().size();
    fake.interaction(shape, DeskFixture.EVE);

    assertThat(intro(from).body().path("content").asText()).startsWith("<@" + DeskFixture.ANA + ">, <@" + DeskFixture.EVE
        + "> is filing your message as a support case with **Atheer** for you. I'll ask 12 short questions here;");
    FakeDiscord.Call told = fake.await(from, c -> c.body() != null
        && c.body().path("content").asText().startsWith("Filing for @" + DeskFixture.ANA), "telling Eve");
    assertThat(told.path()).startsWith("webhooks/"); // the answer to Eve's own interaction, only for her
    assertThat(new SqliteConversationStore(world.db).intakes()).singleElement().satisfies(s -> {
      assertThat(s.reporter()).isEqualTo(DeskFixture.person(DeskFixture.ANA));
      assertThat(s.filedBy()).contains(DeskFixture.person(DeskFixture.EVE));
      assertThat(s.answers()).containsEntry("description", "The collector drops every agent after five minutes");
    });
  }

  @Test
  void theTicketReactionOfAnEngineerFilesTheMessageAndOtherEmojiDoNothing() {
    String message = fake.typedWhileAway(DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL, "exports fail since 5.2");
    fake.event("MESSAGE_REACTION_ADD", reaction(DeskFixture.EVE, message, "\uD83D\uDC40")); // eyes: not the desk's
    int from = fake.calls().size();
    fake.event("MESSAGE_REACTION_ADD", reaction(DeskFixture.EVE, message, TICKET));

    // the gateway's events are handled in order: had the eyes started an intake, the ticket would have been told
    // "already has a request in progress" instead of asking. Without Message Content the gateway gives no
    // text: the description is asked too
    assertThat(intro(from).body().path("content").asText()).startsWith("<@" + DeskFixture.ANA + ">, <@"
        + DeskFixture.EVE + "> is filing a support case with **Atheer** for you. I'll ask 13 short questions here;");
    assertThat(new SqliteConversationStore(world.db).intakes()).singleElement()
        .satisfies(s -> assertThat(s.filedBy()).contains(DeskFixture.person(DeskFixture.EVE)));
    // Eve, with no interaction to answer, is told by direct message
    FakeDiscord.Call open = fake.await(from, c -> c.is("POST", "users/@me/channels")
        && c.body().path("recipient_id").asText().equals(DeskFixture.EVE), "opening the DM to Eve");
    String dm = open.response().get("id").asText();
    assertThat(fake.await(from, c -> c.is("POST", "channels/" + dm + "/messages"), "telling Eve").body()
        .path("content").asText()).startsWith("Filing for @" + DeskFixture.ANA);
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
