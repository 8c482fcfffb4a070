package org.supportbot.app.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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
import org.supportbot.core.testing.Await;

/**
 * Found by the Discord crash harness: a kill between Discord making a case's thread and the bot storing its id
 * left a thread the bot did not know. The restart made a second thread for the case, and messages typed in the
 * first one while the bot was down were never read back (the read-back covers the threads the bot stored). The
 * restarted bot now takes the thread it made for the case (its name, its owner, active, listed by Discord on
 * connect) instead of making another.
 */
@Timeout(300) // only stops a hung test: every wait inside is on a condition, bounded by Await.HUNG
class DiscordThreadAdoptionTest {

  @TempDir Path dir;
  private FakeDiscord fake;
  private DeskFixture world;
  private DiscordAdapter adapter;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeDiscord();
    world = new DeskFixture(dir);
  }

  @AfterEach
  void stop() throws Exception {
    if (adapter != null) {
      adapter.jda().shutdownNow();
      adapter.jda().awaitShutdown(Await.HUNG);
      adapter.close();
    }
    fake.close();
    world.close();
  }

  @Test
  void aThreadMadeForTheCaseButNeverStoredIsTakenAtTheNextStart() throws Exception {
    var outcome = world.incidents.handle(new IncidentCommand.File(new Origin("adopt-1",
        Actor.customer(DeskFixture.person(DeskFixture.ANA)), world.clock.instant(), Optional.empty()), "acme",
        DeskFixture.place(FakeDiscord.SUPPORT_CHANNEL), "P2", "incident", "Beacon", "3.2.1", "Agent down",
        Map.of("description", "the agent fails", "steps_to_reproduce", "start the agent", "reproducible", "yes",
            "users_affected", "30", "business_impact", "reports are late")));
    assertThat(outcome).isInstanceOf(IncidentOutcome.Filed.class);
    // what the killed process asked of Discord before it could store the answer: the case's thread, made
    String made;
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(fake.restBaseUrl() + "channels/"
              + FakeDiscord.SUPPORT_CHANNEL + "/threads"))
          .header("Authorization", "Bot " + FakeDiscord.TOKEN).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ACME-1\",\"type\":11,\"auto_archive_duration\":10080}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      made = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).get("id").asText();
    }
    assertThat(world.refs.thread(FakeDiscord.GUILD, FakeDiscord.SUPPORT_CHANNEL, "ACME-1")).isEmpty();
    int restart = fake.calls().size();

    adapter = DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock,
        DeskFixture.local(fake, false));
    adapter.tick();
    adapter.awaitIdle(Await.HUNG);

    fake.await(restart, c -> c.is("POST", "channels/" + made + "/messages") && c.body().path("embeds").size() == 1,
        "the status posted in the thread made before");
    assertThat(fake.since(restart)).as("no second thread").noneMatch(c -> c.path().endsWith("/threads"));
    assertThat(world.refs.thread(FakeDiscord.GUILD, FakeDiscord.SUPPORT_CHANNEL, "ACME-1")).contains(made);
    assertThat(world.refs.caseOf(made)).isPresent();
  }
}
