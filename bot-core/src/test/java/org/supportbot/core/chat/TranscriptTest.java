package org.supportbot.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.supportbot.core.chat.ChatFixture.ACME;
import static org.supportbot.core.chat.ChatFixture.ANA;
import static org.supportbot.core.chat.ChatFixture.EVE;
import static org.supportbot.core.chat.ChatFixture.IAN;
import static org.supportbot.core.chat.ChatFixture.INITECH;
import static org.supportbot.core.chat.ChatFixture.text;
import static org.supportbot.core.chat.ChatFixture.thread;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.Organization;

/** {@code /transcript}: the case's whole record of communications as a Markdown file. */
class TranscriptTest {

  /** Monday 23 November 2026, 17:00 UTC: 09:00 in Los Angeles. */
  private static final Instant MONDAY = Instant.parse("2026-11-23T17:00:00Z");

  @TempDir Path dir;

  private static ChatFixture worked(Path file) {
    ChatFixture f = new ChatFixture(file, MONDAY);
    f.fileAtheer("The login page shows a blank screen after the upgrade", "10", "P3");
    f.clock.advance(Duration.ofMinutes(10));
    f.command(EVE, thread(ACME, "ACME-1"), "/info Which browser do you use?");
    f.clock.advance(Duration.ofMinutes(5));
    f.say(ANA, thread(ACME, "ACME-1"), "Firefox 128 on Windows");
    f.clock.advance(Duration.ofMinutes(5));
    f.command(EVE, thread(ACME, "ACME-1"), "/update A fix is being tested.");
    return f;
  }

  private static Outbound.File file(Outbound o) {
    return o.blocks().stream().filter(b -> b instanceof Outbound.File).map(b -> (Outbound.File) b).findFirst()
        .orElseThrow(() -> new AssertionError("no file in " + o.plainText()));
  }

  @Test
  void anEngineerGetsTheWholeRecordAsAMarkdownFileInTheCasesThread() {
    try (ChatFixture f = worked(dir.resolve("desk.db"))) {
      List<Outbound> out = f.command(EVE, ACME, "/transcript ACME-1");
      assertThat(out).singleElement().satisfies(o -> {
        assertThat(o.to()).isEqualTo(new Outbound.ToPlace(thread(ACME, "ACME-1")));
        assertThat(o.onlyFor()).isEmpty();
        assertThat(file(o).name()).isEqualTo("ACME-1-transcript.md");
        String md = file(o).content();
        assertThat(md).startsWith("# ACME-1: The login page shows a blank screen after the upgrade\n\n"
            + "- Organization: acme\n- Support policy: Atheer (atheer)\n- Severity: P3\n- State: waiting on you\n"
            .replace("waiting on you", f.incidents.incident(new org.supportbot.core.incident.IncidentNumber("ACME", 1))
                .orElseThrow().state().label())
            + "- Transcript made: 2026-11-23 17:20 UTC\n\n## Record\n\n### 2026-11-23 17:00 UTC, @ana (customer)\n\n"
            + "Filed the case: severity P3");
        assertThat(md).contains("**description:**\n\n> The login page shows a blank screen after the upgrade")
            .contains("### 2026-11-23 17:10 UTC, @eve (engineer)\n\nAsked for information (request 1):\n\n"
                + "> Which browser do you use?\n")
            .contains("### 2026-11-23 17:15 UTC, @ana (customer)\n\n> Firefox 128 on Windows\n")
            .contains("### 2026-11-23 17:20 UTC, @eve (engineer)\n\n> A fix is being tested.\n");
        assertThat(md.indexOf("Which browser")).isLessThan(md.indexOf("Firefox 128")).isLessThan(md.indexOf("A fix"));
      });
    }
  }

  @Test
  void aCustomerGetsItByDirectMessageAndIsToldWhereItWent() {
    try (ChatFixture f = worked(dir.resolve("desk.db"))) {
      List<Outbound> out = f.command(ANA, ACME, "/transcript ACME-1");
      assertThat(out).hasSize(2);
      assertThat(out.get(0).to()).isEqualTo(new Outbound.ToPerson(ANA));
      assertThat(file(out.get(0)).content()).contains("> Firefox 128 on Windows");
      assertThat(out.get(1).to()).isEqualTo(new Outbound.ToPlace(ACME));
      assertThat(out.get(1).onlyFor()).contains(ANA);
      assertThat(out.get(1).plainText()).isEqualTo("I sent you the transcript of ACME-1 by direct message.");
      // in the case's thread the number may be left out
      assertThat(file(f.command(ANA, thread(ACME, "ACME-1"), "/transcript").get(0)).name())
          .isEqualTo("ACME-1-transcript.md");
    }
  }

  @Test
  void aContactOfAnotherOrganizationIsToldThereIsNoSuchCase() {
    try (ChatFixture f = worked(dir.resolve("desk.db"))) {
      f.directory.register(Organization.of("initech", "INI", "Initech", "atomrock").withLicences(3, 0));
      List<Outbound> out = f.command(IAN, INITECH, "/transcript ACME-1");
      assertThat(text(out)).isEqualTo("There is no case ACME-1 here. Check the number in the case's confirmation.");
      assertThat(out).allSatisfy(o -> assertThat(o.blocks()).noneMatch(b -> b instanceof Outbound.File));
    }
  }

  @Test
  void deadlineWarningsToEngineersAreNotCommunicationsAndStayOutAndExtraWordsAreRefused() {
    try (ChatFixture f = worked(dir.resolve("desk.db"))) {
      f.clock.advance(Duration.ofDays(4));
      f.desk.tick();
      assertThat(f.incidents.log(new org.supportbot.core.incident.IncidentNumber("ACME", 1)))
          .anyMatch(e -> e instanceof org.supportbot.core.incident.IncidentEvent.SlaWarningIssued
              || e instanceof org.supportbot.core.incident.IncidentEvent.SlaBreached);
      String md = file(f.command(EVE, ACME, "/transcript ACME-1").get(0)).content();
      assertThat(md).doesNotContainIgnoringCase("breach").doesNotContain("% of");
      assertThat(text(f.command(EVE, ACME, "/transcript ACME-1 now"))).isEqualTo("\"now\" is not understood; write"
          + " /transcript ACME-42, or /transcript in the case's thread. Usage: /transcript [CASE] - the case's whole"
          + " record as a Markdown file (customers get it by direct message)");
    }
  }
}
