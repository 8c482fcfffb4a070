package org.supportbot.core.store.postgres;

/**
 * The PostgreSQL database could not be reached, logged into or migrated. The message is one line: what
 * failed, where (never the password) and what to do about it; the cause holds the details for {@code --verbose}.
 */
public final class DatabaseUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
