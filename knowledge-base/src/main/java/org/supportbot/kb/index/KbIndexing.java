package org.supportbot.kb.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.supportbot.kb.embed.Embedder;
import org.supportbot.kb.embed.MiniLmEmbedder;
import org.supportbot.kb.KbException;
import org.supportbot.kb.Source;
import org.supportbot.kb.ingest.ArticleReader;
import org.supportbot.kb.ingest.DiscourseTopics;
import org.supportbot.kb.ingest.IngestException;
import org.supportbot.kb.ingest.KbDocument;

/**
 * Indexes folders of articles and forum topics into a knowledge-base folder. Nothing is committed
 * unless every source file reads and checks: a bad one leaves the index as it was (the articles are
 * read as they are indexed, and the writer's changes are rolled back). Documents missing from a
 * given folder are deleted, unchanged ones are skipped.
 */
public final class KbIndexing {
  private KbIndexing() {}

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new KbException(dir + ": cannot remove the unfinished index: " + e.getMessage(), e);
    }
  }

  /** The Lucene index inside a knowledge-base folder. */
  public static Path luceneDir(Path kbDir) {
    return kbDir.resolve("lucene");
  }

  /** Whether to store sentence embeddings. */
  public enum Mode {
    /** Keep what the index already uses; a new index gets embeddings. */
    AUTO,
    /** BM25 only: faster indexing, smaller footprint. */
    LEXICAL,
    /** BM25 and sentence embeddings. */
    SEMANTIC
  }

  /**
   * @param articles folder of Markdown articles, or null to leave articles as they are
   * @param forum folder of Discourse topic JSON files, or null to leave forum topics as they are
   * @param forumBaseUrl prefix of forum topic URLs (may be empty)
   * @param rebuild drop everything first and index from scratch
   */
  public static IndexReport indexFolders(
      Path kbDir, Path articles, Path forum, String forumBaseUrl, boolean rebuild, Mode mode, IndexProgress progress) {
    List<Path> files = articles == null ? null : ArticleReader.files(articles);
    List<KbDocument> forumDocs = forum == null ? null : DiscourseTopics.readFolder(forum, forumBaseUrl);
    // the articles are read as they are indexed, not all first (see KbIndexWriter.Reading)
    KbIndexWriter.Reading reading = files == null ? null
        : new KbIndexWriter.Reading(Source.ARTICLE, files.size(), i -> ArticleReader.read(files.get(i)));
    boolean created = !Files.exists(kbDir);
    try {
      return index(kbDir, null, forumDocs, reading, rebuild, mode, progress);
    } catch (IngestException e) {
      // nothing was committed; say what a read of every file before indexing would have said first
      // (the first problem in path order), and leave no folder behind that was not there
      if (created) {
        deleteTree(kbDir);
      }
      if (articles != null) {
        ArticleReader.readFolder(articles);
      }
      throw e;
    }
  }

  /** Indexes already-read documents; a null list leaves that source untouched. */
  public static IndexReport index(
      Path kbDir, List<KbDocument> articleDocs, List<KbDocument> forumDocs, boolean rebuild, Mode mode,
      IndexProgress progress) {
    return index(kbDir, articleDocs, forumDocs, null, rebuild, mode, progress);
  }

  private static IndexReport index(Path kbDir, List<KbDocument> articleDocs, List<KbDocument> forumDocs,
      KbIndexWriter.Reading reading, boolean rebuild, Mode mode, IndexProgress progress) {
    IndexReport report = new IndexReport(0, 0, 0, 0, 0);
    try (KbIndexWriter w = KbIndexWriter.open(luceneDir(kbDir))) {
      boolean fresh = !w.userData().containsKey(KbIndexWriter.EMBEDDER_KEY);
      Optional<Embedder> want = switch (mode) {
        case LEXICAL -> Optional.empty();
        case SEMANTIC -> Optional.of(MiniLmEmbedder.instance());
        case AUTO -> fresh ? Optional.of(MiniLmEmbedder.instance()) : w.embedder();
      };
      boolean switching = !want.map(Embedder::name).equals(w.embedder().map(Embedder::name));
      if (switching && !fresh && !rebuild) {
        throw new KbException(kbDir + ": the index was built "
            + w.embedder().map(e -> "with embeddings (" + e.name() + ")").orElse("without embeddings")
            + " and this run asks for " + want.map(e -> "embeddings (" + e.name() + ")").orElse("none")
            + "; add --rebuild (with every source) to switch, or drop the option to keep the current mode");
      }
      if (rebuild) {
        w.deleteAll();
      }
      w.useEmbedder(want);
      // both sources in one pass: one segment per indexing thread rather than one per source and thread
      Map<Source, List<KbDocument>> bySource = new java.util.EnumMap<>(Source.class);
      if (articleDocs != null) {
        bySource.put(Source.ARTICLE, articleDocs);
      }
      if (forumDocs != null) {
        bySource.put(Source.FORUM, forumDocs);
      }
      if (!bySource.isEmpty() || reading != null) {
        report = report.plus(w.sync(bySource, reading, true, progress));
      }
      w.commit(Map.of());
    }
    return report;
  }
}
