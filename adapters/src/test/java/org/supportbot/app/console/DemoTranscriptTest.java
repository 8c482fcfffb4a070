package org.supportbot.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.CliRun;

/**
 * The demo tours in {@code config/demo/} run end to end through {@code supportbot demo --script}:
 * the real desk on a real SQLite file and the bundled knowledge base indexed with Lucene.
 */
class DemoTranscriptTest {

  @TempDir Path data;

  private static Path tour(String name) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("config").resolve("demo").resolve(name);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("config/demo/" + name + " not found above " + Path.of("").toAbsolutePath());
  }

  private String run(String tour) {
    CliRun run = CliRun.of("demo", "--script", tour(tour).toString(), "--data", data.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.out();
  }

  /** Each fragment appears after the previous one. */
  private static void inOrder(String out, String... fragments) {
    int at = 0;
    for (String f : fragments) {
      int i = out.indexOf(f, at);
      if (i < 0) {
        fail("expected \"" + f + "\" after position " + at + " in the transcript:\n" + out);
      }
      at = i + f.length();
    }
  }

  @Test
  void atheerTourShowsTheCasesTranscriptAsAMarkdownFile() {
    String out = run("atheer-tour.txt");
    inOrder(out, "> /transcript ACME-1", "Transcript of ACME-1, asked for by @eve", "[file ACME-1-transcript.md]",
        "| # ACME-1: ", "| ## Record", "(customer)", "| Filed the case: severity P1", "(engineer)",
        "| > collector.host is beacon-collector.internal, port 7443", "| Reopened:",
        "| > the error is back after the nightly restart");
  }

  @Test
  void atheerTourFilesClaimsPingsAsksResolvesReopensAndDeflects() {
    String out = run("atheer-tour.txt");
    inOrder(out,
        // intake with suggestions, declined
        "ana@acme in #acme-support> /support",
        "(1/13) Which Atheer Service is affected?",
        "These may already answer it:",
        "[article] Agent fails to start with BCN-4012: connection refused",
        "ana@acme in #acme-support> still need help",
        "(5/13) What should have happened?",
        // filed: triage with the declined suggestions, confirmation with the first deadline, escalation ping
        "[#triage] bot:", "New case ACME-1 (P1 Severe Business Impact) from @ana@acme",
        "Offered to the customer, who still needed help:",
        "[#acme-support › ACME-1] bot:", "your case ACME-1 is filed",
        "First deadline: first response in 4h 0m (Mon 23 Nov 13:00 PST)",
        "[#escalations] ESCALATION:", "@on-call New P1 Severe Business Impact case ACME-1",
        // claim from triage
        "eve in #triage> /press Claim", "@eve is now handling ACME-1.",
        // severity change with the reason; the deadline moves to 2 business days
        "Severity changed from P1 to P2 by @eve: only the agents of one data centre fail",
        "Next deadline: first response in 1d 8h (Tue 24 Nov 17:00 PST)",
        "counted: Mon 23 Nov 09:00 – Mon 23 Nov 17:00 America/Los_Angeles (8h)",
        // pre-breach pings to the assignee, then the breach to the manager
        "[DM to eve] PRE-BREACH:", "has used 50% of its first response target",
        "has used 75% of its first response target", "has used 90% of its first response target",
        "[DM to max] BREACH:", "ACME-1 (P2 Significant Loss of Functionality) missed its first response target",
        // request for information, the customer's answer
        "@ana@acme, we need more information: Which collector host is set in /etc/beacon/beacon.yml?",
        "State: waiting on the customer",
        "ana@acme in #acme-support › ACME-1> collector.host is beacon-collector.internal",
        "The customer replied on ACME-1 (owner: @eve)", "State: in progress",
        // resolve and reopen
        "ACME-1 is resolved (workaround) by @eve", "State: resolved",
        "ACME-1 is reopened: the error is back after the nightly restart",
        "Open cases by next deadline (1):",
        // a second intake deflected by a suggestion
        "carl@acme in #acme-support> /support", "These may already answer it:",
        "carl@acme in #acme-support> 1", "Glad that answered it. Nothing was filed",
        // not a named contact
        "stranger@acme in #acme-support> /support", "Only named support contacts of Acme Corp can file cases.");
    // the deflected request filed nothing: ACME-2 is the next case, filed by Eve for Carl
    assertThat(out.substring(0, out.indexOf("eve in #acme-support> /support @carl@acme"))).doesNotContain("ACME-2");
  }

  @Test
  void atheerTourFilesOnBehalfAndAsksTheOpenQuestionsInTheCaseThread() {
    String out = run("atheer-tour.txt");
    inOrder(out,
        "eve in #acme-support> /support @carl@acme P3 The sales dashboard export times out after the upgrade",
        "Filed ACME-2 for @carl@acme at P3; I ask them the 6 open questions in its thread, one at a time.",
        "New case ACME-2 (P3 Minor Impact) from @carl@acme",
        "[#acme-support › ACME-2] bot:", "your case ACME-2 is filed (by @eve on your behalf)",
        "Details pending: 6 questions, asked here one at a time",
        "@carl@acme (6 questions left) Which Atheer Service is affected?",
        "Details pending: product, category, steps to reproduce, reproducible, users affected, business impact",
        "carl@acme in #acme-support › ACME-2> Beacon", "Recorded @carl@acme's answer on ACME-2 (product): Beacon",
        "@carl@acme (5 questions left) What kind of request is this?",
        "carl@acme in #acme-support › ACME-2> perhaps", "(only carl@acme sees this):", "Please answer yes, no or sometimes.",
        "carl@acme in #acme-support › ACME-2> yes", "Recorded @carl@acme's answer on ACME-2 (reproducible): yes",
        "Thanks @carl@acme, ACME-2 has every detail its policy asks for now.");
  }

  @Test
  void alectronaTourRunsFirstResponseAndUpdateTargetsAndKeepsOrganizationsApart() {
    String out = run("alectrona-tour.txt");
    inOrder(out,
        "gina@globex in #globex-support> /support", "(1/12) Which Alectrona Software or Hosted Service is affected?",
        "These may already answer it:", "gina@globex in #globex-support> still need help",
        "New case GLOBEX-1 (High) from @gina@globex",
        "First deadline: first response in 2h 0m (Mon 23 Nov 11:00 PST)",
        "[#escalations] ESCALATION:", "@on-call New High case GLOBEX-1",
        "@sam is now handling GLOBEX-1.",
        // acknowledging after the claim meets the first response; the update target takes over
        "@sam acknowledged: We are looking at the collector logs now.",
        "Why GLOBEX-1 update is due",
        "[DM to sam] PRE-BREACH:", "has used 50% of its update target",
        "[DM to max] BREACH:", "GLOBEX-1 (High) missed its update target",
        "Update from @sam: The load balancer drops idle connections",
        "@gina@globex, we need more information", "Next deadline: paused while waiting on the customer",
        "The customer replied on GLOBEX-1 (owner: @sam)",
        "GLOBEX-1 is escalated by @sam", "[DM to max] ESCALATION:",
        "GLOBEX-1 is resolved (workaround) by @sam",
        "GLOBEX-1 is reopened: still disconnecting every five minutes",
        "How do I move Beacon to a new server?", "[forum] How do I move Beacon to a new server?",
        "Glad that answered it. Nothing was filed",
        "ana@acme in #globex-support> /reopen GLOBEX-1 it is ours too");
    assertThat(out.substring(out.indexOf("ana@acme in #globex-support> /reopen"))).doesNotContain("is reopened");
  }

  @Test
  void atomrockTourDropsACaseAfterTwoUnansweredRequestsAroundTheClock() {
    String out = run("atomrock-tour.txt");
    inOrder(out,
        "Limited support: Atomrock Edge 2.0.0 has limited support until 2027-06-03",
        // 24/7: two business days are 48 hours, from Monday 09:00 to Wednesday 09:00 Pacific
        "Thanks @ian@initech, your case INITECH-1 is filed", "First deadline: first response in 2d 0h (Wed 25 Nov 09:00 PST)",
        "@sam is now handling INITECH-1.",
        "@ian@initech, we need more information: Which projects does the sync stop at?",
        "Not done: INITECH-1 is S3, which the atomrock policy does not allow to escalate",
        "we are still waiting for your answer on INITECH-1",
        "The request for information on INITECH-1 went unanswered (1 in a row).",
        "This is request 2 without an answer", "INITECH-1 may be closed, as the policy says: Atomrock may close a case",
        "The request for information on INITECH-1 went unanswered (2 in a row).",
        "INITECH-1 is closed as dropped: 2 requests for information went unanswered", "State: dropped",
        "Open cases by next deadline: none.");
  }

  @Test
  void resourceOptimizerTourDeIdentifiesLogsClosesEnhancementRequestsAndReportsSatisfaction() {
    String out = run("resource-optimizer-tour.txt");
    inOrder(out,
        "Resource Optimizer 2024.1 is older than the 2 newest releases that are supported; please upgrade.",
        "I removed 2 items (1 IP address, 1 host name) from your answer",
        "Support hours are closed now. They open Monday 23 November 22:00 UTC",
        "UMB-1 is resolved (workaround) by @eve",
        "@uma@umbrella, how satisfied are you with how UMB-1 was handled? Press 1 (poor) to 5 (excellent).",
        "[1] [2] [3] [4] [5]",
        "Thank you: UMB-1 is rated 4 of 5, with your comment.", "@uma@umbrella rated UMB-1 4 of 5: the workaround is",
        "UMB-2 is resolved (enhancement request) by @eve: recorded as PR-311",
        "UMB-2 is closed: recorded in the Product Request tool;", "how satisfied are you with how UMB-2 was handled?",
        "Thank you: UMB-2 is rated 2 of 5, with your comment.",
        "max in #umbrella-support> /report satisfaction",
        "Satisfaction in 2026-11 (months in America/Los_Angeles): 2 ratings, average 3.0 of 5.",
        "Umbrella: 2 ratings, average 3.0 of 5", "@eve: 2 ratings, average 3.0 of 5",
        "UMB-1 (4 of 5): the workaround is fine for now", "UMB-2 (2 of 5): we hoped to hear when it ships");
    String closed = out.substring(out.indexOf("UMB-2 is resolved"), out.indexOf("UMB-2 is closed"));
    assertThat(closed).doesNotContain("/reopen");
  }

  @Test
  void atollonTourBillsByTheQuarterHourUnderTheContractAndSuggestsNothingUnrelated() {
    String out = run("atollon-tour.txt");
    inOrder(out,
        "New case HOOLI-1 (Normal) from @hal@hooli: The invoices of November show a VAT rate",
        "Logged on HOOLI-1: billed 30m; free: Hooli holds a service_contract contract.",
        "Logged on HOOLI-1: billed 45m; free: Hooli holds a service_contract contract.",
        "HOOLI-1 is resolved (explanation) by @sam",
        "New case HOOLI-2 (low Suggestion) from @hal@hooli: Please add a cost-centre field",
        "Logged on HOOLI-2: billed 1h 15m; free: one of the 2 free tasks of the service_contract contract.");
    // the knowledge base is about Beacon: nothing in it answers a VAT rate or a form field, and nothing is offered
    assertThat(out).doesNotContain("These may already answer it:");
  }

  /** Every tour in config/demo/ runs to the end and has its key lines checked by a test of this class. */
  @Test
  void everyTourRunsAndIsChecked() throws Exception {
    Path dir = tour("atheer-tour.txt").getParent();
    java.util.Set<String> checked = java.util.Set.of("atheer-tour.txt", "alectrona-tour.txt", "atomrock-tour.txt",
        "resource-optimizer-tour.txt", "atollon-tour.txt");
    try (var files = Files.list(dir)) {
      java.util.List<String> tours = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith("-tour.txt"))
          .sorted().toList();
      assertThat(tours).containsExactlyInAnyOrderElementsOf(checked);
      // one tour per seed policy
      for (String policy : java.util.List.of("atheer", "alectrona", "atomrock", "resource-optimizer", "atollon")) {
        assertThat(tours).contains(policy + "-tour.txt");
      }
    }
  }

  @Test
  void aMissingScriptIsAUsageError() {
    CliRun run = CliRun.of("demo", "--script", data.resolve("nope.txt").toString(), "--data", data.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("cannot read the script").contains("nope.txt");
  }

  @Test
  void workspaceMistakesAreExplainedAndChangeNothing() throws Exception {
    Path script = data.resolve("typos.txt");
    Files.writeString(script, "/as anna@acme\n/channel #acme-suport\n/advance soon\n/press 1\n/cliam\n");
    String out = CliRun.of("demo", "--script", script.toString(), "--data", data.toString()).out();
    inOrder(out, "no one called \"anna@acme\" here; did you mean ana@acme?",
        "there is no channel #acme-suport; did you mean #acme-support?",
        "write how far to move the clock, e.g. /advance 45m",
        "there are no buttons here to press",
        "Unknown command `/cliam`. Type /help for the list."); // ana is a customer: /claim is not hers
  }
}
