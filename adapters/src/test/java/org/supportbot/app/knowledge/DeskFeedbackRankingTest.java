package org.supportbot.app.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.run.DeskWiring;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.config.load.SettingsLoader;
import org.supportbot.config.settings.BotSettings;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Suggestion;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.intake.Intake;
import org.supportbot.core.time.ManualClock;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbIndexing;

/**
 * The customers' verdicts reach the ranking in the running desk: the real wiring (SQLite file, Lucene
 * index on disk, {@link LuceneSuggestions}) and intakes one after another. A document that solved one
 * customer's case comes first for the next customer describing a similar problem; a document declined
 * on two filed cases sinks for the next similar one.
 */
class DeskFeedbackRankingTest {
  private static final Instant START = Instant.parse("2026-11-23T17:00:00Z");
  private static final ChatPlace ACME = new ChatPlace("slack", "T1", "C1", "");
  private static final Identity ANA = Identity.parse("slack/T1/U0ANA");
  private static final Identity BEN = Identity.parse("slack/T1/U0BEN");
  private static final String DRAFT = "The agent log file keeps growing until the disk is full";
  private static final String SIMILAR = "My agent log file keeps growing until the disk is full";

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(START);
  private int keys;

  private DeskWiring wiring() throws Exception {
    Path articles = Files.createDirectories(dir.resolve("articles"));
    article(articles, "log-size", "Debug logging left on in the agent",
        "With debug logging on, the agent log file keeps growing and fills the disk. Turn it off in agent.yml.");
    article(articles, "log-rotate", "Rotating the agent log file",
        "Set log.rotate.size in agent.yml so the agent log file is rotated before it grows too large for the disk.");
    article(articles, "disk-alert", "Disk space alerts on the collector host",
        "The collector raises an alert when its disk is almost full; move the data folder to a larger disk.");
    String[][] others = {{"sso", "Single sign-on with SAML", "Paste the identity provider's metadata URL and press Test."},
        {"export", "Export a report to CSV", "Open the report, press Export and pick CSV or XLSX."},
        {"password", "Reset the admin password", "Run beacon-admin reset-password on the server and sign in again."},
        {"webhook", "Webhook deliveries fail with a TLS error", "Add the receiver's CA certificate to the trust store."},
        {"timezone", "Dashboards show the wrong time zone", "Change the time zone under Profile, Preferences."},
        {"rate-limit", "API answers 429 Too Many Requests", "Send at most 100 requests a minute or use the bulk endpoint."},
        {"memory", "The collector uses too much memory", "Lower collector.buffer_mb in collector.yml and restart it."},
        {"upgrade", "Upgrading from 2.x to 3.0", "Stop the service, back up the data folder, run the installer."}};
    for (String[] o : others) {
      article(articles, o[0], o[1], o[2]);
    }
    KbIndexing.indexFolders(dir.resolve("kb"), articles, null, "", false, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    BotSettings s = new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0TRIAGE
        knowledge_base: kb
        organizations:
          - { id: acme, key: ACME, policy: atheer, purchased_contacts: 2, channels: [slack/T1/C1],
              contacts: [slack/T1/U0ANA, slack/T1/U0BEN] }
        """, dir);
    return DeskWiring.build(s, PolicyCatalog.bundled(), dir.resolve("desk.db"), clock);
  }

  private static void article(Path dir, String id, String title, String body) throws Exception {
    Files.writeString(dir.resolve(id + ".md"), "---\nid: " + id + "\ntitle: \"" + title
        + "\"\nurl: https://docs.example.com/" + id + "\n---\n" + body + "\n");
  }

  private List<Outbound> handle(DeskWiring w, Identity who, Inbound.Input input) {
    return w.desk.handle(new Inbound("k" + (++keys), who, ACME, false, clock.instant(), Optional.empty(), input));
  }

  /** Starts an intake and describes the problem; returns the ids of the suggestions offered, in order. */
  private List<String> describe(DeskWiring w, Identity who, String description) {
    return offered(w, who, description).stream().map(Suggestion::id).toList();
  }

  /** Starts an intake and describes the problem; returns the suggestions offered, in order. */
  private List<Suggestion> offered(DeskWiring w, Identity who, String description) {
    handle(w, who, new Inbound.Command("support", ""));
    List<Outbound> out = List.of();
    for (String a : List.of("Atheer AiR Enterprise", "none", "incident", description)) {
      out = handle(w, who, new Inbound.Said(a));
    }
    List<Suggestion> shown = new ArrayList<>();
    for (Outbound o : out) {
      for (Outbound.Block b : o.blocks()) {
        if (b instanceof Outbound.SuggestionList list) {
          shown.addAll(list.suggestions());
        }
      }
    }
    return shown;
  }

  /** Declines the suggestions and answers the rest of Atheer's intake, which files the case. */
  private void declineAndFile(DeskWiring w, Identity who) {
    List<Outbound> last = List.of();
    for (String a : List.of("still need help", "it logs", "start the agent", "none", "none", "yes", "10", "slow", "P3",
        "no")) {
      last = handle(w, who, new Inbound.Said(a));
    }
    assertThat(last).anySatisfy(o -> assertThat(o.kind()).isEqualTo(Outbound.Kind.CONFIRMATION));
  }

  @Test
  void aDocumentThatSolvedACaseComesFirstForTheNextSimilarCase() throws Exception {
    try (DeskWiring w = wiring()) {
      assertThat(describe(w, ANA, DRAFT)).startsWith("log-rotate", "log-size");
      handle(w, ANA, new Inbound.Picked(Intake.SOLVED, "log-size"));

      assertThat(describe(w, BEN, SIMILAR)).startsWith("log-size", "log-rotate");
    }
  }

  @Test
  void declinedSuggestionsOfFiledCasesAreRecordedWithTheirDraftAndSinkOnceTwoSimilarCasesDeclinedThem()
      throws Exception {
    try (DeskWiring w = wiring()) {
      List<Suggestion> first = offered(w, ANA, DRAFT);
      assertThat(first).extracting(Suggestion::id).startsWith("log-rotate", "log-size");
      declineAndFile(w, ANA);
      List<String> lines = Files.readAllLines(dir.resolve("kb/feedback.jsonl"));
      assertThat(lines).hasSize(first.size()).allSatisfy(l -> assertThat(l)
          .contains("\"verdict\":\"not_helpful\"").contains("\"draft\":\"" + DRAFT));
      // one declining case is not enough to move anything
      assertThat(offered(w, BEN, DRAFT)).isEqualTo(first);
      declineAndFile(w, BEN);
      // two are: every document offered and declined on both now scores at most two thirds of what it did
      List<Suggestion> after = offered(w, ANA, SIMILAR);
      assertThat(after).extracting(Suggestion::id).containsExactlyInAnyOrderElementsOf(
          first.stream().map(Suggestion::id).toList());
      for (Suggestion s : after) {
        double before = first.stream().filter(f -> f.id().equals(s.id())).findFirst().orElseThrow().score();
        assertThat(s.score()).as(s.id()).isLessThan(before * 2 / 3);
      }
    }
  }
}
