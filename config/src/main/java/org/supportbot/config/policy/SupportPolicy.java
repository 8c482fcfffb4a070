package org.supportbot.config.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.config.calendar.BusinessCalendar;

/**
 * A vendor's support policy in machine form: everything the bot enforces for the organizations
 * bound to it. Loaded and validated by {@link org.supportbot.config.load.PolicyLoader}.
 *
 * @param id short id used in configuration and commands, e.g. "atheer"
 * @param vendor the vendor's name
 * @param source where the rules come from (the policy document)
 * @param requiresCurrentPayment whether support depends on the customer being current on payment
 * @param exclusions what the policy excludes from support, quoted when a case is out of scope
 * @param changeNotice how far ahead the vendor must announce changes to this policy, if stated
 */
public record SupportPolicy(
    String id,
    String vendor,
    String source,
    List<Severity> severities,
    List<TargetKind> targets,
    BusinessCalendar calendar,
    ContactRule contacts,
    List<ReportField> report,
    List<RequestCategory> categories,
    SeverityChangeRule severityChange,
    EscalationRule escalation,
    Optional<DroppedCaseRule> droppedCase,
    ReopenRule reopen,
    ResolutionRule resolution,
    VersionSupport versions,
    Optional<Availability> availability,
    Optional<Chargeability> chargeability,
    boolean requiresCurrentPayment,
    List<String> exclusions,
    Optional<BusinessDuration> changeNotice,
    Privacy privacy) {

  public SupportPolicy {
    Objects.requireNonNull(id, "id");
    severities = List.copyOf(severities);
    targets = List.copyOf(targets);
    Objects.requireNonNull(calendar, "calendar");
    Objects.requireNonNull(contacts, "contacts");
    report = List.copyOf(report);
    categories = List.copyOf(categories);
    Objects.requireNonNull(severityChange, "severityChange");
    Objects.requireNonNull(escalation, "escalation");
    Objects.requireNonNull(droppedCase, "droppedCase");
    Objects.requireNonNull(reopen, "reopen");
    Objects.requireNonNull(resolution, "resolution");
    Objects.requireNonNull(versions, "versions");
    Objects.requireNonNull(availability, "availability");
    Objects.requireNonNull(chargeability, "chargeability");
    exclusions = List.copyOf(exclusions);
    Objects.requireNonNull(changeNotice, "changeNotice");
    Objects.requireNonNull(privacy, "privacy");
    if (severities.isEmpty()) {
      throw new IllegalArgumentException("policy " + id + " has no severity levels");
    }
  }

  /** The severity with this id, ignoring case. */
  public Optional<Severity> severity(String severityId) {
    return severities.stream().filter(s -> s.id().equalsIgnoreCase(severityId)).findFirst();
  }

  /** The target kind with this id. */
  public Optional<TargetKind> target(String targetId) {
    return targets.stream().filter(t -> t.id().equals(targetId)).findFirst();
  }

  public List<String> severityIds() {
    return severities.stream().map(Severity::id).toList();
  }
}
