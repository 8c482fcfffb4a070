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
 *
 * <p>An incremental sync only sees topics that were bumped, so a topic the site deleted, unlisted or
 * made private would stay in the index. Each forum is therefore synced in full
 * ({@link DiscourseSync#sync(Path, boolean)} with {@code full}) in the first round and then in the
 * first round at least {@code fullEvery} after the previous full sync that ended: the whole listing
 * is read and the indexed topics missing from it are fetched, and deleted when the site no longer
 * shows them. A listing cut short by the page limit deletes nothing and is noted in the status (the
 * next full sync is again {@code fullEvery} later); a full sync that fails keeps the index as it was,
 * is followed by an incremental sync in the same round and is retried in the next round.
 */
public final class LiveSources implements AutoCloseable {
  /** The articles folder's name in {@link #status()}. */
  public static final String ARTICLES = "articles";
  /** How often each forum is synced in full unless the constructor says otherwise. */
  public static final Duration FULL_EVERY = Duration.ofHours(24);

  private final Path kbDir;
  private final Optional<Path> articles;
  private final List<DiscourseSync> forums;
  private final LuceneKnowledgeBase kb;
  private final Clock clock;
  private final Duration fullEvery;
  private final Instant startedAt;
  private final Map<String, SourceStatus> status = new LinkedHashMap<>();
  private Map<String, String> articleFingerprint;
  private volatile ScheduledExecutorService scheduler;
  private long rounds;

  /**
   * How one source fares.
   *
   * @param lastSuccess when it last synced without an error (incrementally or in full)
   * @param lastError the last round's error, empty once a round succeeds
   * @param fullSync how its full syncs fare; empty for the articles folder
   */
  public record SourceStatus(Optional<Instant> lastSuccess, Optional<String> lastError,
      Optional<FullSyncStatus> fullSync) {
    /** A source without full syncs (the articles folder). */
    public SourceStatus(Optional<Instant> lastSuccess, Optional<String> lastError) {
      this(lastSuccess, lastError, Optional.empty());
    }

    public SourceStatus {
      Objects.requireNonNull(lastSuccess, "lastSuccess");
      Objects.requireNonNull(lastError, "lastError");
      Objects.requireNonNull(fullSync, "fullSync");
    }
  }

  /**
   * How a forum's full syncs fare.
   *
   * @param lastSuccess when the last full sync started that read the whole listing (and so deleted what
   *     the site no longer shows)
   * @param lastRun when the last full sync started that ended without an error, whole or cut short by the
   *     page limit; the next one is due {@code fullEvery} after it
   * @param note why the last full sync deleted nothing although it ended (the listing was cut short by
   *     the page limit); empty once one reads the whole listing
   * @param lastError the last full sync's error, empty once one ends without an error
   */
  public record FullSyncStatus(Optional<Instant> lastSuccess, Optional<Instant> lastRun, Optional<String> note,
      Optional<String> lastError) {
    static final FullSyncStatus NEVER = new FullSyncStatus(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());

    public FullSyncStatus {
      Objects.requireNonNull(lastSuccess, "lastSuccess");
      Objects.requireNonNull(lastRun, "lastRun");
      Objects.requireNonNull(note, "note");
      Objects.requireNonNull(lastError, "lastError");
    }
  }

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
   * Sources whose forums are synced in full every {@link #FULL_EVERY}.
   *
   * @param kbDir the knowledge-base folder {@code kb} was opened on
   * @param articles the folder of Markdown articles to keep indexed, if any
   * @param forums the forums to sync
   */
  public LiveSources(Path kbDir, Optional<Path> articles, List<DiscourseSync> forums, LuceneKnowledgeBase kb,
      Clock clock) {
    this(kbDir, articles, forums, kb, clock, FULL_EVERY);
  }

  /**
   * @param kbDir the knowledge-base folder {@code kb} was opened on
   * @param articles the folder of Markdown articles to keep indexed, if any
   * @param forums the forums to sync
   * @param fullEvery a forum is synced in full in the first round and then in the first round at least
   *     this long after the start of its previous full sync that ended
   */
  public LiveSources(Path kbDir, Optional<Path> articles, List<DiscourseSync> forums, LuceneKnowledgeBase kb,
      Clock clock, Duration fullEvery) {
    if (!Objects.requireNonNull(fullEvery, "fullEvery").isPositive()) {
      throw new IllegalArgumentException("the full-sync interval must be positive, got " + fullEvery);
    }
    this.fullEvery = fullEvery;
    this.kbDir = Objects.requireNonNull(kbDir, "kbDir");
    this.articles = Objects.requireNonNull(articles, "articles");
    this.forums = List.copyOf(forums);
    this.kb = Objects.requireNonNull(kb, "kb");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.startedAt = clock.instant();
    articles.ifPresent(a -> status.put(ARTICLES, new SourceStatus(Optional.empty(), Optional.empty())));
    for (DiscourseSync f : this.forums) {
      status.put(f.baseUrl().toString(), new SourceStatus(Optional.empty(), Optional.empty(),
          Optional.of(FullSyncStatus.NEVER)));
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
        status.replaceAll((name, s) -> new SourceStatus(s.lastSuccess(), Optional.of(describe(e)), s.fullSync()));
      }
    }
  }

  /**
   * One round: the articles folder if it changed, then every forum (in full when its full sync is due);
   * the knowledge base sees the result once the round has written it. Returns what each source
   * changed ("unchanged" when nothing), failures included as their message.
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
      SourceStatus before = status.get(name);
      FullSyncStatus full = before.fullSync().orElse(FullSyncStatus.NEVER);
      String fullOutcome = "";
      if (fullSyncDue(full, at)) {
        try {
          DiscourseSync.SyncReport r = f.sync(kbDir, true);
          IndexReport ir = r.index();
          changed |= ir.added() + ir.updated() + ir.deleted() > 0;
          Optional<String> note = r.complete() ? Optional.empty() : Optional.of(cutShort(f, r));
          full = new FullSyncStatus(r.complete() ? Optional.of(at) : full.lastSuccess(), Optional.of(at), note,
              Optional.empty());
          out.put(name, r.fetched() + " topic(s) fetched: " + ir + "; full sync: " + (r.complete()
              ? r.checked() + " indexed topic(s) no longer listed were checked, " + r.deleted() + " deleted in all"
              : note.get()));
          status.put(name, new SourceStatus(Optional.of(at), Optional.empty(), Optional.of(full)));
          continue;
        } catch (RuntimeException e) {
          // whatever went wrong, the index is as it was (DiscourseSync writes only after every fetch);
          // the incremental sync below keeps the source fresh meanwhile
          full = new FullSyncStatus(full.lastSuccess(), full.lastRun(), full.note(), Optional.of(describe(e)));
          fullOutcome = "full sync failed, retried next round: " + describe(e) + "; incremental sync: ";
        }
      }
      try {
        DiscourseSync.SyncReport r = f.sync(kbDir);
        IndexReport ir = r.index();
        changed |= ir.added() + ir.updated() + ir.deleted() > 0;
        out.put(name, fullOutcome + r.fetched() + " topic(s) fetched: " + ir);
        status.put(name, new SourceStatus(Optional.of(at), Optional.empty(), Optional.of(full)));
      } catch (KbException | UncheckedIOException | IllegalArgumentException e) {
        out.put(name, fullOutcome + describe(e));
        status.put(name, new SourceStatus(before.lastSuccess(), Optional.of(describe(e)), Optional.of(full)));
      }
    }
    if (changed) {
      kb.refresh();
    }
    rounds++;
    return out;
  }

  /** Whether a forum's full sync is due at {@code now}: it never ended, or it last ended {@code fullEvery} ago. */
  private boolean fullSyncDue(FullSyncStatus full, Instant now) {
    return full.lastRun().map(last -> !now.isBefore(last.plus(fullEvery))).orElse(true);
  }

  private static String cutShort(DiscourseSync f, DiscourseSync.SyncReport r) {
    return "the listing goes on past " + r.pages() + " page(s), the page limit, so no topic was checked for deletion"
        + " and none was deleted; run supportbot kb index --forum-url " + f.baseUrl() + " --forum-full"
        + " --forum-max-pages N with a larger N to read all of it";
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
