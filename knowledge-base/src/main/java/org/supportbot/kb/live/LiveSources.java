package org.supportbot.kb.live;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.supportbot.kb.KbException;
import org.supportbot.kb.LuceneKnowledgeBase;
import org.supportbot.kb.forum.DiscourseSync;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.IndexReport;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.ingest.IngestException;

/**
 * Keeps a running knowledge base fresh without an operator: on a schedule it syncs each configured
 * Discourse forum (what changed since the last sync, {@link DiscourseSync}) and re-indexes the
 * articles folder when a file in it was added, changed or removed (a scan of names, sizes and
 * modification times; an unchanged folder costs one directory walk). Everything runs on its own
 * thread: the index is written and the new snapshot opened there, then swapped in at once
 * ({@link LuceneKnowledgeBase#refresh()}), so suggestions are answered from the previous snapshot
 * meanwhile. A failing source keeps the index as it was and is retried on the next round; its
 * last success and error are reported by {@link #status()}.
 */
public final class LiveSources implements AutoCloseable {
  /** The articles folder's name in {@link #status()}. */
  public static final String ARTICLES = "articles";

  private final Path kbDir;
  private final Optional<Path> articles;
  private final List<DiscourseSync> forums;
  private final LuceneKnowledgeBase kb;
  private final Clock clock;
  private final Instant startedAt;
  private final Map<String, SourceStatus> status = new LinkedHashMap<>();
  private Map<String, String> articleFingerprint;
  private volatile ScheduledExecutorService scheduler;
  private long rounds;

  /**
   * How one source fares.
   *
   * @param lastSuccess when it last synced without an error
   * @param lastError the last round's error, empty once a round succeeds
   */
  public record SourceStatus(Optional<Instant> lastSuccess, Optional<String> lastError) {}

  /**
   * Every source's state.
   *
   * @param startedAt when these sources were set up (the age of a source that never synced counts from here)
   * @param rounds completed rounds
   */
  public record Status(Instant startedAt, long rounds, Map<String, SourceStatus> sources) {
    /** The oldest of the sources' last successes (a source that never synced counts as {@code startedAt}). */
    public Instant oldestSuccess() {
      Instant oldest = null;
      for (SourceStatus s : sources.values()) {
        Instant at = s.lastSuccess().orElse(startedAt);
        if (oldest == null || at.isBefore(oldest)) {
          oldest = at;
        }
      }
      return oldest == null ? startedAt : oldest;
    }

    /** Whether every source has synced at least once. */
    public boolean allSynced() {
      return sources.values().stream().allMatch(s -> s.lastSuccess().isPresent());
    }
  }

  /**
   * @param kbDir the knowledge-base folder {@code kb} was opened on
   * @param articles the folder of Markdown articles to keep indexed, if any
   * @param forums the forums to sync
   */
  public LiveSources(Path kbDir, Optional<Path> articles, List<DiscourseSync> forums, LuceneKnowledgeBase kb,
      Clock clock) {
    this.kbDir = Objects.requireNonNull(kbDir, "kbDir");
    this.articles = Objects.requireNonNull(articles, "articles");
    this.forums = List.copyOf(forums);
    this.kb = Objects.requireNonNull(kb, "kb");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.startedAt = clock.instant();
    articles.ifPresent(a -> status.put(ARTICLES, new SourceStatus(Optional.empty(), Optional.empty())));
    for (DiscourseSync f : this.forums) {
      status.put(f.baseUrl().toString(), new SourceStatus(Optional.empty(), Optional.empty()));
    }
  }

  /** Runs a round now and then one every {@code every} after the previous one ends, on a thread of its own. */
  public synchronized LiveSources start(Duration every) {
    if (!Objects.requireNonNull(every, "every").isPositive()) {
      throw new IllegalArgumentException("the sync interval must be positive, got " + every);
    }
    if (scheduler != null) {
      throw new IllegalStateException("already started");
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("kb-sync").daemon().factory());
    scheduler.scheduleWithFixedDelay(this::roundQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void roundQuietly() {
    try {
      syncNow();
    } catch (RuntimeException e) {
      // recorded per source by syncNow; anything else must not end the schedule
      synchronized (this) {
        status.replaceAll((name, s) -> new SourceStatus(s.lastSuccess(), Optional.of(describe(e))));
      }
    }
  }

  /**
   * One round: the articles folder if it changed, then every forum; the knowledge base sees the
   * result once the round has written it. Returns what each source changed ("unchanged" when
   * nothing), failures included as their message.
   */
  public synchronized Map<String, String> syncNow() {
    Map<String, String> out = new LinkedHashMap<>();
    boolean changed = false;
    if (articles.isPresent()) {
      Instant at = clock.instant();
      try {
        Map<String, String> now = fingerprint(articles.get());
        if (now.equals(articleFingerprint)) {
          out.put(ARTICLES, "unchanged");
        } else {
          IndexReport r = KbIndexing.indexFolders(kbDir, articles.get(), null, "", false, KbIndexing.Mode.AUTO,
              IndexProgress.NONE);
          articleFingerprint = now;
          changed |= r.added() + r.updated() + r.deleted() > 0;
          out.put(ARTICLES, r.toString());
        }
        status.put(ARTICLES, new SourceStatus(Optional.of(at), Optional.empty()));
      } catch (KbException | UncheckedIOException e) {
        out.put(ARTICLES, describe(e));
        status.put(ARTICLES, new SourceStatus(status.get(ARTICLES).lastSuccess(), Optional.of(describe(e))));
      }
    }
    for (DiscourseSync f : forums) {
      String name = f.baseUrl().toString();
      Instant at = clock.instant();
      try {
        DiscourseSync.SyncReport r = f.sync(kbDir);
        IndexReport ir = r.index();
        changed |= ir.added() + ir.updated() + ir.deleted() > 0;
        out.put(name, r.fetched() + " topic(s) fetched: " + ir);
        status.put(name, new SourceStatus(Optional.of(at), Optional.empty()));
      } catch (KbException | UncheckedIOException | IllegalArgumentException e) {
        out.put(name, describe(e));
        status.put(name, new SourceStatus(status.get(name).lastSuccess(), Optional.of(describe(e))));
      }
    }
    if (changed) {
      kb.refresh();
    }
    rounds++;
    return out;
  }

  private static String describe(RuntimeException e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }

  /** Every source's last success and error, as of now. */
  public synchronized Status status() {
    // in the order the sources are synced: the articles folder, then each forum
    return new Status(startedAt, rounds, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(status)));
  }

  /**
   * Name, size and modification time of every {@code .md} file under {@code dir}: what
   * {@link KbIndexing#indexFolders} would read differently if any of them changed.
   */
  static Map<String, String> fingerprint(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IngestException(dir + ": articles folder does not exist or is not a folder; fix"
          + " knowledge_base.articles in the settings");
    }
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> files = new ArrayList<>(walk.filter(p -> p.getFileName().toString().endsWith(".md")).toList());
      for (Path p : files) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        if (a.isRegularFile()) {
          out.put(dir.relativize(p).toString(), a.size() + "/" + a.lastModifiedTime().toMillis());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot list articles", e);
    }
    return out;
  }

  /** Stops the schedule; a round in progress finishes first (its requests are bounded by the forums' timeout). */
  @Override
  public void close() {
    ScheduledExecutorService s = scheduler;
    if (s == null) {
      return;
    }
    s.shutdown(); // not interrupted: an index write in progress completes or fails whole
    try {
      s.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
