package org.supportbot.config.load;

import java.util.Objects;

/**
 * One thing wrong with a configuration file: where it is and how to fix it.
 *
 * @param file the file as the user named it
 * @param line 1-based line, or 0 when the problem concerns the whole file
 * @param path the path inside the document, e.g. {@code severities[1].targets.first_response}
 * @param message what is wrong, the offending value, and the fix
 */
public record ConfigProblem(String file, int line, String path, String message) {
  public ConfigProblem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return file + (line > 0 ? ":" + line : "") + ": " + (path.isEmpty() ? "" : path + ": ") + message;
  }
}
