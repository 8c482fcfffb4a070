package org.supportbot.kb.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the shared evaluation data: {@code ../shared/data/kb-eval} beside the repository root
 * (the folder holding {@code mvnw}), whichever module folder the tests run in.
 */
public final class KbEvalData {
  private KbEvalData() {}

  public static Optional<Path> find() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.exists(d.resolve("mvnw")) && d.getParent() != null) {
        Path data = d.getParent().resolve("shared/data/kb-eval");
        return Files.isDirectory(data) ? Optional.of(data) : Optional.empty();
      }
    }
    return Optional.empty();
  }
}
