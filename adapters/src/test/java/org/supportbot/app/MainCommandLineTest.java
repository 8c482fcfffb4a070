package org.supportbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A command line for {@code supportbot NAME ...} builds only that subcommand (a fresh process starts sooner),
 * and it reads and prints exactly as the full command line does.
 */
class MainCommandLineTest {
  @Test
  void eachSubcommandAloneIsTheSameAsInTheFullCommandLine() {
    CommandLine full = Main.commandLine();
    assertThat(full.getSubcommands()).containsKeys("demo", "sla", "policy", "kb", "run", "train-startup", "outbox",
        "db", "help");
    for (String name : full.getSubcommands().keySet()) {
      if (name.equals("help")) {
        continue;
      }
      CommandLine alone = Main.commandLine(new String[] {name, "--help"});
      assertThat(alone.getSubcommands().keySet()).as(name).containsExactlyInAnyOrder(name, "help");
      assertThat(alone.getSubcommands().get(name).getUsageMessage()).as(name)
          .isEqualTo(full.getSubcommands().get(name).getUsageMessage());
    }
  }

  @Test
  void argumentsThatNameNoSubcommandGetAll() {
    assertThat(Main.commandLine(new String[] {"--version"}).getSubcommands()).hasSameSizeAs(
        Main.commandLine().getSubcommands());
    assertThat(Main.commandLine(new String[] {"nonsense"}).getSubcommands()).hasSameSizeAs(
        Main.commandLine().getSubcommands());
    assertThat(Main.commandLine(new String[] {"help", "run"}).getSubcommands()).hasSameSizeAs(
        Main.commandLine().getSubcommands());
  }
}
