package org.supportbot.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.discord.FakeDiscord;
import org.supportbot.core.testing.Await;
import org.supportbot.core.time.ManualClock;
import picocli.CommandLine;

/**
 * {@code run} with {@code web:} in the settings serves the board: a named contact types
 * {@code /board} on (fake) Discord, gets a one-time link in an ephemeral answer, and signs in with
 * it over HTTP to their organization's cases.
 */
@Timeout(300) // only stops a hung test: every wait inside is on a condition, bounded by Await.HUNG
class RunServesWebBoardTest {
  private static final String DAN = "1600000000000000009";
  private static final Pattern LINK = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/signin\\?token=[0-9a-f]{64})");

  @TempDir Path dir;

  @Test
  void aContactGetsALinkFromChatAndSignsInToTheirOrganization() throws Exception {
    try (FakeDiscord discord = new FakeDiscord()) {
      Path settings = dir.resolve("bot.yaml");
      Files.writeString(settings, """
          database: data/bot.db
          triage: discord/%1$s/%4$s
          organizations:
            - { id: initech, key: INI, policy: atomrock, commercial_licences: 1, channels: [discord/%1$s/%2$s],
                contacts: [discord/%1$s/%3$s] }
          discord: { rest_url: "%5$s", gateway_url: "%6$s" }
          web: { address: 127.0.0.1, port: 0 }
          """.formatted(FakeDiscord.GUILD, FakeDiscord.SUPPORT_CHANNEL, DAN, FakeDiscord.TRIAGE, discord.restBaseUrl(),
          discord.gatewayUrl()));
      RunCommand command = new RunCommand(Map.of("DISCORD_TOKEN", FakeDiscord.TOKEN),
          new ManualClock(Instant.parse("2026-11-23T17:00:00Z")));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cli = new CommandLine(command);
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      Thread thread = Thread.ofPlatform().name("supportbot-run").start(() -> cli.execute("--config", settings.toString()));
      try {
        command.started().get(Await.HUNG.toSeconds(), TimeUnit.SECONDS);
        assertThat(out.toString()).containsPattern("supportbot: web board on http://127\\.0\\.0\\.1:\\d+/");

        int from = discord.calls().size();
        discord.slash(DAN, FakeDiscord.SUPPORT_CHANNEL, "board", null);
        FakeDiscord.Call answer = discord.await(from, c -> c.body() != null && c.body().toString().contains("/signin?token="),
            "the /board answer");
        assertThat(answer.body().path("flags").asInt() & 64).as("only the person who asked sees the link").isEqualTo(64);
        Matcher m = LINK.matcher(answer.body().toString());
        assertThat(m.find()).as(answer.toString()).isTrue();
        URI link = URI.create(m.group(1));
        String base = link.getScheme() + "://" + link.getAuthority();

        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(HttpRequest.newBuilder(link).build(), HttpResponse.BodyHandlers.ofString()).body())
            .contains("Sign in to the support board");
        HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(URI.create(base + "/signin"))
            .header("Origin", base).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("token=" + link.getQuery().substring(6))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).isEqualTo(303);
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").doesNotContain("Secure");
        HttpResponse<String> board = http.send(HttpRequest.newBuilder(URI.create(base + "/board"))
            .header("Cookie", cookie.split(";")[0]).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(board.statusCode()).isEqualTo(200);
        assertThat(board.body()).contains("customer contact · initech").contains("No open cases");
      } finally {
        command.stop();
        thread.join(Await.HUNG.toMillis());
      }
      assertThat(thread.isAlive()).isFalse();
    }
  }
}
