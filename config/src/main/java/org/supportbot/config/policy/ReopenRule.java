package org.supportbot.config.policy;

import java.util.Objects;

/**
 * Whether and how a resolved, closed or dropped case can be reopened.
 *
 * @param allowed whether reopening is possible at all
 * @param window how long after resolution a reopen is accepted; "none" means no limit
 * @param customerMayRequest whether the customer may ask for it
 * @param vendorDiscretion whether an engineer decides (the customer's request then waits for an engineer)
 * @param condition the policy's condition, quoted (e.g. "if the Incident is deemed to be solvable")
 */
public record ReopenRule(
    boolean allowed, BusinessDuration window, boolean customerMayRequest, boolean vendorDiscretion, String condition) {
  public ReopenRule {
    Objects.requireNonNull(window, "window");
    condition = condition == null ? "" : condition;
  }
}
