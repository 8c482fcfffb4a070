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
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.intake.Intake;

/**
 * Any message becomes a case, by the vendor's people too: an engineer's "File as incident" (or the
 * settings' reaction, or {@code /support @contact}) files the customer's message as a case at once,
 * at a provisional severity; the policy's required questions the message leaves open are asked of
 * the customer in the case's thread, one at a time, and each answer is recorded on the case.
 */
class FileOnBehalfTest {

  /** Monday 23 November 2026, 09:00 in Los Angeles. */
  private static final Instant MONDAY_9AM = Instant.parse("2026-11-23T17:00:00Z");
  /** Tuesday 24 November 2026, 10:00 in Los Angeles. */
  private static final Instant TUESDAY_10AM = Instant.parse("2026-11-24T18:00:00Z");
  private static final String MESSAGE = "The export of the sales team fails since the upgrade to 5.2";
  private static final IncidentNumber ACME_1 = new IncidentNumber("ACME", 1);
  private static final ChatPlace THREAD = ChatFixture.thread(ACME, "ACME-1");

  @TempDir Path dir;

  private static List<Outbound> ofKind(List<Outbound> out, Outbound.Kind kind) {
    return out.stream().filter(o -> o.kind() == kind).toList();
  }

  private static IncidentSnapshot acme1(ChatFixture f) {
    return f.incidents.incident(ACME_1).orElseThrow();
  }

  @Test
  void anEngineerFilesACustomersMessageAtOnceAndTheCustomerAnswersWhatIsOpenInTheThread() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      List<Outbound> filed = f.handle(EVE, ACME, new Inbound.FileMessage(ANA, MESSAGE));
      assertThat(ofKind(filed, Outbound.Kind.REPLY)).singleElement().satisfies(r -> {
        assertThat(r.onlyFor()).contains(EVE);
        assertThat(r.plainText()).isEqualTo("Filed ACME-1 for @ana at P4 (provisional); I ask them the 7 open questions"
            + " in its thread, one at a time. The case records that you filed it on their behalf.");
      });
      // filed now, from Ana's message: the submission instant the policy counts from
      IncidentEvent.Filed event = (IncidentEvent.Filed) f.incidents.log(ACME_1).getFirst();
      assertThat(event.origin().at()).isEqualTo(MONDAY_9AM);
      assertThat(event.origin().actor().identity()).isEqualTo(ANA);
      assertThat(event.filedBy()).contains(EVE);
      assertThat(event.fields()).containsEntry("description", MESSAGE);
      assertThat(event.pending()).containsExactly("product", "category", "steps_to_reproduce", "reproducible",
          "users_affected", "business_impact", "severity");
      assertThat(text(ofKind(filed, Outbound.Kind.CONFIRMATION).subList(0, 1))).isEqualTo("Thanks @ana, your case"
          + " ACME-1 is filed (by @eve on your behalf): " + MESSAGE + "\nSeverity: P4 No Operational Impact (provisional"
          + " until you answer the severity question)\nFirst deadline: first response <2026-12-01T01:00:00Z>\nDetails"
          + " pending: 7 questions, asked here one at a time; the engineers work the case meanwhile");
      assertThat(ofKind(filed, Outbound.Kind.INTAKE)).singleElement().satisfies(q -> {
        assertThat(q.to()).isEqualTo(new Outbound.ToPlace(THREAD));
        assertThat(q.onlyFor()).isEmpty();
        assertThat(q.plainText()).isEqualTo("@ana (7 questions left) Which Atheer Service is affected?");
      });
      assertThat(ofKind(filed, Outbound.Kind.STATUS)).singleElement().satisfies(s -> assertThat(s.plainText())
          .contains("Severity: P4 No Operational Impact (provisional)\n")
          .contains("Details pending: product, category, steps to reproduce, reproducible, users affected, business"
              + " impact, severity (asked of @ana in this thread)"));
      assertThat(f.conversations.intakes()).isEmpty();

