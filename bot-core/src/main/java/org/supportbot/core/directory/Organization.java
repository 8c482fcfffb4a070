package org.supportbot.core.directory;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A licensee, customer or client bound to one support policy.
 *
 * @param id stable id, e.g. "acme"
 * @param key the prefix of its incident numbers, e.g. "ACME" for ACME-42
 * @param policyId the support policy it is bound to
 * @param commercialLicences active commercial (fee-based) licences
 * @param evaluationLicences active evaluation licences
 * @param agreedContacts the number of contacts its agreement sets, or 0 when the agreement sets none
 * @param purchasedContacts contacts bought in addition to the policy's number (Atheer)
 * @param contractTypes the contract types it holds (Atollon: subscription, saas, service_contract)
 * @param configurationHandover when it took over its configuration (Atollon), if it has
 * @param freeTasks free tasks its service contract includes (Atollon)
 * @param pastDue whether the vendor marked its account past due on payment; what that means is the
 *     policy's {@code requires_current_payment}
 */
public record Organization(
    String id,
    String key,
    String name,
    String policyId,
    int commercialLicences,
    int evaluationLicences,
    int agreedContacts,
    int purchasedContacts,
    Set<String> contractTypes,
    Optional<LocalDate> configurationHandover,
    int freeTasks,
    boolean pastDue) {
  private static final Pattern KEY = Pattern.compile("[A-Z][A-Z0-9]{1,9}");

  public Organization {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(key, "key");
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("organization key \"" + key + "\" must be 2-10 upper-case letters or digits, starting"
          + " with a letter, e.g. \"" + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "") + "\"");
    }
    name = name == null ? id : name;
    Objects.requireNonNull(policyId, "policyId");
    if (commercialLicences < 0 || evaluationLicences < 0 || agreedContacts < 0 || purchasedContacts < 0 || freeTasks < 0) {
      throw new IllegalArgumentException("organization " + id + ": licence, contact and task counts cannot be negative");
    }
    contractTypes = Set.copyOf(contractTypes);
    Objects.requireNonNull(configurationHandover, "configurationHandover");
  }

  /** An organization with no licences, contracts or agreement figures: enough for most policies. */
  public static Organization of(String id, String key, String name, String policyId) {
    return new Organization(id, key, name, policyId, 0, 0, 0, 0, Set.of(), Optional.empty(), 0, false);
  }

  public Organization withLicences(int commercial, int evaluation) {
    return new Organization(id, key, name, policyId, commercial, evaluation, agreedContacts, purchasedContacts,
        contractTypes, configurationHandover, freeTasks, pastDue);
  }

  public Organization withPurchasedContacts(int purchased) {
    return new Organization(id, key, name, policyId, commercialLicences, evaluationLicences, agreedContacts, purchased,
        contractTypes, configurationHandover, freeTasks, pastDue);
  }

  public Organization withContracts(Set<String> types, Optional<LocalDate> handover, int tasks) {
    return new Organization(id, key, name, policyId, commercialLicences, evaluationLicences, agreedContacts,
        purchasedContacts, types, handover, tasks, pastDue);
  }

  /** The same organization, marked past due on payment (or current again). */
  public Organization withPastDue(boolean marked) {
    return new Organization(id, key, name, policyId, commercialLicences, evaluationLicences, agreedContacts,
        purchasedContacts, contractTypes, configurationHandover, freeTasks, marked);
  }
}
