package org.supportbot.app.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.incident.Actor;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.Origin;

/**
 * A simulated day on Discord: open P1 cases filed at 09:00 on a Monday in Los Angeles, the clock
 * driven in 15-minute steps for 24 hours, every timer's pings and status edits posted through JDA
 * to a fake that limits message creation and edits per channel as Discord does (5 per window; the
 * window is 5 ms instead of 5 s, so the day runs in seconds). Countdowns are {@code <t:…:R>}, so no
 * message is edited just because time passes. 50 cases by default; run
 * {@code ./mvnw -pl adapters -am test -Dtest=DiscordLoadTest -Dsupportbot.discord.loadCases=1000
 * -Dsurefire.failIfNoSpecifiedTests=false} for the full load of issue 6.
 */
@Timeout(300)
class DiscordLoadTest {

  static final int CASES = Integer.getInteger("supportbot.discord.loadCases", 50);

  @TempDir Path dir;
  private FakeDiscord fake;
  private DeskFixture world;
  private DiscordAdapter adapter;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeDiscord();
    world = new DeskFixture(dir);
    adapter = DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock, DeskFixture.local(fake, false));
  }

  @AfterEach
  void stop() throws Exception {
    DeskFixture.stop(adapter, fake, world);
  }

  @Test
  void aDayOfOpenCasesMakesNo429AndEveryStatusEndsCurrent() throws Exception {
    fake.enforceMessageLimits(5, Duration.ofMillis(5));
    for (int i = 1; i <= CASES; i++) {
      var outcome = world.incidents.handle(new IncidentCommand.File(new Origin("load-" + i, Actor.customer(DeskFixture.person(
          DeskFixture.ANA)), world.clock.instant(), Optional.empty()), "acme",
          DeskFixture.place(FakeDiscord.SUPPORT_CHANNEL), "P1", "incident", "Beacon", "3.2.1", "Load case " + i,
          Map.of("description", "load case " + i, "steps_to_reproduce", "start the agent", "reproducible", "yes",
              "users_affected", "100", "business_impact", "nothing is monitored")));
      assertThat(outcome).as("filing case %d", i).isInstanceOf(IncidentOutcome.Filed.class);
    }
    adapter.tick();
    adapter.awaitIdle(Duration.ofSeconds(60)); // the posts run on their lanes
    for (int step = 0; step < 96; step++) {
      world.clock.advance(Duration.ofMinutes(15));
      adapter.tick();
      adapter.awaitIdle(Duration.ofSeconds(60));
    }

    List<FakeDiscord.Call> calls = fake.calls();
    assertThat(calls).filteredOn(c -> c.status() == 429).as("429 responses").isEmpty();
    assertThat(calls).filteredOn(c -> c.status() >= 300).as("refused calls").isEmpty();
    assertThat(adapter.platformErrors()).isZero();
    assertThat(calls).filteredOn(c -> c.path().endsWith("/threads")).as("one thread per case").hasSize(CASES);
    List<String> statusIds = new ArrayList<>();
    calls.stream().filter(c -> c.is("POST", "channels/\\d+/messages") && c.body().path("embeds").size() == 1)
        .forEach(c -> statusIds.add(c.response().get("id").asText()));
    assertThat(statusIds).as("one status message per case").hasSize(CASES);
    for (String id : statusIds) {
      List<String> fields = new ArrayList<>();
      fake.message(id).get("embeds").get(0).get("fields").forEach(f -> fields.add(f.get("name").asText()));
      assertThat(fields).as("status %s shows the breach", id).contains("Breached");
    }
    assertThat(calls).filteredOn(c -> c.is("POST", "users/@me/channels")).as("one DM channel for the manager").hasSize(1);
    Map<String, Integer> byRoute = new TreeMap<>();
    for (FakeDiscord.Call c : calls) {
      String route = c.method() + " " + c.path().replaceAll("\\d{15,}", "{id}").replaceAll("interaction-token-\\S+", "{token}");
      byRoute.merge(route, 1, Integer::sum);
    }
    System.out.println("Discord calls for a simulated day of " + CASES + " P1 cases: " + calls.size() + " " + byRoute);
  }
}
