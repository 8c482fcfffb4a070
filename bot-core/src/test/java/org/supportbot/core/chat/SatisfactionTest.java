package org.supportbot.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.supportbot.core.chat.ChatFixture.ACME;
import static org.supportbot.core.chat.ChatFixture.ANA;
import static org.supportbot.core.chat.ChatFixture.EVE;
import static org.supportbot.core.chat.ChatFixture.IAN;
import static org.supportbot.core.chat.ChatFixture.INITECH;
import static org.supportbot.core.chat.ChatFixture.MAX;
import static org.supportbot.core.chat.ChatFixture.TRIAGE;
import static org.supportbot.core.chat.ChatFixture.text;
import static org.supportbot.core.chat.ChatFixture.thread;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.chatstate.ConversationStore;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.incident.ChatPlace;

/**
 * Satisfaction after resolve: the question with its five buttons when a case is resolved, the
 * answer by button or by {@code /rate} (one rating per case, a later one replacing it), who may
 * answer and when, and the month's report by organization and engineer, also in the digest.
 */
class SatisfactionTest {

  /** Monday 23 November 2026, 09:00 in Los Angeles. */
  private static final Instant MONDAY_9AM = Instant.parse("2026-11-23T17:00:00Z");
  private static final ChatPlace ACME_1 = thread(ACME, "ACME-1");

  @TempDir Path dir;

  private static List<Outbound> to(List<Outbound> out, ChatPlace where) {
    return out.stream().filter(o -> o.to().equals(new Outbound.ToPlace(where))).toList();
  }

  private static List<Outbound> ofKind(List<Outbound> out, Outbound.Kind kind) {
    return out.stream().filter(o -> o.kind() == kind).toList();
  }

  @Test
  void aResolvedCaseAsksOneQuestionWithFiveButtonsAndAPressIsKeptForTheOwner() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.fileAtheer("A report shows the wrong totals for one team", "5", "P3");
      f.command(EVE, ACME, "/claim ACME-1");
      List<Outbound> resolved = f.command(EVE, ACME, "/resolve ACME-1 workaround filter by team first");
      Outbound question = to(resolved, ACME_1).stream()
          .filter(o -> o.plainText().contains("how satisfied")).findFirst().orElseThrow();
      assertThat(question.plainText()).isEqualTo("@ana, how satisfied are you with how ACME-1 was handled? Press 1"
          + " (poor) to 5 (excellent). To add a comment, write /rate ACME-1 with the score and your comment.\n"
          + "[1] [2] [3] [4] [5]");
      assertThat(question.blocks()).filteredOn(b -> b instanceof Outbound.Actions).singleElement()
          .satisfies(b -> assertThat(((Outbound.Actions) b).actions()).extracting(Outbound.Action::id,
              Outbound.Action::value).containsExactly(
                  org.assertj.core.groups.Tuple.tuple(SatisfactionCommands.RATE, "ACME-1:1"),
                  org.assertj.core.groups.Tuple.tuple(SatisfactionCommands.RATE, "ACME-1:2"),
                  org.assertj.core.groups.Tuple.tuple(SatisfactionCommands.RATE, "ACME-1:3"),
                  org.assertj.core.groups.Tuple.tuple(SatisfactionCommands.RATE, "ACME-1:4"),
                  org.assertj.core.groups.Tuple.tuple(SatisfactionCommands.RATE, "ACME-1:5")));

