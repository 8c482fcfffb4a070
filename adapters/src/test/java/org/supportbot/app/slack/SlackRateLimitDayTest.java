package org.supportbot.app.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.testing.MutableClock;

/**
 * A simulated day (driven clock, seeded randomness) of 1,000 open cases in one workspace, each
 * status message changed three times after it is posted, some in bursts, against a local Web API that answers 429
 * to chat.update beyond Tier 3 (50 per minute): the gateway's coalescing makes zero 429s and loses
 * no update (every status message ends with its latest content).
 */
class SlackRateLimitDayTest {
  private static final long SEED = 20261123L;
  private static final int CASES = 1_000;
  private static final Instant DAY = Instant.parse("2026-11-23T08:00:00Z");

  @TempDir Path dir;

  private record Change(Instant at, String number, String text) {}

  @Test
  void aDayOfAThousandCasesMakesNo429AndLosesNoUpdate() throws Exception {
    MutableClock clock = new MutableClock(DAY);
    Random random = new Random(SEED);
    List<Change> changes = new ArrayList<>();
    for (int i = 1; i <= CASES; i++) {
      String number = "ACME-" + i;
      Instant filed = DAY.plusSeconds(i * 60L); // a case a minute: filed over 16 hours and 40 minutes
      changes.add(new Change(filed, number, number + " v0"));
      Instant at = filed;
      for (int v = 1; v <= 3; v++) {
        // a burst (claim, acknowledge, update within seconds) or a later change within hours
        at = at.plusSeconds(random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 60 + random.nextInt(4 * 3600));
        changes.add(new Change(at, number, number + " v" + v));
      }
    }
    changes.sort(Comparator.comparing(Change::at));
    Map<String, String> latest = new HashMap<>();

    try (RecordingSlackApi api = new RecordingSlackApi("xoxb-day", clock);
        SqliteDatabase db = SqliteDatabase.open(dir.resolve("day.db"), SqliteDatabase.Durability.NORMAL)) {
      SlackConfig config = new SlackConfig();
      config.setMethodsEndpointUrlPrefix(api.prefix());
      config.setStatsEnabled(false); // the SDK's per-call metrics store is not what this day measures
      SlackChatGateway gateway = new SlackChatGateway(Slack.getInstance(config).methods("xoxb-day"),
          new SqliteSlackMessageStore(db), new SlackRenderer(), clock, SlackChatGateway.UpdateLimits.TIER_3);
      int next = 0;
      Instant end = changes.get(changes.size() - 1).at().plus(Duration.ofHours(1));
      // the adapter ticks every second: deliver what the desk said by then, flush held updates
      long started = System.nanoTime();
      for (Instant now = DAY; !now.isAfter(end); now = now.plusSeconds(1)) {
        clock.set(now);
        while (next < changes.size() && !changes.get(next).at().isAfter(now)) {
          Change c = changes.get(next++);
          latest.put(c.number(), c.text());
          gateway.deliver(List.of(Outbound.toPlace(new ChatPlace("slack", "T1", "C1", c.number()), Outbound.Kind.STATUS)
              .replaces("status:" + c.number()).text(c.text()).build()));
        }
        gateway.flushDue();
      }

      System.out.printf("day loop took %d ms%n", (System.nanoTime() - started) / 1_000_000);
      assertThat(api.tooManyRequests()).isZero();
      assertThat(gateway.held()).isZero();
      assertThat(gateway.errors()).isZero();
      // the last content each status message got, by its ts
      Map<String, String> shown = new HashMap<>();
      Map<String, String> byTs = new HashMap<>();
      for (RecordingSlackApi.Call c : api.calls()) {
        if (c.method().equals("chat.postMessage")) {
          String number = c.param("text").substring(0, c.param("text").indexOf(' '));
          byTs.put("1764000000." + String.format("%06d", byTs.size() + 1), number);
          shown.put(number, c.param("text"));
        } else if (c.method().equals("chat.update")) {
          shown.put(byTs.get(c.param("ts")), c.param("text"));
        }
      }
      assertThat(shown).hasSize(CASES).isEqualTo(latest);
      int posts = api.calls("chat.postMessage").size();
      int updates = api.calls("chat.update").size();
      assertThat(posts).isEqualTo(CASES);
      assertThat(posts + updates).isLessThan(changes.size());
      System.out.printf("simulated day: %d cases, %d status changes, %d Web API calls (%d chat.postMessage,"
          + " %d chat.update), %d coalesced, 0 HTTP 429%n", CASES, changes.size(), posts + updates, posts, updates,
          gateway.coalesced());
    }
  }
}
