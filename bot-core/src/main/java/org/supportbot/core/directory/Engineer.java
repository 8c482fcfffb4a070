package org.supportbot.core.directory;

import java.util.Objects;

/** A person of the vendor who works cases. */
public record Engineer(Identity identity, String name, Role role) {
  /** What the person may do. */
  public enum Role {
    ENGINEER,
    MANAGER
  }

  public Engineer {
    Objects.requireNonNull(identity, "identity");
    name = name == null || name.isBlank() ? identity.userId() : name;
    Objects.requireNonNull(role, "role");
  }
}
