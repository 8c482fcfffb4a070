package org.supportbot.app.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.supportbot.app.platform.DeskLink;
import org.supportbot.app.platform.OutboundRouter;
import org.supportbot.app.platform.PlatformMetrics;
import org.supportbot.app.slack.RecordingSlackApi.Call;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.config.settings.PostgresLocation;
import org.supportbot.core.chat.DeskSettings;
import org.supportbot.core.chat.SupportDesk;
import org.supportbot.core.conversation.KnowledgeSuggestions;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.Directory;
import org.supportbot.core.directory.Engineer;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.TimerPlan;
import org.supportbot.core.outbox.Backoff;
import org.supportbot.core.outbox.Outbox;
import org.supportbot.core.store.postgres.PostgresDatabase;
import org.supportbot.core.store.postgres.PostgresDeskStores;
import org.supportbot.core.testing.Await;
import org.supportbot.core.testing.DeskFixture;
import org.supportbot.core.testing.HeldDirectoryStore;
import org.supportbot.core.testing.MutableClock;
import org.supportbot.core.testing.PostgresCluster;

/**
 * Slack Socket Mode with three instances on one real PostgreSQL database, each holding its own Socket Mode
 * connection to one local Socket Mode server that spreads envelopes over the connections round robin and sends
 * some of them again on another connection (as Slack does with an envelope it thinks was not acknowledged in
 * time). Every acknowledged envelope has exactly one effect, no message is posted twice, and the replies typed in
 * one case thread reach the case's log in the order they were acknowledged, also when the instance handling the
 * first is held while another instance gets the second.
 */
class SlackSocketModeInstancesOnPostgresTest {
  static final String TEAM = SlackWire.TEAM;
  static final String ACME = SlackWire.ACME;
  static final Identity ANA = SlackWire.ANA;
  static final Identity CARL = SlackWire.CARL;
  static final Identity EVE = SlackWire.EVE;

  /** A Socket Mode server holding one connection per instance, known by the path the instance connected to. */
  static final class SpreadingSocketMode extends WebSocketServer {
    final Map<String, WebSocket> connections = new ConcurrentHashMap<>();
    /** Acknowledged envelope ids, with the instance whose connection acknowledged each, in order. */
    final List<String[]> acks = new CopyOnWriteArrayList<>();
    private final ObjectMapper json = new ObjectMapper();