      // the engineers work the case meanwhile
      assertThat(text(f.command(EVE, THREAD, "/claim"))).contains("@eve is now handling ACME-1.");
      assertThat(text(f.command(EVE, ACME, "/queue"))).contains("P4 · in progress · details pending · " + MESSAGE);
      // an engineer's message in the thread is an update, not an answer
      f.say(EVE, THREAD, "looking at the export logs now");
      assertThat(f.incidents.log(ACME_1).getLast()).isInstanceOf(IncidentEvent.PublicUpdatePosted.class);
      assertThat(acme1(f).pendingDetails()).hasSize(7);

      List<Outbound> product = f.say(ANA, THREAD, "Atheer AiR Enterprise");
      assertThat(text(product)).contains("Recorded @ana's answer on ACME-1 (product): Atheer AiR Enterprise\n---\n@ana"
          + " (6 questions left) What kind of request is this?");
      assertThat(acme1(f).product()).isEqualTo("Atheer AiR Enterprise");
      // the same buttons as in the intake
      assertThat(ofKind(product, Outbound.Kind.INTAKE)).singleElement().satisfies(q -> assertThat(q.blocks())
          .filteredOn(Outbound.Actions.class::isInstance).singleElement()
          .satisfies(a -> assertThat(((Outbound.Actions) a).actions()).extracting(Outbound.Action::id, Outbound.Action::value)
              .contains(org.assertj.core.groups.Tuple.tuple(Intake.ANSWER, "incident"))));
      // the category by its button
      List<Outbound> category = f.press(ANA, THREAD, Intake.ANSWER, "incident");
      assertThat(text(category)).contains("Recorded @ana's answer on ACME-1 (category): incident");
      assertThat(acme1(f).categoryId()).isEqualTo("incident");
      f.say(ANA, THREAD, "open the export, pick the sales team, press run");
      // an answer that needs fixing is asked again, only of Ana, and nothing is recorded
      List<Outbound> fix = f.say(ANA, THREAD, "perhaps");
      assertThat(fix).singleElement().satisfies(r -> {
        assertThat(r.onlyFor()).contains(ANA);
        assertThat(r.plainText()).isEqualTo("Please answer yes, no or sometimes.");
      });
      assertThat(acme1(f).pendingDetails()).startsWith("reproducible");
      // only Ana answers the buttons
      assertThat(text(f.press(EVE, THREAD, Intake.ANSWER, "yes"))).isEqualTo("Only @ana, who the case was filed for,"
          + " answers its questions.");
      f.say(ANA, THREAD, "yes");
      f.say(ANA, THREAD, "30%");
      List<Outbound> impact = f.say(ANA, THREAD, "the sales team cannot send its weekly numbers");
      assertThat(text(impact)).contains("@ana (1 question left) Which priority level fits best?");

