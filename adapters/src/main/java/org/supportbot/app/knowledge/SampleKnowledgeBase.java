package org.supportbot.app.knowledge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbIndexing;

/**
 * The sample knowledge base bundled in the knowledge-base jar (articles and forum topics of a
 * fictional product), indexed into a folder on first use.
 */
public final class SampleKnowledgeBase {
  private static final String ROOT = "/sample-kb";

  private SampleKnowledgeBase() {}

  /** Indexes the bundled sample into {@code kbDir} unless an index is already there; returns {@code kbDir}. */
  public static Path ensureIndexed(Path kbDir) {
    if (Files.isDirectory(KbIndexing.luceneDir(kbDir))) {
      return kbDir;
    }
    URL url = SampleKnowledgeBase.class.getResource(ROOT);
    if (url == null) {
      throw new IllegalStateException("the sample knowledge base is missing from the knowledge-base jar; rebuild it");
    }
    try {
      URI uri = url.toURI();
      if (uri.getScheme().equals("jar")) {
        FileSystem fs;
        try {
          fs = FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
          fs = FileSystems.getFileSystem(uri);
        }
        index(kbDir, fs.getPath(ROOT));
      } else {
        index(kbDir, Path.of(uri));
      }
    } catch (URISyntaxException | IOException e) {
      throw new UncheckedIOException(new IOException("cannot read the bundled sample knowledge base: " + e.getMessage(),
          e));
    }
    return kbDir;
  }

  private static void index(Path kbDir, Path root) {
    KbIndexing.indexFolders(kbDir, root.resolve("articles"), root.resolve("forum"), "https://forum.beacon.example",
        true, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
  }
}
