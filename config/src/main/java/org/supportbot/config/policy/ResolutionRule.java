package org.supportbot.config.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How cases are resolved and closed.
 *
 * @param types the resolution types the policy accepts
 * @param closeAfter quiet period after which a resolved case closes by itself
 * @param closedOnceRecorded resolution types whose cases close as soon as they are resolved, because
 *     the policy closes them once recorded elsewhere and gives no feedback on them, each with where
 *     it is recorded (Resource Optimizer: enhancement requests, "the Product Request tool")
 * @param warnBeforeClose how long before the quiet period ends the customer is told the case will
 *     close, with a button to reopen it; none for no warning
 */
public record ResolutionRule(List<ResolutionType> types, BusinessDuration closeAfter,
    Map<ResolutionType, String> closedOnceRecorded, Optional<BusinessDuration> warnBeforeClose) {
  public ResolutionRule {
    types = List.copyOf(types);
    if (types.isEmpty()) {
      throw new IllegalArgumentException("a policy must accept at least one resolution type");
    }
    Objects.requireNonNull(closeAfter, "closeAfter");
    closedOnceRecorded = Map.copyOf(closedOnceRecorded);
    Objects.requireNonNull(warnBeforeClose, "warnBeforeClose");
    for (var e : closedOnceRecorded.entrySet()) {
      if (!types.contains(e.getKey())) {
        throw new IllegalArgumentException(e.getKey().id() + " is closed once recorded but is not one of the"
            + " resolution types; add it to types");
      }
      if (e.getValue().isBlank()) {
        throw new IllegalArgumentException(e.getKey().id() + " is closed once recorded: say where it is recorded");
      }
    }
  }

  public ResolutionRule(List<ResolutionType> types, BusinessDuration closeAfter) {
    this(types, closeAfter, Map.of(), Optional.empty());
  }

  /** Where a case resolved as {@code type} is recorded, if the policy closes it once recorded. */
  public Optional<String> recordedIn(ResolutionType type) {
    return Optional.ofNullable(closedOnceRecorded.get(type));
  }
}
