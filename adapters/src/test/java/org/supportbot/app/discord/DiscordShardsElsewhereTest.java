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

/**
 * Two adapters on one desk, one shard of 2 each: {@code one} holds Acme's server (the triage channel),
 * {@code zero} holds Beta's, where Ben files a case. With {@code zero} down, Discord has locked and archived the
 * case's thread; Eve claims the case from triage on {@code one}, which holds no connection to Beta's server:
 * it finds the thread locked by its id ({@code GET channels/{id}}), opens a new thread in Beta's support
 * channel, remembers it, and posts the notice and the status message there, all by channel id.
 */
@Timeout(300) // only stops a hung test: every wait inside is on a condition, bounded by Await.HUNG
class DiscordShardsElsewhereTest {

  static final String BEN = "1600000000000000004";

  @TempDir Path dir;
  private FakeDiscord fake;
  private DeskFixture world;
  private DiscordAdapter zero;
  private DiscordAdapter one;

  @BeforeEach
  void start() throws Exception {
    fake = FakeDiscord.sharded(2);
    world = new DeskFixture(dir);
    world.held.store().bindChannel("discord", FakeDiscord.GUILD_B, FakeDiscord.SUPPORT_CHANNEL_B, "acme");
    world.held.store().addContact(new Contact("acme", new Identity("discord", FakeDiscord.GUILD_B, BEN), "ben"),
        OptionalInt.empty());
    zero = DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock,
        DeskFixture.local(fake, false).withShards(new BotSettings.Shards(2, List.of(0))));
    one = DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock,
        DeskFixture.local(fake, false).withShards(new BotSettings.Shards(2, List.of(1))));
  }

  @AfterEach
  void stop() throws Exception {
    zero.close();
    one.close();
    fake.close();
    world.close();
  }

  @Test
  void aLockedThreadOfAServerHeldElsewhereIsReplacedByChannelId() throws Exception {
    assertThat(fake.identifiedShards()).containsExactly(List.of(0, 2), List.of(1, 2));
    int from = IntakeDriver.fileCase(fake, BEN, FakeDiscord.SUPPORT_CHANNEL_B);
    FakeDiscord.Call thread = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.SUPPORT_CHANNEL_B
        + "/threads"), "the case thread in Beta's server");
    String oldThread = thread.response().get("id").asText();
    fake.await(from, c -> c.is("POST", "channels/" + oldThread + "/messages") && c.body().path("embeds").size() == 1,
        "the status message");
    FakeDiscord.Call triage = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages"),
        "telling triage, in the server zero does not hold");
    zero.awaitIdle(org.supportbot.core.testing.Await.HUNG);
    zero.close();
    fake.archive(oldThread, true);

    int before = fake.calls().size();
    fake.click(DeskFixture.EVE, triage.response().get("id").asText(), "case.claim:ACME-1");
    FakeDiscord.Call lookup = fake.await(before, c -> c.is("GET", "channels/" + oldThread), "looking the thread up");
    assertThat(lookup.response().get("thread_metadata").get("locked").asBoolean()).isTrue();
    FakeDiscord.Call replaced = fake.await(before, c -> c.is("POST", "channels/" + FakeDiscord.SUPPORT_CHANNEL_B
        + "/threads"), "opening a new thread in Beta's support channel");
    assertThat(replaced.body().get("name").asText()).isEqualTo("ACME-1");
    assertThat(replaced.body().get("type").asInt()).isEqualTo(11);
    String newThread = replaced.response().get("id").asText();
    FakeDiscord.Call notice = fake.await(before, c -> c.is("POST", "channels/" + newThread + "/messages")
        && c.body().path("content").asText().contains("is now handling ACME-1"), "the notice in the new thread");
    assertThat(notice.body().get("content").asText()).isEqualTo("<@" + DeskFixture.EVE + "> is now handling ACME-1.");
    fake.await(before, c -> c.is("POST", "channels/" + newThread + "/messages") && c.body().path("embeds").size() == 1,
        "the status message posted again in the new thread");
    assertThat(world.refs.thread(FakeDiscord.GUILD_B, FakeDiscord.SUPPORT_CHANNEL_B, "ACME-1")).contains(newThread);
    assertThat(fake.since(before)).filteredOn(c -> c.path().startsWith("channels/" + oldThread + "/"))
        .as("nothing more in the locked thread").isEmpty();
  }
}
