package org.supportbot.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.supportbot.core.chat.CommandParser.Parsed;

class CommandParserTest {

  private final CommandParser parser = new CommandParser();

  private DeskCommand ok(String name, String args) {
    Parsed p = parser.parse(name, args);
    assertThat(p).isInstanceOf(Parsed.Ok.class);
    return ((Parsed.Ok) p).command();
  }

  private String invalid(String name, String args) {
    Parsed p = parser.parse(name, args);
    assertThat(p).isInstanceOf(Parsed.Invalid.class);
    return ((Parsed.Invalid) p).message();
  }

  @Test
  void unknownCommandSuggestsTheNearestRealOne() {
    assertThat(invalid("cliam", "")).isEqualTo("Unknown command `/cliam`. Did you mean `/claim`? Type /help for the list.");
    assertThat(invalid("/severtiy", "S1 x")).contains("Did you mean `/severity`?");
  }

  @Test
  void aLeadingCaseNumberNamesTheCase() {
    Parsed p = parser.parse("claim", "acme-42");
    assertThat(p).isEqualTo(new Parsed.Ok(new DeskCommand.Claim(), Optional.of("ACME-42")));
    assertThat(parser.parse("severity", "#ACME-7 S1 production is down"))
        .isEqualTo(new Parsed.Ok(new DeskCommand.Severity("S1", "production is down"), Optional.of("ACME-7")));
  }

  @Test
  void severityNeedsALevelAndAReason() {
    assertThat(invalid("severity", "S1")).startsWith("Give the level and the reason")
        .endsWith("Usage: /severity LEVEL reason [CASE] - change the level (customers: ask to discuss it)");
  }

  @Test
  void resolveTypeIsNormalized() {
    assertThat(ok("resolve", "Fix-In-Release upgrade to 2.4"))
        .isEqualTo(new DeskCommand.Resolve("fix_in_release", "upgrade to 2.4"));
  }

  @Test
  void splitNeedsTwoTitlesAndMergeANumber() {
    assertThat(ok("split", "login fails; export is slow"))
        .isEqualTo(new DeskCommand.Split(List.of("login fails", "export is slow")));
    assertThat(invalid("split", "only one")).contains("at least two titles");
    assertThat(ok("merge", "acme-41")).isEqualTo(new DeskCommand.Merge("ACME-41"));
    assertThat(invalid("merge", "yesterday's")).contains("e.g. /merge ACME-41");
  }

  @ParameterizedTest
  @CsvSource({"25m,PT25M", "1h,PT1H", "1h30m,PT1H30M", "1.5h,PT1H30M", "90 min,PT1H30M", "2 hours,PT2H"})
  void durationsAreRead(String text, String expected) {
    assertThat(CommandParser.duration(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @CsvSource({"soon", "0m", "25h", "''", "m"})
  void badDurationsAreRefused(String text) {
    assertThatThrownBy(() -> CommandParser.duration(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void timeMayMarkCommunication() {
    assertThat(ok("time", "25m comm call with the client"))
        .isEqualTo(new DeskCommand.Time(Duration.ofMinutes(25), true, "call with the client"));
    assertThat(invalid("time", "lots of it")).startsWith("\"lots\" is not a duration");
  }

  @Test
  void slaOnlyKnowsWhyAndTheCaseInEitherOrder() {
    assertThat(ok("sla", "why")).isEqualTo(new DeskCommand.SlaWhy());
    assertThat(parser.parse("sla", "why acme-42")).isEqualTo(new Parsed.Ok(new DeskCommand.SlaWhy(), Optional.of("ACME-42")));
    assertThat(parser.parse("sla", "ACME-42 why")).isEqualTo(new Parsed.Ok(new DeskCommand.SlaWhy(), Optional.of("ACME-42")));
    assertThat(parser.parse("sla", "ACME-42")).isEqualTo(new Parsed.Ok(new DeskCommand.SlaWhy(), Optional.of("ACME-42")));
    assertThat(invalid("sla", "how")).isEqualTo("\"how\" is not understood; write /sla why ACME-42, /sla ACME-42 why,"
        + " or /sla why in the case's thread. Usage: /sla why [CASE] - the segments behind the next deadline");
  }

  @Test
  void theCaseIsReadLastWhereTheUsagePutsItLast() {
    assertThat(parser.parse("severity", "P1 production is down ACME-42"))
        .isEqualTo(new Parsed.Ok(new DeskCommand.Severity("P1", "production is down"), Optional.of("ACME-42")));
    assertThat(parser.parse("assign", "@sam ACME-42"))
        .isEqualTo(new Parsed.Ok(new DeskCommand.Assign("sam"), Optional.of("ACME-42")));
    assertThat(parser.parse("assign", "ACME-42 @sam"))
        .isEqualTo(new Parsed.Ok(new DeskCommand.Assign("sam"), Optional.of("ACME-42")));
    assertThat(parser.parse("escalate", "the outage spreads ACME-42"))
        .isEqualTo(new Parsed.Ok(new DeskCommand.Escalate("the outage spreads"), Optional.of("ACME-42")));
    assertThat(parser.parse("reopen", "ACME-42"))
        .isEqualTo(new Parsed.Ok(new DeskCommand.Reopen(""), Optional.of("ACME-42")));
  }

  @Test
  void aNumberInsideANoteIsNotTakenForTheCase() {
    assertThat(parser.parse("close", "duplicate of ACME-7"))
        .isEqualTo(new Parsed.Ok(new DeskCommand.Close("duplicate of ACME-7"), Optional.empty()));
    assertThat(parser.parse("update", "ACME-42 same cause as ACME-7"))
        .isEqualTo(new Parsed.Ok(new DeskCommand.Update("same cause as ACME-7"), Optional.of("ACME-42")));
  }

  @Test
  void mergeNamesTheDuplicateAndTheCaseItGoesInto() {
    assertThat(parser.parse("merge", "ACME-42 acme-7"))
        .isEqualTo(new Parsed.Ok(new DeskCommand.Merge("ACME-7"), Optional.of("ACME-42")));
    assertThat(parser.parse("merge", "ACME-7")).isEqualTo(new Parsed.Ok(new DeskCommand.Merge("ACME-7"), Optional.empty()));
  }

  @Test
  void customersAreRefusedTheVendorsCommandsAndNeverPointedToThem() {
    assertThat(parser.parse("reopen", "", false)).isInstanceOf(Parsed.Ok.class);
    assertThat(parser.parse("support", "", false)).isInstanceOf(Parsed.Ok.class);
    assertThat(parser.parse("claim", "", false)).isEqualTo(new Parsed.Invalid("Only the vendor's support engineers can"
        + " use /claim. To add information to your case, reply in its thread."));
    assertThat(parser.parse("assign", "", false)).isEqualTo(new Parsed.Invalid("Only the vendor's support engineers"
        + " can use /assign. To add information to your case, reply in its thread."));
    assertThat(parser.parse("cliam", "", false)).isEqualTo(new Parsed.Invalid("Unknown command `/cliam`. Type /help"
        + " for the list."));
    assertThat(parser.parse("reopne", "", false)).isEqualTo(new Parsed.Invalid("Unknown command `/reopne`. Did you"
        + " mean `/reopen`? Type /help for the list."));
  }
}
