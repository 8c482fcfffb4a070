package org.supportbot.app.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

/**
 * Ana files a case through the fake: /support, then Atheer's 13 report questions answered as in
 * the demo tour, choices by button and typed answers through the "Answer…" modal.
 */
public final class IntakeDriver {

  /** The answers in order; "=" marks a button press. */
  static final List<String> ANSWERS = List.of("Beacon", "3.2.1", "=incident",
      "The Beacon agent fails to start with BCN-4012: connection refused on every server", "the agent starts",
      "systemctl start beacon-agent", "BCN-4012: connection refused", "none", "=yes", "all",
      "nothing is monitored, no workaround", "=P1", "no");

  private IntakeDriver() {}

  /** Runs the intake and checks each acknowledgement; returns the call index from which the filing shows. */
  static int fileCase(FakeDiscord fake) {
    return fileCase(fake, DeskFixture.ANA, FakeDiscord.SUPPORT_CHANNEL);
  }

  /** Like {@link #fileCase(FakeDiscord)}, by {@code user} in {@code channel} (of whichever guild). */
  public static int fileCase(FakeDiscord fake, String user, String channel) {
    int from = fake.calls().size();
    String slash = fake.slash(user, channel, "support", null);
    FakeDiscord.Call deferred = fake.await(from, c -> c.is("POST", "interactions/" + slash + "/.*/callback"),
        "acknowledging /support");
    assertThat(deferred.body().get("type").asInt()).as("deferred reply").isEqualTo(5);
    assertThat(deferred.body().get("data").get("flags").asInt() & 64).as("ephemeral").isEqualTo(64);
    for (int k = 1; k <= ANSWERS.size(); k++) {
      String counter = k + "/" + ANSWERS.size();
      FakeDiscord.Call question = fake.await(from, c -> c.is("POST", "webhooks/" + FakeDiscord.APP_ID + "/.*")
          && c.body().path("content").asText().contains("(" + counter + ")"), "asking question " + counter);
      assertThat(question.body().get("flags").asInt() & 64).as("only Ana sees question " + counter).isEqualTo(64);
      String messageId = question.response().get("id").asText();
      String answer = ANSWERS.get(k - 1);
      from = fake.calls().size();
      if (answer.startsWith("=")) {
        String click = fake.click(user, messageId, "intake.answer:" + answer.substring(1));
        FakeDiscord.Call ack = fake.await(from, c -> c.is("POST", "interactions/" + click + "/.*/callback"), "ack");
        assertThat(ack.body().get("type").asInt()).as("deferred update").isEqualTo(6);
      } else {
        String click = fake.click(user, messageId, "form:" + counter);
        FakeDiscord.Call modal = fake.await(from, c -> c.is("POST", "interactions/" + click + "/.*/callback"),
            "opening the answer form");
        assertThat(modal.body().get("type").asInt()).as("modal").isEqualTo(9);
        assertThat(modal.body().get("data").get("custom_id").asText()).isEqualTo("form:" + counter);
        from = fake.calls().size();
        fake.submit(user, channel, "form:" + counter, Map.of("answer", answer));
      }
    }
    return from;
  }
}
