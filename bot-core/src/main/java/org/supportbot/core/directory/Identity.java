package org.supportbot.core.directory;

import java.util.Objects;

/**
 * One person's account on one chat platform: the platform ("slack", "discord"), the workspace or
 * guild, and the platform's user id. The same person may hold identities on several platforms.
 */
public record Identity(String platform, String workspace, String userId) {
  /** The identity the bot itself acts under (timers, automatic closing). */
  public static final Identity SYSTEM = new Identity("supportbot", "-", "system");

  public Identity {
    platform = requireText(platform, "platform");
    workspace = requireText(workspace, "workspace");
    userId = requireText(userId, "userId");
  }

  private static String requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank() || value.indexOf('/') >= 0) {
      throw new IllegalArgumentException("an identity's " + name + " must be non-blank and free of '/', got \"" + value + "\"");
    }
    return value;
  }

  /** Parses the form of {@link #toString()}: {@code platform/workspace/userId}. */
  public static Identity parse(String text) {
    String[] parts = text.split("/", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("\"" + text + "\" is not an identity; write platform/workspace/userId, e.g. slack/T123/U456");
    }
    return new Identity(parts[0], parts[1], parts[2]);
  }

  @Override
  public String toString() {
    return platform + "/" + workspace + "/" + userId;
  }
}
