package org.supportbot.bench.live;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Discord crash harness of the live path: a real {@code supportbot run} process (the application
 * jar) in Discord mode, with thread replies on, pointed at {@link FakeDiscordApi} (a gateway and REST API
 * in this process), killed with SIGKILL at random moments and restarted on the same database.
 *
 * <p>Traffic is offered open loop at {@code rate} actions/s: filings ({@code /support}, then the 13
 * questions of the Atheer intake answered as they are asked, by button or by the answer form), replies
 * typed in case threads by the organization's contact (kept in the fake's history even while the bot is
 * down, so that the restart must read them back), and Claim clicks by engineers on the status messages.
 * An interaction offered while no bot is connected is not delivered (Discord would say the application did
 * not respond); an intake whose answer was lost that way stalls and must expire once ({@code intake_expiry:
 * 2 minutes}); one whose next question the restarted bot asks in the channel, addressed to the customer,
 * is answered there. The daily digest is set to fall during the run. P1 (what every filing picks) has a
 * first-response target of {@code target=2} minutes, so that pre-breach warnings and breaches fire while
 * the bot is killed and restarted.
 *
 * <p>At the end: every interaction acknowledged with a deferred reply or update (callback type 5 or 6)
 * and every message typed in a case thread must be in {@code inbound_handled} (handled), none more than
 * once in the case logs; duplicate posts are counted by nonce and by follow-up content per interaction; a
 * case has one thread; the digest went out once; no intake outlived its expiry and none expired twice. Then,
 * as {@code LiveLoadHarness mode=crash} does on Slack, once every timer due by the end of the load has fired:
 * no timer missed, each SLA firing once in the event log, each pre-breach warning posted exactly once or still
 * waiting in the outbox, never both and never twice.
 *
 * <p>Run: {@code ./mvnw -B -ntp -q -Pbenchmarks package -DskipTests -pl adapters,benchmarks -am && $JAVA_HOME/bin/java -cp
 * benchmarks/target/benchmarks.jar org.supportbot.bench.live.DiscordCrashHarness kills=20 rate=6}; other options:
 * {@code orgs=4}, {@code seed=1}, {@code jar=adapters/target/supportbot.jar}, {@code dir=target/live-discord},
 * {@code lose=0.02} (the fake makes that fraction of message creates and interaction follow-ups and then closes
 * the connection without answering, as a lost answer or a request timed out after Discord made the message).
 * Intake-expiry notices are counted per person (one intake each here), wherever they went.
 */
public final class DiscordCrashHarness {
  private static final String TOKEN = "fake-discord-harness-token";
  private static final String MANAGER = "1600000000000009999";
  private static final int ENGINEERS = 5;
  private static final Pattern QUESTION = Pattern.compile("\\((\\d+)/(\\d+)\\)");
  /** The mention that opens a message addressed to one person in a channel. */
  private static final Pattern ADDRESSED = Pattern.compile("^<@(\\d+)> ");
  /** Atheer's 13 report questions answered as in the demo; "=" marks a button. */
  private static final List<String> ANSWERS = List.of("Beacon", "3.2.1", "=incident",
      "The Beacon agent fails to start with BCN-4012: connection refused on every server", "the agent starts",
      "systemctl start beacon-agent", "BCN-4012: connection refused", "none", "=yes", "all",
      "nothing is monitored, no workaround", "=P1", "no");

  private final Map<String, String> opts;
  private final int orgs;
  private final Path dir;
  private final Path jar;
  private final Random random;
  private final FakeDiscordApi fake;
  private final int opsPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ExecutorService people = Executors.newVirtualThreadPerTaskExecutor();
  private Process bot;
  private int starts;
  private final List<Long> startMillis = new CopyOnWriteArrayList<>();

  /** Where one start's time went, by the fake's clock (System.nanoTime): launched, commands registered, read back, serving. */
  private static final class Phase {
    volatile long launched;
    volatile long commands;
    volatile int readBacks;
    volatile long lastReadBack;
    volatile long served;
  }

  private volatile Phase phase = new Phase();
  private final List<Phase> phases = new CopyOnWriteArrayList<>();

