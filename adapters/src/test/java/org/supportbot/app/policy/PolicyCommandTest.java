package org.supportbot.app.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.CliRun;

class PolicyCommandTest {
  private static final Path POLICIES = Path.of("..", "config", "policies");

  @Test
  void allFiveShippedPoliciesPassTheCheck() {
    CliRun run = CliRun.of("policy", "check",
        POLICIES.resolve("atomrock.yaml").toString(), POLICIES.resolve("resource-optimizer.yaml").toString(),
        POLICIES.resolve("atheer.yaml").toString(), POLICIES.resolve("alectrona.yaml").toString(),
        POLICIES.resolve("atollon.yaml").toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines()).containsExactly("OK atomrock", "OK resource-optimizer", "OK atheer", "OK alectrona", "OK atollon");
  }

  @Test
  void anInvalidFileListsEveryProblemAndExitsWith1(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, Files.readString(POLICIES.resolve("atheer.yaml"))
        .replace("time_zone: America/Los_Angeles", "time_zone: Pacific")
        .replace("first_response: 4 business hours", "first_response: 4 buisness hours"));
    CliRun run = CliRun.of("policy", "check", POLICIES.resolve("atomrock.yaml").toString(), bad.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out().strip()).isEqualTo("OK atomrock");
    assertThat(run.err()).contains(bad + ":13: calendar.time_zone: \"Pacific\" is not a time zone")
        .contains("severities[0].targets.first_response: \"4 buisness hours\" is not a duration")
        .contains("1 of 2 files invalid");
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] args : new String[][] {{"--help"}, {"sla", "--help"}, {"policy", "--help"}, {"policy", "check", "--help"}}) {
      CliRun run = CliRun.of(args);
      assertThat(run.exitCode()).as(String.join(" ", args)).isZero();
      assertThat(run.out()).contains("Usage: supportbot");
    }
  }
}
