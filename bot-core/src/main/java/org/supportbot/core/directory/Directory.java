package org.supportbot.core.directory;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.supportbot.config.policy.SupportPolicy;

/** Who is who, with the policies' contact rules enforced. */
public final class Directory {
  private final DirectoryStore store;
  private final Function<String, Optional<SupportPolicy>> policies;

  public Directory(DirectoryStore store, Function<String, Optional<SupportPolicy>> policies) {
    this.store = Objects.requireNonNull(store, "store");
    this.policies = Objects.requireNonNull(policies, "policies");
  }

  public DirectoryStore store() {
    return store;
  }

  /** Registers or updates an organization; its policy must be known. */
  public void register(Organization org) {
    policy(org);
    store.saveOrganization(org);
  }

  /** Adds a named contact within the organization's contact limit. */
  public ContactAdmission addContact(Contact contact) {
    Optional<Organization> found = store.organization(contact.organizationId());
    if (found.isEmpty()) {
      return new ContactAdmission.Refused("there is no organization \"" + contact.organizationId()
          + "\"; register it first");
    }
    Organization org = found.get();
    SupportPolicy policy = policy(org);
    ContactLimits limits = new ContactLimits(policy.contacts());
    OptionalInt allowed = limits.allowed(org);
    if (store.contact(org.id(), contact.identity()).isPresent()) {
      return new ContactAdmission.Admitted(contact, store.contacts(org.id()).size(), limits.describe(org));
    }
    OptionalInt after = store.addContact(contact, allowed);
    if (after.isEmpty()) {
      String more = policy.contacts().extraContactsForFee()
          ? "; more contacts are available for an additional fee"
          : policy.contacts().agreementMayOverride() ? "; the agreement may set a different number" : "";
      return new ContactAdmission.Refused(org.name() + " already has " + allowed.getAsInt() + " contact"
          + (allowed.getAsInt() == 1 ? "" : "s") + ", the limit under the " + policy.id() + " policy ("
          + limits.describe(org) + ")" + more + ". Remove a contact or raise the limit first.");
    }
    return new ContactAdmission.Admitted(contact, after.getAsInt(), limits.describe(org));
  }

  public boolean isContact(String organizationId, Identity identity) {
    return store.contact(organizationId, identity).isPresent();
  }

  private SupportPolicy policy(Organization org) {
    return policies.apply(org.policyId()).orElseThrow(() -> new IllegalArgumentException(
        "organization " + org.id() + " is bound to policy \"" + org.policyId() + "\", which is not loaded"));
  }
}
