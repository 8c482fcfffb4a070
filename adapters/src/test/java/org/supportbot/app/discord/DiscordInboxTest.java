package org.supportbot.app.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.store.sqlite.SqliteInboxStore;
import org.supportbot.core.testing.Await;

/**
 * The inbox and downtime backfill on Discord, through the real JDA against {@link FakeDiscord}: an inbound
 * stored but not handled before a stop is handled once at the next start; messages a customer typed
 * in the case thread while the bot was away are read back after the restart
 * ({@code GET channels/{thread}/messages?after=}) and each reaches the desk once, including when its
 * MESSAGE_CREATE arrives as well; a second restart reads on from the last of them and changes nothing.
 */
@Timeout(300) // only stops a hung test: every wait inside is on a condition, bounded by Await.HUNG
class DiscordInboxTest {

  @TempDir Path dir;
  private FakeDiscord fake;
  private DeskFixture world;
  private DiscordAdapter adapter;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeDiscord();
    fake.enableMessageContent();
    world = new DeskFixture(dir);
    adapter = connect();
  }

  private DiscordAdapter connect() throws DiscordStartException {
    return DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, new DiscordRefs(world.db), world.clock,
        DeskFixture.local(fake, true));
  }

  private void disconnect() throws InterruptedException {
    adapter.close();
    adapter.jda().awaitShutdown(Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() throws Exception {
    adapter.jda().shutdownNow();
    adapter.jda().awaitShutdown(Duration.ofSeconds(10));
    adapter.close();
    fake.close();
    world.close();
  }

  private List<FakeDiscord.Call> repliesToldToTriage() {
    return fake.calls().stream().filter(c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages")
        && c.body().path("content").asText().startsWith("The customer replied on **ACME-1**")).toList();
  }

  @Test
  void anInteractionThatCannotBeStoredIsAnsweredTryAgainAndChangesNothing() {
    world.db.write(c -> {
      try (java.sql.Statement s = c.createStatement()) {
        s.execute("ALTER TABLE inbox RENAME TO inbox_away"); // writes to the inbox fail meanwhile
      }
      return null;
    });
    int from = fake.calls().size();
    String slash = fake.slash(DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL, "support", null);

    FakeDiscord.Call answer = fake.await(from, c -> c.is("POST", "interactions/" + slash + "/.*/callback"),
        "answering /support");
    assertThat(answer.body().get("type").asInt()).as("a reply, not a deferral").isEqualTo(4);
    assertThat(answer.body().path("data").path("content").asText()).isEqualTo(DiscordAdapter.NOT_STORED);
    assertThat(answer.body().path("data").path("flags").asInt() & 64).as("ephemeral").isEqualTo(64);
    assertThat(world.desk.handle(new Inbound("probe", new Identity("discord", FakeDiscord.GUILD, DeskFixture.ANA),
        new ChatPlace("discord", FakeDiscord.GUILD, FakeDiscord.SUPPORT_CHANNEL, ""), false, world.clock.instant(),
        Optional.empty(), new Inbound.Said("cancel")))).as("no intake was started").isEmpty();
  }

  @Test
  void anInteractionStoredButNotHandledBeforeAStopIsHandledOnceAtTheNextStartAnsweredByDirectMessage()
      throws Exception {
    disconnect();
    // what the adapter wrote before deferring a /help when the process stopped: stored, never handled
    SqliteInboxStore inbox = new SqliteInboxStore(world.db, world.clock);
    inbox.add(new Inbound("1578000000000000001", new Identity("discord", FakeDiscord.GUILD, DeskFixture.ANA),
        new ChatPlace("discord", FakeDiscord.GUILD, FakeDiscord.SUPPORT_CHANNEL, ""), false, world.clock.instant(),
        Optional.empty(), new Inbound.Command("help", "")), Optional.empty(), Optional.empty());
    int restart = fake.calls().size();

    adapter = connect(); // handles what the inbox holds before it returns

    FakeDiscord.Call dm = fake.await(restart, c -> c.is("POST", "users/@me/channels"), "a direct message opened");
    assertThat(dm.body().get("recipient_id").asText()).isEqualTo(DeskFixture.ANA);
    String dmChannel = dm.response().get("id").asText();
    fake.await(restart, c -> c.is("POST", "channels/" + dmChannel + "/messages"), "the answer sent by direct message");
    assertThat(fake.since(restart)).filteredOn(c -> c.is("POST", "channels/" + dmChannel + "/messages"))
        .singleElement().satisfies(c -> assertThat(c.body().path("content").asText()).contains("/support"));
    assertThat(inbox.pendingCount("discord")).isZero();

    disconnect();
    int second = fake.calls().size();
    adapter = connect();
    assertThat(adapter.awaitReadBack(Await.HUNG)).as("the read-back done").isTrue();
    assertThat(fake.since(second)).noneMatch(c -> c.path().startsWith("users/@me/channels")
        || c.path().equals("channels/" + dmChannel + "/messages"));
  }

  @Test
  void messagesTypedInTheCaseThreadWhileAwayAreHandledOnceAfterTheRestart() throws Exception {
    int from = IntakeDriver.fileCase(fake);
    String thread = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.SUPPORT_CHANNEL + "/threads"),
        "creating the case thread").response().get("id").asText();
    fake.await(from, c -> c.is("POST", "channels/" + thread + "/messages") && c.body().path("embeds").size() == 1,
        "posting the status");
    fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages"), "the triage notice");
    int before = fake.calls().size();
    String seen = fake.typed(DeskFixture.ANA, thread, "collector.host is beacon-collector.internal");
    fake.await(before, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages"), "the live reply told");
    assertThat(repliesToldToTriage()).hasSize(1);

    disconnect();
    String away1 = fake.typedWhileAway(DeskFixture.ANA, thread, "restarting the agent did not help");
    String away2 = fake.typedWhileAway(DeskFixture.ANA, thread, "logs attached in the portal");
    int restart = fake.calls().size();
    adapter = connect(); // starts reading back beside the live traffic
    assertThat(adapter.awaitReadBack(Await.HUNG)).as("the read-back done").isTrue();

    assertThat(fake.since(restart)).filteredOn(c -> c.is("GET", "channels/" + thread + "/messages"))
        .singleElement().satisfies(c -> assertThat(c.query()).contains("after=" + seen));
    // the notices go out on the triage channel's lane, after the handling connect() waited for
    Await.until(() -> repliesToldToTriage().size() >= 3, "the two replies typed while away told to triage");
    assertThat(repliesToldToTriage()).as(fake.since(restart).toString()).hasSize(3);
    assertThat(new SqliteInboxStore(world.db, world.clock).pendingCount("discord")).isZero();

    // the gateway delivers one of them after all: the same message id, no second effect
    int settled = fake.calls().size();
    fake.redeliver(away2);
    fake.typed(DeskFixture.ANA, thread, "any news?"); // a new message after it is handled (in order)
    fake.await(settled, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages"), "the new reply told");
    assertThat(repliesToldToTriage()).hasSize(4);

    // a second restart reads on from the last message seen and hands nothing to the desk again
    disconnect();
    int second = fake.calls().size();
    adapter = connect();
    assertThat(adapter.awaitReadBack(Await.HUNG)).as("the read-back done").isTrue();
    assertThat(fake.since(second)).filteredOn(c -> c.is("GET", "channels/" + thread + "/messages"))
        .singleElement().satisfies(c -> assertThat(c.query()).doesNotContain("after=" + seen)
            .doesNotContain("after=" + away1));
    assertThat(repliesToldToTriage()).hasSize(4);
  }

  /**
   * Found by the Discord crash harness: a message the gateway delivers live while the restarted bot has not
   * yet read the history back used to move the thread's mark past the messages typed while it was down, which
   * were then never read. The start is held (its command registration unanswered) until the live message is
   * stored, so the order is fixed.
   */
  @Test
  void aMessageTypedLiveBeforeTheReadBackDoesNotHideThoseTypedWhileAway() throws Exception {
    int from = IntakeDriver.fileCase(fake);
    String thread = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.SUPPORT_CHANNEL + "/threads"),
        "creating the case thread").response().get("id").asText();
    fake.await(from, c -> c.is("POST", "channels/" + thread + "/messages") && c.body().path("embeds").size() == 1,
        "posting the status");
    fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages"), "the triage notice");
    int before = fake.calls().size();
    fake.typed(DeskFixture.ANA, thread, "collector.host is beacon-collector.internal");
    fake.await(before, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages"), "the live reply told");

    disconnect();
    String away = fake.typedWhileAway(DeskFixture.ANA, thread, "restarting the agent did not help");
    fake.holdAnswers(c -> c.is("PUT", "applications/" + FakeDiscord.APP_ID + "/commands"));
    int restart = fake.calls().size();
    java.util.concurrent.CompletableFuture<DiscordAdapter> started = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> {
          try {
            return connect();
          } catch (DiscordStartException e) {
            throw new IllegalStateException(e);
          }
        });
    FakeDiscord.Call registering = fake.await(restart, c -> c.is("PUT", "applications/.*/commands"),
        "registering the commands");
    String live = fake.typed(DeskFixture.ANA, thread, "any news?"); // connected, not yet read back
    Await.until(() -> stored(live), "the live message written to the inbox");
    fake.releaseAnswer(registering);
    adapter = started.get(Await.HUNG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

    Await.until(() -> handled(away) && handled(live), "both the message typed while away and the live one handled");
    Await.until(() -> repliesToldToTriage().size() >= 3, "both told to triage");
    assertThat(repliesToldToTriage()).hasSize(3);
  }

  private boolean stored(String key) {
    return count("SELECT COUNT(*) FROM inbox WHERE idem_key = ?", key) == 1;
  }

  private boolean handled(String key) {
    return count("SELECT COUNT(*) FROM inbound_handled WHERE idem_key = ?", key) == 1;
  }

  private int count(String sql, String key) {
    return world.db.read(c -> {
      try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, key);
        try (java.sql.ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }
}
