package org.supportbot.app.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.config.settings.BotSettings;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.testing.Await;

/**
 * One adapter holding both shards of 2 through JDA's shard manager, against a fake whose two guilds are on
 * different shards: each shard identifies with its {@code [id, total]} and gets only its guild; a slash
 * command in either guild is answered; a message for the other shard's guild (the triage channel, on shard 1,
 * for a case in Beta's server, on shard 0) goes through the shard that has the channel, not by channel id.
 */
@Timeout(300) // only stops a hung test: every wait inside is on a condition, bounded by Await.HUNG
class DiscordShardsTest {

  static final String BEN = "1600000000000000004";

  @TempDir Path dir;
  private FakeDiscord fake;
  private DeskFixture world;
  private DiscordAdapter adapter;

  @BeforeEach
  void start() throws Exception {
    fake = FakeDiscord.sharded(2);
    world = new DeskFixture(dir);
    adapter = DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock,
        DeskFixture.local(fake, false).withShards(new BotSettings.Shards(2, List.of(1, 0))));
  }

  @AfterEach
  void stop() throws Exception {
    if (adapter != null) {
      adapter.close();
    }
    fake.close();
    world.close();
  }

  @Test
  void bothShardsConnectEachWithItsGuildAndBothGuildsAreAnswered() {
    assertThat(fake.identifiedShards()).containsExactly(List.of(0, 2), List.of(1, 2));
    assertThat(adapter.connected()).isTrue();
    assertThat(fake.calls()).filteredOn(c -> c.is("GET", "gateway/bot")).isNotEmpty();
    assertThat(fake.calls()).filteredOn(c -> c.is("PUT", "applications/.*/commands")).as("commands registered once")
        .hasSize(1);

    for (String[] where : List.of(new String[] {DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL},
        new String[] {BEN, FakeDiscord.SUPPORT_CHANNEL_B})) {
      int from = fake.calls().size();
      String slash = fake.slash(where[0], where[1], "help", null);
      fake.await(from, c -> c.is("POST", "interactions/" + slash + "/.*/callback"), "acknowledging /help in " + where[1]);
      FakeDiscord.Call answer = fake.await(from, c -> c.is("POST", "webhooks/" + FakeDiscord.APP_ID
          + "/interaction-token-" + slash), "the /help answer in " + where[1]);
      assertThat(answer.body().get("content").asText()).contains("/support");
    }
    assertThat(adapter.handled()).isEqualTo(2);
  }

  @Test
  void aCaseInOneShardsGuildIsAnnouncedInTheOtherShardsTriageChannel() throws Exception {
    world.held.store().bindChannel("discord", FakeDiscord.GUILD_B, FakeDiscord.SUPPORT_CHANNEL_B, "acme");
    world.held.store().addContact(new Contact("acme", new Identity("discord", FakeDiscord.GUILD_B, BEN), "ben"),
        OptionalInt.empty());
    int from = IntakeDriver.fileCase(fake, BEN, FakeDiscord.SUPPORT_CHANNEL_B);
    FakeDiscord.Call thread = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.SUPPORT_CHANNEL_B
        + "/threads"), "the case thread in Beta's server");
    assertThat(thread.body().get("name").asText()).isEqualTo("ACME-1");
    FakeDiscord.Call triage = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages"),
        "telling triage, on the other shard's guild");
    assertThat(triage.body().get("content").asText()).startsWith("New case **ACME-1**");
    assertThat(fake.since(from)).filteredOn(c -> c.status() >= 400).isEmpty();
    Await.until(() -> adapter.connected(), "still connected");
  }
}
