package org.supportbot.config.policy;

import java.util.List;
import java.util.Set;

/**
 * Which cases a customer may escalate, and to whom.
 *
 * @param allowedSeverities severity ids that may be escalated; empty means every level
 * @param routes where an escalation goes, first the primary route
 * @param ruleText the policy's wording, quoted when an escalation is refused
 */
public record EscalationRule(Set<String> allowedSeverities, List<Route> routes, String ruleText) {
  public EscalationRule {
    allowedSeverities = Set.copyOf(allowedSeverities);
    routes = List.copyOf(routes);
    ruleText = ruleText == null ? "" : ruleText;
  }

  public boolean allows(String severityId) {
    return allowedSeverities.isEmpty() || allowedSeverities.contains(severityId);
  }

  /** Where an escalation goes. */
  public enum Target {
    ACCOUNT_MANAGER,
    ESCALATION_CHANNEL,
    ON_CALL,
    SUPPORT_MANAGER
  }

  /** One escalation route with the policy's description of it. */
  public record Route(Target to, String description) {
    public Route {
      java.util.Objects.requireNonNull(to, "to");
      description = description == null ? "" : description;
    }
  }
}
