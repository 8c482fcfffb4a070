package org.supportbot.kb;

/**
 * A knowledge-base operation could not be done: a malformed source file, an unreachable forum, an
 * unreadable index. The message says what is wrong, where, and how to fix it.
 */
public class KbException extends RuntimeException {
  public KbException(String message) {
    super(message);
  }

  public KbException(String message, Throwable cause) {
    super(message, cause);
  }
}
