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
import java.util.LinkedHashMap;
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
 * A simulated day (driven clock, seeded randomness) of 1,000 cases in one workspace, against a local
 * Web API that answers 429 to chat.update beyond Tier 3 (50 per minute) and to chat.postMessage beyond
 * three per channel in any three seconds (Slack's "about one per second per channel, short bursts
 * tolerated"). Cases are filed in outbursts, ten within five seconds every ten minutes, spread over
 * four customer channels; each filing posts the status message, a confirmation in its thread and a notice
 * to the triage channel, and each of the three later changes updates the status message and posts a
 * notice in the thread. The gateway's pacing and coalescing make zero 429s, and no message is lost:
 * every post arrives once, in the order it was said in its channel, thread replies under their case's
 * root, and every status message ends with its latest content.
 */
class SlackRateLimitDayTest {
  private static final long SEED = 20261123L;
  private static final int CASES = 1_000;
  private static final Instant DAY = Instant.parse("2026-11-23T08:00:00Z");
  private static final String TRIAGE = "C0TRIAGE";

  @TempDir Path dir;

  /** What the desk says at one instant: a batch of messages. */
  private record Said(Instant at, List<Outbound> batch) {}

  private static ChatPlace thread(String channel, String number) {
    return new ChatPlace("slack", "T1", channel, number);
  }

  private static Outbound status(String channel, String number, String text) {
    return Outbound.toPlace(thread(channel, number), Outbound.Kind.STATUS).replaces("status:" + number).text(text)
        .build();
  }

  private static Outbound notice(ChatPlace place, String text) {
    return Outbound.toPlace(place, Outbound.Kind.NOTICE).text(text).build();
  }

  @Test
  void aDayOfAThousandCasesMakesNo429AndLosesNoMessage() throws Exception {
    MutableClock clock = new MutableClock(DAY);
    Random random = new Random(SEED);
    List<Said> said = new ArrayList<>();
    Map<String, String> latest = new HashMap<>();
    Map<String, String> channelOf = new HashMap<>();
    for (int i = 1; i <= CASES; i++) {
      String number = "ACME-" + i;
      String channel = "C" + (1 + i % 4);
      channelOf.put(number, channel);
      Instant filed = DAY.plusSeconds((i - 1) / 10 * 600L + random.nextInt(5));
      said.add(new Said(filed, List.of(status(channel, number, number + " v0"),
          notice(thread(channel, number), number + " note 0"), notice(new ChatPlace("slack", "T1", TRIAGE, ""),
              "triage " + number))));
      Instant at = filed;
      for (int v = 1; v <= 3; v++) {
        // a burst (claim, acknowledge, update within seconds) or a later change within hours
        at = at.plusSeconds(random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 60 + random.nextInt(4 * 3600));
        said.add(new Said(at, List.of(status(channel, number, number + " v" + v),
            notice(thread(channel, number), number + " note " + v))));
      }
    }
    said.sort(Comparator.comparing(Said::at)); // stable: a case's changes keep their order at equal instants
    // the posts each channel should get, in the order said
    Map<String, List<String>> expected = new LinkedHashMap<>();
    for (Said s : said) {
      for (Outbound o : s.batch()) {
        Outbound.ToPlace to = (Outbound.ToPlace) o.to();
        if (o.replaces().isPresent()) {
          latest.put(to.place().thread(), o.plainText());
        } else {
          expected.computeIfAbsent(to.place().channel(), c -> new ArrayList<>()).add(o.plainText());
        }
      }
    }

    try (RecordingSlackApi api = new RecordingSlackApi("xoxb-day", clock);
        SqliteDatabase db = SqliteDatabase.open(dir.resolve("day.db"), SqliteDatabase.Durability.NORMAL)) {
      api.limitPostsPerChannel(3, Duration.ofSeconds(3));
      SlackConfig config = new SlackConfig();
      config.setStatsEnabled(false); // the SDK's per-call metrics store is not what this day measures
      config.setMethodsEndpointUrlPrefix(api.prefix());
      SlackChatGateway gateway = new SlackChatGateway(Slack.getInstance(config).methods("xoxb-day"), "xoxb-day",
          new JdbcSlackMessageStore(db), new SlackRenderer(), clock, SlackChatGateway.UpdateLimits.TIER_3,
          SlackChatGateway.PostLimits.CHAT_POST_MESSAGE);
      int next = 0;
      Instant end = said.get(said.size() - 1).at().plus(Duration.ofHours(1));
      int mostHeld = 0;
      // the adapter ticks every second: deliver what the desk said by then, flush held posts and updates
      for (Instant now = DAY; !now.isAfter(end); now = now.plusSeconds(1)) {
        clock.set(now);
        while (next < said.size() && !said.get(next).at().isAfter(now)) {
          gateway.send(said.get(next++).batch());
        }
        gateway.flushDue();
        mostHeld = Math.max(mostHeld, gateway.postsHeld());
      }

      assertThat(api.tooManyRequests()).isZero();
      assertThat(gateway.held()).isZero();
      assertThat(gateway.postsHeld()).isZero();
      assertThat(gateway.errors()).isZero();
      // every status message ends with its latest content; notes go under their case's root, in order
      Map<String, String> shown = new HashMap<>();
      Map<String, String> caseByTs = new HashMap<>();
      Map<String, List<String>> posted = new LinkedHashMap<>();
      for (RecordingSlackApi.Call c : api.calls()) {
        String text = c.param("text");
        if (c.method().equals("chat.postMessage")) {
          String ts = "1764000000." + String.format("%06d", caseByTs.size() + countPlain(posted) + 1);
          if (text.matches("ACME-\\d+ v\\d")) {
            String number = text.substring(0, text.indexOf(' '));
            caseByTs.put(ts, number);
            shown.put(number, text);
            assertThat(c.param("thread_ts")).as("a status message roots its thread").isEmpty();
          } else {
            posted.computeIfAbsent(c.param("channel"), k -> new ArrayList<>()).add(text);
            if (text.contains(" note ")) {
              assertThat(caseByTs.get(c.param("thread_ts"))).as(text).isEqualTo(text.substring(0, text.indexOf(' ')));
            }
          }
        } else if (c.method().equals("chat.update")) {
          shown.put(caseByTs.get(c.param("ts")), text);
        }
      }
      assertThat(shown).hasSize(CASES).isEqualTo(latest);
      assertThat(posted).isEqualTo(expected);
      int posts = api.calls("chat.postMessage").size();
      int updates = api.calls("chat.update").size();
      assertThat(posts).isEqualTo(CASES + expected.values().stream().mapToInt(List::size).sum());
      System.out.printf("simulated day: %d cases, %d batches said, %d Web API calls (%d chat.postMessage,"
          + " %d chat.update), %d status changes coalesced, %d posts delayed by the pace (at most %d waiting at"
          + " once), 0 HTTP 429%n", CASES, said.size(), posts + updates, posts, updates, gateway.coalesced(),
          gateway.postsDelayed(), mostHeld);
    }
  }

  private static int countPlain(Map<String, List<String>> posted) {
    return posted.values().stream().mapToInt(List::size).sum();
  }
}
