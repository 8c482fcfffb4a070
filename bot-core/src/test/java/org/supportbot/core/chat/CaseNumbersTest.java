package org.supportbot.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.supportbot.core.chat.ChatFixture.ACME;
import static org.supportbot.core.chat.ChatFixture.ANA;
import static org.supportbot.core.chat.ChatFixture.EVE;
import static org.supportbot.core.chat.ChatFixture.MAX;
import static org.supportbot.core.chat.ChatFixture.text;
import static org.supportbot.core.chat.ChatFixture.thread;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.store.IncidentStore;

/**
 * Case numbers are read where the usage puts them, as people type them on Slack (no thread) and
 * inside case threads, and never on a case the person did not name. Every usage hint of the Slack
 * app manifest and every {@code /help} line is run through the desk as an example.
 */
class CaseNumbersTest {

  /** Monday 23 November 2026, 09:00 in Los Angeles: Atheer's support hours have just begun. */
  private static final Instant MONDAY_9AM = Instant.parse("2026-11-23T17:00:00Z");
  private static final IncidentNumber ACME_1 = new IncidentNumber("ACME", 1);
  private static final IncidentNumber ACME_2 = new IncidentNumber("ACME", 2);
  private static final IncidentNumber ACME_3 = new IncidentNumber("ACME", 3);

  @TempDir Path dir;

  /** Three P2 cases of Acme: ACME-1, ACME-2, ACME-3. */
  private ChatFixture threeCases(String name) {
    ChatFixture f = new ChatFixture(dir.resolve(name + ".db"), MONDAY_9AM);
    for (int i = 1; i <= 3; i++) {
      f.fileAtheer("Case number " + i + ": the export of one team fails", "5", "P2");
    }
    return f;
  }

  private static List<IncidentEvent> events(ChatFixture f, long after) {
    return f.incidents.eventsAfter(after, 1000).stream().map(IncidentStore.Logged::event).toList();
  }

  private static long lastEvent(ChatFixture f) {
    List<IncidentStore.Logged> all = f.incidents.eventsAfter(0, 100_000);
    return all.isEmpty() ? 0 : all.getLast().id();
  }

  @Test
  void aCommandInOneCasesThreadNamingAnotherIsRefusedAndChangesNothing() {
    try (ChatFixture f = threeCases("assign")) {
      long before = lastEvent(f);
      assertThat(text(f.command(EVE, thread(ACME, "ACME-2"), "/assign @max ACME-1"))).isEqualTo("Nothing done: this is"
          + " the thread of ACME-2, but the command names ACME-1. Run it in ACME-1's thread or outside a case thread,"
          + " or leave the number out to act on ACME-2.");
      assertThat(text(f.command(EVE, thread(ACME, "ACME-3"), "/merge ACME-2 ACME-1"))).startsWith("Nothing done: this"
          + " is the thread of ACME-3, but the command names ACME-2.");
      assertThat(events(f, before)).isEmpty();
      assertThat(f.incidents.incident(ACME_2).orElseThrow().claimedBy()).isEmpty();
      assertThat(f.incidents.incident(ACME_3).orElseThrow().state().active()).isTrue();
    }
  }

  @Test
  void outsideAThreadTheNamedCasesAreActedOn() {
    try (ChatFixture f = threeCases("named")) {
      f.command(EVE, ACME, "/assign @max ACME-1");
      assertThat(f.incidents.incident(ACME_1).orElseThrow().claimedBy()).contains(MAX);
      f.command(EVE, ACME, "/merge ACME-2 ACME-1");
      long before = lastEvent(f);
      assertThat(f.incidents.incident(ACME_2).orElseThrow().state().active()).isFalse();
      assertThat(f.incidents.incident(ACME_3).orElseThrow().state().active()).isTrue();
      // in its own thread the number may be given or left out
      f.command(EVE, thread(ACME, "ACME-3"), "/claim ACME-3");
      assertThat(events(f, before)).singleElement().isInstanceOf(IncidentEvent.Claimed.class)
          .extracting(IncidentEvent::incident).isEqualTo(ACME_3);
    }
  }

