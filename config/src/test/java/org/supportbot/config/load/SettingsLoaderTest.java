package org.supportbot.config.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.supportbot.config.settings.BotSettings;

class SettingsLoaderTest {

  private static Path example() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("config").resolve("supportbot.example.yaml");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("config/supportbot.example.yaml not found");
  }

  @Test
  void theShippedExampleLoads() throws Exception {
    BotSettings s = new SettingsLoader().load(example());
    assertThat(s.organizations()).extracting(BotSettings.Organization::key).containsExactly("ACME", "INI", "HOOLI");
    assertThat(s.database()).isEqualTo(example().getParent().resolve("../data/supportbot.db"));
    assertThat(s.warningPercents()).containsExactly(50, 75, 90);
    assertThat(s.intakeExpiry()).isEqualTo(Duration.ofHours(24));
    assertThat(s.digestAt()).isEqualTo(LocalTime.of(8, 0));
    assertThat(s.organizations().get(0).escalation()).get()
        .satisfies(e -> assertThat(e.onCallRole()).isEqualTo("S0ONCALL"));
    assertThat(s.slack()).get().satisfies(sl -> assertThat(sl.port()).isEqualTo(3000));
    assertThat(s.discord()).get().satisfies(d -> assertThat(d.restUrl()).isEmpty()); // both platforms, one process
    assertThat(s.ops()).contains(new BotSettings.Ops("127.0.0.1", 9090));
    assertThat(SettingsLoader.checkPolicies(s, Set.of("atheer", "atomrock", "atollon"))).isEmpty();
  }

  @Test
  void everyProblemIsReportedWithItsLineAndAFix() {
    String text = """
        databse: x.db
        triage: slack/T1
        intake_expiry: forever
        warnings: [50, 120]
        organizations:
          - id: acme
            key: acme
            policy: atheer
            contracts: [lifetime]
            channels: [slack/T1/C1]
          - id: acme
            key: ACME
            policy: atheer
            channels: [slack/T1/C1]
        engineers:
          - { id: slack/T1/U1, role: boss }
        slack: { mode: carrier-pigeon }
        """;
    assertThatThrownBy(() -> new SettingsLoader().parse("bot.yaml", text, Path.of("/srv")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(Object::toString)
            .containsExactlyInAnyOrder(
                "bot.yaml:1: databse: unknown key; did you mean \"database\"? allowed here: database, knowledge_base,"
                    + " policies, warnings, intake_expiry, digest, triage, managers, organizations, engineers, slack,"
                    + " discord, ops, web",
                "bot.yaml:2: triage: \"slack/T1\" is not an address; write platform/workspace/id with platform slack,"
                    + " discord or console, e.g. slack/T0123/C0456",
                "bot.yaml:3: intake_expiry: \"forever\" is not a duration; write e.g. \"30 minutes\", \"24 hours\" or"
                    + " \"2 days\"",
                "bot.yaml:4: warnings[1]: 120 is not below 100; pre-breach warnings come before the breach, e.g. 50,"
                    + " 75, 90",
                "bot.yaml:7: organizations[0].key: \"acme\" must be 2-10 upper-case letters or digits starting with a"
                    + " letter, e.g. ACME",
                "bot.yaml:9: organizations[0].contracts[0]: \"lifetime\" is not a contract type; write one of"
                    + " subscription, saas, service_contract",
                "bot.yaml:11: organizations[1].id: organization \"acme\" appears twice; give each organization its own"
                    + " id",
                "bot.yaml:14: organizations[1].channels[0]: channel slack/T1/C1 is bound twice; a channel belongs to"
                    + " one organization",
                "bot.yaml:16: engineers[0].role: \"boss\" is not a role; write engineer or manager",
                "bot.yaml:17: slack.mode: \"carrier-pigeon\" is not a mode; write http (needs a public URL) or socket"
                    + " (Socket Mode)"));
  }

  @Test
  void anOrganizationMayBeMarkedPastDueOnPayment() throws Exception {
    BotSettings s = new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0
        organizations:
          - { id: acme, key: ACME, policy: atheer, past_due: true }
          - { id: hooli, key: HOOLI, policy: atollon }
        """, Path.of("/srv"));
    assertThat(s.organizations()).extracting(BotSettings.Organization::pastDue).containsExactly(true, false);
    assertThatThrownBy(() -> new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer, past_due: maybe }]
        """, Path.of("/srv"))).isInstanceOf(ConfigException.class).hasMessageContaining("past_due");
  }

  @Test
  void theOpsEndpointAndTheBaseUrlsForTestsAreReadAndChecked() throws Exception {
    BotSettings s = new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0
        organizations:
          - { id: acme, key: ACME, policy: atheer, channels: [slack/T1/C1] }
        slack: { mode: socket, api_url: "http://127.0.0.1:4100/api" }
        discord: { rest_url: "http://127.0.0.1:4200/api/v10/", gateway_url: "ws://127.0.0.1:4201" }
        ops: { address: 0.0.0.0, port: 0 }
        """, Path.of("/srv"));
    assertThat(s.slack().orElseThrow().apiUrl()).contains(java.net.URI.create("http://127.0.0.1:4100/api/"));
    assertThat(s.discord().orElseThrow().restUrl()).contains(java.net.URI.create("http://127.0.0.1:4200/api/v10/"));
    assertThat(s.discord().orElseThrow().gatewayUrl()).contains(java.net.URI.create("ws://127.0.0.1:4201/"));
    assertThat(s.ops()).contains(new BotSettings.Ops("0.0.0.0", 0));
    BotSettings defaults = new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        discord: {}
        ops: {}
        """, Path.of("/srv"));
    assertThat(defaults.ops()).contains(new BotSettings.Ops("127.0.0.1", 9090, Duration.ofMinutes(5),
        Duration.ofMinutes(2)));
    assertThat(defaults.discord().orElseThrow().restUrl()).isEmpty();
  }

  @Test
  void theReactionThatFilesAMessageIsReadPerPlatformAndABadOneIsReported() throws Exception {
    BotSettings s = new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        slack: { file_on_reaction: ":ticket:" }
        discord: { file_on_reaction: "\\U0001F3AB" }
        """, Path.of("/srv"));
    assertThat(s.slack().orElseThrow().fileOnReaction()).contains("ticket");
    assertThat(s.discord().orElseThrow().fileOnReaction()).contains("\uD83C\uDFAB");
    assertThat(new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        slack: {}
        """, Path.of("/srv")).slack().orElseThrow().fileOnReaction()).isEmpty();
    String text = """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        slack: { file_on_reaction: "Ticket Please" }
        """;
    assertThatThrownBy(() -> new SettingsLoader().parse("bot.yaml", text, Path.of("/srv")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(Object::toString)
            .containsExactly("bot.yaml:3: slack.file_on_reaction: \"Ticket Please\" is not an emoji; write an emoji's"
                + " name as Slack writes it, without colons, e.g. ticket"));
  }

  @Test
  void theHealthLimitsAreReadInLongOrShortUnits() throws Exception {
    BotSettings s = new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        ops: { health: { max_outbox_age: 90s, max_failing: 3 minutes } }
        """, Path.of("/srv"));
    assertThat(s.ops()).contains(new BotSettings.Ops("127.0.0.1", 9090, Duration.ofSeconds(90), Duration.ofMinutes(3)));
    BotSettings hour = new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        ops: { health: { max_outbox_age: 1h, max_failing: 2m } }
        """, Path.of("/srv"));
    assertThat(hour.ops()).contains(new BotSettings.Ops("127.0.0.1", 9090, Duration.ofHours(1), Duration.ofMinutes(2)));
  }

  @Test
  void badHealthLimitsAreReportedWithTheFix() {
    String text = """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        ops:
          health: { max_outbox_age: soon, max_failing: 0m, max_late: 1m }
        """;
    assertThatThrownBy(() -> new SettingsLoader().parse("bot.yaml", text, Path.of("/srv")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(Object::toString)
            .containsExactlyInAnyOrder(
                "bot.yaml:4: ops.health.max_late: unknown key; allowed here: max_outbox_age, max_failing",
                "bot.yaml:4: ops.health.max_outbox_age: \"soon\" is not a duration; write e.g. \"90 seconds\","
                    + " \"5 minutes\" or \"1 hour\" (or 90s, 5m, 1h)",
                "bot.yaml:4: ops.health.max_failing: a limit of zero would report the desk degraded at all times;"
                    + " write e.g. \"5 minutes\""));
  }

  @Test
  void badOpsAndBaseUrlsAreReportedWithTheirLines() {
    String text = """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        slack: { api_url: "ftp://127.0.0.1/api/", port: 70000 }
        discord: { rest_url: "http://user:pw@127.0.0.1/api/", gateway_url: "http://127.0.0.1:1/" }
        ops: { address: my-host, port: -1, path: /x }
        """;
    assertThatThrownBy(() -> new SettingsLoader().parse("bot.yaml", text, Path.of("/srv")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(Object::toString)
            .containsExactlyInAnyOrder(
                "bot.yaml:3: slack.api_url: \"ftp://127.0.0.1/api/\" is not a usable URL; write an absolute http or"
                    + " https URL such as https://slack.com/api/ (only for tests and proxies: leave it out to reach the"
                    + " platform itself)",
                "bot.yaml:3: slack.port: 70000 is not a TCP port; write a number from 1 to 65535 (0 picks a free one)",
                "bot.yaml:4: discord.rest_url: \"http://user:pw@127.0.0.1/api/\" carries credentials or a query; tokens"
                    + " come from the environment only; write an absolute http or https URL such as"
                    + " https://discord.com/api/v10/ (only for tests and proxies: leave it out to reach the platform"
                    + " itself)",
                "bot.yaml:4: discord.gateway_url: \"http://127.0.0.1:1/\" is not a usable URL; write an absolute ws or"
                    + " wss URL such as wss://gateway.discord.gg/ (only for tests and proxies: leave it out to reach the"
                    + " platform itself)",
                "bot.yaml:5: ops.path: unknown key; allowed here: address, port, health",
                "bot.yaml:5: ops.address: \"my-host\" is not an IP address; write 127.0.0.1 (this host only) or 0.0.0.0"
                    + " (every interface)",
                "bot.yaml:5: ops.port: -1 is too small; it must be at least 0"));
  }

  @Test
  void aMissingAddressIsReportedOnceWithWhatToWrite() {
    String text = """
        organizations:
          - id: acme
            key: ACME
            policy: atheer
            escalation: { on_call_role: S1 }
        engineers:
          - { name: Eve, role: engineer }
        """;
    assertThatThrownBy(() -> new SettingsLoader().parse("bot.yaml", text, Path.of("/srv")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(Object::toString)
            .filteredOn(p -> p.contains("triage") || p.contains(".id:") || p.contains(".channel:"))
            .containsExactlyInAnyOrder(
                "bot.yaml:1: triage: is required; name the vendor's internal channel as platform/workspace/id,"
                    + " e.g. slack/T0123/C0456",
                "bot.yaml:5: organizations[0].escalation.channel: is required; write the escalation channel as"
                    + " platform/workspace/channel, e.g. slack/T0123/C0456",
                "bot.yaml:7: engineers[0].id: is required; write the person as platform/workspace/user,"
                    + " e.g. slack/T0123/U0456"));
  }

  @Test
  void unknownPoliciesAreNamedWithASuggestion() throws Exception {
    BotSettings s = new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0
        organizations:
          - { id: acme, key: ACME, policy: athear, channels: [slack/T1/C1] }
        """, Path.of("/srv"));
    assertThat(SettingsLoader.checkPolicies(s, Set.of("atheer", "atomrock"))).containsExactly(
        "organization acme: policy \"athear\" is not loaded; did you mean \"atheer\"? (loaded: atheer, atomrock)");
  }

  @Test
  void theKnowledgeBaseMayNameLiveSourcesAndTheirSchedule() throws Exception {
    BotSettings s = new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        knowledge_base:
          index: ../data/kb
          articles: ../kb/articles
          forums: [https://forum.example.com]
          sync: every 15 minutes
        """, Path.of("/srv/conf"));
    assertThat(s.knowledgeBase()).contains(Path.of("/srv/conf/../data/kb"));
    assertThat(s.knowledgeSync()).contains(new BotSettings.KnowledgeSync(Optional.of(Path.of("/srv/conf/../kb/articles")),
        List.of(java.net.URI.create("https://forum.example.com")), Duration.ofMinutes(15), Duration.ofMinutes(45),
        Duration.ofHours(24)));
    BotSettings hourly = new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        knowledge_base: { index: kb, forums: ["http://127.0.0.1:4300"], sync: every hour, max_sync_age: 4h }
        """, Path.of("/srv"));
    assertThat(hourly.knowledgeSync().orElseThrow().every()).isEqualTo(Duration.ofHours(1));
    assertThat(hourly.knowledgeSync().orElseThrow().maxAge()).isEqualTo(Duration.ofHours(4));
    BotSettings plain = new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        knowledge_base: ../data/kb
        """, Path.of("/srv"));
    assertThat(plain.knowledgeBase()).contains(Path.of("/srv/../data/kb"));
    assertThat(plain.knowledgeSync()).isEmpty();
  }

  @Test
  void badKnowledgeBaseSourcesAreReportedWithTheFix() {
    String text = """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        knowledge_base:
          articles: ./articles
          forums: ["ftp://forum.example.com", "https://bot:pw@forum.example.com"]
          sync: every 5 seconds
          refresh: yes
        """;
    assertThatThrownBy(() -> new SettingsLoader().parse("bot.yaml", text, Path.of("/srv")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(Object::toString)
            .containsExactlyInAnyOrder(
                "bot.yaml:7: knowledge_base.refresh: unknown key; allowed here: index, articles, forums, sync,"
                    + " max_sync_age, full_sync, full_sync_checks_per_round, max_full_sync_age",
                "bot.yaml:4: knowledge_base.index: is required; name the folder made by supportbot kb index, e.g."
                    + " index: ../data/kb",
                "bot.yaml:5: knowledge_base.forums[0]: \"ftp://forum.example.com\" is not an http(s) address; write"
                    + " the forum's address, e.g. https://forum.example.com",
                "bot.yaml:5: knowledge_base.forums[1]: \"https://bot:pw@forum.example.com\" carries credentials or a"
                    + " query; the API key comes from DISCOURSE_API_KEY only",
                "bot.yaml:6: knowledge_base.sync: \"every 5 seconds\" would ask the forums more often than every 10"
                    + " seconds; write e.g. \"every 15 minutes\""));
  }

  @Test
  void aFullSyncScheduleDefaultsToADayOrTheSyncIntervalIfLonger() throws Exception {
    BotSettings daily = new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        knowledge_base: { index: kb, forums: ["https://forum.example.com"], sync: every 15 minutes }
        """, Path.of("/srv"));
    assertThat(daily.knowledgeSync().orElseThrow().fullEvery()).isEqualTo(Duration.ofHours(24));
    BotSettings sixHours = new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        knowledge_base:
          index: kb
          forums: ["https://forum.example.com"]
          sync: every 15 minutes
          full_sync: every 6 hours
        """, Path.of("/srv"));
    assertThat(sixHours.knowledgeSync().orElseThrow().fullEvery()).isEqualTo(Duration.ofHours(6));
    BotSettings sameAsSync = new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        knowledge_base: { index: kb, forums: ["https://forum.example.com"], sync: every 30 minutes,
          full_sync: every 30 minutes }
        """, Path.of("/srv"));
    assertThat(sameAsSync.knowledgeSync().orElseThrow().fullEvery()).isEqualTo(Duration.ofMinutes(30));
    BotSettings slowSync = new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        knowledge_base: { index: kb, forums: ["https://forum.example.com"], sync: every 48 hours, max_sync_age: 99h }
        """, Path.of("/srv"));
    assertThat(slowSync.knowledgeSync().orElseThrow().fullEvery()).as("never shorter than sync")
        .isEqualTo(Duration.ofHours(48));
  }

  @Test
  void aBadFullSyncScheduleIsReportedWithTheFix() {
    String text = """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        knowledge_base:
          index: kb
          forums: ["https://forum.example.com"]
          sync: every 15 minutes
          full_sync: %s
        """;
    for (String bad : new String[] {"daily", "every 2 days"}) {
      assertThat(problems(text.formatted(bad))).containsExactly("bot.yaml:7: knowledge_base.full_sync: \"" + bad
          + "\" is not a schedule; write e.g. \"every 24 hours\" or \"every hour\" (every N seconds, minutes or hours)");
    }
    assertThat(problems(text.formatted("every 10 minutes"))).containsExactly("bot.yaml:7: knowledge_base.full_sync: a full sync every 600 s is shorter than the sync"
                + " interval (900 s), but a full sync can only run in a round; write an interval at least as long"
                + " as sync, e.g. \"every 24 hours\", or leave full_sync out for that default");
  }

  @Test
  void theFullSyncChecksPerRoundAndItsAgeLimitAreReadOrDefaulted() throws Exception {
    BotSettings defaults = new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        knowledge_base: { index: kb, forums: ["https://forum.example.com"], sync: every 15 minutes }
        """, Path.of("/srv"));
    assertThat(defaults.knowledgeSync().orElseThrow().fullChecks()).isEqualTo(50);
    assertThat(defaults.knowledgeSync().orElseThrow().maxFullAge()).as("two full syncs and a round")
        .isEqualTo(Duration.ofHours(48).plusMinutes(15));
    BotSettings set = new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        knowledge_base:
          index: kb
          forums: ["https://forum.example.com"]
          sync: every 15 minutes
          full_sync: every 6 hours
          full_sync_checks_per_round: 400
          max_full_sync_age: 6h
        """, Path.of("/srv"));
    assertThat(set.knowledgeSync().orElseThrow().fullChecks()).isEqualTo(400);
    assertThat(set.knowledgeSync().orElseThrow().maxFullAge()).as("as long as full_sync is allowed")
        .isEqualTo(Duration.ofHours(6));
  }

  @Test
  void badFullSyncChecksOrAgeLimitsAreReportedWithTheFix() {
    String text = """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        knowledge_base:
          index: kb
          forums: ["https://forum.example.com"]
          sync: every 15 minutes
          full_sync: every 6 hours
          full_sync_checks_per_round: %s
          max_full_sync_age: %s
        """;
    assertThat(problems(text.formatted("0", "5 hours"))).containsExactly(
        "bot.yaml:8: knowledge_base.full_sync_checks_per_round: 0 is too small; it must be at least 1",
        "bot.yaml:9: knowledge_base.max_full_sync_age: a limit of 18000 s is shorter than the full-sync interval"
            + " (21600 s), so health would be degraded before a full sync is even due; write e.g. \"735 minutes\""
            + " or leave max_full_sync_age out for that default (two full-sync intervals and a sync)");
    assertThat(problems(text.formatted("all", "a while"))).containsExactly(
        "bot.yaml:8: knowledge_base.full_sync_checks_per_round: \"all\" is not a whole number; write how many"
            + " indexed topics a full sync checks one by one per round at least (more when that would not finish it"
            + " before the next is due), e.g. 50",
        "bot.yaml:9: knowledge_base.max_full_sync_age: \"a while\" is not a duration; write e.g. \"90 seconds\","
            + " \"5 minutes\" or \"1 hour\" (or 90s, 5m, 1h)");
    assertThat(problems(text.replace("every 6 hours", "every 2 days").formatted("10", "5 hours")))
        .as("a bad full_sync is reported once, not again through the age limit").containsExactly(
            "bot.yaml:7: knowledge_base.full_sync: \"every 2 days\" is not a schedule; write e.g. \"every 24 hours\""
                + " or \"every hour\" (every N seconds, minutes or hours)");
  }

  /** The problems {@code bot.yaml} of this text is refused with. */
  private static List<String> problems(String text) {
    try {
      new SettingsLoader().parse("bot.yaml", text, Path.of("/srv"));
    } catch (ConfigException e) {
      return e.problems().stream().map(Object::toString).toList();
    }
    throw new AssertionError("accepted: " + text);
  }

  @Test
  void aBadSyncIntervalIsNotReportedTwiceThroughFullSync() {
    String text = """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        knowledge_base:
          index: kb
          forums: ["https://forum.example.com"]
          sync: every fortnight
          full_sync: every 10 minutes
        """;
    assertThat(problems(text)).containsExactly("bot.yaml:6: knowledge_base.sync: \"every fortnight\" is not a"
        + " schedule; write e.g. \"every 15 minutes\" or \"every hour\" (every N seconds, minutes or hours)");
  }
}
