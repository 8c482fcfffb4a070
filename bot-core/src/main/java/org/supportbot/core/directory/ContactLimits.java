package org.supportbot.core.directory;

import java.util.OptionalInt;
import org.supportbot.config.policy.ContactRule;
import org.supportbot.config.policy.ContactRule.ContactLimit;

/** Applies a policy's contact rule to one organization: how many named contacts it may have. */
public final class ContactLimits {
  private final ContactRule rule;

  public ContactLimits(ContactRule rule) {
    this.rule = rule;
  }

  /** The number of contacts allowed; empty when unlimited. */
  public OptionalInt allowed(Organization org) {
    if (rule.agreementMayOverride() && org.agreedContacts() > 0) {
      return OptionalInt.of(org.agreedContacts() + extra(org));
    }
    return switch (rule.limit()) {
      case ContactLimit.Unlimited u -> OptionalInt.empty();
      case ContactLimit.Fixed f -> OptionalInt.of(f.count() + extra(org));
      case ContactLimit.PerActiveLicence p ->
          OptionalInt.of(org.commercialLicences() + (p.excludeEvaluation() ? 0 : org.evaluationLicences()) + extra(org));
    };
  }

  /** The limit in words, e.g. "1 named contact plus 2 purchased". */
  public String describe(Organization org) {
    OptionalInt n = allowed(org);
    if (n.isEmpty()) {
      return "any number of authorised contacts";
    }
    String base = switch (rule.limit()) {
      case ContactLimit.Unlimited u -> "any number";
      case ContactLimit.Fixed f -> f.count() + " named contact" + (f.count() == 1 ? "" : "s");
      case ContactLimit.PerActiveLicence p -> "one contact per active commercial licence ("
          + org.commercialLicences() + (p.excludeEvaluation() ? ", evaluation licences do not count" : "") + ")";
    };
    if (rule.agreementMayOverride() && org.agreedContacts() > 0) {
      base = org.agreedContacts() + " contacts set by the agreement";
    }
    return extra(org) > 0 ? base + " plus " + extra(org) + " purchased" : base;
  }

  private int extra(Organization org) {
    return rule.extraContactsForFee() ? org.purchasedContacts() : 0;
  }
}
