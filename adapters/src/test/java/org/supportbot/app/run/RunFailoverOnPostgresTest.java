package org.supportbot.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.Main;
import org.supportbot.app.slack.RecordingSlackApi;
import org.supportbot.app.slack.SlackRequestVerifier;
import org.supportbot.config.settings.PostgresLocation;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.directory.Directory;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.Actor;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.MessageRef;
import org.supportbot.core.incident.Origin;
import org.supportbot.core.incident.TimerPlan;
import org.supportbot.core.store.postgres.PostgresDatabase;
import org.supportbot.core.store.postgres.PostgresDeskStores;
import org.supportbot.core.testing.Await;
import org.supportbot.core.testing.DeskFixture;
import org.supportbot.core.testing.PostgresCluster;
import org.supportbot.core.time.ManualClock;

/**
 * Failover: three {@code supportbot run} processes (child JVMs, {@code SUPPORTBOT_INSTANCE} i0 to i2) on one
 * real PostgreSQL database, each serving the Slack endpoint against this process's {@link RecordingSlackApi}.
 * Signed {@code /update} commands are spread over the three at random (seeded) while one instance at a time is
 * {@code kill -9}ed at random moments and restarted under its name; before that, one instance is killed while
 * it holds acknowledged requests and stays down until the others took them over. Cases filed 30 days ago (by a desk in this
 * process) have every SLA timer due, so the instances fire them while being killed. At the end: every
 * acknowledged request had exactly one effect (one event with its key), every due timer fired exactly once
 * and its ping was posted, the updates were posted to the channel in the order of the case log, and no
 * message was posted twice.
 *
 * <p>The children run on the wall clock (their {@code main}), so the requests are signed by it too. Every wait
 * is on a condition, bounded by {@link Await#HUNG}; the random moments only decide where the kills fall.
 */
@Timeout(900) // only stops a hung test
class RunFailoverOnPostgresTest {
  static final String SLACK_TOKEN = "xoxb-failover-token";
  static final String SECRET = "failover-signing-secret-0123456789";
  static final int INSTANCES = 3;
  static final int CASES = 4;
  static final int KILLS = 4;
  static final int UPDATES = 60;
  private static final Pattern MARKER = Pattern.compile("\\bu(\\d+)x\\b");

  @TempDir Path dir;
  private final PostgresCluster pg = PostgresCluster.shared();
  private final PostgresLocation desk = pg.newDatabase();
  /** The children's clock: their main methods read the wall clock, and Slack's signatures must match it. */
  private final Clock wall = Clock.systemUTC();
  private final SlackRequestVerifier signer = new SlackRequestVerifier(SECRET, wall);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Random random = new Random(16);
  private final Process[] bots = new Process[INSTANCES];
  private final int[] ports = new int[INSTANCES];
  private int starts;
  private int seeds;
  private RecordingSlackApi slack;

