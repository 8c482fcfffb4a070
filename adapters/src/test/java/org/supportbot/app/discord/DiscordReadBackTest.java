package org.supportbot.app.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.incident.Actor;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.Origin;
import org.supportbot.core.store.sqlite.SqliteInboxStore;
import org.supportbot.core.testing.Await;

/**
 * The downtime read-back of a restart with many open case threads, through the real JDA against
 * {@link FakeDiscord}, whose answers to the history requests ({@code GET channels/{id}/messages}) are held
 * until the test lets each one go: the start returns and answers a new interaction while every history
 * request is still unanswered; {@link ThreadReadBack#IN_FLIGHT} requests are under way at once and never
 * more; a 429 with {@code Retry-After} on one of them is waited out by JDA; and every message typed while the
 * bot was down reaches the desk exactly once.
 */
@Timeout(300) // only stops a hung test: every wait inside is on a condition, bounded by Await.HUNG
class DiscordReadBackTest {

  static final int CASES = 10;

  @TempDir Path dir;
  private FakeDiscord fake;
  private DeskFixture world;
  private DiscordAdapter adapter;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeDiscord();
    fake.enableMessageContent();
    world = new DeskFixture(dir);
    adapter = connect();
  }

  private DiscordAdapter connect() throws DiscordStartException {
    return DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock, DeskFixture.local(fake, true));
  }

  @AfterEach
  void stop() throws Exception {
    DeskFixture.stop(adapter, fake, world);
  }

  @Test
  void manyThreadsAreReadBackConcurrentlyOnceEachWhileANewInteractionIsAnswered() throws Exception {
    for (int i = 1; i <= CASES; i++) {
      var outcome = world.incidents.handle(new IncidentCommand.File(new Origin("read-back-" + i,
          Actor.customer(DeskFixture.person(DeskFixture.ANA)), world.clock.instant(), Optional.empty()), "acme",
          DeskFixture.place(FakeDiscord.SUPPORT_CHANNEL), "P2", "incident", "Beacon", "3.2.1", "Case " + i,
          Map.of("description", "case " + i, "steps_to_reproduce", "start the agent", "reproducible", "yes",
              "users_affected", "30", "business_impact", "reports are late")));
      assertThat(outcome).as("filing case %d", i).isInstanceOf(IncidentOutcome.Filed.class);
    }
    adapter.tick();
    adapter.awaitIdle(Await.HUNG); // a thread and a status message for each case
    List<String> threads = fake.calls().stream()
        .filter(c -> c.is("POST", "channels/" + FakeDiscord.SUPPORT_CHANNEL + "/threads"))
        .map(c -> c.response().get("id").asText()).toList();
    assertThat(threads).hasSize(CASES);

    adapter.close();
    adapter.jda().awaitShutdown(Await.HUNG);
    List<String> typed = new ArrayList<>();
    for (String thread : threads) {
      typed.add(fake.typedWhileAway(DeskFixture.ANA, thread, "the agent still fails on " + thread));
      typed.add(fake.typedWhileAway(DeskFixture.ANA, thread, "and the logs say BCN-4012 on " + thread));
    }
    fake.holdAnswers(c -> c.is("GET", "channels/[0-9]+/messages") && c.status() == 200);
    fake.rateLimitNext("GET", "channels/[0-9]+/messages", 1);
    int restart = fake.calls().size();

    adapter = connect(); // returns with every history request unanswered

    Await.until(() -> reads(restart).size() == ThreadReadBack.IN_FLIGHT, "the first history requests under way");
    int asked = fake.calls().size();
    String help = fake.slash(DeskFixture.EVE, FakeDiscord.SUPPORT_CHANNEL, "help", null);
    fake.await(asked, c -> c.is("POST", "webhooks/" + FakeDiscord.APP_ID + "/interaction-token-" + help + ".*"),
        "/help answered");
    assertThat(adapter.awaitReadBack(Duration.ZERO)).as("answered while the read-back waits on Discord").isFalse();
    assertThat(reads(restart)).as("requests in flight at once").hasSize(ThreadReadBack.IN_FLIGHT);
    assertThat(fake.since(restart)).as("the 429 waited out").anyMatch(c -> c.status() == 429);

    int mostAtOnce = 0;
    for (int released = 0; released < CASES; released++) {
      int done = released;
      int expected = Math.min(ThreadReadBack.IN_FLIGHT, CASES - released);
      Await.until(() -> reads(restart).size() - done >= expected, "history request " + (released + expected));
      int inFlight = reads(restart).size() - released;
      mostAtOnce = Math.max(mostAtOnce, inFlight);
      assertThat(inFlight).as("history requests in flight").isLessThanOrEqualTo(ThreadReadBack.IN_FLIGHT);
      fake.releaseAnswer(reads(restart).get(released));
    }
    assertThat(adapter.awaitReadBack(Await.HUNG)).as("the read-back done").isTrue();
    assertThat(mostAtOnce).isEqualTo(ThreadReadBack.IN_FLIGHT);
    assertThat(reads(restart)).as("one request per thread").hasSize(CASES)
        .extracting(c -> c.path().split("/")[1]).containsExactlyInAnyOrderElementsOf(threads);

    Await.until(() -> typed.stream().allMatch(this::handled), "every message typed while down handled");
    assertThat(new SqliteInboxStore(world.db, world.clock).pendingCount("discord")).isZero();
    adapter.awaitIdle(Await.HUNG);
    for (String key : typed) {
      assertThat(count("SELECT COUNT(*) FROM inbox WHERE idem_key = ?", key)).as("stored once: %s", key).isEqualTo(1);
    }
    assertThat(fake.calls()).as("each reply told to triage once").filteredOn(c -> c.is("POST", "channels/"
        + FakeDiscord.TRIAGE + "/messages") && c.body().path("content").asText().startsWith("The customer replied on"))
        .hasSize(typed.size());

    // a second start reads on from the last message of each thread and hands nothing to the desk again
    adapter.close();
    adapter.jda().awaitShutdown(Await.HUNG);
    int second = fake.calls().size();
    adapter = connect();
    for (int i = 0; i < CASES; i++) {
      int n = i;
      Await.until(() -> reads(second).size() > n, "the second start's history request " + (n + 1));
      fake.releaseAnswer(reads(second).get(n));
    }
    assertThat(adapter.awaitReadBack(Await.HUNG)).isTrue();
    adapter.awaitIdle(Await.HUNG);
    assertThat(fake.calls()).filteredOn(c -> c.is("POST", "channels/" + FakeDiscord.TRIAGE + "/messages")
        && c.body().path("content").asText().startsWith("The customer replied on")).hasSize(typed.size());
  }

  /** The history requests answered 200 (held until released) since call {@code from}, in order. */
  private List<FakeDiscord.Call> reads(int from) {
    return fake.since(from).stream().filter(c -> c.is("GET", "channels/[0-9]+/messages") && c.status() == 200).toList();
  }

  private boolean handled(String key) {
    return count("SELECT COUNT(*) FROM inbound_handled WHERE idem_key = ?", key) == 1;
  }

  private int count(String sql, String key) {
    return world.db.read(c -> {
      try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, key);
        try (java.sql.ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }
}