    SpreadingSocketMode() {
      super(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      setReuseAddr(true);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
      connections.put(handshake.getResourceDescriptor().substring(1), conn);
      conn.send("{\"type\":\"hello\",\"num_connections\":3,\"debug_info\":{\"host\":\"local\"},"
          + "\"connection_info\":{\"app_id\":\"A0APP\"}}");
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
      String instance = connections.entrySet().stream().filter(e -> e.getValue() == conn).map(Map.Entry::getKey)
          .findFirst().orElse("?");
      try {
        String id = json.readTree(message).path("envelope_id").asText();
        if (!id.isEmpty()) {
          acks.add(new String[] {id, instance});
        }
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

    @Override
    public void onError(WebSocket conn, Exception ex) {}

    @Override
    public void onStart() {}

    void push(String instance, String envelope) {
      connections.get(instance).send(envelope);
    }

    boolean acknowledged(String envelopeId) {
      return acks.stream().anyMatch(a -> a[0].equals(envelopeId));
    }
  }

  /** One instance: its own pool and lease name, desk and Socket Mode connection. */
  final class Instance implements AutoCloseable {
    final String name;
    final PostgresDatabase db;
    final PostgresDeskStores stores;
    final HeldDirectoryStore held;
    final SlackRunner.SocketRunning socket;

    Instance(String name, boolean seed) throws Exception {
      this.name = name;
      db = PostgresDatabase.open(desk, Optional.of(pg.password()), Optional.of(name));
      stores = new PostgresDeskStores(db, clock);
      held = HeldDirectoryStore.wrap(stores.directory());
      Directory directory = new Directory(held.store(), catalog::get);
      if (seed) {
        directory.register(Organization.of("acme", "ACME", "Acme Corp", "atheer").withPurchasedContacts(1));
        directory.store().bindChannel("slack", TEAM, ACME, "acme");
        directory.addContact(new Contact("acme", ANA, "ana"));
        directory.addContact(new Contact("acme", CARL, "carl"));
        directory.store().saveEngineer(new Engineer(EVE, "eve", Engineer.Role.ENGINEER));
      }
      SupportDesk.EventFeed feed = new SupportDesk.EventFeed();
      IncidentDesk incidents = new IncidentDesk(stores.incidents(), stores.timers(), directory, catalog::get,
          new TimerPlan(List.of(50, 75, 90)), clock, feed);
      DeskSettings settings = new DeskSettings(SlackWire.place(SlackWire.TRIAGE), List.of(),
          Map.of(), Duration.ofHours(24), LocalTime.of(8, 0), ZoneId.of("America/Los_Angeles"));
      SupportDesk supportDesk = new SupportDesk(incidents, feed, new Outbox(stores.outbox(), clock, Backoff.DEFAULT),
          directory, catalog::get, KnowledgeSuggestions.NONE, stores.conversations(), settings, clock);
      String appToken = "xapp-test-" + name;
      api.openSocketsAt(appToken, "ws://127.0.0.1:" + server.getPort() + "/" + name);
      SlackSettings slackSettings = new SlackSettings(SlackWire.TOKEN, SlackWire.SECRET, Optional.of(appToken),
          Duration.ofHours(1), SlackChatGateway.UpdateLimits.TIER_3, Optional.of(SlackWire.REACTION));
      socket = SlackRunner.startSocketMode(slackSettings, slack, supportDesk, stores.directory(), catalog::get,
          new JdbcSlackMessageStore(db), stores.inbox(), clock,
          new DeskLink(PlatformMetrics.NONE, new OutboundRouter(), true));
    }

    SlackAdapter adapter() {
      return socket.adapter();
    }

    @Override
    public void close() {
      socket.close();
      stores.close();
    }
  }

  private final PostgresCluster pg = PostgresCluster.shared();
  private final PostgresLocation desk = pg.newDatabase();
  private final MutableClock clock = new MutableClock(SlackWire.START);
  private final PolicyCatalog catalog = DeskFixture.catalog();
  private final RecordingSlackApi api;
  private final ObjectMapper json = new ObjectMapper();
  private final List<Instance> instances = new ArrayList<>();
  private SpreadingSocketMode server;
  private Slack slack;
  private int envelopes;

  SlackSocketModeInstancesOnPostgresTest() throws java.io.IOException {
    api = new RecordingSlackApi(SlackWire.TOKEN);
  }

  @AfterEach
  void stop() throws Exception {
    for (Instance i : instances.reversed()) {
      i.close();
    }
    if (server != null) {
      server.stop(1000);
    }
    api.close();
  }

  @Test
  void threeInstancesOnOneDatabaseGiveEveryEnvelopeOneEffectAndKeepEachThreadInOrder() throws Exception {
    for (Identity person : List.of(ANA, CARL, EVE)) {
      api.knowUser(person.userId(), person.workspace());
    }
    server = new SpreadingSocketMode();
    server.start();
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(api.prefix());
    slack = Slack.getInstance(config);
    for (int i = 0; i < 3; i++) {
      instances.add(new Instance("i" + i, i == 0));
    }
    Await.until(() -> server.connections.keySet().containsAll(List.of("i0", "i1", "i2")), "three connections");

    // Ana files ACME-1: /support reaches i0, the modal's submission i1
    send("i0", slashCommand(ANA, "/support", "4004.5005.file"), Optional.empty());
    settleUntil(() -> !api.calls("views.open").isEmpty(), "the intake modal");
    String metadata = json.readTree(api.calls("views.open").getLast().param("view")).path("private_metadata").asText();
    send("i1", interactive(SlackWire.viewSubmission(ANA, "V0FILE", metadata, SlackWire.typedAnswers(),
        SlackWire.selectedAnswers())), Optional.empty());
    JdbcSlackMessageStore refs = new JdbcSlackMessageStore(instances.getFirst().db);
    settleUntil(() -> refs.find(TEAM, "thread:ACME-1").isPresent(), "ACME-1's thread");
    String root = refs.find(TEAM, "thread:ACME-1").orElseThrow().ts();

    // the first reply is held inside i2's desk; the second reaches i0 meanwhile and must wait for it
    List<String> replies = new ArrayList<>();
    Instance i2 = instances.get(2);
    i2.held.hold();
    replies.add("reply 0");
    send("i2", reply(0, root), Optional.empty());
    Await.until(() -> i2.held.waiting() > 0, "i2 handling the first reply");
    replies.add("reply 1");
    send("i0", reply(1, root), Optional.empty());
    Await.until(() -> releasedByItsInstance(SlackAdapter.messageKey(ACME, ts(1))),
        "i0 to leave the second reply to the instance handling the first");
    i2.held.release();

    // then replies and /help commands round robin, every third envelope sent again on the next connection
    Set<String> helps = new LinkedHashSet<>();
    int resent = 0;
    for (int k = 2; k < 32; k++) {
      String to = "i" + (k % 3);
      Optional<String> again = k % 3 == 0 ? Optional.of("i" + ((k + 1) % 3)) : Optional.empty();
      resent += again.isPresent() ? 1 : 0;
      if (k % 4 == 0) {
        String trigger = "4004.5005.help" + k;
        helps.add(trigger);
        send(to, slashCommand(k % 8 == 0 ? CARL : EVE, "/help", trigger), again);
      } else {
        replies.add("reply " + k);
        send(to, reply(k, root), again);
      }
    }
    settleUntil(() -> instances.getFirst().stores.inbox().pendingCount("slack") == 0
        && instances.getFirst().stores.outbox().pendingCount() == 0, "the inbox and the outbox to empty");

    // every acknowledged envelope: one effect
    assertThat(server.acks.stream().map(a -> a[0]).distinct().count()).as("every envelope acknowledged")
        .isEqualTo(envelopes);
    assertThat(server.acks.size()).as("the resent ones twice").isEqualTo(envelopes + resent);
    List<String> logged = instances.getFirst().stores.incidents().events(IncidentNumber.parse("ACME-1")).stream()
        .filter(e -> e instanceof IncidentEvent.CustomerReplied).map(e -> ((IncidentEvent.CustomerReplied) e).text())
        .toList();
    assertThat(logged).as("each reply once, in the order acknowledged").isEqualTo(replies);
    assertThat(api.calls("chat.postEphemeral")).as(api.describe()).hasSize(helps.size())
        .allSatisfy(c -> assertThat(c.param("text")).startsWith("Commands:"));
    assertThat(api.calls("views.open")).hasSize(1);
    // every post of the outbox carries its outbox id in its metadata: none was posted twice
    List<Call> posts = api.calls("chat.postMessage");
    assertThat(posts).extracting(c -> c.param("metadata")).as(api.describe()).doesNotContainNull()
        .doesNotHaveDuplicates();
    assertThat(posts).filteredOn(c -> c.param("text").startsWith("The customer replied on *ACME-1*"))
        .as("the triage channel told of each reply once").hasSize(replies.size());
  }

  /** The ts of Ana's reply {@code k} in ACME-1's thread. */
  private static String ts(int k) {
    return "1764000500.%06d".formatted(k + 1);
  }

  private String reply(int k, String root) throws Exception {
    ObjectNode envelope = json.createObjectNode().put("envelope_id", "env-reply-" + k).put("type", "events_api")
        .put("accepts_response_payload", false).put("retry_attempt", 0).put("retry_reason", "");
    envelope.set("payload", json.readTree(SlackWire.messageEvent(clock.instant(), "Ev0REPLY" + k, ANA, ACME, ts(k),
        root, "reply " + k)));
    return envelope.toString();
  }

  private String slashCommand(Identity who, String command, String trigger) {
    ObjectNode envelope = json.createObjectNode().put("envelope_id", "env-" + trigger).put("type", "slash_commands")
        .put("accepts_response_payload", true);
    envelope.putObject("payload").put("token", "legacy-verification-token").put("team_id", TEAM)
        .put("team_domain", "vendor").put("channel_id", ACME).put("channel_name", "acme-support")
        .put("user_id", who.userId()).put("user_name", who.userId().toLowerCase()).put("command", command)
        .put("text", "").put("api_app_id", "A0APP").put("is_enterprise_install", "false")
        .put("response_url", "http://127.0.0.1:9/commands/" + trigger).put("trigger_id", trigger);
    return envelope.toString();
  }

  private String interactive(ObjectNode payload) {
    ObjectNode envelope = json.createObjectNode().put("envelope_id", "env-view-" + payload.path("view").path("id")
        .asText()).put("type", "interactive").put("accepts_response_payload", true);
    envelope.set("payload", payload);
    return envelope.toString();
  }

  /**
   * Sends an envelope on {@code to}'s connection and, when {@code again} names one, the same envelope at once on
   * that connection too; waits for an acknowledgement before the next envelope goes out, so that the order of
   * acknowledgement is the order sent.
   */
  private void send(String to, String envelope, Optional<String> again) throws Exception {
    String id = json.readTree(envelope).path("envelope_id").asText();
    envelopes++;
    server.push(to, envelope);
    again.ifPresent(other -> server.push(other, envelope));
    Await.until(() -> server.acknowledged(id), "the acknowledgement of " + id);
  }

  /** Whether the inbox entry of {@code key} is pending and held by no instance (left to the turn's holder). */
  private boolean releasedByItsInstance(String key) {
    return instances.getFirst().db.read(c -> {
      try (var ps = c.prepareStatement("SELECT claimed_by IS NULL AND done_ms IS NULL FROM inbox WHERE idem_key = ?")) {
        ps.setString(1, key);
        try (var rs = ps.executeQuery()) {
          return rs.next() && rs.getBoolean(1);
        }
      }
    });
  }

  /**
   * Moves the clock a second on (Slack's limit of a post per channel per second) and ticks every instance (hands
   * out what each holds the outbox lane of, takes over what others left), until {@code condition} holds.
   */
  private void settleUntil(java.util.function.BooleanSupplier condition, String what) throws Exception {
    Await.until(() -> {
      clock.advance(Duration.ofSeconds(1));
      for (Instance i : instances) {
        i.adapter().tick();
      }
      for (Instance i : instances) {
        try {
          i.adapter().awaitIdle(Await.HUNG);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      return condition.getAsBoolean();
    }, what);
  }
}
