package org.supportbot.config.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One severity or priority level of a policy.
 *
 * @param id the policy's own label, e.g. "S1", "P2", "urgent"
 * @param level 1 for the most severe; severity 1 and 2 page the escalation channel
 * @param name the policy's designation, e.g. "Critical Business Impact"
 * @param definition the policy's definition text, offered to customers when they choose
 * @param targets response targets by target id (see {@link TargetKind}); "best effort" has no deadline
 */
public record Severity(String id, int level, String name, String definition, Map<String, BusinessDuration> targets) {
  public Severity {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    definition = definition == null ? "" : definition;
    if (level < 1) {
      throw new IllegalArgumentException("severity " + id + ": level must be 1 or more, got " + level);
    }
    targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
  }

  /** Whether this level pages the escalation channel at any hour (levels 1 and 2). */
  public boolean isUrgent() {
    return level <= 2;
  }
}