  /** Who acted in each interaction offered, by interaction id. */
  private record Person(String user, String channel) {}

  private final Map<String, Person> byInteraction = new ConcurrentHashMap<>();
  private final Set<String> acked = ConcurrentHashMap.newKeySet();
  private final Set<String> typed = ConcurrentHashMap.newKeySet();
  /** The thread each message was typed in, by message id. */
  private final Map<String, String> typedIn = new ConcurrentHashMap<>();
  private final Set<String> typedWhileDown = ConcurrentHashMap.newKeySet();
  private final AtomicInteger notDelivered = new AtomicInteger();
  private final AtomicInteger filingsStarted = new AtomicInteger();
  private final AtomicInteger filingsDone = new AtomicInteger();
  private final AtomicInteger claims = new AtomicInteger();
  private final Map<Integer, AtomicInteger> callbackTypes = new ConcurrentHashMap<>();
  /** Case threads by thread id, with the channel they are in, and the status messages with a Claim button. */
  private final Map<String, String> caseThreads = new ConcurrentHashMap<>();
  private final Map<String, String> statusClaim = new ConcurrentHashMap<>();
  private final Set<String> answeredQuestions = ConcurrentHashMap.newKeySet();
  private final AtomicInteger filerIds = new AtomicInteger();
  /** Intake questions asked in the channel, addressed to the customer (the intake went on after a restart). */
  private final AtomicInteger askedInChannel = new AtomicInteger();

  private final java.time.Clock clock;