  @Test
  void slaWhyReadsTheCaseBeforeOrAfterWhy() {
    try (ChatFixture f = threeCases("sla")) {
      String after = text(f.command(EVE, ACME, "/sla ACME-1 why"));
      assertThat(text(f.command(EVE, ACME, "/sla why ACME-1"))).isEqualTo(after).startsWith("Why ACME-1 first response"
          + " is due ");
    }
  }

  @Test
  void withoutANumberOutsideAThreadThePersonIsShownTheirOwnCommandsForm() {
    try (ChatFixture f = threeCases("unnamed")) {
      assertThat(text(f.command(ANA, ACME, "/escalate it spreads"))).isEqualTo("Name the case, e.g. /escalate reason"
          + " ACME-42, or run this in the case's thread.");
      assertThat(text(f.command(EVE, ACME, "/claim"))).isEqualTo("Name the case, e.g. /claim ACME-42, or run this in"
          + " the case's thread.");
    }
  }

  @Test
  void claimingACaseYouAlreadyHoldGetsAReply() {
    try (ChatFixture f = threeCases("claim")) {
      f.command(EVE, ACME, "/claim ACME-1");
      long before = lastEvent(f);
      assertThat(text(f.command(EVE, ACME, "/claim ACME-1"))).isEqualTo("ACME-1 is already yours; nothing changed.");
      assertThat(events(f, before)).isEmpty();
    }
  }

  @Test
  void aMessageInACaseThreadIsAboutThatCaseEvenWithAnUnfinishedIntake() {
    try (ChatFixture f = threeCases("thread")) {
      f.command(ANA, ACME, "/support"); // a new intake, left at its first question
      long before = lastEvent(f);
      List<Outbound> out = f.say(ANA, thread(ACME, "ACME-1"), "The export fails again since 10:00");
      assertThat(events(f, before)).singleElement().isInstanceOf(IncidentEvent.CustomerReplied.class)
          .extracting(IncidentEvent::incident).isEqualTo(ACME_1);
      assertThat(text(out)).doesNotContain("not a product");
      // the intake is still where it stopped
      assertThat(text(f.command(ANA, ACME, "/support"))).startsWith("You have a request in progress");
    }
  }

  // ---- every usage hint of the Slack manifest and every /help line, run as an example ----------

  static Stream<Arguments> examples() throws IOException {
    List<Arguments> out = new ArrayList<>();
    for (Map<String, Object> c : manifestCommands()) {
      Object hint = c.get("usage_hint");
      if (hint != null && !AvailabilityTest.COMMANDS.contains((String) c.get("command"))) { // no case: AvailabilityTest
        out.add(Arguments.of("manifest", c.get("command") + " " + fill((String) hint)));
      }
    }
    CommandParser.USAGE.forEach((name, usage) -> {
      String form = usage.substring(0, usage.indexOf(" - "));
      if (form.contains("CASE")) {
        out.add(Arguments.of("/help", fill(form.replace("[CASE]", "ACME-42").replace("NUMBER", "ACME-7"))));
      }
    });
    return out.stream();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> manifestCommands() throws IOException {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path f = d.resolve("config").resolve("slack-app-manifest.yaml");
      if (Files.isRegularFile(f)) {
        Map<String, Object> m = (Map<String, Object>) new Load(LoadSettings.builder().build())
            .loadFromString(Files.readString(f));
        return (List<Map<String, Object>>) ((Map<String, Object>) m.get("features")).get("slash_commands");
      }
    }
    throw new IllegalStateException("config/slack-app-manifest.yaml not found above " + Path.of("").toAbsolutePath());
  }

