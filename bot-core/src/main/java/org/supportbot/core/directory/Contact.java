package org.supportbot.core.directory;

import java.util.Objects;

/** A named contact of an organization: someone who may file and follow cases for it. */
public record Contact(String organizationId, Identity identity, String name) {
  public Contact {
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(identity, "identity");
    name = name == null || name.isBlank() ? identity.userId() : name;
  }
}
