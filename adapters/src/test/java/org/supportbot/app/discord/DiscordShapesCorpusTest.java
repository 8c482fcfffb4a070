package org.supportbot.app.discord;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import net.dv8tion.jda.api.events.GenericEvent;
import net.dv8tion.jda.api.hooks.EventListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.supportbot.core.chat.CommandParser;
import org.supportbot.core.testing.Await;

/**
 * The Discord counterpart of {@code SlackShapesCorpusTest}: every gateway event and interaction of the corpus
 * in {@code src/test/resources/discord-shapes/} (see its README) is sent through {@link FakeDiscord}'s gateway
 * to the real JDA-based adapter, with thread replies on, and must do what its row says: reach the desk as one
 * inbound of the right person and kind (written to the inbox and handled), be answered with the right
 * callback (deferred, a modal, an ephemeral message, autocomplete choices), or be ignored. Every slash command
 * the bot registers is sent too, with its one option (the text), and must be deferred and reach the desk.
 *
 * <p>A case is filed first (Ana, ACME-1), so shapes can be typed in its thread and click its status message.
 * An ignored shape is followed by a probe (a message in the bound channel, which the adapter ignores) and
 * judged once JDA has handed the probe to the listeners and nothing is in flight.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600) // only stops a hung run: every wait inside is on a condition, bounded by Await.HUNG
class DiscordShapesCorpusTest {

  /** What a shape must cause. */
  sealed interface Expect permits Reaches, Answered, Ignored {}

  /** One inbound of {@code person} reaches the desk, of {@code kind} (Said, Command, Picked, Submitted); callback type or 0. */
  record Reaches(String person, String kind, int callback, String textContains) implements Expect {}

  /** Answered with callback {@code type} (4 message, 8 choices, 9 modal) saying {@code contains}; no inbound. */
  record Answered(int type, String contains) implements Expect {}

  /** Nothing reaches the desk and nothing is answered. */
  record Ignored() implements Expect {}

  private static final String STRANGER = "1600000000000000666";
  private static final String DM = "1590000000000000002";

  private static Map<String, Expect> table() {
    Map<String, Expect> t = new LinkedHashMap<>();
    t.put("gw-message-thread-reply-by-contact.json", new Reaches(DeskFixture.ANA, "Said", 0, "BCN-4012 again"));
    t.put("gw-message-thread-inline-reply.json", new Reaches(DeskFixture.ANA, "Said", 0, "all three servers"));
    t.put("gw-message-thread-attachment-only.json", new Reaches(DeskFixture.ANA, "Said", 0,
        "[attachment] beacon-agent.log https://cdn.discordapp.com/attachments/"));
    t.put("gw-message-thread-by-engineer.json", new Reaches(DeskFixture.EVE, "Said", 0, "--diagnose"));
    t.put("gw-message-thread-by-non-contact.json", new Reaches(STRANGER, "Said", 0, "any news"));
    for (String f : List.of("gw-message-thread-other-bot-ignored.json", "gw-message-thread-webhook-ignored.json",
        "gw-message-thread-pin-notice-ignored.json", "gw-message-thread-system-author-ignored.json",
        "gw-message-bound-channel-ignored.json", "gw-message-direct-ignored.json",
        "gw-message-update-edit-ignored.json", "gw-message-delete-ignored.json", "gw-message-delete-bulk-ignored.json",
        "gw-thread-create-by-someone-ignored.json", "gw-thread-update-case-renamed-ignored.json",
        "gw-guild-member-update-self-ignored.json", "gw-guild-member-add-ignored.json", "ix-ping-ignored.json")) {
      t.put(f, new Ignored());
    }
    t.put("ix-slash-unknown-command.json", new Reaches(DeskFixture.ANA, "Command", 5, "frobnicate"));
    t.put("ix-slash-in-direct-message.json", new Answered(4, "support channel"));
    t.put("ix-autocomplete.json", new Answered(8, ""));
    t.put("ix-button-claim-by-engineer.json", new Reaches(DeskFixture.EVE, "Picked", 6, "case.claim"));
    t.put("ix-button-unknown-custom-id.json", new Reaches(DeskFixture.ANA, "Picked", 6, "poll.vote"));
    t.put("ix-button-answer-opens-form.json", new Answered(9, "form:4/13"));
    t.put("ix-modal-unknown-form.json", new Reaches(DeskFixture.ANA, "Submitted", 6, "great support"));
    t.put("ix-message-command-file-as-incident.json", new Reaches(DeskFixture.ANA, "FileMessage", 5,
        "every Beacon agent fails with BCN-4012"));
    t.put("ix-message-command-unknown.json", new Answered(4, DiscordAdapter.UNKNOWN_COMMAND));
    t.put("ix-user-command-unknown.json", new Answered(4, DiscordAdapter.UNKNOWN_COMMAND));
    return t;
  }

  @TempDir static Path dir;
  private final ObjectMapper json = new ObjectMapper();
  private final Set<Integer> handedToListeners = ConcurrentHashMap.newKeySet();
  private FakeDiscord fake;
  private DeskFixture world;
  private DiscordAdapter adapter;
  private Map<String, String> names;

  @BeforeAll
  void start() throws Exception {
    fake = new FakeDiscord();
    fake.enableMessageContent();
    world = new DeskFixture(dir);
    adapter = DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock, DeskFixture.local(fake, true));
    // added after the adapter: JDA calls it after the adapter's listener, on the same thread, for each event
    adapter.jda().addEventListener((EventListener) (GenericEvent e) -> handedToListeners.add((int) e.getResponseNumber()));
    int from = IntakeDriver.fileCase(fake);
    String thread = fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.SUPPORT_CHANNEL + "/threads"),
        "creating the case thread").response().get("id").asText();
    String status = fake.await(from, c -> c.is("POST", "channels/" + thread + "/messages")
        && c.body().path("embeds").size() == 1, "posting the status").response().get("id").asText();
    fake.await(from, c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages"), "the triage notice");
    String old = fake.typed(DeskFixture.ANA, thread, "collector.host is beacon-collector.internal");
    Await.until(() -> handled(old), "Ana's first reply handled");
    names = Map.of("THREAD", thread, "STATUS", status, "OLD_ID", old, "SUPPORT", FakeDiscord.SUPPORT_CHANNEL,
        "GUILD", FakeDiscord.GUILD, "APP", FakeDiscord.APP_ID, "ANA", DeskFixture.ANA, "EVE", DeskFixture.EVE,
        "STRANGER", STRANGER, "DM", DM);
  }

  @AfterAll
  void stop() throws Exception {
    adapter.jda().shutdownNow();
    adapter.jda().awaitShutdown(Await.HUNG);
    adapter.close();
    fake.close();
    world.close();
  }

  Stream<Arguments> shapes() {
    return table().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @Test
  void everyShapeInTheCorpusHasARow() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src/test/resources/discord-shapes"))) {
      assertThat(table().keySet()).containsExactlyInAnyOrderElementsOf(files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json")).toList());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapes")
  void eachShapeDoesWhatItsRowSays(String file, Expect expect) throws IOException, InterruptedException {
    String id = fake.snowflake();
    String target = fake.snowflake();
    String text;
    try (InputStream in = getClass().getResourceAsStream("/discord-shapes/" + file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${ID}", id).replace("${TARGET}", target);
    }
    for (var n : names.entrySet()) {
      text = text.replace("${" + n.getKey() + "}", n.getValue());
    }
    ObjectNode shape = (ObjectNode) json.readTree(text);
    int from = fake.calls().size();
    String key;
    if (file.startsWith("gw-")) {
      fake.event(shape.get("t").asText(), shape.get("d"));
      key = id;
    } else {
      String actor = shape.path("$actor").asText(DeskFixture.ANA);
      if (shape.has("$message")) {
        shape.set("message", fake.message(shape.get("$message").asText()));
      }
      shape.remove(List.of("$actor", "$message"));
      key = fake.interaction(shape, actor);
    }
    check(key, from, expect);
  }

  /** Every slash command the bot registers, with its text option where it has one: deferred, and one Command inbound. */
  @ParameterizedTest(name = "/{0}")
  @MethodSource("commands")
  void everyRegisteredSlashCommandIsDeferredAndReachesTheDesk(String name, boolean takesText) throws InterruptedException {
    int from = fake.calls().size();
    String key = fake.slash(DeskFixture.EVE, FakeDiscord.SUPPORT_CHANNEL, name, takesText ? "ACME-1 corpus" : null);
    check(key, from, new Reaches(DeskFixture.EVE, "Command", 5, name));
  }

  Stream<Arguments> commands() {
    return DiscordAdapter.commands().stream().map(c -> Arguments.of(c.getName(), !c.getOptions().isEmpty()));
  }

  private void check(String key, int from, Expect expect) throws InterruptedException {
    switch (expect) {
      case Reaches want -> {
        if (want.callback() != 0) {
          FakeDiscord.Call ack = fake.await(from, c -> c.is("POST", "interactions/" + key + "/.*/callback"),
              "acknowledging " + key);
          assertThat(ack.body().get("type").asInt()).as("callback type").isEqualTo(want.callback());
        }
        Await.until(() -> handled(key), "the inbound " + key + " handled by the desk");
        JsonNode stored = inboxBody(key).orElseThrow();
        assertThat(stored.path("person").path("userId").asText()).isEqualTo(want.person());
        assertThat(stored.path("input").path("type").asText()).isEqualTo(want.kind());
        assertThat(stored.path("input").toString()).contains(want.textContains());
      }
      case Answered want -> {
        FakeDiscord.Call answer = fake.await(from, c -> c.is("POST", "interactions/" + key + "/.*/callback"),
            "answering " + key);
        assertThat(answer.body().get("type").asInt()).as("callback type").isEqualTo(want.type());
        assertThat(answer.body().path("data").toString()).contains(want.contains());
        if (want.type() == 4) {
          assertThat(answer.body().path("data").path("flags").asInt() & 64).as("ephemeral").isEqualTo(64);
        }
        settle();
        assertThat(inboxBody(key)).as("nothing written to the inbox").isEmpty();
      }
      case Ignored ignored -> {
        settle();
        assertThat(inboxBody(key)).as("nothing written to the inbox").isEmpty();
        assertThat(fake.since(from)).as("no interaction answered").noneMatch(c -> c.path().startsWith("interactions/"));
      }
    }
  }

  /** Waits until JDA has handed a probe sent after the shape to the listeners, and nothing is in flight. */
  private void settle() throws InterruptedException {
    String probe = fake.snowflake();
    ObjectNode m = json.createObjectNode().put("id", probe).put("channel_id", FakeDiscord.SUPPORT_CHANNEL)
        .put("guild_id", FakeDiscord.GUILD).put("type", 0).put("content", "probe")
        .put("timestamp", "2026-11-23T17:05:00.000000+00:00").putNull("edited_timestamp").put("tts", false)
        .put("mention_everyone", false).put("pinned", false).put("flags", 0);
    m.set("author", FakeDiscord.user(STRANGER, false));
    for (String empty : List.of("mentions", "mention_roles", "attachments", "embeds", "components")) {
      m.putArray(empty);
    }
    int seq = fake.event("MESSAGE_CREATE", m);
    Await.until(() -> handedToListeners.contains(seq) && adapter.inFlight() == 0, "the probe handed to the listeners");
  }

  private boolean handled(String key) {
    return world.db.read(c -> {
      try (var ps = c.prepareStatement("SELECT COUNT(*) FROM inbound_handled WHERE idem_key = ?")) {
        ps.setString(1, key);
        try (var rs = ps.executeQuery()) {
          return rs.next() && rs.getInt(1) == 1;
        }
      }
    });
  }

  private Optional<JsonNode> inboxBody(String key) {
    String body = world.db.read(c -> {
      try (var ps = c.prepareStatement("SELECT body FROM inbox WHERE idem_key = ?")) {
        ps.setString(1, key);
        try (var rs = ps.executeQuery()) {
          return rs.next() ? rs.getString(1) : null;
        }
      }
    });
    try {
      return body == null ? Optional.empty() : Optional.of(json.readTree(body));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
