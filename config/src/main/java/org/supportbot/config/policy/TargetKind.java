package org.supportbot.config.policy;

import java.util.Objects;

/**
 * A kind of response target a policy sets, e.g. the first response to a new case or the update
 * interval of a case in progress.
 *
 * @param id e.g. "first_response", "update"
 * @param name the policy's wording, e.g. "Initial Response Time"
 * @param startsAt when the clock starts
 * @param metBy what stops the clock
 * @param rearmsOnPublicUpdate whether each public update starts the clock again (Alectrona's in-progress target)
 * @param pausesWhileWaitingOnCustomer whether the clock stops while the vendor waits for the customer
 */
public record TargetKind(
    String id,
    String name,
    Start startsAt,
    MetBy metBy,
    boolean rearmsOnPublicUpdate,
    boolean pausesWhileWaitingOnCustomer) {

  /** When a target's clock starts. */
  public enum Start {
    /** When the case is submitted. */
    SUBMISSION,
    /** When the first response has been given (the case is in progress). */
    FIRST_RESPONSE
  }

  /** What meets a target. */
  public enum MetBy {
    /** The first public acknowledgement or reply from the vendor. */
    PUBLIC_RESPONSE,
    /** Only an explicit acknowledgement (Atheer: "the first acknowledgement issued by Atheer"). */
    ACKNOWLEDGEMENT,
    /** A public update on the case. */
    PUBLIC_UPDATE,
    /** Resolving the case. */
    RESOLUTION
  }

  public TargetKind {
    Objects.requireNonNull(id, "id");
    name = name == null ? id : name;
    Objects.requireNonNull(startsAt, "startsAt");
    Objects.requireNonNull(metBy, "metBy");
  }
}
