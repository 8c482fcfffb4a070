package org.supportbot.app.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.supportbot.core.chat.CommandParser;

/** The shipped manifest matches the code: every desk command, the shortcut's callback id, the scopes. */
class SlackAppManifestTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> manifest() throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path f = dir.resolve("config").resolve("slack-app-manifest.yaml");
      if (Files.isRegularFile(f)) {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(f));
      }
    }
    throw new IllegalStateException("config/slack-app-manifest.yaml not found above " + Path.of("").toAbsolutePath());
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Map<String, Object> m, String... path) {
    Object o = m;
    for (String p : path) {
      o = ((Map<String, Object>) o).get(p);
    }
    return (T) o;
  }

  @Test
  void everyDeskCommandIsASlashCommandOnTheEventsUrl() throws IOException {
    List<Map<String, Object>> commands = at(manifest(), "features", "slash_commands");
    assertThat(commands).extracting(c -> (String) c.get("command"))
        .containsExactlyInAnyOrderElementsOf(CommandParser.USAGE.keySet().stream().map(c -> "/" + c).toList());
    assertThat(commands).allSatisfy(c -> assertThat((String) c.get("url")).endsWith("/slack/events"));
  }

  @Test
  void theShortcutEventsInteractivityAndScopesMatchTheAdapter() throws IOException {
    Map<String, Object> m = manifest();
    List<Map<String, Object>> shortcuts = at(m, "features", "shortcuts");
    assertThat(shortcuts).singleElement().satisfies(s -> {
      assertThat(s.get("type")).isEqualTo("message");
      assertThat(s.get("callback_id")).isEqualTo(SlackAdapter.FILE_AS_INCIDENT);
    });
    List<String> scopes = at(m, "oauth_config", "scopes", "bot");
    assertThat(scopes).containsAll(SlackRunner.REQUIRED_SCOPES);
    List<String> events = at(m, "settings", "event_subscriptions", "bot_events");
    assertThat(events).contains("message.channels", "message.groups");
    assertThat((Boolean) at(m, "settings", "interactivity", "is_enabled")).isTrue();
  }
}
