package org.supportbot.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.outbox.OutboxStore;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.sqlite.SqliteOutboxStore;
import org.supportbot.core.time.ManualClock;
import org.supportbot.kb.live.LiveSources;

/**
 * {@code GET /health} through a real {@link OpsServer}, degraded (503 with the reason) while the desk's
 * messages do not get out: an outbox message on a real SQLite file older than its limit, or a platform
 * that refused every call for its limit. The clock is moved by hand; each flip is asserted at the exact
 * second it happens.
 */
class HealthDegradedTest {
  private static final Instant T0 = Instant.parse("2026-11-23T17:00:00Z");
  private static final ChatPlace C1 = new ChatPlace("slack", "T1", "C1", "");

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(T0);
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private SqliteDatabase db;
  private OpsServer ops;
  private HealthCheck health;

  @BeforeEach
  void start() throws Exception {
    db = SqliteDatabase.open(dir.resolve("desk.db"), SqliteDatabase.Durability.NORMAL);
    health = new HealthCheck(at -> new IncidentDesk.TimerCounts(0, 0, 0), clock);
    ops = OpsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new OpsMetrics(), health);
  }

  @AfterEach
  void stop() {
    ops.close();
    db.close();
  }

  @Test
  void anUndeliveredMessageOlderThanTheLimitDegradesHealthUntilItIsDelivered() throws Exception {
    SqliteOutboxStore store = new SqliteOutboxStore(db);
    health.outbox(store::oldestPendingRecordedAt, Duration.ofMinutes(5));
    assertThat(get().statusCode()).isEqualTo(200);
    long id = store.record(new OutboxStore.Batch(List.of(Outbound.toPlace(C1, Outbound.Kind.NOTICE).text("n").build()),
        OptionalLong.empty(), List.of(), List.of(), Map.of(), T0)).getFirst();
    clock.advance(Duration.ofMinutes(5));
    HttpResponse<String> atLimit = get();
    assertThat(atLimit.statusCode()).as("exactly 5 minutes old is within the limit").isEqualTo(200);
    assertThat(json.readTree(atLimit.body()).get("outbox").toString())
        .isEqualTo("{\"oldest_recorded_at\":\"2026-11-23T17:00:00Z\",\"oldest_age_seconds\":300}");
    clock.advance(Duration.ofSeconds(1));
    HttpResponse<String> past = get();
    assertThat(past.statusCode()).isEqualTo(503);
    JsonNode body = json.readTree(past.body());
    assertThat(body.get("status").asText()).isEqualTo("degraded");
    assertThat(body.get("problems").toString()).isEqualTo("[\"the oldest undelivered message was recorded 301 s ago"
        + " (limit 300 s); the platforms are not taking the desk's messages, see the log\"]");
    store.delivered(id);
    HttpResponse<String> after = get();
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(json.readTree(after.body()).get("outbox").toString()).isEqualTo("{}");
  }

  @Test
  void aPlatformThatRefusedEveryCallForTheLimitDegradesHealthUntilACallSucceeds() throws Exception {
    AtomicLong ok = new AtomicLong(10);
    AtomicLong failed = new AtomicLong(2);
    health.platform("slack", () -> true).refusals("slack", new RefusalWatch(ok::get, failed::get, clock),
        Duration.ofMinutes(2));
    assertThat(get().statusCode()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(10));
    failed.incrementAndGet();
    ok.incrementAndGet();
    health.sample();
    clock.advance(Duration.ofMinutes(5));
    assertThat(get().statusCode()).as("a success alongside the failures: not every call was refused").isEqualTo(200);
    failed.incrementAndGet();
    health.sample(); // the first refusal since the last success, seen at 17:05:10
    clock.advance(Duration.ofSeconds(119));
    failed.addAndGet(40);
    HttpResponse<String> before = get();
    assertThat(before.statusCode()).isEqualTo(200);
    assertThat(json.readTree(before.body()).get("platforms").toString())
        .isEqualTo("{\"slack\":{\"connected\":true,\"failing_since\":\"2026-11-23T17:05:10Z\"}}");
    clock.advance(Duration.ofSeconds(1));
    HttpResponse<String> degraded = get();
    assertThat(degraded.statusCode()).isEqualTo(503);
    JsonNode body = json.readTree(degraded.body());
    assertThat(body.get("status").asText()).isEqualTo("degraded");
    assertThat(body.get("problems").toString())
        .isEqualTo("[\"slack has refused every call for 120 s (limit 120 s); its error codes are in the log\"]");
    ok.incrementAndGet();
    HttpResponse<String> recovered = get();
    assertThat(recovered.statusCode()).as("one call answered ends the run of refusals").isEqualTo(200);
    assertThat(json.readTree(recovered.body()).get("platforms").toString()).isEqualTo("{\"slack\":{\"connected\":true}}");
  }

  @Test
  void aDisconnectedPlatformIsUnhealthyAndADegradationIsListedWithIt() throws Exception {
    AtomicLong failed = new AtomicLong();
    health.platform("discord", () -> false).refusals("discord", new RefusalWatch(() -> 0, failed::get, clock),
        Duration.ofMinutes(2));
    failed.incrementAndGet();
    health.sample();
    clock.advance(Duration.ofMinutes(3));
    HttpResponse<String> r = get();
    assertThat(r.statusCode()).isEqualTo(503);
    JsonNode body = json.readTree(r.body());
    assertThat(body.get("status").asText()).isEqualTo("unhealthy");
    assertThat(body.get("problems").toString()).isEqualTo("[\"discord is not connected\",\"discord has refused every"
        + " call for 180 s (limit 120 s); its error codes are in the log\"]");
  }

  @Test
  void aForumWithoutACompleteFullSyncSinceTheStartForLongerThanTheLimitDegradesHealthNamingItsLastError()
      throws Exception {
    String forum = "https://forum.example.com";
    String error = "GET https://forum.example.com/t/77.json returned HTTP 500: the forum has a server error; retry"
        + " later. That topic was left as it was.";
    AtomicReference<LiveSources.FullSyncStatus> full = new AtomicReference<>(new LiveSources.FullSyncStatus(
        Optional.empty(), Optional.of(T0), Optional.empty(), Optional.of(error)));
    health.knowledgeBase(() -> new LiveSources.Status(T0, 1, Map.of(forum, new LiveSources.SourceStatus(
        Optional.of(clock.instant()), Optional.empty(), Optional.of(full.get())))), Duration.ofHours(1),
        Duration.ofHours(2));
    clock.advance(Duration.ofHours(2));
    HttpResponse<String> atLimit = get();
    assertThat(atLimit.statusCode()).as(atLimit.body()).isEqualTo(200);
    assertThat(json.readTree(atLimit.body()).get("knowledge_base").get("sources").toString()).isEqualTo("{\""
        + forum + "\":{\"last_success\":\"2026-11-23T19:00:00Z\",\"last_full_sync\":null,"
        + "\"last_full_sync_error\":" + json.writeValueAsString(error) + "}}");
    clock.advance(Duration.ofSeconds(1));
    HttpResponse<String> degraded = get();
    assertThat(degraded.statusCode()).isEqualTo(503);
    assertThat(json.readTree(degraded.body()).get("problems").toString()).isEqualTo(json.writeValueAsString(List.of(
        "the forum " + forum + " has completed no full sync in the 7201 s since the start (limit 7200 s), so topics"
            + " the site deleted may still be suggested; last full-sync error: " + error)));

    full.set(new LiveSources.FullSyncStatus(Optional.of(T0.plus(Duration.ofHours(2))), Optional.empty(),
        Optional.empty(), Optional.empty()));
    assertThat(get().statusCode()).as("a complete full sync ends it").isEqualTo(200);
  }

  @Test
  void aCompleteFullSyncThatSkippedTopicsNamesThemWithTheirErrorsWithoutDegradingHealth() throws Exception {
    String forum = "https://forum.example.com";
    String error = "GET https://forum.example.com/t/77.json returned HTTP 500: the forum has a server error; retry"
        + " later. That topic was left as it was.";
    health.knowledgeBase(() -> new LiveSources.Status(T0, 3, Map.of(forum, new LiveSources.SourceStatus(
        Optional.of(clock.instant()), Optional.empty(), Optional.of(new LiveSources.FullSyncStatus(Optional.of(T0),
            Optional.empty(), Optional.empty(), Optional.empty(), Map.of("77", error)))))), Duration.ofHours(1),
        Duration.ofHours(2));
    clock.advance(Duration.ofHours(2));

    HttpResponse<String> r = get();

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json.readTree(r.body()).get("knowledge_base").get("sources").toString()).isEqualTo("{\"" + forum
        + "\":{\"last_success\":\"2026-11-23T19:00:00Z\",\"last_full_sync\":\"2026-11-23T17:00:00Z\","
        + "\"full_sync_skipped\":[{\"id\":\"77\",\"error\":" + json.writeValueAsString(error) + "}]}}");
    assertThat(json.readTree(r.body()).get("problems").toString()).isEqualTo("[]");
  }

  private HttpResponse<String> get() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.address().getPort() + "/health"))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
