package org.supportbot.core.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.testing.DeskFixture;

/** Atollon's timesheets: 15-minute increments, zones, and charged or free by contract. */
class AtollonTimeBillingTest {
  static final SupportPolicy ATOLLON = DeskFixture.catalog().get("atollon").orElseThrow();
  static final LocalDate DAY = LocalDate.of(2026, 11, 23);

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0} worked -> {1} billed")
  @CsvSource({"PT1M, PT15M", "PT15M, PT15M", "PT16M, PT30M", "PT44M59S, PT45M", "PT2H, PT2H", "PT2H0M1S, PT2H15M"})
  void entriesAreRoundedUpToFifteenMinutes(Duration worked, Duration billed) {
    Organization org = Organization.of("c", "CLI", "Client", "atollon");
    assertThat(new TimeBilling(ATOLLON).bill(worked, false, "configuration_request", org, DAY, 0).billed())
        .isEqualTo(billed);
  }

  @ParameterizedTest(name = "{0} with contracts [{1}], handover {2}: chargeable={3}")
  @CsvSource(delimiter = '|', textBlock = """
      bug                   | subscription     |            | false | free: Client holds a subscription contract
      bug                   | saas             |            | false | free: Client holds a saas contract
      bug                   |                  |            | true  | charged: Bugs in application (bug zone) is chargeable for Client (responsible: Atollon)
      configuration_error   |                  | 2026-10-30 | false | free: within 30 days of the configuration handover on 2026-10-30
      configuration_error   |                  | 2026-10-23 | true  | charged: Errors in system configuration is chargeable for Client
      advice                | service_contract |            | false | free: Client holds a service_contract contract
      advice                | subscription     |            | true  | charged: Request for advice or identify the problem (dark zone) is chargeable
      configuration_request | service_contract |            | false | free: one of the 2 free tasks of the service_contract contract
      configuration_request | subscription     |            | true  | charged: Request for configuration (green zone) is chargeable
      feature_suggestion    |                  |            | false | The incentive to development of new features is free of charge
      """)
  void zonesAreChargedOrFreeByContract(String category, String contract, LocalDate handover, boolean chargeable,
      String reason) {
    Organization org = Organization.of("c", "CLI", "Client", "atollon").withContracts(
        contract == null ? Set.of() : Set.of(contract), Optional.ofNullable(handover), 2);
    Charge c = new TimeBilling(ATOLLON).bill(Duration.ofMinutes(20), false, category, org, DAY, 2);
    assertThat(c.zone()).isEqualTo(category);
    assertThat(c.chargeable()).isEqualTo(chargeable);
    assertThat(c.reason()).startsWith(reason);
    assertThat(c.billed()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void freeTasksOfAServiceContractAreCountedPerCase() {
    try (DeskFixture f = new DeskFixture(dir.resolve("t.db"), Instant.parse("2026-11-23T09:00:00Z"))) {
      Organization org = f.organization(Organization.of("cli", "CLI", "Client", "atollon")
          .withContracts(Set.of("service_contract"), Optional.empty(), 1));
      IncidentNumber first = f.file(org, "normal", "configuration_request");
      IncidentNumber second = f.file(org, "normal", "configuration_request");
      IncidentOutcome a = f.desk.handle(new IncidentCommand.LogTime(f.vendor(), first, Duration.ofMinutes(50), false, "x"));
      IncidentOutcome b = f.desk.handle(new IncidentCommand.LogTime(f.vendor(), first, Duration.ofMinutes(5), true, "call"));
      IncidentOutcome c = f.desk.handle(new IncidentCommand.LogTime(f.vendor(), second, Duration.ofMinutes(10), false, "y"));
      assertThat(a).isEqualTo(new IncidentOutcome.TimeRecorded(first, Duration.ofHours(1), false,
          "free: one of the 1 free tasks of the service_contract contract"));
      assertThat(b).as("the same task stays free, communication time counts")
          .isEqualTo(new IncidentOutcome.TimeRecorded(first, Duration.ofMinutes(15), false,
              "free: one of the 1 free tasks of the service_contract contract"));
      assertThat(((IncidentOutcome.TimeRecorded) c).chargeable()).as("the free task is used up").isTrue();
      assertThat(f.desk.incident(first).orElseThrow().billed()).isEqualTo(Duration.ofMinutes(75));
      IncidentEvent.TimeLogged logged = (IncidentEvent.TimeLogged) f.desk.log(first).get(1);
      assertThat(logged.worked()).isEqualTo(Duration.ofMinutes(50));
      assertThat(logged.zone()).isEqualTo("configuration_request");
      assertThat(f.desk.handle(new IncidentCommand.LogTime(f.vendor(), first, Duration.ZERO, false, "")))
          .isEqualTo(new IncidentOutcome.Rejected("worked time on CLI-1 must be positive, got PT0S"));
    }
  }

  @Test
  void policiesWithoutChargeabilityRefuseTimeEntries() {
    try (DeskFixture f = new DeskFixture(dir.resolve("n.db"), Instant.parse("2026-11-23T09:00:00Z"))) {
      IncidentNumber n = f.file(f.organization("ACME", "atomrock"), "S3", "defect");
      assertThat(f.desk.handle(new IncidentCommand.LogTime(f.vendor(), n, Duration.ofMinutes(5), false, "")))
          .isEqualTo(new IncidentOutcome.Rejected("the atomrock policy does not bill time, so time cannot be logged on ACME-1"));
    }
  }
}
