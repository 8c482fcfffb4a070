package org.supportbot.app.discord;

/** The adapter could not start; the message says what was wrong and how to fix it, never the token. */
public final class DiscordStartException extends Exception {
  private static final long serialVersionUID = 1L;

  public DiscordStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
