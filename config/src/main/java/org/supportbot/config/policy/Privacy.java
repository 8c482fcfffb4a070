package org.supportbot.config.policy;

import java.util.Locale;
import java.util.Set;

/**
 * What a policy asks to be taken out of pasted text beyond secrets and personal data, which are
 * always removed. Resource Optimizer (seed 001) asks for "log files (de-identified of sensitive
 * data if appropriate)": {@code privacy: { de_identify: [ip_addresses, host_names, user_names] }}.
 *
 * @param deIdentify the kinds of identifying data replaced by placeholders; empty keeps them
 */
public record Privacy(Set<DeIdentify> deIdentify) {

  /** Kinds of identifying data a policy may ask to remove. */
  public enum DeIdentify {
    IP_ADDRESSES,
    HOST_NAMES,
    USER_NAMES;

    /** The spelling in a policy file, e.g. {@code ip_addresses}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Nothing beyond the secrets and personal data every policy removes. */
  public static final Privacy NONE = new Privacy(Set.of());

  public Privacy {
    deIdentify = Set.copyOf(deIdentify);
  }
}
