package org.supportbot.app.discord;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.chat.CommandParser;

/**
 * The adapter through the real JDA against {@link FakeDiscord} on loopback, with a real desk on a
 * SQLite file: Ana, a named contact of Acme (Atheer policy), files a case in Acme's channel; Eve,
 * an engineer, claims it from the triage channel.
 */
@Timeout(40)
class DiscordEndToEndTest {

  @TempDir Path dir;
  private FakeDiscord fake;
  private DeskFixture world;
  private DiscordAdapter adapter;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeDiscord();
    world = new DeskFixture(dir);
    adapter = DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock, DeskFixture.local(fake, false));
  }

  @AfterEach
  void stop() throws Exception {
    if (adapter != null) {
      adapter.jda().shutdownNow();
      adapter.jda().awaitShutdown(Duration.ofSeconds(10));
      adapter.close();
    }
    fake.close();
    world.close();
  }

  @Test
  void startReplacesTheSlashCommandSetAndAsksForNoPrivilegedIntent() throws Exception {
    JsonNode identify = fake.identify();
    assertThat(identify.get("intents").asInt()).as("GUILDS only").isEqualTo(1);
    assertThat(identify.get("token").asText()).isEqualTo(FakeDiscord.TOKEN);

    FakeDiscord.Call put = fake.await(0, c -> c.is("PUT", "applications/" + FakeDiscord.APP_ID + "/commands"),
        "registering the commands");
    List<String> names = new ArrayList<>();
    put.body().forEach(c -> names.add(c.get("name").asText()));
    assertThat(names).containsExactlyElementsOf(CommandParser.USAGE.keySet());
    JsonNode support = put.body().get(0);
    assertThat(support.get("contexts")).hasSize(1);
    assertThat(support.get("contexts").get(0).asInt()).as("guild only").isZero();
    assertThat(support.get("options").get(0).get("name").asText()).isEqualTo("text");
    assertThat(support.get("options").get(0).get("required").asBoolean()).isFalse();
    JsonNode severity = put.body().get(names.indexOf("severity"));
    assertThat(severity.get("description").asText()).isEqualTo("change the level (customers: ask to discuss it)");
    assertThat(severity.get("options").get(0).get("description").asText()).isEqualTo("[CASE] LEVEL reason");
    assertThat(put.body().get(names.indexOf("queue")).get("options")).as("/queue takes nothing").isEmpty();
    assertThat(fake.calls()).as("nothing but the token check and the command set").extracting(FakeDiscord.Call::path)
        .containsExactly("users/@me", "applications/" + FakeDiscord.APP_ID + "/commands");
    assertThat(fake.awaitHeartbeat()).as("heartbeats answered within one interval").isPositive();
  }

  private static String channelOf(FakeDiscord.Call c) {
    return c.path().split("/")[1];
  }

  @Test
  void aFullIntakeFilesACaseInItsOwnThreadWithConfirmationStatusAndAnOnCallPing() {
    int from = IntakeDriver.fileCase(fake);

    FakeDiscord.Call thread = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.SUPPORT_CHANNEL + "/threads"),
        "creating the case thread");
    assertThat(thread.body().get("name").asText()).isEqualTo("ACME-1");
    assertThat(thread.body().get("type").asInt()).as("public thread").isEqualTo(11);
    String threadId = thread.response().get("id").asText();

    FakeDiscord.Call confirmation = fake.await(from, c -> c.is("POST", "channels/" + threadId + "/messages")
        && c.body().path("content").asText().startsWith("Thanks <@" + DeskFixture.ANA + ">"), "confirming in the thread");
    assertThat(confirmation.body().get("content").asText()).contains("your case **ACME-1** is filed")
        .containsPattern("<t:\\d+:f> \\(<t:\\d+:R>\\)");

    FakeDiscord.Call status = fake.await(from, c -> c.is("POST", "channels/" + threadId + "/messages")
        && c.body().path("embeds").size() == 1, "posting the status embed");
    JsonNode embed = status.body().get("embeds").get(0);
    assertThat(embed.get("title").asText()).startsWith("ACME-1: The Beacon agent fails to start");
    JsonNode deadline = null;
    for (JsonNode f : embed.get("fields")) {
      if (f.get("name").asText().equals("Next deadline")) {
        deadline = f;
      }
    }
    assertThat(deadline).isNotNull();
    assertThat(deadline.get("value").asText()).matches("first response <t:(\\d+):f> \\(<t:\\1:R>\\)");
    assertThat(status.body().get("components").get(0).get("components").get(0).get("custom_id").asText())
        .isEqualTo("case.claim:ACME-1");

    FakeDiscord.Call ping = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.ESCALATIONS + "/messages"),
        "pinging on-call");
    assertThat(ping.body().get("content").asText()).startsWith("<@&" + FakeDiscord.ON_CALL_ROLE + "> New P1");
    JsonNode allowed = ping.body().get("allowed_mentions");
    assertThat(allowed.get("parse")).isEmpty();
    assertThat(allowed.get("roles")).hasSize(1);
    assertThat(allowed.get("roles").get(0).asText()).isEqualTo(FakeDiscord.ON_CALL_ROLE);
    assertThat(allowed.path("users")).isEmpty();

    FakeDiscord.Call triage = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages"),
        "telling triage");
    assertThat(triage.body().get("content").asText()).startsWith("New case **ACME-1**");
    assertThat(fake.since(from)).filteredOn(c -> c.path().endsWith("/threads")).as("one thread per case").hasSize(1);
  }

  @Test
  void anEngineerClaimsFromTriageAndTheStatusEmbedIsEditedInPlace() {
    int from = IntakeDriver.fileCase(fake);
    FakeDiscord.Call triage = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages"),
        "telling triage");
    FakeDiscord.Call status = fake.await(from, c -> c.is("POST", "channels/.*/messages")
        && c.body().path("embeds").size() == 1, "posting the status embed");
    String threadId = channelOf(status);
    String statusId = status.response().get("id").asText();

    int before = fake.calls().size();
    String click = fake.click(DeskFixture.EVE, triage.response().get("id").asText(), "case.claim:ACME-1");

    FakeDiscord.Call ack = fake.await(before, c -> c.is("POST", "interactions/" + click + "/.*/callback"), "ack");
    assertThat(ack.body().get("type").asInt()).isEqualTo(6);
    FakeDiscord.Call notice = fake.await(before, c -> c.is("POST", "channels/" + threadId + "/messages"),
        "announcing the owner");
    assertThat(notice.body().get("content").asText()).isEqualTo("<@" + DeskFixture.EVE + "> is now handling ACME-1.");
    FakeDiscord.Call edit = fake.await(before, c -> c.is("PATCH", "channels/" + threadId + "/messages/" + statusId),
        "editing the status");
    JsonNode owner = null;
    for (JsonNode f : edit.body().get("embeds").get(0).get("fields")) {
      if (f.get("name").asText().equals("Owner")) {
        owner = f;
      }
    }
    assertThat(owner).isNotNull();
    assertThat(owner.get("value").asText()).isEqualTo("<@" + DeskFixture.EVE + ">");
    assertThat(edit.body().get("components")).as("no Claim button on a claimed case").isEmpty();
    assertThat(fake.since(before)).filteredOn(c -> c.method().equals("POST") && c.body() != null
        && c.body().path("embeds").size() == 1).as("no second status message").isEmpty();
  }

  @Test
  void aRateLimitedEditIsWaitedOutAndRetried() {
    int from = IntakeDriver.fileCase(fake);
    FakeDiscord.Call triage = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages"),
        "telling triage");
    fake.await(from, c -> c.is("POST", "channels/.*/messages") && c.body().path("embeds").size() == 1, "status");
    fake.rateLimitNext("PATCH", "channels/\\d+/messages/\\d+", 1);

    int before = fake.calls().size();
    fake.click(DeskFixture.EVE, triage.response().get("id").asText(), "case.claim:ACME-1");

    FakeDiscord.Call retried = fake.await(before, c -> c.is("PATCH", "channels/\\d+/messages/\\d+") && c.status() == 200,
        "retrying the edit");
    List<FakeDiscord.Call> edits = fake.since(before).stream().filter(c -> c.is("PATCH", "channels/\\d+/messages/\\d+"))
        .toList();
    assertThat(edits).extracting(FakeDiscord.Call::status).containsExactly(429, 200);
    assertThat(Duration.between(edits.get(0).at(), retried.at())).as("waited for Retry-After")
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(adapter.platformErrors()).isZero();
  }

  @Test
  void whileShuttingDownNewCommandsAreAskedToRetry() {
    adapter.stopAccepting();
    int before = fake.calls().size();

    String slash = fake.slash(DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL, "support", null);

    FakeDiscord.Call reply = fake.await(before, c -> c.is("POST", "interactions/" + slash + "/.*/callback"), "answer");
    assertThat(reply.body().get("type").asInt()).as("immediate reply").isEqualTo(4);
    assertThat(reply.body().get("data").get("content").asText())
        .isEqualTo("The support desk is restarting; please try again in a minute.");
    assertThat(reply.body().get("data").get("flags").asInt() & 64).isEqualTo(64);
  }

  @Test
  void afterARestartTheSameThreadAndStatusMessageAreUsed() throws Exception {
    int from = IntakeDriver.fileCase(fake);
    FakeDiscord.Call triage = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages"),
        "telling triage");
    FakeDiscord.Call status = fake.await(from, c -> c.is("POST", "channels/.*/messages")
        && c.body().path("embeds").size() == 1, "posting the status embed");
    adapter.close();
    adapter = DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, new DiscordRefs(world.db), world.clock,
        DeskFixture.local(fake, false));

    int before = fake.calls().size();
    fake.click(DeskFixture.EVE, triage.response().get("id").asText(), "case.claim:ACME-1");

    fake.await(before, c -> c.is("PATCH", "channels/" + channelOf(status) + "/messages/"
        + status.response().get("id").asText()), "editing the same status message");
    assertThat(fake.since(before)).filteredOn(c -> c.path().endsWith("/threads")).as("no second thread").isEmpty();
  }

  @Test
  void aDeletedStatusMessageIsPostedAgainAndRemembered() {
    int from = IntakeDriver.fileCase(fake);
    FakeDiscord.Call triage = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages"),
        "telling triage");
    FakeDiscord.Call status = fake.await(from, c -> c.is("POST", "channels/.*/messages")
        && c.body().path("embeds").size() == 1, "posting the status embed");
    fake.delete(status.response().get("id").asText());

    int before = fake.calls().size();
    fake.click(DeskFixture.EVE, triage.response().get("id").asText(), "case.claim:ACME-1");

    FakeDiscord.Call refused = fake.await(before, c -> c.is("PATCH", "channels/.*/messages/.*"), "trying the edit");
    assertThat(refused.status()).isEqualTo(404);
    FakeDiscord.Call again = fake.await(before, c -> c.is("POST", "channels/" + channelOf(status) + "/messages")
        && c.body().path("embeds").size() == 1, "posting the status again");
    // the adapter remembers the new id after Discord's answer reaches it, a moment after the fake recorded the call
    String newId = again.response().get("id").asText();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (!world.refs.message(FakeDiscord.GUILD, "status:ACME-1").equals(java.util.Optional.of(newId))
        && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
    }
    assertThat(world.refs.message(FakeDiscord.GUILD, "status:ACME-1")).contains(newId);
    assertThat(adapter.platformErrors()).isZero();
  }
}
