package org.supportbot.config.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.supportbot.config.calendar.TimeWindow;
import org.supportbot.config.policy.Privacy;
import org.supportbot.config.policy.BusinessDuration;
import org.supportbot.config.policy.ContactRule;
import org.supportbot.config.policy.ResolutionType;
import org.supportbot.config.policy.SupportPolicy;

class PolicyLoaderTest {
  private final PolicyLoader loader = new PolicyLoader();
  private static final Path POLICIES = Path.of("policies");

  @Test
  void theFiveSeedPoliciesLoadWithTheirIds() throws Exception {
    List<SupportPolicy> all = loader.loadAll(POLICIES);
    assertThat(all).extracting(SupportPolicy::id)
        .containsExactlyInAnyOrder("atomrock", "resource-optimizer", "atheer", "alectrona", "atollon");
  }

  @Test
  void atomrockIsOpenAroundTheClockWithDayTargetsOf24Hours() throws Exception {
    SupportPolicy p = loader.load(POLICIES.resolve("atomrock.yaml"));
    assertThat(p.calendar().isAlwaysOpen()).isTrue();
    assertThat(p.calendar().businessDay()).isEqualTo(Duration.ofHours(24));
    assertThat(p.severity("S3").orElseThrow().targets().get("first_response"))
        .isEqualTo(new BusinessDuration(2, BusinessDuration.Unit.BUSINESS_DAYS, "2 business days"));
    assertThat(p.contacts().limit()).isEqualTo(new ContactRule.ContactLimit.PerActiveLicence(true));
    assertThat(p.escalation().allows("S1")).isTrue();
    assertThat(p.escalation().allows("S3")).isFalse();
    assertThat(p.droppedCase().orElseThrow().unansweredRequests()).isEqualTo(2);
  }

  @Test
  void resourceOptimizerHasTwoWindowsADayAndNoDeadlineForS4() throws Exception {
    SupportPolicy p = loader.load(POLICIES.resolve("resource-optimizer.yaml"));
    assertThat(p.calendar().weekly().get(DayOfWeek.MONDAY))
        .containsExactly(TimeWindow.parse("00:00-16:00"), TimeWindow.parse("22:00-24:00"));
    assertThat(p.calendar().weekly()).doesNotContainKey(DayOfWeek.SATURDAY);
    assertThat(p.calendar().businessDay()).isEqualTo(Duration.ofHours(18));
    assertThat(p.severity("S4").orElseThrow().targets().get("first_response").hasDeadline()).isFalse();
    assertThat(p.contacts().limit()).isInstanceOf(ContactRule.ContactLimit.Unlimited.class);
    assertThat(p.severityChange().vendorDiscretion()).isTrue();
    assertThat(p.versions().supportedReleases()).isEqualTo(2);
  }

  @Test
  void atheerUsesPacificTimeWithUsHolidaysAndOneNamedContact() throws Exception {
    SupportPolicy p = loader.load(POLICIES.resolve("atheer.yaml"));
    assertThat(p.calendar().zone()).isEqualTo(ZoneId.of("America/Los_Angeles"));
    assertThat(p.calendar().businessDay()).isEqualTo(Duration.ofHours(8));
    assertThat(p.calendar().holidays().isHoliday(LocalDate.of(2026, 11, 26))).as("Thanksgiving").isTrue();
    assertThat(p.calendar().holidays().isHoliday(LocalDate.of(2026, 12, 25))).as("Christmas").isTrue();
    assertThat(p.calendar().holidays().isHoliday(LocalDate.of(2026, 11, 23))).isFalse();
    assertThat(p.calendar().holidays().isHoliday(LocalDate.of(2026, 7, 3))).as("Independence Day observed on Friday").isTrue();
    assertThat(p.calendar().holidays().describe(LocalDate.of(2026, 11, 26))).isEqualTo("Thanksgiving Day");
    assertThat(p.calendar().windowsOn(LocalDate.of(2026, 11, 26))).isEmpty();
    assertThat(p.contacts().limit()).isEqualTo(new ContactRule.ContactLimit.Fixed(1));
    assertThat(p.contacts().trainingRequired()).isTrue();
    assertThat(p.availability().orElseThrow().targetPercent()).isEqualByComparingTo("98.5");
  }

