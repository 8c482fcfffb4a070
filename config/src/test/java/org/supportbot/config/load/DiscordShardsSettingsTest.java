package org.supportbot.config.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.supportbot.config.settings.BotSettings;

/** {@code discord.shards}: read as written, and every wrong setting named with its line and its fix. */
class DiscordShardsSettingsTest {

  private static final String HEAD = """
      triage: slack/T1/C0
      organizations: [{ id: acme, key: ACME, policy: atheer }]
      discord:
      """;

  private static BotSettings parse(String discord) throws Exception {
    return new SettingsLoader().parse("bot.yaml", HEAD + discord, Path.of("/srv"));
  }

  private static List<String> problems(String discord) {
    try {
      parse(discord);
    } catch (ConfigException e) {
      return e.problems().stream().map(Object::toString).toList();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the settings were accepted");
  }

  @Test
  void absentShardsAreOneShardOnThisInstance() throws Exception {
    assertThat(parse("  message_content: true\n").discord().orElseThrow().shards()).isEmpty();
  }

  @Test
  void theShardsAreReadSortedAndGuildsMapAsDiscordAssignsThem() throws Exception {
    BotSettings.Shards s = parse("""
          shards:
            total: 4
            this_instance: [3, 1]
        """).discord().orElseThrow().shards().orElseThrow();
    assertThat(s.total()).isEqualTo(4);
    assertThat(s.thisInstance()).containsExactly(1, 3);
    // Discord's formula: shard_id = (guild_id >> 22) % num_shards
    long guild = (41L << 22) | 12345;
    assertThat(s.shardOf(guild)).isEqualTo(1);
    assertThat(s.holds(guild)).isTrue();
    assertThat(s.holds(42L << 22)).isFalse();
    assertThat(parse("  shards: {total: 2, this_instance: 0}\n").discord().orElseThrow().shards().orElseThrow()
        .thisInstance()).containsExactly(0);
  }

  @Test
  void aTotalBelowOneIsRefusedWithItsLine() {
    assertThat(problems("  shards: {total: 0, this_instance: [0]}\n"))
        .containsExactly("bot.yaml:4: discord.shards.total: 0 is too small; it must be at least 1");
  }

  @Test
  void aMissingTotalSaysWhatToWrite() {
    assertThat(problems("  shards: {this_instance: [0]}\n")).singleElement().asString()
        .startsWith("bot.yaml:4: discord.shards.total: is required; write how many shards")
        .contains("the same number on every instance");
  }

  @Test
  void aShardOutsideTheTotalIsRefused() {
    assertThat(problems("""
          shards:
            total: 2
            this_instance: [0, 2]
        """)).containsExactly("bot.yaml:6: discord.shards.this_instance[1]: shard 2 is not below total (2); shards are"
            + " numbered 0 to 1");
    assertThat(problems("  shards: {total: 2, this_instance: [-1]}\n"))
        .containsExactly("bot.yaml:4: discord.shards.this_instance[0]: -1 is too small; it must be at least 0");
  }

  @Test
  void aShardListedTwiceIsRefused() {
    assertThat(problems("  shards: {total: 3, this_instance: [1, 1]}\n"))
        .containsExactly("bot.yaml:4: discord.shards.this_instance[1]: shard 1 is listed twice; list each shard once");
  }

  @Test
  void anEmptyOrMissingListIsRefused() {
    assertThat(problems("  shards: {total: 2, this_instance: []}\n")).singleElement().asString()
        .startsWith("bot.yaml:4: discord.shards.this_instance: is empty; list at least one shard this instance connects");
    assertThat(problems("  shards: {total: 2}\n")).singleElement().asString()
        .startsWith("bot.yaml:4: discord.shards.this_instance: is required; list the shards this instance connects");
  }

  @Test
  void aWrongShapeOrKeyIsRefused() {
    assertThat(problems("  shards: 2\n")).singleElement().asString()
        .startsWith("bot.yaml:4: discord.shards: must be a mapping of total and this_instance");
    assertThat(problems("  shards: {total: 2, this_instances: [0]}\n")).contains(
        "bot.yaml:4: discord.shards.this_instances: unknown key; did you mean \"this_instance\"? allowed here: total,"
            + " this_instance");
  }

  @Test
  void theRecordRefusesWhatTheFileWouldHaveBeenToldAbout() {
    assertThatThrownBy(() -> new BotSettings.Shards(2, List.of(0, 0))).hasMessageContaining("twice");
    assertThatThrownBy(() -> new BotSettings.Shards(2, List.of())).hasMessageContaining("at least one");
    assertThatThrownBy(() -> new BotSettings.Shards(2, List.of(2))).hasMessageContaining("not in [0, 2)");
    assertThatThrownBy(() -> new BotSettings.Shards(0, List.of(0))).hasMessageContaining("at least 1");
  }
}
