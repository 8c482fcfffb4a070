package org.supportbot.app.kb;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.supportbot.kb.KbException;
import org.supportbot.kb.forum.DiscourseSync;
import org.supportbot.kb.index.ConsoleProgress;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.IndexReport;
import org.supportbot.kb.index.KbIndexing;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code supportbot kb index}: builds or updates the index from folders and a live forum. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
      "Builds or incrementally updates the knowledge base in --index.",
      "Changed files are re-indexed, removed ones deleted, unchanged ones skipped.",
      "A live forum (--forum-url) is fetched completely before anything is written; on any error",
      "the index is left as it was. Its API key comes from DISCOURSE_API_KEY (+ DISCOURSE_API_USERNAME)."
    })
final class KbIndexCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final Clock clock;

  /** The command as the launcher runs it: a complete full sync is recorded with the system clock's time. */
  KbIndexCommand() {
    this(Clock.systemUTC());
  }

  /** For tests: time from {@code clock}. */
  KbIndexCommand(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Option(names = "--index", required = true, paramLabel = "DIR", description = "Knowledge-base folder (created if missing).")
  Path index;

  @Option(names = "--articles", paramLabel = "DIR", description = "Folder of Markdown articles with YAML front matter.")
  Path articles;

  @Option(names = "--forum", paramLabel = "DIR", description = "Folder of Discourse topic JSON files (GET /t/{id}.json).")
  Path forum;

  @Option(names = "--forum-base-url", paramLabel = "URL", defaultValue = "",
      description = "Prefix of the links to topics read from --forum (e.g. https://forum.example.com).")
  String forumBaseUrl;

  @Option(names = "--forum-url", paramLabel = "URL", description = "A live Discourse forum to sync topics from.")
  String forumUrl;

  @Option(names = "--forum-full",
      description = {"With --forum-url: read the whole listing and fetch every topic of that site the index holds",
          "and the listing no longer shows; delete those the site has deleted, unlisted or made private.",
          "A complete one is recorded in the index, so supportbot run does not repeat it before it is due."})
  boolean forumFull;

  @Option(names = "--forum-max-pages", paramLabel = "N", defaultValue = "" + DiscourseSync.DEFAULT_MAX_PAGES,
      description = "Pages of the live forum's listing read at most, 30 topics each (default: ${DEFAULT-VALUE}).")
  int forumMaxPages;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "20",
      description = "Timeout of each request to the live forum (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--rebuild", description = "Drop the index and build it from the given sources.")
  boolean rebuild;

  @Option(names = "--lexical-only", description = "No sentence embeddings: faster indexing, BM25 search only.")
  boolean lexicalOnly;

  @Option(names = "--embeddings", description = "Store sentence embeddings (the default for a new index).")
  boolean embeddings;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (articles == null && forum == null && forumUrl == null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "nothing to index: give --articles DIR, --forum DIR and/or --forum-url URL");
    }
    if (forumFull && forumUrl == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--forum-full needs --forum-url URL");
    }
    if (forumMaxPages < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--forum-max-pages must be at least 1, was " + forumMaxPages);
    }
    if (lexicalOnly && embeddings) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--lexical-only and --embeddings exclude each other");
    }
    KbIndexing.Mode mode = lexicalOnly ? KbIndexing.Mode.LEXICAL
        : embeddings ? KbIndexing.Mode.SEMANTIC : KbIndexing.Mode.AUTO;
    try (IndexProgress progress = quiet ? IndexProgress.NONE : new ConsoleProgress(new PrintStream(System.err, true))) {
      if (articles != null || forum != null || rebuild) {
        IndexReport r = KbIndexing.indexFolders(index, articles, forum, forumBaseUrl, rebuild, mode, progress);
        out.println("indexed " + index + ": " + r);
      }
      if (forumUrl != null) {
        DiscourseSync.Config cfg = DiscourseSync.Config.fromEnvironment(
            forumUrl, System.getenv(), Duration.ofSeconds(timeoutSeconds), forumMaxPages);
        DiscourseSync.SyncReport r = new DiscourseSync(cfg, clock).sync(index, forumFull);
        out.println("synced " + cfg.baseUrl() + ": " + r.pages() + " page(s) of latest topics, " + r.fetched()
            + " topic(s) fetched; " + r.index() + "; watermark " + (r.watermark().isEmpty() ? "-" : r.watermark()));
        if (forumFull) {
          out.println(r.complete()
              ? "full sync: " + r.checked() + " indexed topic(s) no longer listed were checked on the site, "
                  + r.deleted() + " deleted in all; recorded in the index as complete as of " + r.fullSync().get()
                  + " (supportbot run syncs this forum in full again once its full_sync interval has passed)"
              : "full sync: the listing goes on past " + r.pages() + " page(s), so no topic was checked for"
                  + " deletion; raise --forum-max-pages to read all of it");
        }
      }
      return 0;
    } catch (KbException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return KbCommand.EXIT_FAILED;
    }
  }
}
