package org.supportbot.app.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.slack.RecordingSlackApi.Call;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.sqlite.SqliteInboxStore;
import org.supportbot.core.testing.Await;
import org.supportbot.core.testing.MutableClock;

/**
 * Acknowledged Slack requests survive {@code kill -9}: a child process ({@link SlackCrashWorker}) serves the
 * real endpoint against this process's {@link RecordingSlackApi}; the Web API holds the child's desk
 * executor inside the first request's {@code views.open}, so the second request is acknowledged but never
 * handled; the child is killed; the adapter restarted here on the same database file handles the second
 * request exactly once, the first not again, and ignores a retry of either.
 */
class SlackInboxCrashTest {
  private static final String HELP_TRIGGER = "2002.3003.help";

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(SlackWire.START);
  private final SlackRequestVerifier signer = new SlackRequestVerifier(SlackWire.SECRET, clock);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private RecordingSlackApi api;
  private Process child;
  private SlackWire wire;

  @AfterEach
  void stop() {
    if (child != null) {
      child.destroyForcibly();
    }
    if (wire != null) {
      wire.close();
    }
    if (api != null) {
      api.release();
      api.close();
    }
  }

  private HttpResponse<String> post(int port, String body) throws Exception {
    String ts = Long.toString(clock.instant().getEpochSecond());
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/events"))
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", SlackWire.FORM)
        .header("X-Slack-Request-Timestamp", ts)
        .header("X-Slack-Signature", signer.signatureFor(ts, bytes))
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private int startChild() throws Exception {
    child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
        System.getProperty("java.class.path"), SlackCrashWorker.class.getName(), dir.toString(), api.prefix())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("READY ")) {
        return Integer.parseInt(line.substring(6));
      }
    }
    throw new AssertionError("the worker process ended before it served (exit " + child.waitFor() + ")");
  }

  private static boolean isHelpReply(Call c) {
    return c.method().equals("chat.postEphemeral") && c.param("user").equals("U0ANA")
        && c.param("text").startsWith("Commands:");
  }

  @Test
  void anAcknowledgedRequestNotYetHandledWhenTheProcessIsKilledIsHandledOnceAfterTheRestart() throws Exception {
    api = new RecordingSlackApi(SlackWire.TOKEN);
    api.hold("views.open");
    int port = startChild();

    HttpResponse<String> support = post(port, SlackWire.slashCommand(SlackWire.ANA, SlackWire.ACME, "/support", "",
        "1001.2002.support"));
    assertThat(support.statusCode()).isEqualTo(200);
    Await.until(() -> api.calls("views.open").size() == 1, "the child's executor to be held in views.open");
    HttpResponse<String> help = post(port, SlackWire.slashCommand(SlackWire.ANA, SlackWire.ACME, "/help", "",
        HELP_TRIGGER));
    assertThat(help.statusCode()).as("acknowledged while the executor is busy").isEqualTo(200);

    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    api.release();
    assertThat(api.calls()).noneMatch(SlackInboxCrashTest::isHelpReply);
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("desk.db"), SqliteDatabase.Durability.NORMAL)) {
      assertThat(new SqliteInboxStore(db, clock).pendingCount("slack")).as("both acknowledged, neither done")
          .isEqualTo(2);
    }

    int before = api.calls().size();
    wire = new SlackWire(dir, new SlackChatGateway.UpdateLimits(Duration.ZERO, 50), api);
    wire.settle();
    // the desk's messages of the first request were left undelivered in the outbox by the kill, and the
    // reply to the second waits behind them in the same lane: the outbox hands them out on the next tick
    wire.adapter.tick();
    wire.settle();

    List<Call> after = api.calls().subList(before, api.calls().size());
    assertThat(after).as(api.describe()).filteredOn(SlackInboxCrashTest::isHelpReply).hasSize(1);
    assertThat(after).as("the first request was handled before the kill: no second modal")
        .noneMatch(c -> c.method().equals("views.open"));
    assertThat(after).as("the modal never opened: its intake goes on as ephemeral questions")
        .anySatisfy(c -> assertThat(c.param("text")).startsWith("(1/13)"));
    assertThat(new SqliteInboxStore(wire.db, wire.clock).pendingCount("slack")).isZero();

    // Slack's retry of the acknowledged request, after the restart: no second effect
    int settled = api.calls().size();
    assertThat(wire.post(SlackWire.FORM, SlackWire.slashCommand(SlackWire.ANA, SlackWire.ACME, "/help", "",
        HELP_TRIGGER), Duration.ZERO, true, java.util.Map.of("X-Slack-Retry-Num", "1")).statusCode()).isEqualTo(200);
    wire.settle();
    assertThat(api.calls()).hasSize(settled);
  }
}