  private DiscordCrashHarness(Map<String, String> opts, java.time.Clock clock) throws IOException, InterruptedException {
    this.opts = opts;
    this.clock = clock;
    this.orgs = Integer.parseInt(opts.getOrDefault("orgs", "4"));
    this.dir = Path.of(opts.getOrDefault("dir", "target/live-discord")).toAbsolutePath();
    this.jar = Path.of(opts.getOrDefault("jar", "adapters/target/supportbot.jar")).toAbsolutePath();
    this.random = new Random(Long.parseLong(opts.getOrDefault("seed", "1")));
    List<String> channels = new ArrayList<>();
    for (int o = 0; o < orgs; o++) {
      channels.add(channel(o));
    }
    this.fake = new FakeDiscordApi(TOKEN, channels, clock);
    this.opsPort = freePort();
    fake.listen(this::seen);
    fake.loseAnswers(Double.parseDouble(opts.getOrDefault("lose", "0")), Long.parseLong(opts.getOrDefault("seed", "1")));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq < 1) {
        System.err.println("error: arguments are name=value, got \"" + a + "\"");
        System.exit(2);
      }
      opts.put(a.substring(0, eq), a.substring(eq + 1));
    }
    // the harness talks to a real process on the real clock: the one place it reads the wall clock
    DiscordCrashHarness h = new DiscordCrashHarness(opts, java.time.Clock.systemUTC());
    try {
      h.crash();
    } finally {
      h.close();
    }
  }

  private void crash() throws Exception {
    double rate = Double.parseDouble(opts.getOrDefault("rate", "6"));
    int kills = Integer.parseInt(opts.getOrDefault("kills", "20"));
    setUp();
    startBot();
    Thread killer = Thread.ofPlatform().start(() -> {
      try {
        for (int k = 0; k < kills; k++) {
          Thread.sleep(3000 + random.nextInt(6000));
          bot.destroyForcibly().waitFor();
          Thread.sleep(random.nextInt(1500)); // down for a moment: replies typed now are read back later
          startBot();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    long sent = 0;
    while (killer.isAlive()) {
      sent += drive(rate, 3);
    }
    killer.join();
    long driveEnd = clock.millis();
    System.out.println("kills done; letting intakes that stalled expire (2 minutes) and the outbox drain");
    long settle = System.nanoTime() + Duration.ofSeconds(150).toNanos();
    while (System.nanoTime() < settle) {
      Thread.sleep(1000);
    }
    awaitTimers(driveEnd, Duration.ofSeconds(120));
    awaitQuiet(Duration.ofSeconds(60));
    stopBot();
    report(kills, sent);
    timerCheck(driveEnd);
  }

  /** Waits until no timer due by {@code end} is unfired (the bot is running), at most {@code max}. */
  private void awaitTimers(long end, Duration max) throws InterruptedException, SQLException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline && unfired(end) > 0) {
      Thread.sleep(500);
    }
  }

  private int unfired(long end) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("bot.db"));
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM timers WHERE fired_ms IS NULL AND due_ms <= " + end)) {
      return r.next() ? r.getInt(1) : 0;
    }
  }

  /**
   * Timers in the crash run, as {@code LiveLoadHarness mode=crash} checks them on Slack: every timer due by
   * the end of the load has fired (none missed); each firing is in the event log once; each pre-breach
   * warning fired is posted exactly once (to triage, or to the engineer who claimed the case) or still
   * waits in the outbox, never both and never twice.
   */
  private void timerCheck(long end) throws SQLException {
    int due = 0;
    List<String> missed = new ArrayList<>();
    List<Long> lateness = new ArrayList<>();
    Map<String, Integer> firings = new HashMap<>();
    Map<String, Integer> warnings = new HashMap<>();
    int breaches = 0;
    Pattern warning = Pattern.compile("([A-Z]{2,10}-\\d+)\\W{0,12}\\s*\\(.*?has used (\\d+)% of its");
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("bot.db"));
        Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT incident, kind, version, due_ms, fired_ms FROM timers WHERE due_ms <= "
          + end)) {
        while (r.next()) {
          due++;
          long fired = r.getLong(5);
          if (r.wasNull()) {
            missed.add(r.getString(1) + "/" + r.getString(2) + "/" + r.getLong(3));
          } else {
            lateness.add(fired - r.getLong(4));
          }
        }
      }
      try (ResultSet r = s.executeQuery("SELECT idempotency_key, type, body FROM incident_events"
          + " WHERE type IN ('SlaWarningIssued', 'SlaBreached')")) {
        while (r.next()) {
          firings.merge(r.getString(1), 1, Integer::sum);
          if (r.getString(2).equals("SlaWarningIssued")) {
            JsonNode e = read(json, r.getString(3));
            warnings.put(e.path("incident").path("orgKey").asText() + "-" + e.path("incident").path("seq").asLong() + " "
                + e.path("percent").asInt(), 0);
          } else {
            breaches++;
          }
        }
      }
      try (ResultSet r = s.executeQuery("SELECT body FROM outbox WHERE kind = 'PRE_BREACH_PING'")) {
        while (r.next()) {
          StringBuilder text = new StringBuilder();
          read(json, r.getString(1)).findValues("text").forEach(t -> text.append(t.asText()));
          Matcher m = warning.matcher(text);
          if (m.find()) {
            warnings.merge(m.group(1) + " " + m.group(2), 1, Integer::sum);
          }
        }
      }
    }
    for (JsonNode m : fake.messages()) {
      if (!m.path("author").path("id").asText().equals(FakeDiscordApi.APP_ID)) {
        continue;
      }
      Matcher w = warning.matcher(m.path("content").asText().replace("\\", ""));
      if (w.find()) {
        warnings.merge(w.group(1) + " " + w.group(2), 1, Integer::sum);
      }
    }
    long twice = firings.values().stream().filter(n -> n > 1).count();
    long once = warnings.values().stream().filter(n -> n == 1).count();
    long notOnce = warnings.size() - once;
    List<Long> sorted = lateness.stream().sorted().toList();
    System.out.printf("timers due by the end of the load: %d, missed: %d%s; lateness of those fired ms: p50 %d, max %d%n",
        due, missed.size(), missed.isEmpty() ? "" : " e.g. " + missed.subList(0, Math.min(5, missed.size())),
        sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2), sorted.isEmpty() ? 0 : sorted.getLast());
    System.out.printf("SLA firings in the event log: %d (%d breaches), recorded twice: %d; pre-breach warnings fired: %d,"
        + " posted or waiting in the outbox exactly once: %d, otherwise (never, twice, or both): %d%n", firings.size(),
        breaches, twice, warnings.size(), once, notOnce);
  }

  private static JsonNode read(com.fasterxml.jackson.databind.ObjectMapper json, String text) {
    try {
      return json.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable JSON in the database: " + e.getMessage(), e);
    }
  }

  /** Offers {@code rate} actions/s for {@code seconds}, open loop; returns how many were offered. */
  private long drive(double rate, int seconds) {
    long start = System.nanoTime();
    long total = (long) (rate * seconds);
    for (long i = 0; i < total; i++) {
      long due = start + (long) (i * 1e9 / rate);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      double pick = random.nextDouble();
      List<String> threads = List.copyOf(caseThreads.keySet());
      if (pick < 0.3 || threads.isEmpty()) {
        file();
      } else if (pick < 0.8) {
        String thread = threads.get(random.nextInt(threads.size()));
        String channel = caseThreads.get(thread);
        boolean connected = fake.connected();
        String id = fake.typed(customer(org(channel), 0), thread, "more detail on the problem, note " + i);
        typed.add(id);
        typedIn.put(id, thread);
        if (!connected || !fake.connected()) {
          typedWhileDown.add(id);
        }
      } else {
        List<String> statuses = List.copyOf(statusClaim.keySet());
        if (statuses.isEmpty()) {
          continue;
        }
        String status = statuses.get(random.nextInt(statuses.size()));
        String engineer = engineer(random.nextInt(ENGINEERS));
        offer(fake.click(engineer, status, statusClaim.get(status)), new Person(engineer, status));
        claims.incrementAndGet();
      }
    }
    return total;
  }

  private void file() {
    int n = filerIds.getAndIncrement();
    int org = n % orgs;
    String user = customer(org, 100 + n / orgs);
    filingsStarted.incrementAndGet();
    offer(fake.slash(user, channel(org), "support", null), new Person(user, channel(org)));
  }

  private void offer(String interaction, Person who) {
    if (interaction == null) {
      notDelivered.incrementAndGet();
      return;
    }
    byInteraction.put(interaction, who);
  }

  /** What the bot called: acknowledgements counted, questions answered, cases and their threads remembered. */
  private void seen(FakeDiscordApi.Call call) {
    if (call.status() != 200) {
      return;
    }
    if (call.is("PUT", "applications/[0-9]+/commands")) {
      phase.commands = call.at();
      phase.readBacks = 0;
      phase.lastReadBack = 0;
    } else if (call.is("GET", "channels/[0-9]+/messages")) { // beside serving: the read-back no longer holds it up
      phase.readBacks++;
      phase.lastReadBack = call.at();
    }
    String[] p = call.path().split("/");
    if (call.is("POST", "interactions/[0-9]+/.*/callback")) {
      int type = call.body().path("type").asInt();
      callbackTypes.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
      if (type == 5 || type == 6) {
        acked.add(p[1]);
      }
      return;
    }
    if (call.is("POST", "webhooks/[0-9]+/itok-[0-9]+")) {
      String interaction = p[2].substring("itok-".length());
      Person who = byInteraction.get(interaction);
      Matcher q = QUESTION.matcher(call.body().path("content").asText());
      if (who == null || !q.find()) {
        return;
      }
      int k = Integer.parseInt(q.group(1));
      int of = Integer.parseInt(q.group(2));
      if (of != ANSWERS.size() || !answeredQuestions.add(who.user() + " " + k)) {
        return; // the same question again (a retry): answered once
      }
      String messageId = call.response().get("id").asText();
      people.execute(() -> answer(who, k, messageId));
      return;
    }
    if (call.is("POST", "channels/[0-9]+/messages") && !caseThreads.containsKey(p[1])) {
      // after a restart an intake's next question comes in its channel, addressed to the customer, with buttons
      String content = call.body().path("content").asText();
      Matcher to = ADDRESSED.matcher(content);
      Matcher q = QUESTION.matcher(content);
      if (to.find() && q.find() && Integer.parseInt(q.group(2)) == ANSWERS.size()) {
        int k = Integer.parseInt(q.group(1));
        Person who = new Person(to.group(1), p[1]);
        if (answeredQuestions.add(who.user() + " " + k)) {
          askedInChannel.incrementAndGet();
          String messageId = call.response().get("id").asText();
          people.execute(() -> answer(who, k, messageId));
        }
      }
      return;
    }
    if (call.is("POST", "channels/[0-9]+/threads")) {
      caseThreads.put(call.response().get("id").asText(), p[1]);
      return;
    }
    if (call.is("POST", "channels/[0-9]+/messages") && caseThreads.containsKey(p[1])) {
      for (JsonNode row : call.body().path("components")) {
        for (JsonNode b : row.path("components")) {
          if (b.path("custom_id").asText().startsWith("case.claim")) {
            statusClaim.put(call.response().get("id").asText(), b.get("custom_id").asText());
            filingsDone.incrementAndGet();
          }
        }
      }
    }
  }

  private void answer(Person who, int k, String messageId) {
    String answer = ANSWERS.get(k - 1);
    String id;
    if (answer.startsWith("=")) {
      id = fake.click(who.user(), messageId, "intake.answer:" + answer.substring(1));
    } else {
      id = fake.submit(who.user(), who.channel(), "form:" + k + "/" + ANSWERS.size(), "answer", answer);
    }
    offer(id, who);
  }

  // ---- the bot process ------------------------------------------------------------------------

  private void setUp() throws IOException {
    if (Files.exists(dir)) {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    Files.createDirectories(dir);
    String g = FakeDiscordApi.GUILD;
    // P1 (what every filing here picks) gets a first-response target of target=N minutes (calendar time, 2 by
    // default), so that pre-breach warnings and breaches fall due, and fire, while the bot is being killed
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Path bundled = Path.of("config/policies/atheer.yaml");
    if (!Files.isRegularFile(bundled)) {
      throw new IllegalStateException("run the harness from the repository's top folder: " + bundled + " is missing");
    }
    String policy = Files.readString(bundled);
    String p1 = "targets: { first_response: 4 business hours }";
    if (!policy.contains(p1)) {
      throw new IllegalStateException(bundled + " no longer says \"" + p1 + "\"; update the harness");
    }
    Files.writeString(policies.resolve("atheer.yaml"), policy.replace(p1, "targets: { first_response: "
        + Integer.parseInt(opts.getOrDefault("target", "2")) + " minutes }"));
    String digestAt = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(100).format(DateTimeFormatter.ofPattern("HH:mm"));
    StringBuilder s = new StringBuilder();
    s.append("database: bot.db\npolicies: policies\nintake_expiry: 2 minutes\n");
    s.append("digest: { at: \"").append(digestAt).append("\", zone: UTC }\n");
    s.append("triage: discord/").append(g).append('/').append(FakeDiscordApi.TRIAGE).append('\n');
    s.append("managers: [discord/").append(g).append('/').append(MANAGER).append("]\norganizations:\n");
    for (int o = 0; o < orgs; o++) {
      s.append("  - id: org").append(o).append("\n    key: ").append(key(o)).append("\n    name: Org ").append(o)
          .append("\n    policy: atheer\n    purchased_contacts: 100000\n    channels: [discord/").append(g).append('/')
          .append(channel(o)).append("]\n    contacts: [discord/").append(g).append('/').append(customer(o, 0));
      for (int c = 100; c < 100 + 400; c++) {
        s.append(", discord/").append(g).append('/').append(customer(o, c));
      }
      s.append("]\n    escalation:\n      channel: discord/").append(g).append('/').append(FakeDiscordApi.TRIAGE)
          .append("\n      on_call_role: \"").append(FakeDiscordApi.ON_CALL_ROLE).append("\"\n      on_call_label: on-call\n");
    }
    s.append("engineers:\n  - { id: discord/").append(g).append('/').append(MANAGER).append(", name: Max, role: manager }\n");
    for (int e = 0; e < ENGINEERS; e++) {
      s.append("  - { id: discord/").append(g).append('/').append(engineer(e)).append(", name: Eng").append(e)
          .append(", role: engineer }\n");
    }
    s.append("discord:\n  message_content: true\n  rest_url: ").append(fake.restBaseUrl()).append("\n  gateway_url: ")
        .append(fake.gatewayUrl()).append("\nops: { address: 127.0.0.1, port: ").append(opsPort).append(" }\n");
    Files.writeString(dir.resolve("bot.yaml"), s);
  }

  private void startBot() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    if (opts.containsKey("jvm")) {
      command.addAll(List.of(opts.get("jvm").split(" ")));
    }
    command.addAll(List.of("-jar", jar.toString(), "run", "--config", dir.resolve("bot.yaml").toString()));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("DISCORD_TOKEN", TOKEN);
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("run-" + (++starts) + ".log").toFile());
    long launched = System.nanoTime();
    phase = new Phase();
    phase.launched = launched;
    bot = pb.start();
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/health"))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!bot.isAlive()) {
        throw new IllegalStateException("the bot exited with " + bot.exitValue() + "; see " + dir.resolve("run-" + starts
            + ".log"));
      }
      try {
        if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() > 0 && fake.connected()) {
          startMillis.add((System.nanoTime() - launched) / 1_000_000);
          phase.served = System.nanoTime();
          phases.add(phase);
          return;
        }
      } catch (IOException e) {
        // not serving yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the bot did not answer /health within 120 s");
  }

  private void stopBot() throws InterruptedException {
    bot.destroy();
    if (!bot.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      bot.destroyForcibly().waitFor();
    }
  }

  /** Waits until the fake has seen no call for 5 s, at most {@code max}. */
  private void awaitQuiet(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    long last = fake.calls();
    long still = System.nanoTime();
    while (System.nanoTime() < deadline) {
      Thread.sleep(250);
      long now = fake.calls();
      if (now != last) {
        last = now;
        still = System.nanoTime();
      } else if (System.nanoTime() - still > 5_000_000_000L) {
        return;
      }
    }
  }

  // ---- figures --------------------------------------------------------------------------------

  private void report(int kills, long offered) throws SQLException {
    Set<String> handled = new HashSet<>();
    List<String> twice = new ArrayList<>();
    int cases;
    int intakesLeft;
    int timersMissed;
    int timersFired;
    long end = clock.millis();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("bot.db"));
        Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT idem_key FROM inbound_handled")) {
        while (r.next()) {
          handled.add(r.getString(1));
        }
      }
      try (ResultSet r = s.executeQuery("SELECT idempotency_key, type, COUNT(*) FROM incident_events"
          + " GROUP BY idempotency_key, type HAVING COUNT(*) > 1")) {
        while (r.next()) {
          twice.add(r.getString(1) + " " + r.getString(2) + " x" + r.getInt(3));
        }
      }
      try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM incidents")) {
        cases = r.next() ? r.getInt(1) : 0;
      }
      try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM intakes WHERE last_activity < " + (end - 150_000))) {
        intakesLeft = r.next() ? r.getInt(1) : 0;
      }
      try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM timers WHERE fired_ms IS NULL AND due_ms < "
          + (end - 60_000))) {
        timersMissed = r.next() ? r.getInt(1) : 0;
      }
      try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM timers WHERE fired_ms IS NOT NULL")) {
        timersFired = r.next() ? r.getInt(1) : 0;
      }
    }
    List<String> lostAcked = acked.stream().filter(k -> !handled.contains(k)).toList();
    List<String> lostTyped = typed.stream().filter(k -> !handled.contains(k)).toList();
    Set<String> remembered = new HashSet<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("bot.db"));
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT value FROM discord_refs WHERE name LIKE 'thread:%'")) {
      while (r.next()) {
        remembered.add(r.getString(1));
      }
    }
    // a thread Discord made whose id the bot never stored (killed between the two): it reads no history there
    long lostInUnknownThreads = lostTyped.stream().filter(k -> !remembered.contains(typedIn.get(k))).count();
    long unknownThreads = caseThreads.keySet().stream().filter(t -> !remembered.contains(t)).count();
    long backfilled = typedWhileDown.stream().filter(handled::contains).count();

    // duplicate posts: a nonce that made two messages; a follow-up said twice to one interaction; two threads for a case
    Map<String, Integer> byNonce = new HashMap<>();
    Map<String, Integer> followUps = new HashMap<>();
    Map<String, Integer> digests = new HashMap<>();
    Map<String, Integer> expiries = new HashMap<>();
    int withoutNonce = 0;
    for (JsonNode m : fake.messages()) {
      String author = m.path("author").path("id").asText();
      if (!author.equals(FakeDiscordApi.APP_ID)) {
        continue;
      }
      String content = m.path("content").asText();
      if (m.has("interaction_token")) {
        followUps.merge(m.get("interaction_token").asText() + "\n" + content + "\n" + m.path("components"), 1,
            Integer::sum);
      } else if (m.has("nonce")) {
        byNonce.merge(m.get("channel_id").asText() + " " + m.get("nonce").asText(), 1, Integer::sum);
      } else {
        withoutNonce++;
      }
      if (content.startsWith("Daily digest")) {
        digests.merge(m.get("channel_id").asText(), 1, Integer::sum);
      }
      if (content.startsWith("Your unfinished support request has expired")) {
        // one intake per person here: a second notice to one person is a duplicate, wherever it went
        expiries.merge(expiredFor(m), 1, Integer::sum);
      }
    }
    long dupNonce = byNonce.values().stream().filter(n -> n > 1).count();
    // A reply handed out after its own interaction was answered (held behind another message of the person's
    // lane, or left by a killed process) goes through the person's latest interaction in that channel: n clicks
    // by one person on one case's Claim, answered alike, can show n times on one interaction without any click
    // answered twice. Such a text is a duplicate only when it shows more often than the person made those clicks.
    long dupFollowUps = 0;
    long separateClicks = 0;
    for (Map.Entry<String, Integer> f : followUps.entrySet()) {
      int n = f.getValue();
      if (n < 2) {
        continue;
      }
      String k = f.getKey();
      Person who = byInteraction.get(k.substring("itok-".length(), k.indexOf('\n')));
      // only Claim answers are told apart (they name their case); any other text twice counts as a duplicate
      long clicks = who == null ? 0 : acked.stream().map(byInteraction::get)
          .filter(p -> p != null && p.user().equals(who.user()) && statusClaim.containsKey(p.channel()))
          .filter(p -> k.contains("\n" + statusClaim.get(p.channel()).substring(statusClaim.get(p.channel()).indexOf(':') + 1)
              + " "))
          .count();
      boolean duplicate = n > clicks;
      if (duplicate) {
        dupFollowUps++;
      } else {
        separateClicks++;
      }
      System.out.println("  follow-up said " + n + " times to one interaction" + (duplicate ? "" : " (" + clicks
          + " Claim clicks by that person on that case acknowledged: one answer each)") + ": "
          + k.replace('\n', ' ').substring(0, Math.min(120, k.length())));
    }
    long expiredTwice = expiries.values().stream().filter(n -> n > 1).count();
    expiries.forEach((person, n) -> {
      if (n > 1) {
        System.out.println("  intake expiry notice " + n + " times to " + person);
      }
    });
    Map<String, Integer> threadsPerCase = new HashMap<>();
    // the fake's threads are named after their case: two for one case would be a second thread
    for (String t : caseThreads.keySet()) {
      threadsPerCase.merge(t, 1, Integer::sum);
    }

    System.out.printf("%d kills, %d starts; %d actions offered (%d interactions not delivered: no bot connected)%n",
        kills, starts, offered, notDelivered.get());
    System.out.println("callbacks by type " + callbackTypes + " (5 deferred reply, 6 deferred update, 9 modal, 4 message)");
    System.out.println("interactions acknowledged (5/6): " + acked.size() + ", never handled: " + lostAcked.size()
        + (lostAcked.isEmpty() ? "" : " e.g. " + lostAcked.subList(0, Math.min(5, lostAcked.size()))));
    System.out.println("case threads Discord made that the bot does not remember (killed between creating and storing"
        + " one): " + unknownThreads + "; messages typed in them and never handled: " + lostInUnknownThreads);
    System.out.println("messages typed in case threads: " + typed.size() + ", never handled: " + lostTyped.size()
        + "; typed while the bot was down: " + typedWhileDown.size() + ", read back and handled: " + backfilled);
    System.out.println("effects recorded twice in case logs (same key and type): " + twice.size()
        + (twice.isEmpty() ? "" : " e.g. " + twice.subList(0, Math.min(5, twice.size()))));
    System.out.println("filings started: " + filingsStarted.get() + ", cases: " + cases + ", status messages seen: "
        + filingsDone.get() + ", case threads: " + caseThreads.size() + ", claim clicks offered: " + claims.get());
    System.out.println("intake questions asked in the channel, addressed to the customer (an intake going on after a"
        + " restart): " + askedInChannel.get() + ", answered there by button or form");
    System.out.println("duplicate posts: " + dupNonce + " by nonce (" + fake.nonceReplays()
        + " retried creates answered from their nonce), " + dupFollowUps + " follow-ups said twice to one interaction"
        + " (and " + separateClicks + " texts shown more than once on one interaction as the answers of as many"
        + " separate clicks), "
        + withoutNonce + " channel posts without a nonce; answers the fake lost after making the message (lose="
        + opts.getOrDefault("lose", "0") + "): " + fake.lostAnswers());
    System.out.println("timers: digest posts " + digests + " (expected one), intake expiry notices to " + expiries.size()
        + " people (twice to one person: " + expiredTwice + "), intakes left past their expiry: " + intakesLeft
        + ", SLA timers fired " + timersFired + ", due over a minute ago and not fired: " + timersMissed);
    List<Long> restarts = startMillis.subList(1, startMillis.size()).stream().sorted().toList();
    if (!restarts.isEmpty()) {
      System.out.println("restart to connected and serving, ms: p50 " + restarts.get(restarts.size() / 2) + ", max "
          + restarts.getLast() + " (first start " + startMillis.get(0) + ")");
      List<Phase> later = phases.subList(1, phases.size());
      System.out.println("restarts, median ms: launch to commands registered (JVM start, login, GUILD_CREATE) "
          + median(later.stream().map(f -> f.commands - f.launched).toList()) + ", then to serving (the inbox) "
          + median(later.stream().map(f -> f.served - f.commands).toList()) + "; reading back (beside serving) "
          + median(later.stream().map(f -> f.readBacks == 0 ? 0 : f.lastReadBack - f.commands).toList()) + " ("
          + median(later.stream().map(f -> (long) f.readBacks * 1_000_000).toList()) + " history requests)");
    }
  }

  /**
   * Whom an intake-expiry notice was for: the person whose interaction it followed up (ephemeral, in the
   * organization's channel), the person of a direct-message channel, or the person a channel message is
   * addressed to; the channel itself when none of these tells.
   */
  private String expiredFor(JsonNode m) {
    String channel = m.get("channel_id").asText();
    if (m.has("interaction_token")) {
      Person who = byInteraction.get(m.get("interaction_token").asText().substring("itok-".length()));
      return who != null ? who.user() : "an interaction in " + channel;
    }
    String recipient = fake.recipient(channel);
    if (recipient != null) {
      return recipient;
    }
    Matcher to = ADDRESSED.matcher(m.path("content").asText());
    return to.find() ? to.group(1) : "channel " + channel;
  }

  private static long median(List<Long> nanos) {
    List<Long> sorted = nanos.stream().sorted().toList();
    return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2) / 1_000_000;
  }

  // ---- names ----------------------------------------------------------------------------------

  private static String channel(int org) {
    return "13000000000000001" + String.format("%02d", org);
  }

  private int org(String channel) {
    return Integer.parseInt(channel.substring(channel.length() - 2));
  }

  private static String key(int org) {
    char[] k = {'K', (char) ('A' + org / 26 % 26), (char) ('A' + org % 26)};
    return new String(k);
  }

  private static String customer(int org, int n) {
    return "16" + String.format("%02d", org) + String.format("%015d", n);
  }

  private static String engineer(int n) {
    return "170000000000000" + String.format("%04d", n);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void close() throws InterruptedException {
    if (bot != null && bot.isAlive()) {
      bot.destroyForcibly();
    }
    people.shutdownNow();
    fake.close();
    http.close();
  }
}