      f.clock.advance(Duration.ofMinutes(3));
      List<Outbound> pressed = f.press(ANA, ACME_1, SatisfactionCommands.RATE, "ACME-1:4");
      assertThat(ofKind(pressed, Outbound.Kind.REPLY)).singleElement().satisfies(r -> {
        assertThat(r.onlyFor()).contains(ANA);
        assertThat(r.plainText()).isEqualTo("Thank you: ACME-1 is rated 4 of 5. To add a comment, write /rate ACME-1 4"
            + " followed by it.");
      });
      assertThat(text(to(pressed, TRIAGE))).isEqualTo("@ana rated ACME-1 4 of 5.");
      assertThat(f.conversations.rating("ACME-1")).contains(new ConversationStore.Rating("ACME-1", "acme",
          Optional.of(EVE), 4, "", ANA, MONDAY_9AM.plus(Duration.ofMinutes(3))));
    }
  }

  @Test
  void aLaterAnswerReplacesTheScoreAndAddsTheCommentOnePerCase() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.fileAtheer("A report shows the wrong totals for one team", "5", "P3");
      f.command(EVE, ACME, "/resolve ACME-1 workaround filter by team first");
      f.press(ANA, ACME_1, SatisfactionCommands.RATE, "ACME-1:4");
      f.clock.advance(Duration.ofHours(1));
      // on Slack a slash command carries no thread: the case is named
      List<Outbound> again = f.command(ANA, ACME, "/rate ACME-1 2 the workaround stopped working after an hour");
      assertThat(text(ofKind(again, Outbound.Kind.REPLY))).isEqualTo("Thank you: ACME-1 is rated 2 of 5 (it was 4 of"
          + " 5), with your comment.");
      assertThat(text(to(again, TRIAGE))).isEqualTo("@ana rated ACME-1 2 of 5: the workaround stopped working after an"
          + " hour");
      // a later press changes the score and keeps the comment
      f.clock.advance(Duration.ofHours(1));
      assertThat(text(ofKind(f.press(ANA, ACME_1, SatisfactionCommands.RATE, "ACME-1:3"), Outbound.Kind.REPLY)))
          .isEqualTo("Thank you: ACME-1 is rated 3 of 5 (it was 2 of 5), with your earlier comment.");
      // no owner: the rating counts for the engineer who resolved it
      assertThat(f.conversations.rating("ACME-1")).contains(new ConversationStore.Rating("ACME-1", "acme",
          Optional.of(EVE), 3, "the workaround stopped working after an hour", ANA,
          MONDAY_9AM.plus(Duration.ofHours(2))));
      assertThat(f.conversations.ratings(MONDAY_9AM, MONDAY_9AM.plus(Duration.ofDays(1)))).hasSize(1);
    }
  }

  @Test
  void onlyANamedContactRatesAndOnlyAResolvedCaseAndABadScoreChangesNothing() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.fileAtheer("A report shows the wrong totals for one team", "5", "P3");
      assertThat(text(f.command(ANA, ACME, "/rate ACME-1 5"))).isEqualTo("Nothing recorded: ACME-1 is new; a case can"
          + " be rated once it is resolved.");
      f.command(EVE, ACME, "/resolve ACME-1 workaround filter by team first");
      assertThat(text(f.press(EVE, ACME_1, SatisfactionCommands.RATE, "ACME-1:5"))).isEqualTo("Nothing recorded: the"
          + " rating of ACME-1 is for Acme Corp's named contacts to give.");
      assertThat(text(f.command(ANA, ACME, "/rate ACME-1 7 great"))).isEqualTo("\"7\" is not a score; give one from 1"
          + " (poor) to 5 (excellent), e.g. /rate ACME-42 4 quick and clear. Usage: "
          + CommandParser.USAGE.get("rate"));
      assertThat(text(f.command(ANA, ACME, "/rate ACME-1"))).startsWith("Give a score from 1 (poor) to 5 (excellent)");
      // another organization's contact cannot reach Acme's case from their channel
      assertThat(text(f.command(IAN, INITECH, "/rate ACME-1 1"))).isEqualTo("There is no case ACME-1 here. Check the"
          + " number in the case's confirmation.");
      assertThat(f.conversations.rating("ACME-1")).isEmpty();
    }
  }

  @Test
  void theMonthsReportGroupsByOrganizationAndEngineerAndTheDigestCarriesIt() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.fileAtheer("A report shows the wrong totals for one team", "5", "P3");
      f.fileAtheer("The export of one team fails", "5", "P3");
      var atomrock = ChatFixture.CATALOG.get("atomrock").orElseThrow();
      f.fileFor(IAN, INITECH, "atomrock", atomrock.severities().get(2).id(), "The nightly sync stops at 80 percent");
      f.command(EVE, ACME, "/resolve ACME-1 workaround filter by team first");
      f.command(MAX, ACME, "/claim ACME-2");
      f.command(MAX, ACME, "/resolve ACME-2 workaround export per team");
      f.command(EVE, INITECH, "/resolve INI-1 " + atomrock.resolution().types().get(0).id() + " restart the sync");
      f.command(ANA, ACME, "/rate ACME-1 5 fast and clear");
      f.command(ANA, ACME, "/rate ACME-2 2");
      f.command(IAN, INITECH, "/rate INI-1 4");
      // a rating in December is not November's
      f.clock.set(Instant.parse("2026-12-01T07:59:59Z")); // 30 November, 23:59:59 in Los Angeles
      assertThat(text(f.command(EVE, ACME, "/report satisfaction 2026-11"))).isEqualTo("Satisfaction in 2026-11"
          + " (months in America/Los_Angeles): 3 ratings, average 3.7 of 5.\nBy organization:\nAcme Corp: 2 ratings,"
          + " average 3.5 of 5\nInitech: 1 rating, average 4.0 of 5\n\nBy engineer:\n@eve: 2 ratings, average 4.5 of 5\n"
          + "@max: 1 rating, average 2.0 of 5\nComments:\nACME-1 (5 of 5): fast and clear");
      assertThat(text(f.command(EVE, ACME, "/report satisfaction"))).isEqualTo(text(f.command(EVE, ACME,
          "/report satisfaction 2026-11")));
      f.clock.set(Instant.parse("2026-12-01T09:00:00Z")); // 1 December, 01:00 in Los Angeles
      assertThat(text(f.command(EVE, ACME, "/report satisfaction"))).isEqualTo("No satisfaction ratings in 2026-12"
          + " (months in America/Los_Angeles).");
      assertThat(text(f.command(ANA, ACME, "/report satisfaction"))).isEqualTo("Only the vendor's support engineers can"
          + " use /report. To add information to your case, reply in its thread.");
      assertThat(text(f.command(EVE, ACME, "/report csat"))).startsWith("\"csat\" is not a report; the desk has one:"
          + " /report satisfaction [YYYY-MM].");
    }
  }

  @Test
  void theDailyDigestSaysTheMonthsRatingsSoFar() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.fileAtheer("A report shows the wrong totals for one team", "5", "P3");
      f.command(EVE, ACME, "/resolve ACME-1 workaround filter by team first");
      f.command(ANA, ACME, "/rate ACME-1 3");
      f.clock.set(Instant.parse("2026-11-24T16:00:00Z")); // Tuesday 08:00 in Los Angeles
      assertThat(ofKind(f.desk.tick(), Outbound.Kind.DIGEST)).singleElement().satisfies(d -> assertThat(d.plainText())
          .endsWith("\nSatisfaction in 2026-11 so far: 1 rating, average 3.0 of 5; lowest ACME-1 (3 of 5)."
              + " /report satisfaction has the detail."));
    }
  }
}
