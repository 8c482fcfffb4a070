package org.supportbot.config.policy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which requests are charged, and how time is billed (Atollon).
 *
 * @param billingIncrement time entries are rounded up to a multiple of this
 * @param countsCommunication whether time spent communicating with the client is billable time
 * @param contractTypes the contract types an organization can hold
 * @param zones the request zones and when each is free
 */
public record Chargeability(
    Duration billingIncrement, boolean countsCommunication, Set<String> contractTypes, List<Zone> zones) {
  public Chargeability {
    Objects.requireNonNull(billingIncrement, "billingIncrement");
    if (billingIncrement.isZero() || billingIncrement.isNegative()) {
      throw new IllegalArgumentException("billing increment must be positive, got " + billingIncrement);
    }
    contractTypes = Set.copyOf(contractTypes);
    zones = List.copyOf(zones);
  }

  /** Rounds a worked duration up to the billing increment ({@code 16m -> 30m} for 15-minute increments). */
  public Duration roundUp(Duration worked) {
    if (worked.isNegative()) {
      throw new IllegalArgumentException("worked time cannot be negative: " + worked);
    }
    long inc = billingIncrement.toSeconds();
    long s = worked.toSeconds() + (worked.toNanosPart() > 0 ? 1 : 0);
    long units = (s + inc - 1) / inc;
    return billingIncrement.multipliedBy(units);
  }

  /**
   * A request zone.
   *
   * @param chargeableByDefault whether work in this zone is charged unless a {@link FreeWhen} applies
   * @param responsible who the policy makes responsible, quoted in explanations
   */
  public record Zone(String id, String name, String description, String responsible, boolean chargeableByDefault,
      List<FreeWhen> freeWhen) {
    public Zone {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      description = description == null ? "" : description;
      responsible = responsible == null ? "" : responsible;
      freeWhen = List.copyOf(freeWhen);
    }
  }

  /** A condition under which work in a zone is free. */
  public sealed interface FreeWhen {
    /** The organization holds this contract type. */
    record Contract(String contractType) implements FreeWhen {}

    /** Within this many days after the organization took over a configuration. */
    record WithinDaysOfHandover(int days) implements FreeWhen {}

    /** While the organization's contract of this type has free tasks left. */
    record FreeTaskQuota(String contractType) implements FreeWhen {}
  }
}
