package org.supportbot.bench.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.supportbot.app.web.Viewer;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentSnapshot;

/**
 * How long a change made in chat takes to reach an open board, with {@code open} open cases: a
 * manager signs in over HTTP, holds the board's live stream ({@code /events}) open, and an
 * engineer claims unassigned cases in chat one after the other. For each claim it measures, from
 * handing {@code /claim} to the desk: the live event arriving on the stream, and the refreshed
 * board rows (what the page fetches on that event) showing the new owner. Target: at most 1 s.
 * Also reports the time of a whole {@code GET /board} over loopback. The first {@value #WARMUP}
 * requests and claims warm the JIT and are not counted.
 *
 * <p>Run: {@code ./mvnw -B -ntp -q -Pbenchmarks package -DskipTests -pl benchmarks -am &&
 * java -cp benchmarks/target/benchmarks.jar org.supportbot.bench.web.LiveUpdateHarness [open] [claims]}
 */
public final class LiveUpdateHarness {
  /** Requests and claims first made to warm the JIT, not counted. */
  private static final int WARMUP = 10;

  private LiveUpdateHarness() {}

  public static void main(String[] args) throws Exception {
    int open = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int claims = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    Path dir = Files.createTempDirectory("live-bench");
    Clock clock = Clock.systemUTC();
    try (BoardFixture f = new BoardFixture(dir, open, clock)) {
      String base = f.web.publicUrl().toString().replaceAll("/$", "");
      HttpClient http = HttpClient.newHttpClient();
      String token = f.web.signInLink(Viewer.vendor(BoardFixture.MANAGER, "Max", true)).getQuery()
          .substring("token=".length());
      HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(URI.create(base + "/signin"))
          .header("Origin", base).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build(), HttpResponse.BodyHandlers.ofString());
      String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow(
          () -> new IllegalStateException("sign-in gave no session: HTTP " + signedIn.statusCode())).split(";")[0];

      List<Long> page = new ArrayList<>();
      for (int i = 0; i < WARMUP + 30; i++) {
        long t = System.nanoTime();
        HttpResponse<String> r = http.send(get(base + "/board", cookie), HttpResponse.BodyHandlers.ofString());
        if (i >= WARMUP) {
          page.add(System.nanoTime() - t);
        }
        if (r.statusCode() != 200) {
          throw new IllegalStateException("GET /board: HTTP " + r.statusCode());
        }
      }

      BlockingQueue<String> changes = new LinkedBlockingQueue<>();
      http.sendAsync(get(base + "/events", cookie), HttpResponse.BodyHandlers.ofLines())
          .thenAccept(r -> r.body().filter(l -> l.startsWith("data: ")).forEach(l -> changes.add(l.substring(6))));
      while (f.web.liveBoards() == 0) {
        Thread.onSpinWait();
      }
      List<String> unclaimed = f.incidents.queue(open + 10).stream().filter(s -> s.claimedBy().isEmpty())
          .map(IncidentSnapshot::number).map(Object::toString).toList();
      List<Long> event = new ArrayList<>();
      List<Long> board = new ArrayList<>();
      ChatPlace triage = new ChatPlace("bench", "W", "triage", "");
      for (int i = 0; i < Math.min(WARMUP + claims, unclaimed.size()); i++) {
        String n = unclaimed.get(i);
        long t0 = System.nanoTime();
        f.desk.handle(new Inbound("claim-" + i, BoardFixture.ENGINEER, triage, false, clock.instant(), Optional.empty(),
            new Inbound.Command("claim", n)));
        String got;
        do {
          got = changes.poll(10, TimeUnit.SECONDS);
          if (got == null) {
            throw new IllegalStateException("no live event for " + n + " within 10 s");
          }
        } while (!got.equals(n));
        long t1 = System.nanoTime();
        String rows = http.send(get(base + "/board/rows", cookie), HttpResponse.BodyHandlers.ofString()).body();
        int at = rows.indexOf("data-case=\"" + n + "\"");
        if (at < 0 || !rows.substring(at, Math.min(rows.length(), at + 2000)).contains("class=\"owner\">Eve<")) {
          throw new IllegalStateException("the refreshed board does not show Eve on " + n);
        }
        long t2 = System.nanoTime();
        if (i >= WARMUP) {
          event.add(t1 - t0);
          board.add(t2 - t0);
        }
      }
      System.out.printf("open cases: %d, claims: %d%n", open, event.size());
      System.out.println("GET /board over loopback (manager, all cases): " + summary(page));
      System.out.println("claim in chat -> live event on the open board:    " + summary(event));
      System.out.println("claim in chat -> refreshed rows show the owner:   " + summary(board));
    } finally {
      try (var files = Files.walk(dir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    System.exit(0);
  }

  private static HttpRequest get(String url, String cookie) {
    return HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie).timeout(Duration.ofSeconds(30)).build();
  }

  private static String summary(List<Long> nanos) {
    List<Long> s = new ArrayList<>(nanos);
    Collections.sort(s);
    return String.format("p50 %.1f ms, p95 %.1f ms, max %.1f ms", ms(s.get(s.size() / 2)),
        ms(s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.95) - 1))), ms(s.getLast()));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
