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
    assertThat(out).doesNotContain("ACME-2");
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
