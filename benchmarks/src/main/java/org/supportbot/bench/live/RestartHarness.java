package org.supportbot.bench.live;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fresh-process restart time: starts {@code supportbot run} (a new JVM each time, as after a crash) on a copy
 * of the database a {@link LiveLoadHarness} crash run left behind (its cases, intakes, inbox, outbox and
 * pending SLA timers), in Slack HTTP mode against {@link FakeSlackWebApi}, and times from launching the
 * process to the first signed request it acknowledges with 200 ({@code /queue}, sent every 5 ms from the
 * launch on), then to that request's ephemeral answer reaching the Web API. The bot's own "started in"
 * line (its steps from reading the settings) is printed beside each start, so the time before {@code main}
 * (JVM start, class loading) is the difference. Each start is ended with SIGKILL, and the next starts on a
 * fresh copy of the same database, so every start meets the same pending work.
 *
 * <p>Run (after a crash run made {@code target/live}): {@code $JAVA_HOME/bin/java -cp
 * benchmarks/target/benchmarks.jar org.supportbot.bench.live.RestartHarness from=target/live starts=10}; other
 * options: {@code jar=adapters/target/supportbot.jar}, {@code dir=target/restart}, {@code jvm=...} (options
 * for the bot's JVM, space-separated, e.g. {@code jvm=-XX:AOTCache=adapters/target/supportbot.aot}), {@code
 * versus=...} (other JVM options, e.g. {@code versus=-Xshare:auto}: starts alternate between the two, so a busy
 * machine's load falls on both alike, and each gets its own summary), {@code versusJar=...} (the application jar
 * of the second setup, e.g. an earlier build; default the same jar).
 */
public final class RestartHarness {
  // the crash harness's bot.yaml was written for these secrets
  private static final String TOKEN = "xoxb-live-harness-token";
  private static final String SECRET = "live-harness-signing-secret-0123456789";
  private static final Pattern STARTED = Pattern.compile("supportbot: started (.*)");

