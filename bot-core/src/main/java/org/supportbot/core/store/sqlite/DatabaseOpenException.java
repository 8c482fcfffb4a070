package org.supportbot.core.store.sqlite;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The database file could not be opened, created or migrated. The message is one line: what failed,
 * the file, and what to do about it; the cause holds the details for {@code --verbose}.
 */
public final class DatabaseOpenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public DatabaseOpenException(Path file, String message, Throwable cause) {
    super(message, cause);
    this.file = Objects.requireNonNull(file, "file");
  }

  /** The database file as configured. */
  public Path file() {
    return file;
  }
}