      // a day later Ana answers the severity: re-rated, and the deadline still counts from Monday 09:00
      f.clock.set(TUESDAY_10AM);
      List<Outbound> severity = f.say(ANA, THREAD, "P2");
      assertThat(text(severity)).contains("Severity changed from P4 to P2 by @ana: the reporter's answer to the"
          + " severity question")
          .contains("Recorded @ana's answer on ACME-1 (severity): P2\n---\nThanks @ana, ACME-1 has every detail its"
              + " policy asks for now.");
      IncidentSnapshot done = acme1(f);
      assertThat(done.severityId()).isEqualTo("P2");
      assertThat(done.pendingDetails()).isEmpty();
      // 2 business days (16 business hours) from Monday 09:00 PT: Tuesday 17:00 PT
      assertThat(done.clocks().get("first_response").deadline()).contains(Instant.parse("2026-11-25T01:00:00Z"));
      assertThat(ofKind(severity, Outbound.Kind.STATUS)).singleElement().satisfies(s -> assertThat(s.plainText())
          .doesNotContain("provisional").doesNotContain("Details pending"));
      // later messages of Ana in the thread are replies again
      f.say(ANA, THREAD, "thanks, it is urgent for us");
      assertThat(f.incidents.log(ACME_1).getLast()).isInstanceOf(IncidentEvent.CustomerReplied.class);
      assertThat(text(f.command(EVE, ACME, "/transcript ACME-1"))).contains("Filed the case (filed by @eve on their"
          + " behalf): severity P4 (provisional).").contains("Answered \"Can you reproduce it?\":\n\n> yes");
    }
  }

  @Test
  void aCaseWhoseAnswersNeverComeStaysVisibleAndWorkable() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.handle(EVE, ACME, new Inbound.FileMessage(ANA, MESSAGE));
      f.clock.set(TUESDAY_10AM);
      assertThat(text(f.command(EVE, ACME, "/queue"))).contains("ACME-1").contains("details pending");
      f.command(EVE, THREAD, "/ack we are looking at the export");
      List<Outbound> resolved = f.command(EVE, THREAD, "/resolve workaround export per region until the fix ships");
      assertThat(text(resolved)).contains("ACME-1 is resolved (workaround) by @eve");
      // a resolved case asks nothing more
      assertThat(text(f.say(ANA, THREAD, "Atheer AiR Enterprise"))).doesNotContain("question left")
          .doesNotContain("Recorded");
    }
  }

  @Test
  void supportNamingAContactInSlacksOrDiscordsMentionFormFilesAtTheLevelTheEngineerPicked() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      List<Outbound> out = f.command(EVE, ACME, "/support <@ana|Ana> p2");
      assertThat(text(ofKind(out, Outbound.Kind.REPLY))).isEqualTo("Filed ACME-1 for @ana at P2; I ask them the 7 open"
          + " questions in its thread, one at a time. The case records that you filed it on their behalf.");
      IncidentSnapshot s = acme1(f);
      assertThat(s.severityId()).isEqualTo("P2");
      assertThat(s.title()).isEqualTo("Support request of @ana");
      assertThat(s.pendingDetails()).contains("description").doesNotContain("severity");
      assertThat(text(ofKind(out, Outbound.Kind.CONFIRMATION))).contains("Severity: P2 Significant Loss of"
          + " Functionality\n").doesNotContain("provisional");
      f.say(ANA, THREAD, "Atheer AiR Enterprise");
      f.say(ANA, THREAD, "incident");
      f.say(ANA, THREAD, "Dashboards stay empty after the login. Since this morning.");
      assertThat(acme1(f).title()).isEqualTo("Dashboards stay empty after the login.");

      // Discord's forms name the same person
      assertThat(Mention.read("<@123456>", "/support @ana").userId()).isEqualTo("123456");
      assertThat(Mention.read("<@!123456>", "/support @ana").userId()).isEqualTo("123456");
      assertThat(Mention.read("<@U123ABC>", "/support @ana").userId()).isEqualTo("U123ABC");
    }
  }

  @Test
  void anythingThatIsNotAPersonIsRefusedWithTheReasonAndNothingIsFiled() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      assertThat(text(f.command(EVE, ACME, "/support <#C0ACME|acme>"))).isEqualTo("Nothing filed: `<#C0ACME|acme>` is a"
          + " channel, not a person. Mention one person, e.g. /support @ana.");
      assertThat(text(f.command(EVE, ACME, "/support <!here>"))).isEqualTo("Nothing filed: `<!here>` mentions a group"
          + " of people, not one person. Mention one person, e.g. /support @ana.");
      assertThat(text(f.command(EVE, ACME, "/support <@&998877>"))).isEqualTo("Nothing filed: `<@&998877>` is a role,"
          + " not a person. Mention one person, e.g. /support @ana.");
      assertThat(text(f.command(EVE, ACME, "/support @everyone"))).isEqualTo("Nothing filed: `@everyone` mentions a"
          + " group of people, not one person. Mention one person, e.g. /support @ana.");
      assertThat(f.incidents.incident(ACME_1)).isEmpty();
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
      assertThat(f.incidents.incident(ACME_1)).isEmpty();
      List<Outbound> named = f.command(EVE, ACME, "/support @ana");
      assertThat(text(ofKind(named, Outbound.Kind.REPLY))).startsWith("Filed ACME-1 for @ana at P4 (provisional); I"
          + " ask them the 8 open questions in its thread");
      assertThat(acme1(f).reporter()).isEqualTo(ANA);
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
