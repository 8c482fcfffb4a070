package org.supportbot.core.billing;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.config.policy.Chargeability;
import org.supportbot.config.policy.Chargeability.FreeWhen;
import org.supportbot.config.policy.RequestCategory;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.directory.Organization;

/** Classifies time entries under one policy's chargeability rules. */
public final class TimeBilling {
  private final SupportPolicy policy;
  private final Chargeability rules;

  /** @throws IllegalArgumentException when the policy does not bill time */
  public TimeBilling(SupportPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.rules = policy.chargeability().orElseThrow(() -> new IllegalArgumentException(
        "policy " + policy.id() + " does not bill time; only policies with a chargeability section do"));
  }

  /** Whether a policy bills time at all. */
  public static boolean applies(SupportPolicy policy) {
    return policy.chargeability().isPresent();
  }

  /**
   * Bills {@code worked} on a case of {@code categoryId} for {@code org} on {@code day}.
   *
   * @param communication whether the time was spent communicating with the client
   * @param freeTasksLeft free tasks left on the organization's service contract; a case that already
   *     used a free task counts as having one left (one task, however many entries)
   */
  public Charge bill(Duration worked, boolean communication, String categoryId, Organization org, LocalDate day,
      int freeTasksLeft) {
    if (worked.isNegative() || worked.isZero()) {
      throw new IllegalArgumentException("worked time must be positive, got " + worked);
    }
    Duration billed = rules.roundUp(worked);
    if (communication && !rules.countsCommunication()) {
      return new Charge(Duration.ZERO, zoneOf(categoryId), false, "communication time is not billable under " + policy.id());
    }
    String zoneId = zoneOf(categoryId);
    Optional<Chargeability.Zone> zone = rules.zones().stream().filter(z -> z.id().equals(zoneId)).findFirst();
    if (zone.isEmpty()) {
      return new Charge(billed, zoneId, true, "category " + categoryId + " has no charge zone; charged by the service tariff");
    }
    Chargeability.Zone z = zone.get();
    if (!z.chargeableByDefault()) {
      return new Charge(billed, z.id(), false, z.name() + " is free of charge");
    }
    for (FreeWhen w : z.freeWhen()) {
      if (w instanceof FreeWhen.FreeTaskQuota q && org.contractTypes().contains(q.contractType()) && freeTasksLeft > 0) {
        return new Charge(billed, z.id(), false, "free: one of the " + org.freeTasks() + " free tasks of the "
            + q.contractType() + " contract", true);
      }
      String why = switch (w) {
        case FreeWhen.Contract c -> org.contractTypes().contains(c.contractType())
            ? "free: " + org.name() + " holds a " + c.contractType() + " contract" : null;
        case FreeWhen.WithinDaysOfHandover h -> org.configurationHandover()
            .filter(d -> !day.isAfter(d.plusDays(h.days())))
            .map(d -> "free: within " + h.days() + " days of the configuration handover on " + d)
            .orElse(null);
        case FreeWhen.FreeTaskQuota q -> org.contractTypes().contains(q.contractType()) && freeTasksLeft > 0
            ? "free: one of the " + org.freeTasks() + " free tasks of the " + q.contractType() + " contract" : null;
      };
      if (why != null) {
        return new Charge(billed, z.id(), false, why);
      }
    }
    return new Charge(billed, z.id(), true, "charged: " + z.name() + " is chargeable for " + org.name()
        + (z.responsible().isEmpty() ? "" : " (responsible: " + z.responsible() + ")"));
  }

  private String zoneOf(String categoryId) {
    return policy.categories().stream().filter(c -> c.id().equals(categoryId)).findFirst()
        .map(RequestCategory::chargeZone).filter(Objects::nonNull).orElse(categoryId);
  }
}
