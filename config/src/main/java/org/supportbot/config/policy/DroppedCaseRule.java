package org.supportbot.config.policy;

import java.util.List;
import java.util.Objects;

/**
 * When the vendor may close a case because the customer stopped answering.
 *
 * @param unansweredRequests how many requests for information must go unanswered (Atomrock 2, Resource Optimizer 1)
 * @param waitForReply how long a request waits for a reply before it counts as unanswered
 * @param remindersBefore reminders sent this long before a request counts as unanswered
 * @param ruleText the policy's wording, quoted to the customer
 */
public record DroppedCaseRule(
    int unansweredRequests, BusinessDuration waitForReply, List<BusinessDuration> remindersBefore, String ruleText) {
  public DroppedCaseRule {
    if (unansweredRequests < 1) {
      throw new IllegalArgumentException("unanswered requests must be at least 1, got " + unansweredRequests);
    }
    Objects.requireNonNull(waitForReply, "waitForReply");
    if (!waitForReply.hasDeadline()) {
      throw new IllegalArgumentException("the wait for a reply needs a length, e.g. \"3 days\"");
    }
    remindersBefore = List.copyOf(remindersBefore);
    ruleText = ruleText == null ? "" : ruleText;
  }
}