  /**
   * The US public holidays of 2026-2028 as observed (a Saturday holiday on the Friday before, a
   * Sunday one on the Monday after), from the federal rules; Columbus Day and the day after
   * Thanksgiving are not among them (config/policies/README.md, Interpretations).
   */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      2026-01-01 | true
      2026-01-19 | true
      2026-07-03 | true
      2026-10-12 | false
      2026-11-27 | false
      2027-06-18 | true
      2027-07-05 | true
      2027-12-24 | true
      2027-12-31 | true
      2028-06-19 | true
      2028-11-10 | true
      2028-11-23 | true
      2028-12-25 | true
      2028-12-29 | false
      """)
  void atheerHolidaysAreTheObservedUsPublicHolidaysAcrossYears(LocalDate date, boolean holiday) throws Exception {
    SupportPolicy p = loader.load(POLICIES.resolve("atheer.yaml"));
    assertThat(p.calendar().holidays().isHoliday(date)).isEqualTo(holiday);
    assertThat(p.calendar().windowsOn(date).isEmpty()).isEqualTo(holiday);
  }

  @Test
  void aHolidayObservedInThePreviousYearClosesThatDay() throws Exception {
    // New Year's Day 2028 is a Saturday; the US observe it on Friday 2027-12-31.
    SupportPolicy p = loader.load(POLICIES.resolve("atheer.yaml"));
    assertThat(p.calendar().holidays().describe(LocalDate.of(2027, 12, 31))).isEqualTo("New Year's Day");
    assertThat(p.calendar().holidays().isHoliday(LocalDate.of(2028, 1, 1))).isFalse();
  }

  @Test
  void alectronaHasAFirstResponseAndAnUpdateTargetPerPriority() throws Exception {
    SupportPolicy p = loader.load(POLICIES.resolve("alectrona.yaml"));
    assertThat(p.severityIds()).containsExactly("urgent", "high", "medium", "low");
    assertThat(p.severity("low").orElseThrow().targets().get("update").amount()).isEqualTo(32);
    assertThat(p.target("update").orElseThrow().rearmsOnPublicUpdate()).isTrue();
    assertThat(p.resolution().types()).contains(ResolutionType.THIRD_PARTY, ResolutionType.KNOWN_PRODUCT_ISSUE);
    assertThat(p.calendar().businessDay()).isEqualTo(Duration.ofMinutes(510));
  }

  @Test
  void atollonBillsIn15MinuteIncrementsRoundedUp() throws Exception {
    SupportPolicy p = loader.load(POLICIES.resolve("atollon.yaml"));
    var c = p.chargeability().orElseThrow();
    assertThat(c.roundUp(Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.roundUp(Duration.ofMinutes(15))).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.roundUp(Duration.ofMinutes(16))).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.zones()).extracting(z -> z.id())
        .containsExactly("bug", "configuration_error", "advice", "configuration_request", "feature_suggestion");
    assertThat(p.categories()).allMatch(cat -> cat.chargeZone() != null);
  }

  @Test
  void everyProblemIsReportedAtOnceWithLineAndPathAndFix(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("broken.yaml");
    Files.writeString(f, """
        id: broken
        vendor: Broken Inc.
        calendar:
          time_zone: Mars/Olympus
          weekly:
            monday-friday: ["09:00-17:00", "16:00-18:00"]
            funday: ["09:00-10:00"]
        targets:
          - id: first_response
            met_by: public_response
        severities:
          - id: S1
            level: 1
            name: Critical
            targets: { first_response: 2 buisness days }
          - id: S2
            level: 1
            name: Major
            targets: { first_reponse: 1 business day }
        contacts:
          limit: lots
        report: []
        categories: []
        resolution:
          types: [workaround, magic]
        escalaton: {}
        """);
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.load(f));
    assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(8);
    assertThat(e.getMessage())
        .contains(f + ":4: calendar.time_zone: \"Mars/Olympus\" is not a time zone")
        .contains("overlap or touch")
        .contains(":7: calendar.weekly.funday: \"funday\" is not a day of the week")
        .contains(":15: severities[0].targets.first_response: \"2 buisness days\" is not a duration; write e.g. \"4 business hours\"")
        .contains(":17: severities[1].level: level 1 is used by two severities")
        .contains("severities[1].targets.first_reponse: \"first_reponse\" is not a target of this policy; did you mean \"first_response\"?")
        .contains("contacts.limit: \"lots\" is not a contact limit")
        .contains("resolution.types[1]: \"magic\" is not allowed here")
        .contains(":26: escalaton: unknown key; did you mean \"escalation\"?");
  }

  @Test
  void invalidYamlNamesTheLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "id: x\nvendor: [unclosed\n");
    assertThatThrownBy(() -> loader.load(f)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(f.toString()).hasMessageContaining("is not valid YAML");
  }

  @Test
  void anUnknownHolidayCountryIsRejectedWithAHint(@TempDir Path dir) throws Exception {
    String text = Files.readString(POLICIES.resolve("atheer.yaml")).replace("country: US", "country: XX");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("atheer.yaml", text));
    assertThat(e.getMessage()).contains("calendar.holidays.country: \"XX\" is not a country the holiday library knows");
  }

  /**
   * A broken calendar (or severity list) in an otherwise valid file gives exactly one problem, at
   * the offending key, saying what is wrong and how to fix it; never a crash or a repeated message.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      overlapping windows  | monday-friday: ["09:00-17:00"]          | monday-friday: ["09:00-13:00", "12:00-17:00"] | calendar.weekly.monday-friday                  | windows 09:00-13:00 and 12:00-17:00 overlap or touch; merge them into one
      touching windows     | monday-friday: ["09:00-17:00"]          | monday-friday: ["09:00-12:00", "12:00-17:00"] | calendar.weekly.monday-friday                  | windows 09:00-12:00 and 12:00-17:00 overlap or touch; merge them into one
      a day given twice    | monday-friday: ["09:00-17:00"]          | monday-friday: ["09:00-17:00"]\\n    friday: ["10:00-12:00"] | calendar.weekly.friday | friday is given twice; list all of a day's windows in one place
      hour 25              | monday-friday: ["09:00-17:00"]          | monday-friday: ["09:00-25:00"]                | calendar.weekly.monday-friday[0]               | "25:00" is not a time of day; write HH:MM
      am/pm                | monday-friday: ["09:00-17:00"]          | monday-friday: ["9am-5pm"]                    | calendar.weekly.monday-friday[0]               | "9am" is not a time of day; write HH:MM
      across midnight      | monday-friday: ["09:00-17:00"]          | monday-friday: ["22:00-02:00"]                | calendar.weekly.monday-friday[0]               | a window that crosses midnight is two windows on two days
      no windows           | monday-friday: ["09:00-17:00"]          | monday-friday: []                             | calendar.weekly                                | has no support hours; give at least one window
      empty weekly         | weekly:\\n    monday-friday: ["09:00-17:00"] | weekly: {}                            | calendar.weekly                                | has no support hours; give at least one window
      unknown zone         | time_zone: America/Los_Angeles          | time_zone: America/Los_Angles                 | calendar.time_zone                             | "America/Los_Angles" is not a time zone; did you mean "America/Los_Angeles"?
      zone abbreviation    | time_zone: America/Los_Angeles          | time_zone: PST                                | calendar.time_zone                             | "PST" is not a time zone; did you mean "America/Los_Angeles" (with daylight saving)?
      zero business day    | business_day: 8 hours                   | business_day: 0 hours                         | calendar.business_day                          | a business day must be longer than zero
      unknown region       | country: US                             | country: US\\n    region: zz                  | calendar.holidays.region                       | "zz" is not a region of US; known regions: ak, al,
      bad holiday date     | country: US                             | country: US\\n    dates: [2026-12-32]         | calendar.holidays.dates[0]                     | write dates as YYYY-MM-DD
      bad override date    | business_day: 8 hours                   | business_day: 8 hours\\n  overrides:\\n    2026-02-30: [] | calendar.overrides.2026-02-30  | "2026-02-30" is not a date; write YYYY-MM-DD
      overlapping override | business_day: 8 hours                   | business_day: 8 hours\\n  overrides:\\n    2026-12-31: ["09:00-12:00", "11:00-13:00"] | calendar.overrides.2026-12-31 | windows 09:00-12:00 and 11:00-13:00 overlap or touch
      a missing target     | targets: { first_response: 2 business days } | targets: { }                            | severities[1].targets                          | has no "first_response"; give a duration, or "best effort" if there is no deadline
      no maintenance limit | max_scheduled_maintenance_per_month: 8 hours | max_scheduled_maintenance_per_month: 0 hours | availability.max_scheduled_maintenance_per_month | "0 hours" must be more than zero and at most 28 days (the shortest month)
      a month's limit too long | max_scheduled_maintenance_per_month: 8 hours | max_scheduled_maintenance_per_month: 40 days | availability.max_scheduled_maintenance_per_month | "40 days" must be more than zero and at most 28 days
      business-hour notice | maintenance_notice: 24 hours | maintenance_notice: 3 business days | availability.maintenance_notice | "3 business days" must be a plain length such as "15 minutes" or "24 hours"
      a notice of two years | maintenance_notice: 24 hours | maintenance_notice: 730 days | availability.maintenance_notice | a notice of "730 days" is more than a year
      misspelt target unit | targets: { first_response: 2 business days } | targets: { first_response: 2 buisness days } | severities[1].targets.first_response      | "2 buisness days" is not a duration; write e.g. "4 business hours"
      """)
  void aBrokenCalendarOrSeverityGivesOneProblemAtItsKey(String what, String replaced, String by, String path, String message)
      throws Exception {
    String original = Files.readString(POLICIES.resolve("atheer.yaml"));
    String text = original.replace(replaced.replace("\\n", "\n"), by.replace("\\n", "\n"));
    assertThat(text).as("the replacement applies").isNotEqualTo(original);
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("atheer.yaml", text));
    assertThat(e).as(what).isNotNull();
    assertThat(e.problems()).as(what).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo(path);
      assertThat(p.message()).contains(message);
      assertThat(p.line()).isPositive();
    });
  }

  @Test
  void resourceOptimizerClosesEnhancementRequestsOnceRecordedInTheProductRequestTool() throws Exception {
    SupportPolicy p = loader.load(POLICIES.resolve("resource-optimizer.yaml"));
    assertThat(p.resolution().recordedIn(ResolutionType.ENHANCEMENT_REQUEST)).contains("the Product Request tool");
    assertThat(p.resolution().recordedIn(ResolutionType.WORKAROUND)).isEmpty();
  }

  @Test
  void resourceOptimizerAsksForDeIdentifiedLogsAndOtherPoliciesDoNot() throws Exception {
    SupportPolicy p = loader.load(POLICIES.resolve("resource-optimizer.yaml"));
    assertThat(p.privacy().deIdentify()).containsExactlyInAnyOrder(Privacy.DeIdentify.IP_ADDRESSES,
        Privacy.DeIdentify.HOST_NAMES, Privacy.DeIdentify.USER_NAMES);
    assertThat(loader.load(POLICIES.resolve("atheer.yaml")).privacy()).isEqualTo(Privacy.NONE);
  }

  @Test
  void anUnknownKindToDeIdentifyIsAProblemNamingTheKnownOnes() throws Exception {
    String text = Files.readString(POLICIES.resolve("atheer.yaml")) + "\nprivacy:\n  de_identify: [ip_address, user_names]\n";
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("atheer.yaml", text));
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo("privacy.de_identify[0]");
      assertThat(p.message()).isEqualTo("\"ip_address\" is not something the desk can de-identify; use ip_addresses,"
          + " host_names, user_names (did you mean ip_addresses?)");
    });
  }

  @Test
  void aTypeClosedOnceRecordedMustBeOneOfThePolicysTypes() throws Exception {
    String original = Files.readString(POLICIES.resolve("atheer.yaml"));
    String text = original.replace("  close_after: 5 business days\n", "  close_after: 5 business days\n"
        + "  closed_once_recorded:\n    enhancement_request: the Product Request tool\n");
    assertThat(text).isNotEqualTo(original);
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("atheer.yaml", text));
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo("resolution.closed_once_recorded.enhancement_request");
      assertThat(p.message()).isEqualTo("\"enhancement_request\" is not one of this policy's resolution types"
          + " [explanation, recommendation, usage_instructions, workaround, fix_in_release, third_party, out_of_scope];"
          + " add it to types or remove it here");
    });
  }

  @Test
  void aPolicyWithoutSeveritiesIsAProblemNotACrash() throws Exception {
    String original = Files.readString(POLICIES.resolve("atheer.yaml"));
    String text = original.substring(0, original.indexOf("severities:")) + "severities: []\n"
        + original.substring(original.indexOf("\ncontacts:") + 1);
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("atheer.yaml", text));
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo("severities");
      assertThat(p.message()).startsWith("needs at least one severity");
    });
  }

  @Test
  void missingFileGivesOneClearProblem() {
    assertThatThrownBy(() -> loader.load(Path.of("no/such/policy.yaml")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("no/such/policy.yaml: cannot be read");
  }
}
