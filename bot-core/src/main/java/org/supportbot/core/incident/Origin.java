package org.supportbot.core.incident;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a command or event comes from: its idempotency key (the platform's event or interaction
 * id), who, when, and the chat message it came from, if any.
 */
public record Origin(String key, Actor actor, Instant at, Optional<MessageRef> message) {
  public Origin {
    Objects.requireNonNull(key, "key");
    if (key.isBlank()) {
      throw new IllegalArgumentException("an idempotency key cannot be blank; pass the platform's event or interaction id");
    }
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(message, "message");
  }

  public static Origin of(String key, Actor actor, Instant at) {
    return new Origin(key, actor, at, Optional.empty());
  }

  public Origin from(MessageRef ref) {
    return new Origin(key, actor, at, Optional.of(ref));
  }

  /** The same origin at a later instant (an event may not precede the case's last change). */
  Origin notBefore(Instant earliest) {
    return earliest != null && at.isBefore(earliest) ? new Origin(key, actor, earliest, message) : this;
  }
}
