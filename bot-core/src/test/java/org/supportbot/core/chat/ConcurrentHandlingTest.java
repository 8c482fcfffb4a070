package org.supportbot.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.supportbot.core.chat.ChatFixture.ACME;
import static org.supportbot.core.chat.ChatFixture.ANA;
import static org.supportbot.core.chat.ChatFixture.IAN;
import static org.supportbot.core.chat.ChatFixture.INITECH;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.outbox.Delivery;

/**
 * The desk handles conversations in parallel: one conversation's slow work (a knowledge-base search)
 * holds only that conversation, and many filings at once each land once, with every message of the
 * log recorded once. The waits below only stop a hung test; nothing is timed.
 */
class ConcurrentHandlingTest {
  private static final Instant MONDAY_9AM = Instant.parse("2026-11-23T17:00:00Z");
  private static final long HUNG = 60;

  @TempDir Path dir;
  /** Threads of their own: the common pool may have a single thread on a 2-core machine. */
  private final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();

  @org.junit.jupiter.api.AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  /**
   * Ana answers the Atheer intake up to its description; the description's knowledge-base search is then
   * held by {@code gate} on a thread of its own.
   */
  private CompletableFuture<List<Outbound>> describeWithTheSearchHeld(ChatFixture f, ChatFixture.Gate gate) {
    f.command(ANA, ACME, "/support");
    for (String a : List.of("Atheer AiR Enterprise", "none", "incident")) {
      f.say(ANA, ACME, a);
    }
    f.gate = gate;
    return CompletableFuture.supplyAsync(() -> f.say(ANA, ACME, "My device sync is stuck at 99 percent since yesterday"),
        threads);
  }

  @Test
  void aSlowSearchInOneConversationHoldsOnlyThatConversation() throws Exception {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      ChatFixture.Gate gate = new ChatFixture.Gate();
      CompletableFuture<List<Outbound>> description = describeWithTheSearchHeld(f, gate);
      assertThat(gate.entered().await(HUNG, TimeUnit.SECONDS)).as("the search started").isTrue();

      // Ana's search is still running: Ian, in another organization's channel, is answered meanwhile
      List<Outbound> help = CompletableFuture.supplyAsync(() -> f.command(IAN, INITECH, "/help"), threads)
          .get(HUNG, TimeUnit.SECONDS);
      assertThat(ChatFixture.text(help)).contains("/support");
      assertThat(description).isNotDone();

      gate.release().countDown();
      assertThat(ChatFixture.text(description.get(HUNG, TimeUnit.SECONDS))).contains("What should have happened");
    }
  }

  @Test
  void anotherInboundOfTheSameConversationWaitsForTheSlowOne() throws Exception {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      ChatFixture.Gate gate = new ChatFixture.Gate();
      CompletableFuture<List<Outbound>> description = describeWithTheSearchHeld(f, gate);
      assertThat(gate.entered().await(HUNG, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<List<Outbound>> next = CompletableFuture.supplyAsync(() -> f.say(ANA, ACME, "it works"), threads);
      // the second answer cannot overtake the first: it is still waiting when the first is released
      assertThat(next).isNotDone();
      f.gate = null;
      gate.release().countDown();
      description.get(HUNG, TimeUnit.SECONDS);
      // answered after the description: taken as the expected result, so the next question follows
      assertThat(ChatFixture.text(next.get(HUNG, TimeUnit.SECONDS))).contains("steps leading up to the Incident");
    }
  }

  @Test
  void manyFilingsAtOnceEachLandOnceAndEveryLogMessageIsRecordedOnce() throws Exception {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY_9AM)) {
      f.directory.register(Organization.of("globex", "GLX", "Globex", "atomrock").withLicences(50, 0));
      ChatPlace globex = ChatFixture.place("globex");
      f.directory.store().bindChannel("test", "W", "globex", "globex");
      int people = 16;
      List<Identity> contacts = IntStream.range(0, people).mapToObj(i -> ChatFixture.id("g" + i)).toList();
      contacts.forEach(c -> f.directory.addContact(new Contact("globex", c, c.userId())));
      var policy = ChatFixture.CATALOG.get("atomrock").orElseThrow();
      List<Delivery> all = Collections.synchronizedList(new ArrayList<>());
      try (ConversationLanes lanes = new ConversationLanes(4, "test-desk")) {
        for (Identity who : contacts) {
          List<Inbound.Input> inputs = new ArrayList<>();
          inputs.add(new Inbound.Command("support", ""));
          for (var field : policy.report()) {
            inputs.add(new Inbound.Said(switch (field.kind()) {
              case PRODUCT -> "edge";
              case VERSION -> "2.1.1";
              case CATEGORY -> "defect";
              case YES_NO -> "yes";
              case PERCENT -> "10";
              case SEVERITY -> "S3";
              case INCIDENT_REFERENCE -> "no";
              default -> "the nightly sync of " + who.userId() + " stops";
            }));
          }
          for (Inbound.Input input : inputs) {
            Inbound in = new Inbound(f.nextKey(), who, globex, false, f.clock.instant(), Optional.empty(), input);
            lanes.execute(SupportDesk.conversationOf(in), () -> all.addAll(f.desk.handleTracked(in)));
          }
        }
        assertThat(lanes.awaitIdle(Duration.ofSeconds(HUNG))).isTrue();
      }
      for (int n = 1; n <= people; n++) {
        assertThat(f.incidents.incident(new IncidentNumber("GLX", n))).as("GLX-" + n).isPresent();
      }
      assertThat(f.incidents.incident(new IncidentNumber("GLX", people + 1))).isEmpty();
      // each case's status message and triage notice were recorded exactly once
      Map<String, Long> byText = all.stream().map(Delivery::message)
          .filter(o -> o.kind() == Outbound.Kind.NOTICE || o.kind() == Outbound.Kind.STATUS)
          .collect(Collectors.groupingBy(o -> o.kind() + " " + o.plainText().lines().findFirst().orElse(""),
              ConcurrentHashMap::new, Collectors.counting()));
      assertThat(byText.values()).allMatch(c -> c == 1L);
      assertThat(byText.keySet().stream().filter(k -> k.startsWith("NOTICE New case"))).hasSize(people);
      // every event of the log was rendered: nothing is left past the outbox's cursor
      assertThat(f.incidents.eventsAfter(f.outbox.eventCursor(), 10)).isEmpty();
      // each person's filing carries their own answers, so no answer went to another person's intake
      for (int n = 1; n <= people; n++) {
        var s = f.incidents.incident(new IncidentNumber("GLX", n)).orElseThrow();
        assertThat(s.title()).contains("the nightly sync of " + s.reporter().userId() + " stops");
      }
    }
  }
}
