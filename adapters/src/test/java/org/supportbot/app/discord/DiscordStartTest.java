package org.supportbot.app.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.supportbot.core.testing.Await;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.config.settings.BotSettings;

/** Starting against the fake: what a missing or rejected token, or a refused intent, tells the operator. */
@Timeout(300) // only stops a hung test: every wait inside is on a condition, bounded by Await.HUNG
class DiscordStartTest {

  @TempDir Path dir;
  private FakeDiscord fake;
  private DeskFixture world;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeDiscord();
    world = new DeskFixture(dir);
  }

  @AfterEach
  void stop() throws Exception {
    fake.close();
    world.close();
  }

  @Test
  void aMissingTokenSaysWhereToGetOne() {
    assertThatThrownBy(() -> DiscordAdapter.start(" ", world.desk, world.refs, world.clock,
        DeskFixture.local(fake, false)))
        .isInstanceOf(DiscordStartException.class)
        .hasMessageStartingWith("DISCORD_TOKEN is not set; copy the bot token from the Developer Portal");
    assertThat(fake.calls()).isEmpty();
  }

  @Test
  void aRejectedTokenIsOneLineThatNeverShowsTheToken() {
    String wrong = "MTIzNDU2Nzg5.wrong.token-value";

    assertThatThrownBy(() -> DiscordAdapter.start(wrong, world.desk, world.refs, world.clock,
        DeskFixture.local(fake, false)))
        .isInstanceOf(DiscordStartException.class)
        .hasMessage("Discord rejected the token in DISCORD_TOKEN (401 Unauthorized); reset it in the Developer Portal"
            + " (Bot > Reset Token) and set the new one")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong).doesNotContain("\n"));
    assertThat(fake.calls()).extracting(FakeDiscord.Call::status).containsExactly(401);
  }

  @Test
  void aRejectedTokenWithShardsIsTheSameOneLine() {
    String wrong = "MTIzNDU2Nzg5.wrong.token-value";

    assertThatThrownBy(() -> DiscordAdapter.start(wrong, world.desk, world.refs, world.clock,
        DeskFixture.local(fake, false).withShards(new BotSettings.Shards(2, List.of(1)))))
        .isInstanceOf(DiscordStartException.class)
        .hasMessage("Discord rejected the token in DISCORD_TOKEN (401 Unauthorized); reset it in the Developer Portal"
            + " (Bot > Reset Token) and set the new one")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong).doesNotContain("\n"));
    assertThat(fake.calls()).extracting(FakeDiscord.Call::status).containsOnly(401);
  }

  @Test
  void tooFewShardsForTheBotSaysToRaiseTheTotalOnEveryInstance() throws Exception {
    try (FakeDiscord needsTwo = FakeDiscord.sharded(2)) {
      assertThatThrownBy(() -> DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock,
          DeskFixture.local(needsTwo, false).withShards(new BotSettings.Shards(1, List.of(0)))))
          .isInstanceOf(DiscordStartException.class)
          .hasMessage("Discord refused the shards [0] of 1 (SHARDING_REQUIRED); set discord.shards.total to what the"
              + " bot needs (Discord asks for one shard per 2,500 servers at most) on every instance");
      assertThat(needsTwo.identify().get("shard")).as("the shard manager identified with [id, total]")
          .containsExactly(new IntNode(0), new IntNode(1));
    }
  }

  @Test
  void readingThreadRepliesWithoutTheMessageContentSwitchSaysWhereToTurnItOn() {
    assertThatThrownBy(() -> DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock,
        DeskFixture.local(fake, true)))
        .isInstanceOf(DiscordStartException.class)
        .hasMessageContaining("enable it in the Developer Portal (Bot > Privileged Gateway Intents > Message Content)");
  }

  @Test
  void readingThreadRepliesAsksForGuildMessagesAndMessageContentOnly() throws Exception {
    fake.enableMessageContent();

    try (DiscordAdapter adapter = DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock,
        DeskFixture.local(fake, true))) {
      assertThat(fake.identify().get("intents").asInt()).isEqualTo(1 | 1 << 9 | 1 << 15);
      adapter.jda().shutdownNow();
      assertThat(adapter.jda().awaitShutdown(Await.HUNG)).isTrue();
    }
  }

  @Test
  void theReadmeInviteUrlCarriesTheComputedPermissions() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);

    assertThat(DiscordAdapter.inviteUrl("APP_ID"))
        .isEqualTo("https://discord.com/oauth2/authorize?client_id=APP_ID&scope=bot+applications.commands"
            + "&permissions=309237664768");
    assertThat(readme).contains(DiscordAdapter.inviteUrl("APP_ID"));
  }
}