  @AfterEach
  void stop() throws Exception {
    if (checks != null) {
      checks.close();
    }
    for (Process p : bots) {
      if (p != null) {
        p.destroyForcibly();
      }
    }
    if (slack != null) {
      slack.close();
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private Path settings(int i) throws IOException {
    Path file = dir.resolve("bot-" + i + ".yaml");
    Files.writeString(file, """
        database: "postgresql://127.0.0.1:%1$d/%2$s?user=%3$s"
        triage: slack/T0VENDOR/C0TRIAGE
        managers: [slack/T0VENDOR/U0MAX]
        organizations:
          - id: acme
            key: ACME
            policy: atheer
            purchased_contacts: 1
            channels: [slack/T0VENDOR/C0ACME]
            contacts: [slack/T0VENDOR/U0ANA]
        engineers:
          - { id: slack/T0VENDOR/U0EVE, role: engineer }
          - { id: slack/T0VENDOR/U0MAX, role: manager }
        slack: { mode: http, port: %4$d, path: /slack/events, api_url: "%5$s" }
        """.formatted(pg.port(), desk.database(), PostgresCluster.USER, ports[i], slack.prefix()));
    return file;
  }

  /** Starts instance {@code i} and waits until its Slack endpoint accepts connections. */
  private void start(int i) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-Xmx256m",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
        "--config", settings(i).toString());
    pb.environment().put("SLACK_BOT_TOKEN", SLACK_TOKEN);
    pb.environment().put("SLACK_SIGNING_SECRET", SECRET);
    pb.environment().put("SUPPORTBOT_DB_PASSWORD", pg.password());
    pb.environment().put("SUPPORTBOT_INSTANCE", "i" + i);
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("run-i" + i + "-" + (++starts) + ".log").toFile());
    Process p = pb.start();
    bots[i] = p;
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly)); // the test JVM stopped before @AfterEach
    Await.until(() -> !p.isAlive() || accepts(ports[i]), "instance i" + i + " to serve");
    assertThat(p.isAlive()).as("instance i%d started (see %s)", i, dir).isTrue();
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Files {@code n} P1 cases 30 days ago, so that every SLA timer of each is due now. */
  private List<IncidentNumber> fileOldCases(int n) {
    ManualClock past = new ManualClock(wall.instant().minus(Duration.ofDays(30)));
    List<IncidentNumber> filed = new ArrayList<>();
    try (PostgresDeskStores stores = new PostgresDeskStores(PostgresDatabase.open(desk, Optional.of(pg.password()),
        Optional.of("seeder")), past)) {
      Directory directory = new Directory(stores.directory(), DeskFixture.catalog()::get);
      IncidentDesk incidents = new IncidentDesk(stores.incidents(), stores.timers(), directory,
          DeskFixture.catalog()::get, new TimerPlan(List.of(50, 75, 90)), past, events -> { });
      Identity ana = new Identity("slack", RecordingSlackApi.TEAM, "U0ANA");
      for (int i = 0; i < n; i++) {
        int c = ++seeds;
        Origin o = new Origin("seed-" + c, Actor.customer(ana), past.instant(), Optional.of(new MessageRef("slack",
            "C0ACME", "seed-" + c)));
        IncidentOutcome out = incidents.handle(new IncidentCommand.File(o, "acme", new ChatPlace("slack",
            RecordingSlackApi.TEAM, "C0ACME", ""), "P1", "incident", "Beacon", "3.2.1", "Agent down " + c,
            Map.of("description", "The Beacon agent fails to start with BCN-4012 on every server " + c,
                "expected_result", "it starts", "steps_to_reproduce", "start it", "error_messages", "BCN-4012",
                "users_affected", "all", "business_impact", "nothing is monitored", "reproducible", "yes")));
        assertThat(out).isInstanceOf(IncidentOutcome.Filed.class);
        filed.add(((IncidentOutcome.Filed) out).incident());
      }
    }
    return filed;
  }

  private Optional<HttpResponse<String>> post(int port, String body, int retry) {
    String ts = Long.toString(wall.instant().getEpochSecond());
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/events"));
      if (retry > 0) {
        request.header("X-Slack-Retry-Num", Integer.toString(retry)).header("X-Slack-Retry-Reason", "http_error");
      }
      return Optional.of(http.send(request
          .timeout(Duration.ofSeconds(20))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .header("X-Slack-Request-Timestamp", ts)
          .header("X-Slack-Signature", signer.signatureFor(ts, bytes))
          .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty(); // the instance was killed under the request: not acknowledged
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String update(String number, int k) {
    return slash("U0EVE", "/update", number + " u" + k + "x", "fo." + k);
  }

  private static String slash(String user, String command, String text, String trigger) {
    Map<String, String> f = Map.of("team_id", RecordingSlackApi.TEAM, "channel_id", "C0ACME", "user_id", user,
        "command", command, "text", text, "api_app_id", "A0APP", "trigger_id", trigger,
        "response_url", "http://127.0.0.1:9/commands/" + trigger);
    StringBuilder b = new StringBuilder();
    f.forEach((key, v) -> b.append(b.isEmpty() ? "" : "&").append(URLEncoder.encode(key, StandardCharsets.UTF_8))
        .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return b.toString();
  }

  /** One connection for the checks (the wait below polls often). */
  private Connection checks;

  private long count(String sql) throws Exception {
    if (checks == null) {
      checks = pg.connect(desk.database());
    }
    try (Statement s = checks.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void threeInstancesKilledAtRandomMomentsGiveEveryAcknowledgedRequestAndTimerExactlyOneEffect() throws Exception {
    slack = new RecordingSlackApi(SLACK_TOKEN);
    for (int i = 0; i < INSTANCES; i++) {
      ports[i] = freePort();
    }
    start(0); // registers the organization and people of the settings
    for (int i = 1; i < INSTANCES; i++) {
      start(i);
    }
    List<IncidentNumber> cases = new java.util.concurrent.CopyOnWriteArrayList<>(fileOldCases(CASES));

    // an instance dies holding acknowledged work: i1's handling of Ana's /support is held inside views.open,
    // her two /help behind it in her conversation are acknowledged, then i1 is killed and stays down; the
    // others take her requests over once i1's inbox leases lapse, while running
    slack.hold("views.open");
    List<String> anas = List.of("fo.support", "fo.help.1", "fo.help.2");
    assertThat(post(ports[1], slash("U0ANA", "/support", "", anas.get(0)), 0).orElseThrow().statusCode()).isEqualTo(200);
    Await.until(() -> slack.calls("views.open").size() == 1, "i1 to be held in views.open");
    for (String trigger : anas.subList(1, 3)) {
      assertThat(post(ports[1], slash("U0ANA", "/help", "", trigger), 0).orElseThrow().statusCode()).isEqualTo(200);
    }
    assertThat(count("SELECT COUNT(*) FROM inbox WHERE done_ms IS NULL AND claimed_by = 'i1'")).isEqualTo(3);
    bots[1].destroyForcibly();
    assertThat(bots[1].waitFor(60, TimeUnit.SECONDS)).isTrue();
    slack.release();
    Await.until(() -> quietly(() -> count("SELECT COUNT(*) FROM inbox WHERE done_ms IS NULL") == 0),
        "i0 and i2 to take over what i1 acknowledged");
    start(1);
    assertThat(slack.calls("chat.postEphemeral").stream().filter(c -> c.param("user").equals("U0ANA")
        && String.valueOf(c.param("text")).startsWith("Commands:")).count()).as("each /help answered once").isEqualTo(2);

    // the sender: signed /update commands to random instances, one after the other; a request that gets no
    // 200 (its instance was killed under it) is retried on the next instance with X-Slack-Retry-Num, as Slack
    // retries (Slack gives up after 3; here the retries go on so that every request ends acknowledged)
    Map<String, Integer> acked = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
    Random pick = new Random(61);
    Thread sender = Thread.ofPlatform().name("failover-sender").start(() -> {
      for (int k = 0; k < UPDATES; k++) {
        String body = update(cases.get(pick.nextInt(cases.size())).toString(), k);
        int first = pick.nextInt(INSTANCES);
        for (int attempt = 0; attempt < 3 * INSTANCES; attempt++) { // at most one instance is down at a time
          Optional<HttpResponse<String>> answer = post(ports[(first + attempt) % INSTANCES], body, attempt);
          if (answer.isPresent() && answer.get().statusCode() == 200) {
            acked.put("slack:trigger:fo." + k, k);
            break;
          }
        }
        sent.incrementAndGet();
      }
    });

    // the kills, while requests are under way: after a random number of them, one instance at a time,
    // restarted at once under its name; just before each, another old case makes timers due, so firings are
    // under way too
    List<Integer> killAt = new ArrayList<>();
    while (killAt.size() < KILLS) {
      int at = 5 + random.nextInt(UPDATES - 10);
      if (!killAt.contains(at)) {
        killAt.add(at);
      }
    }
    killAt.sort(null);
    for (int at : killAt) {
      Await.until(() -> sent.get() >= at || !sender.isAlive(), "request " + at);
      cases.addAll(fileOldCases(1));
      int victim = random.nextInt(INSTANCES);
      bots[victim].destroyForcibly();
      assertThat(bots[victim].waitFor(60, TimeUnit.SECONDS)).isTrue();
      start(victim);
    }
    sender.join(Await.HUNG.toMillis());
    assertThat(sender.isAlive()).isFalse();
    assertThat(acked).as("every request acknowledged by one instance or another").hasSize(UPDATES);
    Instant seeded = wall.instant(); // every old case filed by now: all their timers are due

    // done when every acknowledged request is handled, every timer due at seeding fired and the outbox is empty
    Await.until(() -> quietly(() -> count("SELECT (SELECT COUNT(*) FROM inbox WHERE done_ms IS NULL)"
        + " + (SELECT COUNT(*) FROM timers WHERE fired_ms IS NULL AND due_ms <= " + seeded.toEpochMilli() + ")"
        + " + (SELECT COUNT(*) FROM outbox)") == 0), "the instances to finish the work");

    // exactly one effect per acknowledged request: one update event with its key
    Map<String, Long> effects = new HashMap<>();
    List<Integer> logOrder = new ArrayList<>();
    try (Connection c = pg.connect(desk.database());
        PreparedStatement ps = c.prepareStatement("SELECT idempotency_key, body FROM incident_events"
            + " WHERE type = 'PublicUpdatePosted' ORDER BY id"); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        effects.merge(rs.getString(1), 1L, Long::sum);
        Matcher m = MARKER.matcher(rs.getString(2));
        assertThat(m.find()).isTrue();
        logOrder.add(Integer.parseInt(m.group(1)));
      }
    }
    for (String key : acked.keySet()) {
      assertThat(effects.getOrDefault(key, 0L)).as("effects of %s", key).isEqualTo(1);
    }
    assertThat(effects.values()).as("no request had two effects").allMatch(n -> n == 1);

    // per channel, the updates were posted in the order of the log, each once
    List<Integer> posted = new ArrayList<>();
    for (RecordingSlackApi.Call call : slack.calls("chat.postMessage")) {
      Matcher m = MARKER.matcher(String.valueOf(call.param("text")));
      if (call.param("channel").equals("C0ACME") && m.find()) {
        posted.add(Integer.parseInt(m.group(1)));
      }
    }
    assertThat(posted).as("in the log's order, each once").isEqualTo(logOrder);

    // every timer due at seeding fired once (the log has one ping event per timer) and its ping was posted
    long due = count("SELECT COUNT(*) FROM timers WHERE due_ms <= " + seeded.toEpochMilli());
    long pingEvents = count("SELECT COUNT(*) FROM incident_events WHERE type IN ('SlaWarningIssued', 'SlaBreached')");
    assertThat(due).as("timers of %d cases", cases.size()).isGreaterThanOrEqualTo(cases.size());
    assertThat(count("SELECT COUNT(*) FROM (SELECT incident, body FROM incident_events WHERE type IN"
        + " ('SlaWarningIssued', 'SlaBreached') GROUP BY incident, body HAVING COUNT(*) > 1) twice"))
        .as("no ping event twice").isZero();
    long warnings = count("SELECT COUNT(*) FROM incident_events WHERE type = 'SlaWarningIssued'");
    assertThat(slack.calls("chat.postMessage").stream().filter(c -> c.param("channel").equals("C0TRIAGE")
        && String.valueOf(c.param("text")).contains("% of its")).count()).as("each warning posted once")
        .isEqualTo(warnings);
    assertThat(pingEvents).as("one ping event per due timer").isEqualTo(due);
    assertThat(warnings).isPositive();

    // and nothing posted twice at all
    Map<String, Integer> posts = new HashMap<>();
    for (RecordingSlackApi.Call call : slack.calls("chat.postMessage")) {
      posts.merge(call.param("channel") + " " + call.param("thread_ts") + " " + call.param("text"), 1, Integer::sum);
    }
    assertThat(posts.entrySet()).as("duplicate posts").filteredOn(e -> e.getValue() > 1).isEmpty();
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static boolean quietly(Check check) {
    try {
      return check.holds();
    } catch (Exception e) {
      return false;
    }
  }
}
