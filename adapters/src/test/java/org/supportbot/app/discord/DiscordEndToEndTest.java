package org.supportbot.app.discord;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.console.SimulatedClock;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.core.chat.CommandParser;
import org.supportbot.core.chat.DeskSettings;
import org.supportbot.core.chat.SupportDesk;
import org.supportbot.core.conversation.KnowledgeSuggestions;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.Directory;
import org.supportbot.core.directory.Engineer;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.TimerPlan;
import org.supportbot.core.store.sqlite.SqliteConversationStore;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.sqlite.SqliteDirectoryStore;
import org.supportbot.core.store.sqlite.SqliteIncidentStore;
import org.supportbot.core.store.sqlite.SqliteTimerStore;

/**
 * The adapter through the real JDA against {@link FakeDiscord} on loopback, with a real desk on a
 * SQLite file: Ana, a named contact of Acme (Atheer policy), files a case in Acme's channel; Eve,
 * an engineer, claims it from the triage channel.
 */
@Timeout(40)
class DiscordEndToEndTest {

  static final String ANA = "1600000000000000001";
  static final String EVE = "1600000000000000002";
  static final String MAX = "1600000000000000003";

  /** Atheer's 13 report questions, answered as in the demo tour; "=" marks a button press. */
  static final List<String> ANSWERS = List.of("Beacon", "3.2.1", "=incident",
      "The Beacon agent fails to start with BCN-4012: connection refused on every server", "the agent starts",
      "systemctl start beacon-agent", "BCN-4012: connection refused", "none", "=yes", "all",
      "nothing is monitored, no workaround", "=P1", "no");

