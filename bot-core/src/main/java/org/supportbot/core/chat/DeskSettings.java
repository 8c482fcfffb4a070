package org.supportbot.core.chat;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;

/**
 * Where the desk routes things: the vendor's triage channel, its managers, and per organization
 * the escalation channel, the on-call role and the account manager.
 *
 * @param triage the internal channel where new cases appear and unassigned cases' pre-breach pings go
 * @param managers who receives breach pings and the daily digest
 * @param organizations routing per organization id
 * @param intakeExpiry how long an unfinished intake waits for an answer
 * @param digestAt when the daily digest goes out, in {@code digestZone}
 */
public record DeskSettings(ChatPlace triage, List<Identity> managers, Map<String, OrgRouting> organizations,
    Duration intakeExpiry, LocalTime digestAt, ZoneId digestZone) {

  public DeskSettings {
    Objects.requireNonNull(triage, "triage");
    managers = List.copyOf(managers);
    organizations = Map.copyOf(organizations);
    Objects.requireNonNull(intakeExpiry, "intakeExpiry");
    if (intakeExpiry.isNegative() || intakeExpiry.isZero()) {
      throw new IllegalArgumentException("intake expiry must be positive, got " + intakeExpiry);
    }
    Objects.requireNonNull(digestAt, "digestAt");
    Objects.requireNonNull(digestZone, "digestZone");
  }

  /**
   * How one organization's escalations are routed.
   *
   * @param escalation the channel escalation pings go to
   * @param onCallRole the platform's role or group id mentioned in escalation pings
   * @param onCallLabel the role's name, for readers
   * @param accountManager who escalations go to where the policy routes them to the account manager
   */
  public record OrgRouting(ChatPlace escalation, String onCallRole, String onCallLabel, Optional<Identity> accountManager) {
    public OrgRouting {
      Objects.requireNonNull(escalation, "escalation");
      Objects.requireNonNull(onCallRole, "onCallRole");
      onCallLabel = onCallLabel == null || onCallLabel.isBlank() ? onCallRole : onCallLabel;
      Objects.requireNonNull(accountManager, "accountManager");
    }
  }

  /** The routing of an organization; organizations without their own use the triage channel. */
  public OrgRouting routing(String organizationId) {
    OrgRouting r = organizations.get(organizationId);
    return r != null ? r : new OrgRouting(triage, "on-call", "on-call", Optional.empty());
  }
}
