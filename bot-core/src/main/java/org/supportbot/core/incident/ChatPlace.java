package org.supportbot.core.incident;

import java.util.Objects;

/** Where a case lives in chat: platform, workspace or guild, channel, and thread ("" for the channel itself). */
public record ChatPlace(String platform, String workspace, String channel, String thread) {
  public ChatPlace {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(channel, "channel");
    thread = thread == null ? "" : thread;
  }
}
