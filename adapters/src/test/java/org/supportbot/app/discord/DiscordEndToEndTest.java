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
import org.supportbot.core.testing.Await;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.ops.OpsMetrics;
import org.supportbot.app.platform.DeskLink;
import org.supportbot.app.platform.OutboundRouter;
import org.supportbot.core.chat.CommandParser;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.outbox.Delivery;

/**
 * The adapter through the real JDA against {@link FakeDiscord} on loopback, with a real desk on a
 * SQLite file: Ana, a named contact of Acme (Atheer policy), files a case in Acme's channel; Eve,
 * an engineer, claims it from the triage channel.
 */
@Timeout(300) // stops a hung run only; waits inside are on conditions (Await.HUNG each)
class DiscordEndToEndTest {

  @TempDir Path dir;
  private FakeDiscord fake;
  private DeskFixture world;
  private DiscordAdapter adapter;
  /** The operators' metrics the adapter reports to, as in {@code supportbot run}. */
  private final OpsMetrics metrics = new OpsMetrics();
  private final OutboundRouter router = new OutboundRouter();

  @BeforeEach
  void start() throws Exception {
    fake = new FakeDiscord();
    world = new DeskFixture(dir);
    adapter = DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock, DeskFixture.local(fake, false),
        new DeskLink(metrics, router, true));
    DiscordAdapter first = adapter;
    metrics.bindPlatform("discord", first::connected, first::platformErrors, () -> 0);
  }

  private double counter(String name) {
    return metrics.registry().get(name).tag("platform", "discord").functionCounter().count();
  }

  private void awaitCounter(String name, double expected) {
    await(() -> counter(name) == expected, name + " = " + expected);
    assertThat(counter(name)).as(name).isEqualTo(expected);
  }

  @AfterEach
  void stop() throws Exception {
    if (adapter != null) {
      adapter.jda().shutdownNow();
      adapter.jda().awaitShutdown(Await.HUNG);
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
    List<String> expected = new ArrayList<>(CommandParser.USAGE.keySet());
    expected.add(DiscordAdapter.FILE_AS_INCIDENT);
    assertThat(names).containsExactlyElementsOf(expected);
    assertThat(put.body().get(names.indexOf(DiscordAdapter.FILE_AS_INCIDENT)).get("type").asInt())
        .as("a message command").isEqualTo(3);
    JsonNode support = put.body().get(0);
    assertThat(support.get("contexts")).hasSize(1);
    assertThat(support.get("contexts").get(0).asInt()).as("guild only").isZero();
    assertThat(support.get("options")).as("/support asks its questions; it takes nothing").isEmpty();
    JsonNode claim = put.body().get(names.indexOf("claim"));
    assertThat(claim.get("options").get(0).get("name").asText()).isEqualTo("text");
    assertThat(claim.get("options").get(0).get("required").asBoolean()).isFalse();
    JsonNode severity = put.body().get(names.indexOf("severity"));
    assertThat(severity.get("description").asText()).isEqualTo("change the level (customers: ask to discuss it)");
    assertThat(severity.get("options").get(0).get("description").asText()).isEqualTo("LEVEL reason [CASE]");
    assertThat(put.body().get(names.indexOf("mine")).get("options")).as("/mine takes nothing").isEmpty();
    JsonNode queue = put.body().get(names.indexOf("queue")).get("options");
    assertThat(queue).as("/queue takes an optional page").hasSize(1);
    assertThat(queue.get(0).get("description").asText()).isEqualTo("[page]");
    assertThat(queue.get(0).get("required").asBoolean()).isFalse();
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
    fake.emptyBucketNext("POST", "channels/\\d+/messages");
    assertThat(counter("supportbot.rate.limited")).isZero();
    assertThat(counter("supportbot.rate.limit.waits")).isZero();

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
    // the HTTP client JDA was given counted the 429 and the response that emptied a bucket
    awaitCounter("supportbot.rate.limited", 1);
    awaitCounter("supportbot.rate.limit.waits", 1);
    String scrape = metrics.scrape();
    assertThat(scrape).contains("supportbot_rate_limited_total{platform=\"discord\"} 1.0")
        .contains("supportbot_rate_limit_waits_total{platform=\"discord\"} 1.0")
        .doesNotContain(FakeDiscord.TOKEN).doesNotContain(FakeDiscord.SUPPORT_CHANNEL);
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
    AfterRestart r = restartWithTheThread(thread -> { });

    fake.await(r.before(), c -> c.is("PATCH", "channels/" + r.oldThread() + "/messages/" + r.statusId()),
        "editing the same status message");
    assertThat(fake.since(r.before())).filteredOn(c -> c.path().endsWith("/threads")).as("no second thread").isEmpty();
  }

  /**
   * Files ACME-1, lets {@code whileDown} archive (or lock, or delete) its thread, or leave it be, while the bot is
   * down, restarts, claims.
   */
  private record AfterRestart(String oldThread, String statusId, int before) {}

  private AfterRestart restartWithTheThread(java.util.function.Consumer<String> whileDown) throws Exception {
    int from = IntakeDriver.fileCase(fake);
    FakeDiscord.Call triage = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages"),
        "telling triage");
    FakeDiscord.Call status = fake.await(from, c -> c.is("POST", "channels/.*/messages")
        && c.body().path("embeds").size() == 1, "posting the status embed");
    adapter.close();
    whileDown.accept(channelOf(status));
    adapter = DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, new DiscordRefs(world.db), world.clock,
        DeskFixture.local(fake, false));
    int before = fake.calls().size();
    fake.click(DeskFixture.EVE, triage.response().get("id").asText(), "case.claim:ACME-1");
    return new AfterRestart(channelOf(status), status.response().get("id").asText(), before);
  }

  /** The REST calls after {@code from}, without the interaction's own callback and follow-ups. */
  private List<String> channelCalls(int from) {
    return fake.since(from).stream().filter(c -> c.path().startsWith("channels/"))
        .map(c -> c.method() + " " + c.path() + " " + c.status()).toList();
  }

  @Test
  void afterARestartAnArchivedCaseThreadIsFetchedByItsIdUnarchivedAndUsed() throws Exception {
    AfterRestart r = restartWithTheThread(thread -> fake.archive(thread, false));

    fake.await(r.before(), c -> c.is("PATCH", "channels/" + r.oldThread() + "/messages/" + r.statusId())
        && c.status() == 200, "editing the same status message");
    assertThat(channelCalls(r.before())).containsExactly(
        "GET channels/" + r.oldThread() + " 200",
        "PATCH channels/" + r.oldThread() + " 200",
        "POST channels/" + r.oldThread() + "/messages 200",
        "PATCH channels/" + r.oldThread() + "/messages/" + r.statusId() + " 200");
    FakeDiscord.Call fetched = fake.since(r.before()).get(fakeIndex(r.before(), "GET channels/" + r.oldThread()));
    assertThat(fetched.response().get("thread_metadata").get("archived").asBoolean()).isTrue();
    FakeDiscord.Call unarchive = fake.since(r.before()).get(fakeIndex(r.before(), "PATCH channels/" + r.oldThread()));
    assertThat(unarchive.body().get("archived").asBoolean()).isFalse();
    assertThat(fake.archived(r.oldThread())).isFalse();
    assertThat(stored().thread(FakeDiscord.GUILD, FakeDiscord.SUPPORT_CHANNEL, "ACME-1")).contains(r.oldThread());
    assertThat(adapter.platformErrors()).isZero();
  }

  private int fakeIndex(int from, String methodAndPath) {
    List<FakeDiscord.Call> since = fake.since(from);
    for (int i = 0; i < since.size(); i++) {
      if ((since.get(i).method() + " " + since.get(i).path()).equals(methodAndPath)) {
        return i;
      }
    }
    throw new AssertionError("no call " + methodAndPath + " in " + since);
  }

  @Test
  void aLockedArchivedCaseThreadIsReplacedByANewThreadThatIsRemembered() throws Exception {
    AfterRestart r = restartWithTheThread(thread -> fake.archive(thread, true));

    FakeDiscord.Call created = fake.await(r.before(), c -> c.is("POST", "channels/" + FakeDiscord.SUPPORT_CHANNEL
        + "/threads"), "opening a new thread");
    assertThat(created.body().get("name").asText()).isEqualTo("ACME-1");
    String newThread = created.response().get("id").asText();
    FakeDiscord.Call status = fake.await(r.before(), c -> c.is("POST", "channels/" + newThread + "/messages")
        && c.body().path("embeds").size() == 1, "posting the status in the new thread");
    assertThat(channelCalls(r.before())).containsExactly(
        "GET channels/" + r.oldThread() + " 200",
        "POST channels/" + FakeDiscord.SUPPORT_CHANNEL + "/threads 200",
        "POST channels/" + newThread + "/messages 200",
        "PATCH channels/" + newThread + "/messages/" + r.statusId() + " 404",
        "POST channels/" + newThread + "/messages 200");
    awaitRemembered("status:ACME-1", status.response().get("id").asText());
    assertThat(stored().thread(FakeDiscord.GUILD, FakeDiscord.SUPPORT_CHANNEL, "ACME-1")).contains(newThread);
    assertThat(fake.archived(r.oldThread())).as("a locked thread is left alone").isTrue();
    assertThat(adapter.platformErrors()).isZero();
  }

  @Test
  void aDeletedCaseThreadIsReplacedByANewThread() throws Exception {
    AfterRestart r = restartWithTheThread(fake::deleteThread);

    FakeDiscord.Call created = fake.await(r.before(), c -> c.is("POST", "channels/" + FakeDiscord.SUPPORT_CHANNEL
        + "/threads"), "opening a new thread");
    String newThread = created.response().get("id").asText();
    fake.await(r.before(), c -> c.is("POST", "channels/" + newThread + "/messages")
        && c.body().path("embeds").size() == 1, "posting the status in the new thread");
    assertThat(channelCalls(r.before())).startsWith("GET channels/" + r.oldThread() + " 404",
        "POST channels/" + FakeDiscord.SUPPORT_CHANNEL + "/threads 200");
    assertThat(stored().thread(FakeDiscord.GUILD, FakeDiscord.SUPPORT_CHANNEL, "ACME-1")).contains(newThread);
    assertThat(adapter.platformErrors()).isZero();
  }

  /** What the adapter stored, read from the SQLite file (the test's own DiscordRefs caches what it read before). */
  private DiscordRefs stored() {
    return new DiscordRefs(world.db);
  }

  /** {@link Await#until}, for tests that declare no checked exceptions. */
  private static void await(java.util.function.BooleanSupplier condition, String what) {
    try {
      Await.until(condition, what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private void awaitRemembered(String key, String messageId) {
    // the adapter remembers the new id after Discord's answer reaches it, a moment after the fake recorded the call
    await(() -> stored().message(FakeDiscord.GUILD, key).equals(java.util.Optional.of(messageId)),
        key + " remembered as " + messageId);
    assertThat(stored().message(FakeDiscord.GUILD, key)).contains(messageId);
  }

  @Test
  void aThreadArchivedWhileTheBotRunsIsUnarchivedWhenItsStatusMessageMustBeEdited() {
    int from = IntakeDriver.fileCase(fake);
    FakeDiscord.Call status = fake.await(from, c -> c.is("POST", "channels/.*/messages")
        && c.body().path("embeds").size() == 1, "posting the status embed");
    String thread = channelOf(status);
    String statusId = status.response().get("id").asText();
    fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.ESCALATIONS + "/messages"), "pinging on-call");
    // the status below replaces this message only once the adapter has stored its id (after the fake answered)
    awaitRemembered("status:ACME-1", statusId);
    fake.archive(thread, false);

    int before = fake.calls().size();
    // a status change with nothing else to say: the edit comes first and Discord refuses it while archived
    router.route(List.of(Delivery.untracked(Outbound.toPlace(new ChatPlace("discord", FakeDiscord.GUILD,
        FakeDiscord.SUPPORT_CHANNEL, "ACME-1"), Outbound.Kind.STATUS).replaces("status:ACME-1").text("ACME-1 changed")
        .build())));

    fake.await(before, c -> c.is("PATCH", "channels/" + thread + "/messages/" + statusId) && c.status() == 200,
        "editing after unarchiving");
    assertThat(channelCalls(before)).containsExactly(
        "PATCH channels/" + thread + "/messages/" + statusId + " 400",
        "PATCH channels/" + thread + " 200",
        "PATCH channels/" + thread + "/messages/" + statusId + " 200");
    assertThat(fake.archived(thread)).isFalse();
    assertThat(adapter.platformErrors()).isZero();
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
    await(() -> world.refs.message(FakeDiscord.GUILD, "status:ACME-1").equals(java.util.Optional.of(newId)),
        "the new status message remembered");
    assertThat(world.refs.message(FakeDiscord.GUILD, "status:ACME-1")).contains(newId);
    assertThat(adapter.platformErrors()).isZero();
  }
}
