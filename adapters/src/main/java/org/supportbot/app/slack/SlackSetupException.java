package org.supportbot.app.slack;

import java.util.List;
import java.util.Objects;

/**
 * The Slack install cannot work as configured: the token was rejected or the app lacks scopes.
 * The message is one line that says what to fix; it never contains a secret.
 */
public final class SlackSetupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Slack's error code ({@code invalid_auth}, {@code account_inactive}...), or "missing_scope". */
  private final String error;
  /** The scopes the app still needs; empty unless {@code error} is "missing_scope". */
  private final List<String> missingScopes;

  public SlackSetupException(String error, List<String> missingScopes, String message) {
    super(message);
    this.error = Objects.requireNonNull(error, "error");
    this.missingScopes = List.copyOf(missingScopes);
  }

  public String error() {
    return error;
  }

  public List<String> missingScopes() {
    return missingScopes;
  }
}
