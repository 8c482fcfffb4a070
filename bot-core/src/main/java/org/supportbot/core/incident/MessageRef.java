package org.supportbot.core.incident;

import java.util.Objects;

/** The chat message a command came from: platform, channel and the platform's message id. */
public record MessageRef(String platform, String channel, String messageId) {
  public MessageRef {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(messageId, "messageId");
  }
}
