package org.supportbot.app.discord;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.intake.Intake;
import org.supportbot.core.store.sqlite.SqliteInboxStore;
import org.supportbot.core.testing.Await;

/**
 * An intake cut by a crash, through the real JDA against {@link FakeDiscord}: Ana's answer to question 3 was
 * stored and acknowledged, and the process stopped before handling it. The restart handles it from the inbox
 * with no interaction of hers at hand, so question 4 cannot be her ephemeral follow-up; it used to go as a direct
 * message, where Discord sends no button click to a server's desk and the intake could not go on. It now comes in
 * the support channel, addressed to her (her mention, pinging only her), with its buttons, and she files the case
 * by clicking them; from her first click on, the questions are her ephemeral follow-ups again.
 */
@Timeout(300) // only stops a hung test: every wait inside is on a condition, bounded by Await.HUNG
class DiscordIntakeAfterRestartTest {

  @TempDir Path dir;
  private FakeDiscord fake;
  private DeskFixture world;
  private DiscordAdapter adapter;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeDiscord();
    world = new DeskFixture(dir);
    adapter = connect();
  }

  private DiscordAdapter connect() throws DiscordStartException {
    return DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock, DeskFixture.local(fake, false));
  }

  @AfterEach
  void stop() throws Exception {
    DeskFixture.stop(adapter, fake, world);
  }

  @Test
  void anIntakeCutByARestartGoesOnInTheChannelWhereItsButtonsWork() throws Exception {
    int from = fake.calls().size();
    fake.slash(DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL, "support", null);
    for (int k = 1; k <= 2; k++) {
      int asked = k;
      FakeDiscord.Call question = fake.await(from, c -> isFollowUp(c, question(asked)), "question " + k);
      from = fake.calls().size(); // the next question is asked after the answer
      answer(question, k);
    }
    fake.await(from, c -> isFollowUp(c, question(3)), "question 3 asked");

    // Ana clicks "incident" on question 3; the click is stored and acknowledged, then the process stops
    adapter.close();
    adapter.jda().awaitShutdown(Await.HUNG);
    new SqliteInboxStore(world.db, world.clock).add(new Inbound("1578000000000000003",
        new Identity("discord", FakeDiscord.GUILD, DeskFixture.ANA),
        new ChatPlace("discord", FakeDiscord.GUILD, FakeDiscord.SUPPORT_CHANNEL, ""), false, world.clock.instant(),
        Optional.empty(), new Inbound.Picked(Intake.ANSWER, "incident")), Optional.empty(), Optional.empty());
    int restart = fake.calls().size();
    adapter = connect(); // handles what the inbox holds before it returns

    FakeDiscord.Call fourth = fake.await(restart, c -> c.is("POST", "channels/" + FakeDiscord.SUPPORT_CHANNEL
        + "/messages") && c.body().path("content").asText().contains(question(4)), "question 4 asked in the channel");
    JsonNode body = fourth.body();
    assertThat(body.path("content").asText()).as("addressed to Ana").startsWith("<@" + DeskFixture.ANA + "> ");
    assertThat(body.path("flags").asInt() & 64).as("a normal message (a bot cannot post an ephemeral one)").isZero();
    List<String> pinged = new ArrayList<>();
    body.path("allowed_mentions").path("users").forEach(u -> pinged.add(u.asText()));
    assertThat(pinged).as("pings Ana and no one else").containsExactly(DeskFixture.ANA);
    assertThat(body.path("allowed_mentions").path("parse")).as("no @everyone, no roles").isEmpty();
    assertThat(buttons(body)).as("its buttons").containsExactly("form:4/13", "intake.cancel:");
    assertThat(fake.since(restart)).as("no direct message to Ana").noneMatch(c -> c.is("POST", "users/@me/channels"));

    // she goes on by clicking; the case is filed
    answer(fourth, 4);
    for (int k = 5; k <= IntakeDriver.ANSWERS.size(); k++) {
      int asked = k;
      answer(fake.await(restart, c -> isFollowUp(c, question(asked)), "question " + k), k);
    }
    String thread = fake.await(restart, c -> c.is("POST", "channels/" + FakeDiscord.SUPPORT_CHANNEL + "/threads"),
        "creating the case thread").response().get("id").asText();
    fake.await(restart, c -> c.is("POST", "channels/" + thread + "/messages") && c.body().path("embeds").size() == 1,
        "posting the case's status");
    Await.until(() -> world.db.read(c -> {
      try (var s = c.createStatement(); var r = s.executeQuery("SELECT COUNT(*) FROM incidents")) {
        return r.next() && r.getInt(1) == 1;
      }
    }), "the case on file");
    assertThat(fake.calls()).as("questions 5 to 13 as Ana's ephemeral follow-ups, each once").filteredOn(c ->
        c.is("POST", "webhooks/" + FakeDiscord.APP_ID + "/.*") && c.body().path("content").asText()
            .matches("(?s).*\\((5|6|7|8|9|10|11|12|13)/13\\).*")).hasSize(9);
    assertThat(fake.calls()).as("no direct message to Ana").noneMatch(c -> c.is("POST", "users/@me/channels"));
  }

  /**
   * A message only for one person that has no buttons (the answer to a command handled after a restart) still
   * goes by direct message: it needs no click, and the channel is no place for it.
   */
  @Test
  void anAnswerWithoutButtonsStillGoesByDirectMessage() throws Exception {
    adapter.close();
    adapter.jda().awaitShutdown(Await.HUNG);
    new SqliteInboxStore(world.db, world.clock).add(new Inbound("1578000000000000001",
        new Identity("discord", FakeDiscord.GUILD, DeskFixture.ANA),
        new ChatPlace("discord", FakeDiscord.GUILD, FakeDiscord.SUPPORT_CHANNEL, ""), false, world.clock.instant(),
        Optional.empty(), new Inbound.Command("help", "")), Optional.empty(), Optional.empty());
    int restart = fake.calls().size();
    adapter = connect();
    fake.await(restart, c -> c.is("POST", "users/@me/channels"), "a direct message opened");
    adapter.awaitIdle(Await.HUNG);
    assertThat(fake.since(restart)).as("nothing said in the support channel")
        .noneMatch(c -> c.is("POST", "channels/" + FakeDiscord.SUPPORT_CHANNEL + "/messages"));
  }

  /** Answers question {@code k} of the message {@code asked} as Ana: a button, or the answer form. */
  private void answer(FakeDiscord.Call asked, int k) {
    String messageId = asked.response().get("id").asText();
    String answer = IntakeDriver.ANSWERS.get(k - 1);
    int from = fake.calls().size();
    if (answer.startsWith("=")) {
      String click = fake.click(DeskFixture.ANA, messageId, "intake.answer:" + answer.substring(1));
      assertThat(fake.await(from, c -> c.is("POST", "interactions/" + click + "/.*/callback"), "the click taken")
          .body().get("type").asInt()).as("deferred update").isEqualTo(6);
      return;
    }
    String counter = k + "/" + IntakeDriver.ANSWERS.size();
    String click = fake.click(DeskFixture.ANA, messageId, "form:" + counter);
    assertThat(fake.await(from, c -> c.is("POST", "interactions/" + click + "/.*/callback"), "opening the answer form")
        .body().get("type").asInt()).as("modal").isEqualTo(9);
    fake.submit(DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL, "form:" + counter, Map.of("answer", answer));
  }

  private static String question(int k) {
    return "(" + k + "/" + IntakeDriver.ANSWERS.size() + ")";
  }

  private static boolean isFollowUp(FakeDiscord.Call c, String question) {
    return c.is("POST", "webhooks/" + FakeDiscord.APP_ID + "/.*") && c.body().path("content").asText().contains(question);
  }

  private static List<String> buttons(JsonNode body) {
    List<String> ids = new ArrayList<>();
    body.path("components").forEach(row -> row.path("components").forEach(b -> ids.add(b.path("custom_id").asText())));
    return ids;
  }
}
