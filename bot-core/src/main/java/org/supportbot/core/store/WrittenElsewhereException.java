package org.supportbot.core.store;

/**
 * A commit was refused because another instance on the same database wrote first what this one
 * decided from an older read: an event at the same place in a case's log, the same incident number,
 * the outcome of the same idempotency key, the firing of the same timer, or messages rendered from
 * the same events. Nothing of the refused commit is stored; the caller reads again and decides again
 * (the user's command is never failed for it).
 */
public final class WrittenElsewhereException extends RuntimeException {
  public WrittenElsewhereException(String message) {
    super(message);
  }

  public WrittenElsewhereException(String message, Throwable cause) {
    super(message, cause);
  }
}