  private RestartHarness() {}

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
    Path from = Path.of(opts.getOrDefault("from", "target/live")).toAbsolutePath();
    if (!Files.isRegularFile(from.resolve("bot.yaml")) || !Files.isRegularFile(from.resolve("bot.db"))) {
      System.err.println("error: " + from + " holds no bot.yaml and bot.db; run LiveLoadHarness mode=crash first"
          + " (dir= names its folder) or name that folder with from=");
      System.exit(2);
    }
    Path dir = Files.createDirectories(Path.of(opts.getOrDefault("dir", "target/restart")).toAbsolutePath());
    Path jar = Path.of(opts.getOrDefault("jar", "adapters/target/supportbot.jar")).toAbsolutePath();
    int starts = Integer.parseInt(opts.getOrDefault("starts", "10"));
    // the harness talks to real processes on the real clock: the one place it reads the wall clock
    java.time.Clock clock = java.time.Clock.systemUTC();
    try (FakeSlackWebApi fake = new FakeSlackWebApi(TOKEN, Duration.ofMillis(20), clock);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
      int slackPort = freePort();
      int opsPort = freePort();
      String yaml = Files.readString(from.resolve("bot.yaml"))
          .replaceAll("(?m)^  port: \\d+$", "  port: " + slackPort)
          .replaceAll("(?m)^  api_url: .*$", "  api_url: " + fake.prefix())
          .replaceAll("ops: \\{ address: 127.0.0.1, port: \\d+ }", "ops: { address: 127.0.0.1, port: " + opsPort + " }");
      Files.writeString(dir.resolve("bot.yaml"), yaml);
      if (Files.isDirectory(from.resolve("policies"))) {
        Files.createDirectories(dir.resolve("policies"));
        try (var files = Files.list(from.resolve("policies"))) {
          for (Path p : files.toList()) {
            Files.copy(p, dir.resolve("policies").resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      AtomicLong ephemeralAt = new AtomicLong();
      AtomicReference<String> awaited = new AtomicReference<>("");
      fake.listen(call -> {
        if (call.method().equals("chat.postEphemeral") && call.param("user").equals(awaited.get())) {
          ephemeralAt.compareAndSet(0, call.at());
        }
      });
      SignedSlack slack = new SignedSlack(URI.create("http://127.0.0.1:" + slackPort + "/slack/events"), SECRET, clock);
      Map<String, List<Long>> acks = new java.util.LinkedHashMap<>();
      Map<String, List<Long>> answers = new java.util.LinkedHashMap<>();
      List<String> variants = opts.containsKey("versus") ? List.of(opts.getOrDefault("jvm", ""), opts.get("versus"))
          : List.of(opts.getOrDefault("jvm", ""));
      Path versusJar = Path.of(opts.getOrDefault("versusJar", jar.toString())).toAbsolutePath();
      for (int n = 1; n <= starts * variants.size(); n++) {
        boolean second = (n - 1) % variants.size() == 1;
        String jvm = variants.get((n - 1) % variants.size());
        String label = label(jvm, second ? versusJar : jar);
        for (String f : List.of("bot.db", "bot.db-wal", "bot.db-shm")) {
          Files.deleteIfExists(dir.resolve(f));
          if (Files.exists(from.resolve(f))) {
            Files.copy(from.resolve(f), dir.resolve(f));
          }
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString()));
        if (!jvm.isBlank()) {
          command.addAll(List.of(jvm.split(" ")));
        }
        command.addAll(List.of("-jar", (second ? versusJar : jar).toString(), "run", "--config",
            dir.resolve("bot.yaml").toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("SLACK_BOT_TOKEN", TOKEN);
        pb.environment().put("SLACK_SIGNING_SECRET", SECRET);
        SignedSlack.Person who = new SignedSlack.Person(FakeSlackWebApi.TEAM, "UENG" + (10 + n % 50));
        awaited.set(who.user());
        ephemeralAt.set(0);
        AtomicReference<String> steps = new AtomicReference<>("(no started line)");
        long launched = System.nanoTime();
        Process bot = pb.start();
        Path log = dir.resolve("run-" + n + ".log");
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
          try (BufferedReader r = new BufferedReader(new InputStreamReader(bot.getInputStream(), StandardCharsets.UTF_8));
              var w = Files.newBufferedWriter(log)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
              w.write(line);
              w.newLine();
              Matcher m = STARTED.matcher(line);
              if (m.find()) {
                steps.set(m.group(1) + ", its line read " + (System.nanoTime() - launched) / 1_000_000 + " ms after launch");
              }
            }
          } catch (IOException e) {
            // the process was killed: its output ends here
          }
        });
        long ack = -1;
        long deadline = launched + Duration.ofSeconds(120).toNanos();
        int attempt = 0;
        while (ack < 0 && System.nanoTime() < deadline) {
          if (!bot.isAlive()) {
            reader.join();
            throw new IllegalStateException("the bot exited with " + bot.exitValue() + "; see " + log);
          }
          try {
            HttpResponse<Void> r = http.send(slack.slash(who, "C0TRIAGE", "/queue", "", "r" + n + "-" + (++attempt)),
                HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 200) {
              ack = System.nanoTime();
            }
          } catch (IOException notListening) {
            Thread.sleep(5);
          }
        }
        if (ack < 0) {
          throw new IllegalStateException("no request acknowledged within 120 s; see " + log);
        }
        while (ephemeralAt.get() == 0 && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        long answered = ephemeralAt.get();
        acks.computeIfAbsent(label, k -> new ArrayList<>()).add((ack - launched) / 1_000_000);
        answers.computeIfAbsent(label, k -> new ArrayList<>()).add(answered == 0 ? -1 : (answered - launched) / 1_000_000);
        // wait for the started line before the kill, so each start's steps are printed (an earlier build has none)
        long printed = Math.min(deadline, System.nanoTime() + Duration.ofSeconds(5).toNanos());
        while (steps.get().startsWith("(no") && System.nanoTime() < printed) {
          Thread.sleep(5);
        }
        System.out.printf("start %d [%s]: first request acknowledged %d ms after launch, its answer posted at %d ms;"
            + " bot: %s%n", n, label, acks.get(label).getLast(), answers.get(label).getLast(), steps.get());
        bot.destroyForcibly().waitFor();
        reader.join();
      }
      for (String label : acks.keySet()) {
        System.out.println("[" + label + "] fresh-process restart, launch to first request acknowledged, ms: "
            + summary(acks.get(label)) + "; to its answer posted: " + summary(answers.get(label)) + " (" + starts
            + " starts, database copied from " + from + ")");
      }
    }
  }

  private static String label(String jvm, Path jar) {
    return (jvm.isBlank() ? "" : jvm + " ") + "-jar " + jar;
  }

  private static String summary(List<Long> millis) {
    List<Long> sorted = millis.stream().sorted().toList();
    return "min " + sorted.getFirst() + ", p50 " + sorted.get(sorted.size() / 2) + ", max " + sorted.getLast();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
