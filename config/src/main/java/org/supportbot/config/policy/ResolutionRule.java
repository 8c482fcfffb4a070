package org.supportbot.config.policy;

import java.util.List;
import java.util.Objects;

/**
 * How cases are resolved and closed.
 *
 * @param types the resolution types the policy accepts
 * @param closeAfter quiet period after which a resolved case closes by itself
 */
public record ResolutionRule(List<ResolutionType> types, BusinessDuration closeAfter) {
  public ResolutionRule {
    types = List.copyOf(types);
    if (types.isEmpty()) {
      throw new IllegalArgumentException("a policy must accept at least one resolution type");
    }
    Objects.requireNonNull(closeAfter, "closeAfter");
  }
}
