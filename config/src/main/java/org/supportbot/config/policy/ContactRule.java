package org.supportbot.config.policy;

import java.util.List;
import java.util.Objects;

/**
 * Who may file cases for an organization.
 *
 * @param limit how many named contacts an organization may have
 * @param agreementMayOverride whether the organization's agreement may set its own number
 * @param extraContactsForFee whether more contacts can be bought
 * @param trainingRequired whether a contact must complete the vendor's support training first
 * @param qualifications what the policy expects of a contact, quoted to people who ask
 * @param howToBeAdded what someone who is not a contact is told
 */
public record ContactRule(
    ContactLimit limit,
    boolean agreementMayOverride,
    boolean extraContactsForFee,
    boolean trainingRequired,
    List<String> qualifications,
    String howToBeAdded) {
  public ContactRule {
    Objects.requireNonNull(limit, "limit");
    qualifications = List.copyOf(qualifications);
    howToBeAdded = howToBeAdded == null ? "" : howToBeAdded;
  }

  /** The number of named contacts an organization may have. */
  public sealed interface ContactLimit {
    /** Any number of authorised contacts (Resource Optimizer). */
    record Unlimited() implements ContactLimit {}

    /** A fixed number (Atheer: one). */
    record Fixed(int count) implements ContactLimit {
      public Fixed {
        if (count < 1) {
          throw new IllegalArgumentException("a contact limit must be at least 1, got " + count);
        }
      }
    }

    /** As many as the organization's active commercial licences, evaluation licences optionally excluded (Atomrock). */
    record PerActiveLicence(boolean excludeEvaluation) implements ContactLimit {}
  }
}
