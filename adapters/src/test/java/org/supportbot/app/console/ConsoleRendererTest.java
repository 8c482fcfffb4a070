package org.supportbot.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Suggestion;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;

class ConsoleRendererTest {

  private static final Instant NOW = Instant.parse("2026-11-23T17:00:00Z");
  private final ConsoleRenderer renderer = new ConsoleRenderer(Clock.fixed(NOW, ZoneOffset.UTC),
      ZoneId.of("America/Los_Angeles"), id -> id.userId() + "@acme");

  @Test
  void deadlinesAreRelativeToTheClockWithTheAbsoluteTimeInTheReadersZone() {
    assertThat(renderer.deadline(NOW.plus(Duration.ofMinutes(192)))).isEqualTo("in 3h 12m (Mon 23 Nov 12:12 PST)");
    assertThat(renderer.deadline(NOW.minus(Duration.ofMinutes(5)))).isEqualTo("5m ago (Mon 23 Nov 08:55 PST)");
    assertThat(renderer.deadline(NOW.plusSeconds(10))).startsWith("now (");
    assertThat(renderer.deadline(NOW.plus(Duration.ofHours(50)))).startsWith("in 2d 2h");
  }

  @Test
  void blocksRenderAsIndentedLines() {
    Identity ana = new Identity("console", "demo", "ana");
    Outbound message = Outbound.toPlace(new ChatPlace("console", "demo", "acme", ""), Outbound.Kind.STATUS)
        .text("Case ACME-1 for ", ana)
        .fact("Next deadline", NOW.plus(Duration.ofHours(1)))
        .suggestions(List.of(new Suggestion("kb-1", "article", "Reset sync", "https://kb/1", "the **sync**", 1.0)))
        .actions(new Outbound.Action("a", "Claim", "", true), new Outbound.Action("b", "Skip", "", false))
        .build();
    assertThat(renderer.body(message)).isEqualTo("""
            Case ACME-1 for @ana@acme
              Next deadline: in 1h 0m (Mon 23 Nov 10:00 PST)
              1. [article] Reset sync <https://kb/1>
                 the **sync**
            [*Claim*] [Skip]
        """);
  }

  @Test
  void aFileIsShownUnderItsNameLineByLine() {
    Outbound o = Outbound.to(new Outbound.ToPerson(new org.supportbot.core.directory.Identity("console", "demo", "ana")),
        Outbound.Kind.REPLY).file("ACME-1-transcript.md", "# ACME-1\n\n> hello").build();
    assertThat(renderer.body(o)).contains("[file ACME-1-transcript.md]").contains("  | # ACME-1").contains("  | > hello");
  }
}
