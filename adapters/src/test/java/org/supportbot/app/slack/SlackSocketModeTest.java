package org.supportbot.app.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.supportbot.core.testing.Await;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.slack.RecordingSlackApi.Call;

/**
 * Socket Mode against a local Socket Mode server on loopback: {@code apps.connections.open} (with
 * the app-level token) returns its ws:// URL, it greets with {@code hello}, pushes envelopes shaped
 * as Slack sends them and records the acknowledgements.
 */
class SlackSocketModeTest {

  /** A minimal Slack Socket Mode server. */
  static final class LocalSocketMode extends WebSocketServer {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch connected = new CountDownLatch(1);
    final List<String> received = new CopyOnWriteArrayList<>();
    private volatile WebSocket client;

    LocalSocketMode() {
      super(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      setReuseAddr(true);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
      client = conn;
      conn.send("{\"type\":\"hello\",\"num_connections\":1,\"debug_info\":{\"host\":\"local\","
          + "\"approximate_connection_time\":18060},\"connection_info\":{\"app_id\":\"A0APP\"}}");
      connected.countDown();
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
      received.add(message);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

    @Override
    public void onError(WebSocket conn, Exception ex) {}

    @Override
    public void onStart() {
      started.countDown();
    }

    void push(String envelope) {
      client.send(envelope);
    }
  }

  @TempDir Path dir;
  private final ObjectMapper json = new ObjectMapper();
  private LocalSocketMode server;
  private SlackWire wire;

  @AfterEach
  void stop() throws Exception {
    if (wire != null) {
      wire.close();
    }
    if (server != null) {
      server.stop(1000);
    }
  }

  private void connect() throws Exception {
    server = new LocalSocketMode();
    server.start();
    assertThat(server.started.await(Await.HUNG.toSeconds(), TimeUnit.SECONDS)).isTrue();
    wire = new SlackWire(dir, SlackChatGateway.UpdateLimits.TIER_3, "ws://127.0.0.1:" + server.getPort() + "/link");
    assertThat(server.connected.await(Await.HUNG.toSeconds(), TimeUnit.SECONDS)).isTrue();
  }

  /** A slash_commands envelope of {@code command} by Ana in Acme's channel. */
  private String slashEnvelope(String envelopeId, String command, String trigger) {
    ObjectNode envelope = json.createObjectNode().put("envelope_id", envelopeId).put("type", "slash_commands")
        .put("accepts_response_payload", true);
    envelope.putObject("payload").put("token", "legacy-verification-token").put("team_id", SlackWire.TEAM)
        .put("team_domain", "vendor").put("channel_id", SlackWire.ACME).put("channel_name", "acme-support")
        .put("user_id", SlackWire.ANA.userId()).put("user_name", "ana").put("command", command).put("text", "")
        .put("api_app_id", "A0APP").put("is_enterprise_install", "false")
        .put("response_url", "http://127.0.0.1:9/commands/socket").put("trigger_id", trigger);
    return envelope.toString();
  }

  private boolean acknowledged(String envelopeId) {
    return server.received.stream().anyMatch(m -> m.contains(envelopeId));
  }

  @Test
  void anEnvelopeWhoseInboxWriteFailsIsNotAcknowledgedSoSlackSendsItAgain() throws Exception {
    connect();
    wire.db.write(c -> {
      try (java.sql.Statement s = c.createStatement()) {
        s.execute("ALTER TABLE inbox RENAME TO inbox_away"); // writes to the inbox fail meanwhile
      }
      return null;
    });
    server.push(slashEnvelope("env-0002", "/help", "4004.5005.refused"));
    org.supportbot.core.testing.Await.until(() -> wire.adapter.inboxFailures() == 1, "the inbox write to fail");
    wire.db.write(c -> {
      try (java.sql.Statement s = c.createStatement()) {
        s.execute("ALTER TABLE inbox_away RENAME TO inbox");
      }
      return null;
    });
    server.push(slashEnvelope("env-0003", "/help", "4004.5005.stored"));
    org.supportbot.core.testing.Await.until(() -> acknowledged("env-0003"), "the next envelope's acknowledgement");
    wire.settle();

    assertThat(acknowledged("env-0002")).as("Slack resends an envelope it got no acknowledgement for").isFalse();
    assertThat(wire.api.calls("chat.postEphemeral")).as(wire.api.describe()).singleElement()
        .satisfies(c -> assertThat(c.param("text")).startsWith("Commands:"));
  }

  @Test
  void aSlashCommandOverTheSocketIsAcknowledgedAndOpensTheIntakeModal() throws Exception {
    connect();
    server.push(slashEnvelope("env-0001", "/support", "4004.5005.socket"));

    Await.until(() -> server.received.stream().anyMatch(m -> m.contains("env-0001")), "the envelope's acknowledgement");
    assertThat(server.received).anySatisfy(m ->
        assertThat(json.readTree(m).path("envelope_id").asText()).isEqualTo("env-0001"));
    wire.settle();
    // the SDK may open a connection more than once (it refreshes the socket URL); all with the app token
    assertThat(wire.api.calls()).extracting(Call::method).as(wire.api.describe())
        .containsOnly("apps.connections.open", "views.open").containsOnlyOnce("views.open");
    assertThat(wire.api.calls("apps.connections.open")).isNotEmpty()
        .allSatisfy(c -> assertThat(c.token()).isEqualTo(SlackWire.APP_TOKEN));
    assertThat(wire.api.calls("views.open")).singleElement()
        .satisfies(c -> assertThat(c.param("trigger_id")).isEqualTo("4004.5005.socket"));
  }
}
