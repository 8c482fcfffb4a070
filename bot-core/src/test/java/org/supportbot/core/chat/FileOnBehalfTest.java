package org.supportbot.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.supportbot.core.chat.ChatFixture.ACME;
import static org.supportbot.core.chat.ChatFixture.ANA;
import static org.supportbot.core.chat.ChatFixture.EVE;
import static org.supportbot.core.chat.ChatFixture.text;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;

/**
 * Any message becomes a case, by the vendor's people too: an engineer's "File as incident" (or the
 * settings' reaction) on a customer's message starts the intake for its author, who answers the
 * questions still open in the channel; the case records who filed it on whose behalf.
 */
class FileOnBehalfTest {

  /** Monday 23 November 2026, 09:00 in Los Angeles. */
  private static final Instant MONDAY_9AM = Instant.parse("2026-11-23T17:00:00Z");
  private static final String MESSAGE = "The export of the sales team fails since the upgrade to 5.2";
  /** Ana's answers to the Atheer questions the message leaves open (all but the description). */
  private static final List<String> OPEN_ANSWERS = List.of("Atheer AiR Enterprise", "none", "incident", "it works",
      "open the app", "none", "none", "yes", "5", "people wait", "P3", "no");

  @TempDir Path dir;

  private static List<Outbound> ofKind(List<Outbound> out, Outbound.Kind kind) {
    return out.stream().filter(o -> o.kind() == kind).toList();
  }

  @Test
  void anEngineerFilesACustomersMessageAndTheCustomerAnswersWhatIsStillOpen() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      List<Outbound> started = f.handle(EVE, ACME, new Inbound.FileMessage(ANA, MESSAGE));
      assertThat(ofKind(started, Outbound.Kind.REPLY)).singleElement().satisfies(r -> {
        assertThat(r.onlyFor()).contains(EVE);
        assertThat(r.plainText()).isEqualTo("Filing for @ana: I asked them the questions still open in this channel."
            + " The case will record that you filed it on their behalf.");
      });
      List<Outbound> asked = ofKind(started, Outbound.Kind.INTAKE);
      assertThat(asked).allSatisfy(o -> {
        assertThat(o.onlyFor()).isEmpty(); // in the channel: Ana did not ask for it
        assertThat(o.to()).isEqualTo(new Outbound.ToPlace(ACME));
      });
      assertThat(text(asked)).startsWith("@ana, @eve is filing your message as a support case with Atheer for you."
          + " I'll ask 12 short questions here; answer each in this channel, or \"cancel\" to stop.\n---\n(1/13) ");

      List<Outbound> last = List.of();
      for (String answer : OPEN_ANSWERS) {
        last = f.say(ANA, ACME, answer);
      }
      assertThat(text(ofKind(last, Outbound.Kind.CONFIRMATION).subList(0, 1))).startsWith("Thanks @ana, your case"
          + " ACME-1 is filed (by @eve on your behalf): " + MESSAGE + "\nSeverity: P3");
      IncidentEvent.Filed filed = (IncidentEvent.Filed) f.incidents.log(new IncidentNumber("ACME", 1)).getFirst();
      assertThat(filed.origin().actor().identity()).isEqualTo(ANA);
      assertThat(filed.filedBy()).contains(EVE);
      assertThat(filed.fields()).containsEntry("description", MESSAGE);
      assertThat(text(f.command(EVE, ACME, "/transcript ACME-1"))).contains("@ana (customer)\n\nFiled the case (filed by"
          + " @eve on their behalf): severity P3");
    }
  }

  @Test
  void aMessageOfSomeoneWhoIsNotANamedContactIsRefusedAndTheEngineerNamesOne() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      Identity bob = ChatFixture.id("bob");
      List<Outbound> refused = f.handle(EVE, ACME, new Inbound.FileMessage(bob, MESSAGE));
      assertThat(text(refused)).isEqualTo("Nothing filed: @bob is not a named contact of Acme Corp, and cases are filed"
          + " for named contacts only. Name the contact to file for with /support @contact in this channel, or add"
          + " @bob as a contact first.");
      assertThat(f.conversations.intakes()).isEmpty();
      List<Outbound> named = f.command(EVE, ACME, "/support @ana");
      assertThat(text(ofKind(named, Outbound.Kind.INTAKE))).startsWith("@ana, @eve is filing a support case with Atheer"
          + " for you. I'll ask 13 short questions here;");
      assertThat(f.conversations.intakes()).singleElement().satisfies(s -> {
        assertThat(s.reporter()).isEqualTo(ANA);
        assertThat(s.filedBy()).contains(EVE);
      });
      // a second try while Ana's intake is open starts nothing new
      assertThat(text(f.handle(EVE, ACME, new Inbound.FileMessage(ANA, MESSAGE)))).isEqualTo("Nothing started: @ana"
          + " already has a request in progress in this channel. It goes on where it stopped when they answer.");
    }
  }

  @Test
  void aCustomerFilingTheirOwnMessageGetsTheirOwnIntake() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      List<Outbound> out = f.handle(ANA, ACME, new Inbound.FileMessage(ANA, MESSAGE));
      assertThat(ofKind(out, Outbound.Kind.INTAKE)).isNotEmpty().allSatisfy(o -> assertThat(o.onlyFor()).contains(ANA));
      assertThat(f.conversations.intakes()).singleElement()
          .satisfies(s -> assertThat(s.filedBy()).isEqualTo(Optional.empty()));
    }
  }
}
