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
    assertDeadline(policyId, level, from, target, expected);
  }

  /**
   * Edge cases of each seed, each worked by hand from the seed's text (the reasoning is in the
   * comment before each row): just before closing, at the opening and the closing instant, between
   * two windows, weekends, holidays and the days before them, observed holidays, daylight-saving
   * changes of 2026 and 2027 in the policy's zone, and the turn of the year.
   */
  @ParameterizedTest(name = "{0} {1} from {2}: {3} -> {4}")
  @CsvSource(delimiter = '|', textBlock = """
      # policy          | level  | from                       | target         | deadline (UTC, or none)
      # Atheer: Mon-Fri 09:00-17:00 Pacific time, US public holidays; P1 4 h, P2 16 h, P3/P4 40 h.
      # One minute before closing: 1 min on Monday, 3 h 59 on Tuesday from 09:00 PST.
      atheer             | P1     | 2026-11-23T16:59:00-08:00  | first_response | 2026-11-24T20:59:00Z
      # Exactly at opening: 09:00 + 4 h = 13:00 PST.
      atheer             | P1     | 2026-11-24T09:00:00-08:00  | first_response | 2026-11-24T21:00:00Z
      # At the closing instant nothing is left that day: Wednesday 09:00 + 4 h.
      atheer             | P1     | 2026-11-24T17:00:00-08:00  | first_response | 2026-11-25T21:00:00Z
      # The day before Thanksgiving (Thu 2026-11-26): 2 h Wednesday, 2 h on Friday 2026-11-27 (a business day).
      atheer             | P1     | 2026-11-25T15:00:00-08:00  | first_response | 2026-11-27T19:00:00Z
      # US daylight saving ends Sun 2026-11-01: 3 h Friday (PDT), 1 h Monday from 09:00 PST.
      atheer             | P1     | 2026-10-30T14:00:00-07:00  | first_response | 2026-11-02T18:00:00Z
      # US daylight saving starts Sun 2027-03-14: 3 h Friday (PST), 8 h Monday, 5 h Tuesday -> 14:00 PDT.
      atheer             | P2     | 2027-03-12T14:00:00-08:00  | first_response | 2027-03-16T21:00:00Z
      # Juneteenth 2027 is a Saturday, observed Friday 2027-06-18: 3 h Thursday, 1 h Monday 2027-06-21.
      atheer             | P1     | 2027-06-17T14:00:00-07:00  | first_response | 2027-06-21T17:00:00Z
      # Independence Day 2027 is a Sunday, observed Monday 2027-07-05: 1 h Friday, 3 h Tuesday.
      atheer             | P1     | 2027-07-02T16:00:00-07:00  | first_response | 2027-07-06T19:00:00Z
      # Christmas 2027 is a Saturday, observed Friday 2027-12-24: 1 h Thursday, 8 h Monday, 7 h Tuesday.
      atheer             | P2     | 2027-12-23T16:00:00-08:00  | first_response | 2027-12-29T00:00:00Z
      # New Year's Day 2028 is a Saturday, observed Friday 2027-12-31 (listed by the library under 2028):
      # 2 h Thursday 2027-12-30, then 2 h on Monday 2028-01-03.
      atheer             | P1     | 2027-12-30T15:00:00-08:00  | first_response | 2028-01-03T19:00:00Z
      # Five business days from Monday 2027-12-27 09:00: Mon-Thu 32 h, Friday 2027-12-31 closed, Monday 8 h.
      atheer             | P4     | 2027-12-27T09:00:00-08:00  | first_response | 2028-01-04T01:00:00Z
      # Thanksgiving 2028 is Thursday 2028-11-23: 8 h Wednesday, 8 h Friday -> Friday 17:00 PST.
      atheer             | P2     | 2028-11-22T09:00:00-08:00  | first_response | 2028-11-25T01:00:00Z
      # Veterans Day 2028 is a Saturday, observed Friday 2028-11-10: 2 h Thursday, 2 h Monday.
      atheer             | P1     | 2028-11-09T15:00:00-08:00  | first_response | 2028-11-13T19:00:00Z
      # Resource Optimizer: Mon-Fri 00:00-16:00 and 22:00-24:00 UTC; S1 8 h, S2 18 h, S3 36 h.
      # One minute before 16:00: 1 min, 2 h from 22:00, 5 h 59 on Tuesday.
      resource-optimizer | S1     | 2026-11-23T15:59:00Z       | first_response | 2026-11-24T05:59:00Z
      # At the 16:00 closing instant, and in the 16:00-22:00 gap, the clock starts at 22:00: 2 h + 6 h.
      resource-optimizer | S1     | 2026-11-23T16:00:00Z       | first_response | 2026-11-24T06:00:00Z
      resource-optimizer | S1     | 2026-11-23T19:00:00Z       | first_response | 2026-11-24T06:00:00Z
      resource-optimizer | S1     | 2026-11-23T22:00:00Z       | first_response | 2026-11-24T06:00:00Z
      # Friday 23:30: 30 min Friday (the 22:00-24:00 window is a Friday window too), 7 h 30 on Monday.
      resource-optimizer | S1     | 2026-11-27T23:30:00Z       | first_response | 2026-11-30T07:30:00Z
      # Sunday 22:30 is closed (Sunday has no windows): Monday 00:00 + 8 h.
      resource-optimizer | S1     | 2026-11-29T22:30:00Z       | first_response | 2026-11-30T08:00:00Z
      # Saturday: 16 h Monday 00:00-16:00 and 2 h 22:00-24:00 -> Monday 24:00.
      resource-optimizer | S2     | 2026-11-28T10:00:00Z       | first_response | 2026-12-01T00:00:00Z
      # One business day from Tuesday 10:00 is Wednesday 10:00: 6 h + 2 h + 10 h.
      resource-optimizer | S2     | 2026-11-24T10:00:00Z       | first_response | 2026-11-25T10:00:00Z
      # Over the turn of the year (no holidays are named): 4 h + 2 h Wed, 18 h Thu, 12 h Fri 2027-01-01.
      resource-optimizer | S3     | 2026-12-30T12:00:00Z       | first_response | 2027-01-01T12:00:00Z
      # GMT has no daylight saving: the EU change of Sun 2026-03-29 moves nothing; Monday 00:00 + 8 h.
      resource-optimizer | S1     | 2026-03-29T00:30:00Z       | first_response | 2026-03-30T08:00:00Z
      # Alectrona: Mon-Fri 09:00-17:30 Eastern time, no holidays; first response / update 1/4, 2/12, 4/24, 8/32 h.
      # One minute before 17:30: 1 min Monday, 59 min Tuesday.
      alectrona          | urgent | 2026-11-23T17:29:00-05:00  | first_response | 2026-11-24T14:59:00Z
      # At the 17:30 closing instant: Tuesday 09:00 + 2 h.
      alectrona          | high   | 2026-11-23T17:30:00-05:00  | first_response | 2026-11-24T16:00:00Z
      # Exactly at opening: 4 h -> 13:00; 24 h -> 8.5 h Mon, 8.5 h Tue, 7 h Wed -> Wed 16:00 EST.
      alectrona          | medium | 2026-11-23T09:00:00-05:00  | first_response | 2026-11-23T18:00:00Z
      alectrona          | medium | 2026-11-23T09:00:00-05:00  | update         | 2026-11-25T21:00:00Z
      # The policy names no holidays: Thanksgiving is a business day.
      alectrona          | urgent | 2026-11-26T10:00:00-05:00  | first_response | 2026-11-26T16:00:00Z
      # Sunday: 8.5 h Monday, 3.5 h Tuesday -> 12:30 EST.
      alectrona          | high   | 2026-11-29T12:00:00-05:00  | update         | 2026-12-01T17:30:00Z
      # US daylight saving starts Sun 2027-03-14: 30 min Friday (EST), 3 h 30 Monday from 09:00 EDT.
      alectrona          | urgent | 2027-03-12T17:00:00-05:00  | update         | 2027-03-15T16:30:00Z
      # US daylight saving ends Sun 2027-11-07: 1 h Friday (EDT), 7 h Monday from 09:00 EST.
      alectrona          | low    | 2027-11-05T16:30:00-04:00  | first_response | 2027-11-08T21:00:00Z
      # Over the turn of the year: 2.5 h Thu 2026-12-31, 8.5 h Fri 2027-01-01, 8.5 h Mon, 8.5 h Tue, 4 h Wed.
      alectrona          | low    | 2026-12-31T15:00:00-05:00  | update         | 2027-01-06T18:00:00Z
      # Atomrock: 24/7/365, every hour counts; S1 4 h, S2 24 h, S3 48 h, S4 72 h.
      atomrock           | S1     | 2026-12-26T23:00:00Z       | first_response | 2026-12-27T03:00:00Z
      atomrock           | S2     | 2026-12-31T23:30:00Z       | first_response | 2027-01-01T23:30:00Z
      atomrock           | S3     | 2026-12-25T10:00:00Z       | first_response | 2026-12-27T10:00:00Z
      atomrock           | S4     | 2026-10-24T12:00:00Z       | first_response | 2026-10-27T12:00:00Z
      atomrock           | S1     | 2027-03-14T08:00:00Z       | first_response | 2027-03-14T12:00:00Z
      # Atollon states no targets: every level is best effort.
      atollon            | low    | 2026-12-24T10:00:00+01:00  | first_response | none
      """)
  void edgeCaseDeadlineMatchesTheHandWorkedValue(String policyId, String level, String from, String target, String expected) {
    assertDeadline(policyId, level, from, target, expected);
  }

  private static void assertDeadline(String policyId, String level, String from, String target, String expected) {
    var policy = catalog.get(policyId).orElseThrow();
    var sla = new SlaCalculator(policy);
    Map<String, Optional<Instant>> deadlines =
        sla.deadlines(policy.severity(level).orElseThrow(), OffsetDateTime.parse(from).toInstant());
    assertThat(deadlines).containsKey(target);
    assertThat(deadlines.get(target).map(Instant::toString).orElse("none")).isEqualTo(expected);
  }
}
