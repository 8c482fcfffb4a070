package org.supportbot.kb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes Markdown articles with front matter into a folder, for tests. */
public final class TestArticles {
  private TestArticles() {}

  /** Writes {@code dir/id.md}; {@code extra} is more front matter (may be empty). */
  public static Path write(Path dir, String id, String title, String extra, String body) {
    String text = "---\nid: " + id + "\ntitle: \"" + title + "\"\nurl: https://docs.example.com/" + id + "\n"
        + extra + (extra.isEmpty() || extra.endsWith("\n") ? "" : "\n") + "---\n" + body + "\n";
    try {
      Files.createDirectories(dir);
      return Files.writeString(dir.resolve(id + ".md"), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