  @TempDir Path dir;
  private FakeDiscord fake;
  private SqliteDatabase db;
  private DiscordAdapter adapter;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeDiscord();
    db = SqliteDatabase.open(dir.resolve("desk.db"), SqliteDatabase.Durability.NORMAL);
    PolicyCatalog catalog = PolicyCatalog.bundled();
    Directory directory = new Directory(new SqliteDirectoryStore(db), catalog::get);
    directory.register(Organization.of("acme", "ACME", "Acme Corp", "atheer"));
    directory.store().bindChannel("discord", FakeDiscord.GUILD, FakeDiscord.SUPPORT_CHANNEL, "acme");
    directory.addContact(new Contact("acme", person(ANA), "ana"));
    directory.store().saveEngineer(new Engineer(person(EVE), "eve", Engineer.Role.ENGINEER));
    directory.store().saveEngineer(new Engineer(person(MAX), "max", Engineer.Role.MANAGER));
    SimulatedClock clock = new SimulatedClock(Instant.parse("2026-11-23T17:00:00Z"));
    SupportDesk.EventFeed feed = new SupportDesk.EventFeed();
    IncidentDesk incidents = new IncidentDesk(new SqliteIncidentStore(db), new SqliteTimerStore(db), directory,
        catalog::get, new TimerPlan(List.of(50, 75, 90)), clock, feed);
    DeskSettings settings = new DeskSettings(place(FakeDiscord.TRIAGE), List.of(person(MAX)),
        Map.of("acme", new DeskSettings.OrgRouting(place(FakeDiscord.ESCALATIONS), FakeDiscord.ON_CALL_ROLE, "on-call",
            Optional.empty())),
        Duration.ofHours(24), LocalTime.of(8, 0), ZoneId.of("America/Los_Angeles"));
    SupportDesk desk = new SupportDesk(incidents, feed, directory, catalog::get, KnowledgeSuggestions.NONE,
        new SqliteConversationStore(db), settings, clock);
    adapter = DiscordAdapter.start(FakeDiscord.TOKEN, desk, new DiscordRefs(db), clock,
        new DiscordSettings(false, Duration.ofHours(1), Optional.of(fake.restBaseUrl()), Optional.of(fake.gatewayUrl())));
  }

  @AfterEach
  void stop() throws Exception {
    if (adapter != null) {
      adapter.jda().shutdownNow();
      adapter.jda().awaitShutdown(Duration.ofSeconds(10));
      adapter.close();
    }
    fake.close();
    db.close();
  }

  static Identity person(String id) {
    return new Identity("discord", FakeDiscord.GUILD, id);
  }

  static ChatPlace place(String channel) {
    return new ChatPlace("discord", FakeDiscord.GUILD, channel, "");
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
    assertThat(fake.calls()).as("nothing but the token check and the command set").extracting(FakeDiscord.Call::path)
        .containsExactly("users/@me", "applications/" + FakeDiscord.APP_ID + "/commands");
  }

  /** Runs /support and answers every question through buttons and modals; returns the next call index. */
  private int fileCase() {
    int from = fake.calls().size();
    String slash = fake.slash(ANA, FakeDiscord.SUPPORT_CHANNEL, "support", null);
    FakeDiscord.Call deferred = fake.await(from, c -> c.is("POST", "interactions/" + slash + "/.*/callback"),
        "acknowledging /support");
    assertThat(deferred.body().get("type").asInt()).as("deferred reply").isEqualTo(5);
    assertThat(deferred.body().get("data").get("flags").asInt() & 64).as("ephemeral").isEqualTo(64);
    for (int k = 1; k <= ANSWERS.size(); k++) {
      String counter = k + "/" + ANSWERS.size();
      FakeDiscord.Call question = fake.await(from, c -> c.is("POST", "webhooks/" + FakeDiscord.APP_ID + "/.*")
          && c.body().path("content").asText().contains("(" + counter + ")"), "asking question " + counter);
      assertThat(question.body().get("flags").asInt() & 64).as("only Ana sees question " + counter).isEqualTo(64);
      String messageId = question.response().get("id").asText();
      String answer = ANSWERS.get(k - 1);
      from = fake.calls().size();
      if (answer.startsWith("=")) {
        String click = fake.click(ANA, messageId, "intake.answer:" + answer.substring(1));
        FakeDiscord.Call ack = fake.await(from, c -> c.is("POST", "interactions/" + click + "/.*/callback"), "ack");
        assertThat(ack.body().get("type").asInt()).as("deferred update").isEqualTo(6);
      } else {
        String click = fake.click(ANA, messageId, "form:" + counter);
        FakeDiscord.Call modal = fake.await(from, c -> c.is("POST", "interactions/" + click + "/.*/callback"),
            "opening the answer form");
        assertThat(modal.body().get("type").asInt()).as("modal").isEqualTo(9);
        assertThat(modal.body().get("data").get("custom_id").asText()).isEqualTo("form:" + counter);
        from = fake.calls().size();
        fake.submit(ANA, FakeDiscord.SUPPORT_CHANNEL, "form:" + counter, Map.of("answer", answer));
      }
    }
    return from;
  }

  private static String channelOf(FakeDiscord.Call c) {
    return c.path().split("/")[1];
  }

  @Test
  void aFullIntakeFilesACaseInItsOwnThreadWithConfirmationStatusAndAnOnCallPing() {
    int from = fileCase();

    FakeDiscord.Call thread = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.SUPPORT_CHANNEL + "/threads"),
        "creating the case thread");
    assertThat(thread.body().get("name").asText()).isEqualTo("ACME-1");
    assertThat(thread.body().get("type").asInt()).as("public thread").isEqualTo(11);
    String threadId = thread.response().get("id").asText();

    FakeDiscord.Call confirmation = fake.await(from, c -> c.is("POST", "channels/" + threadId + "/messages")
        && c.body().path("content").asText().startsWith("Thanks <@" + ANA + ">"), "confirming in the thread");
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
    int from = fileCase();
    FakeDiscord.Call triage = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages"),
        "telling triage");
    FakeDiscord.Call status = fake.await(from, c -> c.is("POST", "channels/.*/messages")
        && c.body().path("embeds").size() == 1, "posting the status embed");
    String threadId = channelOf(status);
    String statusId = status.response().get("id").asText();

    int before = fake.calls().size();
    String click = fake.click(EVE, triage.response().get("id").asText(), "case.claim:ACME-1");

    FakeDiscord.Call ack = fake.await(before, c -> c.is("POST", "interactions/" + click + "/.*/callback"), "ack");
    assertThat(ack.body().get("type").asInt()).isEqualTo(6);
    FakeDiscord.Call notice = fake.await(before, c -> c.is("POST", "channels/" + threadId + "/messages"),
        "announcing the owner");
    assertThat(notice.body().get("content").asText()).isEqualTo("<@" + EVE + "> is now handling ACME-1.");
    FakeDiscord.Call edit = fake.await(before, c -> c.is("PATCH", "channels/" + threadId + "/messages/" + statusId),
        "editing the status");
    JsonNode owner = null;
    for (JsonNode f : edit.body().get("embeds").get(0).get("fields")) {
      if (f.get("name").asText().equals("Owner")) {
        owner = f;
      }
    }
    assertThat(owner).isNotNull();
    assertThat(owner.get("value").asText()).isEqualTo("<@" + EVE + ">");
    assertThat(edit.body().get("components")).as("no Claim button on a claimed case").isEmpty();
    assertThat(fake.since(before)).filteredOn(c -> c.method().equals("POST") && c.body() != null
        && c.body().path("embeds").size() == 1).as("no second status message").isEmpty();
  }

  @Test
  void aRateLimitedEditIsWaitedOutAndRetried() {
    int from = fileCase();
    FakeDiscord.Call triage = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages"),
        "telling triage");
    fake.await(from, c -> c.is("POST", "channels/.*/messages") && c.body().path("embeds").size() == 1, "status");
    fake.rateLimitNext("PATCH", "channels/\\d+/messages/\\d+", 1);

    int before = fake.calls().size();
    fake.click(EVE, triage.response().get("id").asText(), "case.claim:ACME-1");

    FakeDiscord.Call retried = fake.await(before, c -> c.is("PATCH", "channels/\\d+/messages/\\d+") && c.status() == 200,
        "retrying the edit");
    List<FakeDiscord.Call> edits = fake.since(before).stream().filter(c -> c.is("PATCH", "channels/\\d+/messages/\\d+"))
        .toList();
    assertThat(edits).extracting(FakeDiscord.Call::status).containsExactly(429, 200);
    assertThat(Duration.between(edits.get(0).at(), retried.at())).as("waited for Retry-After")
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(adapter.platformErrors()).isZero();
  }
}
