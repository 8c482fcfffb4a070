package org.supportbot.app.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.directory.Identity;

/**
 * Every request shape of the corpus ({@code src/test/resources/slack-shapes/}, one file per shape the
 * app manifest's subscriptions, slash commands, shortcut and modal deliver, Slack Connect variants
 * and malformed ones) posted signed to the real {@link SlackHttpEndpoint} and Bolt of one running
 * adapter, in which case ACME-1 has been filed. Each row says what must happen: the inbound reaches
 * the desk with its key, the person's identity (workspace included) and its kind; or the request is
 * acknowledged 200 and nothing reaches the desk; or it is refused 400 with a reason. A file without a
 * row fails {@link #everyShapeInTheCorpusHasARow()}. Over the whole run, nothing the requests carry
 * (the legacy verification token, customer text) reaches the log, and Bolt never calls
 * {@code bots.info} before an acknowledgement.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlackShapesCorpusTest {

  /** What a shape must cause. */
  sealed interface Expect permits Reaches, Ignored, Refused, Challenge {}

  /** 200, and exactly one inbound with {@code key} from {@code person} of {@code kind} reaches the desk. */
  record Reaches(String key, Identity person, Class<? extends Inbound.Input> kind) implements Expect {}

  /** 200 and no inbound. */
  record Ignored() implements Expect {}

  /** 400 {@code {"error":"malformed request","reason":...}} with {@code reason} in the reason; no inbound. */
  record Refused(String reason) implements Expect {}

  /** 200 with the challenge echoed, as url_verification wants. */
  record Challenge(String challenge) implements Expect {}

  private static final Identity ANA = SlackWire.ANA;
  private static final Identity CARL = SlackWire.CARL;
  private static final Identity EVE = SlackWire.EVE;
  private static final String SECRET_MARKERS = "MUST-NOT-BE-LOGGED";

  private static Map<String, Expect> table() {
    Map<String, Expect> t = new LinkedHashMap<>();
    // slash commands (form-encoded)
    t.put("cmd-help-vendor-contact.form", new Reaches("slack:trigger:1111.2222.cmdhelp", ANA, Inbound.Command.class));
    t.put("cmd-queue-slack-connect.form", new Reaches("slack:trigger:1111.2222.cmdqueue", CARL, Inbound.Command.class));
    t.put("cmd-sla-in-dm.form", new Reaches("slack:trigger:1111.2222.cmdsla", EVE, Inbound.Command.class));
    // interactivity
    t.put("action-claim-by-engineer.payload.json", new Reaches("slack:action:3333.4444.claim", EVE,
        Inbound.Picked.class));
    t.put("action-slack-connect-user-without-team.payload.json", new Reaches("slack:action:3333.4444.carlcancel", CARL,
        Inbound.Picked.class));
    t.put("action-in-a-modal-ignored.payload.json", new Ignored());
    t.put("view-submission-intake.payload.json", new Reaches("slack:view:V0SHAPE1", ANA, Inbound.Submitted.class));
    t.put("view-closed-intake.payload.json", new Reaches("slack:view-closed:V0SHAPE2", ANA, Inbound.Picked.class));
    t.put("view-closed-other-modal-ignored.payload.json", new Ignored());
    t.put("shortcut-vendor-contact.payload.json", new Reaches("slack:trigger:7777.8888.shortcutana", ANA,
        Inbound.FileMessage.class));
    t.put("shortcut-slack-connect-user-without-team.payload.json", new Reaches("slack:trigger:7777.8888.shortcutcarl",
        CARL, Inbound.FileMessage.class));
    t.put("shortcut-unknown-callback-ignored.payload.json", new Ignored());
    t.put("global-shortcut-ignored.payload.json", new Ignored());
    t.put("unknown-interactivity-type-ignored.payload.json", new Ignored());
    // Events API: messages people type
    t.put("ev-message-vendor-contact.json", new Reaches("slack:message:C0ACME:1764000401.000100", ANA, Inbound.Said.class));
    t.put("ev-message-slack-connect-thread-reply.json", new Reaches("slack:message:C0ACME:1764000402.000100", CARL, Inbound.Said.class));
    t.put("ev-message-slack-connect-team-only.json", new Reaches("slack:message:C0ACME:1764000403.000100", CARL, Inbound.Said.class));
    t.put("ev-thread-broadcast-slack-connect-no-team.json", new Reaches("slack:message:C0ACME:1764000404.000100", CARL,
        Inbound.Said.class));
    t.put("ev-file-share-slack-connect-no-team.json", new Reaches("slack:message:C0ACME:1764000405.000100", CARL, Inbound.Said.class));
    t.put("ev-message-direct.json", new Reaches("slack:message:D0ANA:1764000406.000100", ANA, Inbound.Said.class));
    // Events API: deliveries the desk has no use for
    for (String f : List.of("ev-bot-message-other-bot-ignored.json", "ev-own-bot-message-ignored.json",
        "ev-own-bot-message-without-user-ignored.json",
        "ev-own-bot-user-without-bot-id-ignored.json", "ev-message-changed-ignored.json",
        "ev-message-deleted-ignored.json", "ev-me-message-ignored.json", "ev-channel-join-ignored.json",
        "ev-channel-leave-ignored.json", "ev-channel-topic-ignored.json", "ev-channel-purpose-ignored.json",
        "ev-channel-name-ignored.json", "ev-channel-archive-ignored.json", "ev-channel-unarchive-ignored.json",
        "ev-group-topic-ignored.json", "ev-group-join-ignored.json", "ev-channel-posting-permissions-ignored.json",
        "ev-message-replied-ignored.json", "ev-ekm-access-denied-ignored.json",
        "ev-app-mention-not-subscribed-ignored.json", "app-rate-limited-ignored.json")) {
      t.put(f, new Ignored());
    }
    t.put("url-verification.json", new Challenge("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"));
    // malformed, correctly signed
    t.put("bad-json-array.json", new Refused("the body is a JSON array, not an object"));
    t.put("bad-not-json.json", new Refused("the body is not valid JSON"));
    t.put("bad-json-without-type.json", new Refused("the JSON body has no \"type\""));
    t.put("bad-url-verification-without-challenge.json", new Refused("url_verification has no \"challenge\""));
    t.put("bad-event-callback-without-event.json", new Refused("event_callback has no \"event\" object"));
    t.put("bad-event-callback-without-event-id.json", new Refused("event_callback has no \"event_id\""));
    t.put("bad-event-without-type.json", new Refused("the event has no \"type\""));
    t.put("bad-message-ts-not-a-timestamp.json", new Refused("message event's \"ts\" is not a Slack timestamp"));
    t.put("bad-message-without-channel.json", new Refused("message event has no \"channel\""));
    t.put("bad-payload-not-json.raw", new Refused("payload is not valid JSON"));
    t.put("bad-payload-json-array.raw", new Refused("payload is a JSON array, not an object"));
    t.put("bad-action-without-user.payload.json", new Refused("block_actions payload has no \"user\""));
    t.put("bad-action-without-channel-or-view.payload.json",
        new Refused("block_actions payload has neither a \"channel\" nor a \"view\""));
    t.put("bad-view-submission-without-view.payload.json", new Refused("view_submission payload has no \"view\""));
    t.put("bad-shortcut-without-message.payload.json", new Refused("message_action payload has no \"message\""));
    t.put("bad-cmd-without-user.form", new Refused("slash command has no \"user_id\""));
    t.put("bad-form-neither-command-nor-payload.raw",
        new Refused("the body is neither JSON nor a form with command or payload"));
    t.put("bad-empty-body.raw", new Refused("the body is empty"));
    return t;
  }

  @TempDir static Path dir;
  private SlackWire wire;
  private String rootTs;
  private final ObjectMapper json = new ObjectMapper();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream stderr;

  @BeforeAll
  void start() throws Exception {
    // slf4j-simple writes to whatever System.err is at the time: the run's log is kept to be searched
    stderr = System.err;
    System.setErr(new PrintStream(new TeeStream(stderr, log), true, StandardCharsets.UTF_8));
    wire = new SlackWire(dir, new SlackChatGateway.UpdateLimits(java.time.Duration.ZERO, 50));
    rootTs = wire.fileAcmeCase();
  }

  @AfterAll
  void stop() {
    wire.close();
    System.setErr(stderr);
  }

  static Stream<Arguments> shapes() {
    return table().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @Test
  void everyShapeInTheCorpusHasARow() {
    assertThat(table().keySet()).containsExactlyInAnyOrderElementsOf(SlackShapes.files());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapes")
  void eachShapeIsAnsweredAsItsRowSays(String file, Expect expect) throws Exception {
    SlackShapes.Shape shape = SlackShapes.load(file, Map.of("ROOT_TS", rootTs,
        "INTAKE_METADATA", SlackWire.ACME_INTAKE_METADATA));
    int before = wire.handled.size();
    int botsInfo = wire.api.calls("bots.info").size();
    int logged = log.size();

    HttpResponse<String> r = wire.post(shape.contentType(), shape.body());
    wire.settle();

    List<Inbound> reached = wire.handled.subList(before, wire.handled.size());
    switch (expect) {
      case Reaches want -> {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(reached).singleElement().satisfies(in -> {
          assertThat(in.key()).isEqualTo(want.key());
          assertThat(in.person()).isEqualTo(want.person());
          assertThat(in.input()).isInstanceOf(want.kind());
        });
      }
      case Ignored ignored -> {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(reached).isEmpty();
      }
      case Refused want -> {
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json.readTree(r.body()).path("error").asText()).isEqualTo("malformed request");
        assertThat(json.readTree(r.body()).path("reason").asText()).contains(want.reason());
        assertThat(reached).isEmpty();
      }
      case Challenge want -> {
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(want.challenge());
        assertThat(reached).isEmpty();
      }
    }
    assertThat(r.body()).doesNotContain(SECRET_MARKERS);
    // Bolt's self-event check is off: no Web API call stands between a delivery and its acknowledgement
    assertThat(wire.api.calls("bots.info")).hasSize(botsInfo);
    String written = log.toString(StandardCharsets.UTF_8);
    assertThat(written.substring(Math.min(logged, written.length()))).as("the log").doesNotContain(SECRET_MARKERS);
  }

  /** Copies what is written to the console into a buffer as well. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) throws java.io.IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }

    @Override
    public void flush() throws java.io.IOException {
      a.flush();
      b.flush();
    }
  }
}
