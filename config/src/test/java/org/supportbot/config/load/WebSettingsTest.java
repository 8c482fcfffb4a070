package org.supportbot.config.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.supportbot.config.settings.BotSettings;

/** {@code web: {address, port, public_url, idle}}: the web board's settings. */
class WebSettingsTest {
  private static final String BASE = """
      triage: slack/T1/C0
      organizations: [{ id: acme, key: ACME, policy: atheer }]
      """;

  @Test
  void theWebBoardIsOffUnlessConfiguredAndHasDefaults() throws ConfigException {
    assertThat(new SettingsLoader().parse("bot.yaml", BASE, Path.of("/srv")).web()).isEmpty();
    BotSettings s = new SettingsLoader().parse("bot.yaml", BASE + "web: {}\n", Path.of("/srv"));
    assertThat(s.web()).contains(new BotSettings.Web("127.0.0.1", 8080, java.util.Optional.empty(),
        Duration.ofMinutes(30)));
  }

  @Test
  void aPublicHttpsUrlAndIdleTimeAreRead() throws ConfigException {
    BotSettings s = new SettingsLoader().parse("bot.yaml", BASE
        + "web: { address: 0.0.0.0, port: 8443, public_url: https://desk.example.com, idle: 2 hours }\n", Path.of("/srv"));
    assertThat(s.web()).contains(new BotSettings.Web("0.0.0.0", 8443, java.util.Optional.of(URI.create("https://desk.example.com/")),
        Duration.ofHours(2)));
  }

  @Test
  void badWebSettingsAreReportedWithTheFix() {
    String text = BASE + "web: { address: desk, port: 70000, public_url: \"ftp://x/\", idle: soon, tls: on }\n";
    assertThatThrownBy(() -> new SettingsLoader().parse("bot.yaml", text, Path.of("/srv")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(Object::toString)
            .containsExactlyInAnyOrder(
                "bot.yaml:3: web.tls: unknown key; allowed here: address, port, public_url, idle",
                "bot.yaml:3: web.address: \"desk\" is not an IP address; write 127.0.0.1 (this host only) or 0.0.0.0"
                    + " (every interface)",
                "bot.yaml:3: web.port: 70000 is not a TCP port; write a number from 1 to 65535 (0 picks a free one)",
                "bot.yaml:3: web.public_url: \"ftp://x/\" is not an http or https URL without credentials or query;"
                    + " write the address people open, e.g. https://desk.example.com/ or http://127.0.0.1:8080/",
                "bot.yaml:3: web.idle: \"soon\" is not a duration; write e.g. \"30 minutes\", \"24 hours\" or \"2 days\""));
  }
}
