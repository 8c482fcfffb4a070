package org.supportbot.core.incident;

import java.util.Objects;
import org.supportbot.core.directory.Identity;

/** Who issues a command, and on which side they stand. */
public record Actor(Identity identity, Role role) {
  /** The side a person acts for. */
  public enum Role {
    CUSTOMER,
    ENGINEER,
    MANAGER,
    /** The bot itself: timers, automatic closing. */
    SYSTEM;

    public boolean vendor() {
      return this != CUSTOMER;
    }
  }

  public static final Actor SYSTEM = new Actor(Identity.SYSTEM, Role.SYSTEM);

  public Actor {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(role, "role");
  }

  public static Actor customer(Identity identity) {
    return new Actor(identity, Role.CUSTOMER);
  }

  public static Actor engineer(Identity identity) {
    return new Actor(identity, Role.ENGINEER);
  }
}
