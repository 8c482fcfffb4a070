package org.supportbot.app.web;

import java.util.Objects;
import java.util.Optional;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.IncidentSnapshot;

/**
 * Who is signed in and what they may see: a manager every organization, an engineer every case
 * (their own first), a named contact only their organization's cases.
 *
 * @param organizationId the contact's organization; empty for the vendor's people
 */
public record Viewer(Identity identity, String name, Role role, Optional<String> organizationId,
    Optional<String> organizationName) {

  /** The three kinds of people the board knows. */
  public enum Role {
    MANAGER,
    ENGINEER,
    CONTACT;

    public String label() {
      return switch (this) {
        case MANAGER -> "manager";
        case ENGINEER -> "engineer";
        case CONTACT -> "customer contact";
      };
    }
  }

  public Viewer {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(organizationName, "organizationName");
    if ((role == Role.CONTACT) != organizationId.isPresent()) {
      throw new IllegalArgumentException("a contact has exactly one organization; the vendor's people have none");
    }
  }

  public static Viewer vendor(Identity identity, String name, boolean manager) {
    return new Viewer(identity, name, manager ? Role.MANAGER : Role.ENGINEER, Optional.empty(), Optional.empty());
  }

  public static Viewer contact(Identity identity, String name, String organizationId, String organizationName) {
    return new Viewer(identity, name, Role.CONTACT, Optional.of(organizationId), Optional.of(organizationName));
  }

  public boolean vendor() {
    return role != Role.CONTACT;
  }

  /** Whether this person may see the organization's cases. */
  public boolean sees(String caseOrganizationId) {
    return vendor() || organizationId.get().equals(caseOrganizationId);
  }

  public boolean sees(IncidentSnapshot s) {
    return sees(s.organizationId());
  }

  /** Whether the case is this engineer's own. */
  public boolean owns(IncidentSnapshot s) {
    return vendor() && s.claimedBy().map(identity::equals).orElse(false);
  }
}
