package org.supportbot.app.sla;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.supportbot.app.CliRun;

class SlaCommandTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      atheer             | P1     | 2026-11-20T16:30:00-08:00 | {"policy":"atheer","severity":"P1","from":"2026-11-21T00:30:00Z","deadlines":{"first_response":"2026-11-23T20:30:00Z"}}
      resource-optimizer | S1     | 2026-11-23T14:00:00Z      | {"policy":"resource-optimizer","severity":"S1","from":"2026-11-23T14:00:00Z","deadlines":{"first_response":"2026-11-24T04:00:00Z"}}
      alectrona          | urgent | 2026-11-24T17:15:00-05:00 | {"policy":"alectrona","severity":"urgent","from":"2026-11-24T22:15:00Z","deadlines":{"first_response":"2026-11-25T14:45:00Z","update":"2026-11-25T18:45:00Z"}}
      atomrock           | S3     | 2026-11-21T22:00:00Z      | {"policy":"atomrock","severity":"S3","from":"2026-11-21T22:00:00Z","deadlines":{"first_response":"2026-11-23T22:00:00Z"}}
      resource-optimizer | S4     | 2026-11-23T14:00:00Z      | {"policy":"resource-optimizer","severity":"S4","from":"2026-11-23T14:00:00Z","deadlines":{"first_response":null}}
      """)
  void printsTheIssuesExamplesAsOneJsonLine(String policy, String level, String from, String expected) {
    CliRun run = CliRun.of("sla", "--policy", policy, "--severity", level, "--from", from);
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(expected + System.lineSeparator());
    assertThat(run.err()).isEmpty();
  }

  @Test
  void severityIsMatchedIgnoringCaseAndPrintedAsThePolicySpellsIt() {
    CliRun run = CliRun.of("sla", "--policy", "atheer", "--severity", "p1", "--from", "2026-11-20T16:30:00-08:00");
    assertThat(run.out()).contains("\"severity\":\"P1\"");
  }

  @Test
  void anUnknownPolicyNamesTheValidChoicesAndExitsWith2() {
    CliRun run = CliRun.of("sla", "--policy", "athere", "--severity", "P1", "--from", "2026-11-20T16:30:00-08:00");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip()).isEqualTo("error: unknown policy \"athere\". Did you mean \"atheer\"? Valid policies: "
        + "alectrona, atheer, atollon, atomrock, resource-optimizer (or the path of a policy YAML file)");
  }

  @Test
  void anUnknownLevelNamesTheValidLevelsAndExitsWith2() {
    CliRun run = CliRun.of("sla", "--policy", "atomrock", "--severity", "P1", "--from", "2026-11-20T16:30:00Z");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("error: unknown severity \"P1\" for policy atomrock; valid levels: S1, S2, S3, S4");
  }

  @Test
  void aTimeWithoutAnOffsetIsRefusedWithExitCode2() {
    CliRun run = CliRun.of("sla", "--policy", "atheer", "--severity", "P1", "--from", "2026-11-20T16:30:00");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo(
        "error: --from \"2026-11-20T16:30:00\" is not a time with an offset; write e.g. 2026-11-20T16:30:00-08:00 or 2026-11-21T00:30:00Z");
    assertThat(run.err().lines().count()).isEqualTo(1);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "2026-13-45T99:00:00Z | is not a valid time: the month 13 is out of range (1 to 12)",
      "2026-11-31T10:00:00Z | is not a valid time: november 31 does not exist",
      "2026-02-29T10:00:00Z | is not a valid time: february 29 does not exist in 2026, not a leap year",
      "2026-11-20T24:30:00Z | is not a valid time: the hour 24 is out of range (0 to 23)",
      "tomorrow             | is not a time with an offset"})
  void anInvalidTimeSaysWhatIsWrongWithIt(String from, String problem) {
    CliRun run = CliRun.of("sla", "--policy", "atheer", "--severity", "P1", "--from", from);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("error: --from \"" + from + "\" " + problem
        + "; write e.g. 2026-11-20T16:30:00-08:00 or 2026-11-21T00:30:00Z");
  }

  @Test
  void aMissingPolicyFileIsSaidToBeMissing() {
    CliRun run = CliRun.of("sla", "--policy", "missing.yaml", "--severity", "P1", "--from", "2026-11-20T16:30:00Z");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("error: the policy file \"missing.yaml\" does not exist; give the path of a"
        + " policy YAML file or a shipped policy id: alectrona, atheer, atollon, atomrock, resource-optimizer");
  }

  @Test
  void theCommandListShowsWholeSentences() {
    CliRun run = CliRun.of("--help");
    assertThat(run.out()).contains("The whole desk in a terminal workspace, with no tokens and no network.",
        "Print the response deadlines of a case as one line of JSON.",
        "Run the desk on the chat platforms the settings file configures.");
    // each command's line in the list, with the lines it wraps onto, is a whole sentence
    String list = run.out().substring(run.out().indexOf("Commands:"));
    for (String entry : list.split("\n(?=  \\w)")) {
      if (!entry.startsWith("Commands:")) {
        assertThat(entry.replaceAll("\\s+", " ").strip()).as(entry).endsWith(".");
      }
    }
  }

  @Test
  void aPolicyFileWorksWhereAnIdDoes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("custom.yaml");
    java.nio.file.Files.writeString(file, java.nio.file.Files.readString(java.nio.file.Path.of("..", "config", "policies", "atheer.yaml"))
        .replace("id: atheer", "id: custom").replace("first_response: 4 business hours", "first_response: 2 business hours"));
    CliRun run = CliRun.of("sla", "--policy", file.toString(), "--severity", "P1", "--from", "2026-11-20T16:30:00-08:00");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("\"policy\":\"custom\"").contains("\"first_response\":\"2026-11-23T18:30:00Z\"");
  }

  @Test
  void anInvalidPolicyFileReportsItsProblemsAndExitsWith1(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("broken.yaml");
    java.nio.file.Files.writeString(file, "id: broken\nvendor: X\n");
    CliRun run = CliRun.of("sla", "--policy", file.toString(), "--severity", "P1", "--from", "2026-11-20T16:30:00Z");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains(file + ":1: calendar: is required");
  }

  @Test
  void explainListsTheSegmentsBehindEachDeadline() throws Exception {
    CliRun run = CliRun.of("sla", "--policy", "atheer", "--severity", "P2", "--from", "2026-11-25T12:00:00-08:00", "--explain");
    JsonNode json = new ObjectMapper().readTree(run.out());
    // 5h Wednesday, Thanksgiving, the day after (a working day) 8h, Monday 3h: 16 business hours.
    assertThat(json.at("/deadlines/first_response").asText()).isEqualTo("2026-11-30T20:00:00Z");
    JsonNode segments = json.at("/explain/first_response/segments");
    assertThat(segments.findValuesAsText("kind")).containsExactly(
        "counted", "out_of_hours", "holiday", "out_of_hours", "counted", "out_of_hours", "counted");
    assertThat(segments.get(2).get("note").asText()).isEqualTo("2026-11-26 Thanksgiving Day");
    int counted = 0;
    for (JsonNode s : segments) {
      if (s.get("kind").asText().equals("counted")) {
        counted += s.get("minutes").asInt();
      }
    }
    assertThat(counted).isEqualTo(16 * 60);
  }

  @Test
  void alectronasUpdateTargetCountsFromTheFirstResponseAsTheDeskDoesAndSaysWhichInstant() throws Exception {
    // submitted Monday 12:00 New York; first response due 13:00; the update target is 4 business hours
    CliRun assumed = CliRun.of("sla", "--policy", "alectrona", "--severity", "urgent", "--from", "2026-11-23T17:00:00Z",
        "--explain");
    JsonNode json = new ObjectMapper().readTree(assumed.out());
    assertThat(json.at("/deadlines/update").asText()).isEqualTo("2026-11-23T22:00:00Z");
    assertThat(json.at("/explain/first_response/starts").asText()).isEqualTo("submission");
    assertThat(json.at("/explain/first_response/start").asText()).isEqualTo("2026-11-23T17:00:00Z");
    assertThat(json.at("/explain/update/starts").asText()).isEqualTo("first_response");
    assertThat(json.at("/explain/update/start").asText()).isEqualTo("2026-11-23T18:00:00Z");
    assertThat(json.at("/explain/update/start_note").asText()).isEqualTo("the first_response deadline, standing in"
        + " for the first response; give --first-response for the actual one");
    // the desk's conversation (SeedRulesTest): acknowledged at 12:30, the update is due 16:30 New York
    CliRun given = CliRun.of("sla", "--policy", "alectrona", "--severity", "urgent", "--from", "2026-11-23T17:00:00Z",
        "--first-response", "2026-11-23T17:30:00Z", "--explain");
    JsonNode actual = new ObjectMapper().readTree(given.out());
    assertThat(actual.at("/deadlines/update").asText()).isEqualTo("2026-11-23T21:30:00Z");
    assertThat(actual.at("/explain/update/start").asText()).isEqualTo("2026-11-23T17:30:00Z");
    assertThat(actual.at("/explain/update/start_note").isMissingNode()).isTrue();
  }

  @Test
  void aFirstResponseBeforeTheSubmissionIsRefused() {
    CliRun run = CliRun.of("sla", "--policy", "alectrona", "--severity", "urgent", "--from", "2026-11-23T17:00:00Z",
        "--first-response", "2026-11-23T16:00:00Z");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("error: --first-response 2026-11-23T16:00:00Z is before --from"
        + " 2026-11-23T17:00:00Z; the first response comes after the case is submitted");
  }
}
