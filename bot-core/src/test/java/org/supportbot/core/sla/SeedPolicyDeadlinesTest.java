package org.supportbot.core.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.supportbot.config.load.PolicyCatalog;

/** Deadlines of the five seed policies, worked out by hand from each policy's calendar. */
class SeedPolicyDeadlinesTest {
  private static PolicyCatalog catalog;

  @BeforeAll
  static void load() throws Exception {
    catalog = PolicyCatalog.bundled();
  }

  @ParameterizedTest(name = "{0} {1} from {2}: {3} -> {4}")
  @CsvSource(delimiter = '|', textBlock = """
      # policy          | level  | from                       | target         | deadline (UTC, or none)
      atheer             | P1     | 2026-11-20T16:30:00-08:00  | first_response | 2026-11-23T20:30:00Z
      atheer             | P1     | 2026-11-21T10:00:00Z       | first_response | 2026-11-23T21:00:00Z
      atheer             | P2     | 2026-11-23T09:00:00-08:00  | first_response | 2026-11-25T01:00:00Z
      atheer             | P3     | 2026-11-23T09:00:00-08:00  | first_response | 2026-12-01T01:00:00Z
      atheer             | P1     | 2026-12-24T15:00:00-08:00  | first_response | 2026-12-28T19:00:00Z
      atheer             | P1     | 2026-03-06T15:00:00-08:00  | first_response | 2026-03-09T18:00:00Z
      atheer             | P4     | 2026-12-31T16:00:00-08:00  | first_response | 2027-01-09T00:00:00Z
      resource-optimizer | S1     | 2026-11-23T14:00:00Z       | first_response | 2026-11-24T04:00:00Z
      resource-optimizer | S2     | 2026-11-27T15:00:00Z       | first_response | 2026-11-30T15:00:00Z
      resource-optimizer | S3     | 2026-11-23T16:30:00Z       | first_response | 2026-11-25T16:00:00Z
      resource-optimizer | S1     | 2026-11-27T23:00:00Z       | first_response | 2026-11-30T07:00:00Z
      resource-optimizer | S4     | 2026-11-23T14:00:00Z       | first_response | none
      alectrona          | urgent | 2026-11-24T17:15:00-05:00  | first_response | 2026-11-25T14:45:00Z
      alectrona          | urgent | 2026-11-24T17:15:00-05:00  | update         | 2026-11-25T17:45:00Z
      alectrona          | low    | 2026-11-23T09:00:00-05:00  | first_response | 2026-11-23T22:00:00Z
      alectrona          | low    | 2026-11-23T09:00:00-05:00  | update         | 2026-11-26T20:30:00Z
      alectrona          | high   | 2026-10-30T17:00:00-04:00  | first_response | 2026-11-02T15:30:00Z
      atomrock           | S3     | 2026-11-21T22:00:00Z       | first_response | 2026-11-23T22:00:00Z
      atomrock           | S1     | 2026-03-29T00:30:00Z       | first_response | 2026-03-29T04:30:00Z
      atomrock           | S4     | 2026-12-31T12:00:00Z       | first_response | 2027-01-03T12:00:00Z
      atomrock           | S2     | 2028-02-28T06:00:00Z       | first_response | 2028-02-29T06:00:00Z
      atollon            | critical | 2026-11-23T10:00:00+01:00 | first_response | none
      """)
  void deadlineMatchesTheHandWorkedValue(String policyId, String level, String from, String target, String expected) {
    var policy = catalog.get(policyId).orElseThrow();
    var sla = new SlaCalculator(policy);
    Map<String, Optional<Instant>> deadlines =
        sla.deadlines(policy.severity(level).orElseThrow(), OffsetDateTime.parse(from).toInstant());
    assertThat(deadlines).containsKey(target);
    assertThat(deadlines.get(target).map(Instant::toString).orElse("none")).isEqualTo(expected);
  }
}
