package org.supportbot.core.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.supportbot.config.policy.Severity;
import org.supportbot.config.policy.SupportPolicy;

/**
 * Suggests a severity from a customer's answers so far: the share of users affected, whether
 * there is a workaround, the words of the description and impact, and the request category. The
 * customer (and later the vendor) decides; the suggestion comes with its reasons.
 *
 * @param severityId the suggested level of the policy
 * @param reasons why, in words the customer can check
 */
public record SeveritySuggestion(String severityId, List<String> reasons) {
  public SeveritySuggestion {
    reasons = List.copyOf(reasons);
  }

  private static final List<String> OUTAGE = List.of("outage", "is down", "are down", "went down", "cannot access",
      "can't access", "cannot log in", "can't log in", "cannot login", "no one can", "nobody can", "complete loss",
      "total loss", "production is stopped", "production stopped", "system wide", "system-wide", "data loss", "crashes on start");
  private static final List<String> NO_WORKAROUND = List.of("no workaround", "no work around", "without a workaround",
      "no way around", "blocked");
  private static final List<String> WORKAROUND = List.of("workaround", "work around", "can still", "restart fixes", "manually");
  private static final List<String> INFORMATIONAL = List.of("how do i", "how to", "how can i", "question", "documentation",
      "feature request", "enhancement", "would be nice", "idea", "suggestion");
  private static final Set<String> LOW_CATEGORIES = Set.of("how_to", "question", "documentation", "enhancement",
      "enhancement_request", "technical_question", "feature_suggestion", "advice", "license_request", "licensing");

  /** Suggests a level of {@code policy} from the answers given so far (by report field id). */
  public static SeveritySuggestion suggest(SupportPolicy policy, Map<String, String> answers) {
    String words = (answers.getOrDefault("description", "") + " " + answers.getOrDefault("business_impact", "") + " "
        + answers.getOrDefault("error_messages", "")).toLowerCase(Locale.ROOT);
    List<String> reasons = new ArrayList<>();
    int level = 3;
    int share = parseShare(answers.get("users_affected"));
    boolean outage = OUTAGE.stream().anyMatch(words::contains);
    boolean noWorkaround = NO_WORKAROUND.stream().anyMatch(words::contains);
    boolean workaround = !noWorkaround && WORKAROUND.stream().anyMatch(words::contains);
    if (LOW_CATEGORIES.contains(answers.getOrDefault("category", ""))
        || INFORMATIONAL.stream().anyMatch(words::contains) && !outage && share < 50) {
      level = 4;
      reasons.add("it reads as a question or a request rather than a failure");
    }
    if (outage && (share < 0 || share >= 90)) {
      level = 1;
      reasons.add("the service is described as down or inaccessible" + (share >= 90 ? " for " + share + " % of users" : ""));
    } else if (share >= 50 || outage || noWorkaround && share != 0) {
      level = Math.min(level, 2);
      reasons.add(share >= 50 ? share + " % of users are affected" : outage ? "part of the service is down" : "there is no workaround");
    } else if (share > 0 && level > 3) {
      level = 3;
      reasons.add(share + " % of users are affected");
    } else if (share > 0) {
      reasons.add("a minority of users (" + share + " %) is affected");
    }
    if (workaround && level <= 2) {
      level = Math.min(level + 1, 3);
      reasons.add("a workaround exists");
    }
    if (reasons.isEmpty()) {
      reasons.add("some functionality is affected, with no sign of an outage");
    }
    int wanted = level;
    Severity best = policy.severities().get(0);
    for (Severity s : policy.severities()) {
      if (Math.abs(s.level() - wanted) < Math.abs(best.level() - wanted)) {
        best = s;
      }
    }
    return new SeveritySuggestion(best.id(), reasons);
  }

  private static int parseShare(String value) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    try {
      return (int) Math.round(Double.parseDouble(value));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