  /** A usage form with real values: ACME-42 is ACME-1, ACME-7 is ACME-2. */
  static String fill(String form) {
    List<String> words = new ArrayList<>();
    for (String w : form.split(" ")) {
      words.add(switch (w) {
        case "ACME-42", "[ACME-42]" -> "ACME-1";
        case "ACME-7" -> "ACME-2";
        case "LEVEL" -> "P1";
        case "TYPE" -> "workaround";
        case "@person" -> "@max";
        case "[comm]" -> "comm";
        case "[message]", "message" -> "we are on it";
        case "[reason]", "reason" -> "the whole team is blocked";
        case "question" -> "which browser do you use?";
        case "text" -> "a fix is being tested";
        case "note" -> "restart the export";
        case "SCORE" -> "4";
        case "[comment]" -> "quick and clear";
        case "[2026-11]" -> "2026-11";
        default -> w;
      });
    }
    return String.join(" ", words);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("examples")
  void everyHintedFormActsOnTheCaseItNames(String source, String line) {
    String name = line.substring(1, line.indexOf(' '));
    try (ChatFixture f = threeCases(source.replace("/", "") + "-" + name)) {
      Identity who = CommandParser.FOR_CUSTOMERS.contains(name) ? ANA : EVE;
      ChatPlace channel = ACME;
      IncidentNumber target = ACME_1;
      switch (name) {
        case "unclaim" -> f.command(EVE, ACME, "/claim ACME-1");
        case "reopen", "close", "rate" -> f.command(EVE, ACME, "/resolve ACME-1 workaround restart the export");
        case "time" -> {
          // of the seed policies only Atollon bills time: the example runs on a Hooli (Atollon) case
          Identity hal = ChatFixture.id("hal");
          f.directory.register(Organization.of("hooli", "HOOLI", "Hooli", "atollon")
              .withContracts(Set.of("subscription"), Optional.empty(), 0));
          f.directory.store().bindChannel("test", "W", "hooli", "hooli");
          f.directory.addContact(new Contact("hooli", hal, "Hal"));
          var atollon = ChatFixture.CATALOG.get("atollon").orElseThrow();
          channel = ChatFixture.place("hooli");
          f.fileFor(hal, channel, "atollon", atollon.severities().get(2).id(), "Invoices show the wrong VAT rate");
          target = new IncidentNumber("HOOLI", 1);
          line = line.replace("ACME-1", "HOOLI-1");
        }
        default -> { }
      }
      long before = lastEvent(f);
      List<Outbound> out = f.command(who, channel, line); // on Slack a slash command carries no thread
      List<IncidentEvent> done = events(f, before);
      if (name.equals("sla")) {
        assertThat(text(out)).startsWith("Why ACME-1 first response is due ");
        return;
      }
      if (name.equals("rate")) {
        assertThat(f.conversations.rating("ACME-1")).as(text(out)).get()
            .extracting(r -> r.score(), r -> r.comment()).containsExactly(4, "quick and clear");
        assertThat(f.conversations.rating("ACME-2")).isEmpty();
        return;
      }
      if (name.equals("report")) {
        assertThat(text(out)).isEqualTo("No satisfaction ratings in 2026-11 (months in America/Los_Angeles).");
        return;
      }
      if (name.equals("transcript")) {
        assertThat(text(out)).contains("[file ACME-1-transcript.md]\n# ACME-1: ").doesNotContain("ACME-2:");
        return;
      }
      Class<? extends IncidentEvent> expected = switch (name) {
        case "claim" -> IncidentEvent.Claimed.class;
        case "unclaim" -> IncidentEvent.Unclaimed.class;
        case "assign" -> IncidentEvent.Assigned.class;
        case "ack" -> IncidentEvent.Acknowledged.class;
        case "severity" -> IncidentEvent.SeverityDiscussionRequested.class;
        case "info" -> IncidentEvent.InfoRequested.class;
        case "update" -> IncidentEvent.PublicUpdatePosted.class;
        case "escalate" -> IncidentEvent.Escalated.class;
        case "resolve" -> IncidentEvent.Resolved.class;
        case "close" -> IncidentEvent.Closed.class;
        case "reopen" -> IncidentEvent.Reopened.class;
        case "split" -> IncidentEvent.SplitInto.class;
        case "merge" -> IncidentEvent.MergedInto.class;
        case "time" -> IncidentEvent.TimeLogged.class;
        default -> throw new AssertionError("no expectation for /" + name);
      };
      IncidentNumber named = target;
      assertThat(done).as(text(out)).filteredOn(e -> e.incident().equals(named)).extracting(Object::getClass)
          .contains(expected);
      assertThat(done).filteredOn(e -> !e.incident().equals(named))
          .allSatisfy(e -> assertThat(name).isIn("merge", "split"));
    }
  }
}
