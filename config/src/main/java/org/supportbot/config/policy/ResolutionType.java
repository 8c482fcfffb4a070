package org.supportbot.config.policy;

import java.util.Locale;

/** How a case was resolved; a policy lists the types it accepts. */
public enum ResolutionType {
  EXPLANATION,
  RECOMMENDATION,
  USAGE_INSTRUCTIONS,
  WORKAROUND,
  FIX_IN_RELEASE,
  THIRD_PARTY,
  ENHANCEMENT_REQUEST,
  KNOWN_PRODUCT_ISSUE,
  OUT_OF_SCOPE,
  UNSUPPORTED_CUSTOM_CODE;

  /** The id used in configuration and commands, e.g. "fix_in_release". */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
