package org.supportbot.config.policy;

import java.util.Objects;

/**
 * A category a customer files a request under ("Question Type").
 *
 * @param chargeZone the chargeability zone it falls in, when the policy has zones (Atollon), else null
 */
public record RequestCategory(String id, String name, String description, String chargeZone) {
  public RequestCategory {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description;
  }
}
