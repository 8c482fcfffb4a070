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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * made private would stay in the index. Each forum is therefore also synced in full
 * ({@link DiscourseSync#syncInFull}): a full sync starts in the first round at least {@code fullEvery}
 * after the start of the forum's last complete one (at once when none is recorded), reads the listing,
 * and checks the indexed topics the listing did not show one by one, {@code checksPerRound} a round or
 * more if that would not finish them before the next full sync is due ({@link FullSyncPace}), going on in
 * the following rounds until none is left (a topic whose check keeps failing while the site serves others
 * is skipped after {@link DiscourseSync#SKIP_AFTER} rounds, kept as it was, and reported); then it is
 * complete. Its progress and the start of the last complete one are kept in the index, so a restart neither
 * repeats a full sync that is not due nor loses one in progress. A full sync that fails keeps the index as it
 * was, is followed by an incremental sync in the same round and is retried in the next round.
 */
public final class LiveSources implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveSources.class);
  /** The articles folder's name in {@link #status()}. */
  public static final String ARTICLES = "articles";
  /** How often each forum is synced in full unless the constructor says otherwise. */
  public static final Duration FULL_EVERY = Duration.ofHours(24);
  /**
   * Topics a full sync checks one by one per round unless the constructor says otherwise: below the request
   * rates Discourse allows by default (60 a minute for an API key, 50 in 10 seconds per address).
   */
  public static final int CHECKS_PER_ROUND = 50;
  /** How often a round runs unless the constructor or {@link #start} says otherwise. */
  public static final Duration EVERY = Duration.ofMinutes(15);

  private final Path kbDir;
  private final Optional<Path> articles;
  private final List<DiscourseSync> forums;
  private final LuceneKnowledgeBase kb;
  private final Clock clock;
  private final Duration fullEvery;
  private final int checksPerRound;
  /** How often a round runs: what a full sync's pace is reckoned with. */
  private volatile Duration every;
  private final Instant startedAt;
  private final Map<String, SourceStatus> status = new LinkedHashMap<>();
  /** Each source's problem as last written to the log (a round's error, or its full sync's). */
  private final Map<String, String> logged = new LinkedHashMap<>();
  /** Where a source's new problem and its recovery are written: the log, or a test's list. */
  private Log log = new Log() {
    @Override
    public void problem(String line) {
      LOG.warn(line);
    }

    @Override
    public void recovered(String line) {
      LOG.info(line);
    }
  };
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
   * @param lastSuccess when the last complete full sync started (every indexed topic the site no longer
   *     shows as of then is deleted), as recorded in the index
   * @param inProgress when the full sync in progress started, if one is
   * @param note how far the full sync in progress has got; empty when none is in progress
   * @param lastError the last full-sync round's error, empty once one ends without an error
   * @param skipped the topics the last complete full sync skipped because their checks kept failing (kept in
   *     the index as they were, checked again by the next full sync), with their last errors, by id
   */
  public record FullSyncStatus(Optional<Instant> lastSuccess, Optional<Instant> inProgress, Optional<String> note,
      Optional<String> lastError, Map<String, String> skipped) {
    static final FullSyncStatus NEVER = new FullSyncStatus(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());

    public FullSyncStatus {
      Objects.requireNonNull(lastSuccess, "lastSuccess");
      Objects.requireNonNull(inProgress, "inProgress");
      Objects.requireNonNull(note, "note");
      Objects.requireNonNull(lastError, "lastError");
      skipped = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(skipped,
          "skipped")));
    }

    /** A status whose last complete full sync, if any, skipped no topic. */
    public FullSyncStatus(Optional<Instant> lastSuccess, Optional<Instant> inProgress, Optional<String> note,
        Optional<String> lastError) {
      this(lastSuccess, inProgress, note, lastError, Map.of());
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

    /**
     * Per forum, how long ago its last complete full sync started, as of {@code now}; a forum that has none
     * counts from {@code startedAt}.
     */
    public Map<String, Duration> fullSyncAges(Instant now) {
      Map<String, Duration> out = new LinkedHashMap<>();
      sources.forEach((name, s) -> s.fullSync().ifPresent(full ->
          out.put(name, Duration.between(full.lastSuccess().orElse(startedAt), now))));
      return out;
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
    this(kbDir, articles, forums, kb, clock, fullEvery, CHECKS_PER_ROUND);
  }

  /**
   * @param kbDir the knowledge-base folder {@code kb} was opened on
   * @param articles the folder of Markdown articles to keep indexed, if any
   * @param forums the forums to sync
   * @param fullEvery a forum's full sync starts in the first round at least this long after the start of its
   *     last complete one (as recorded in the index; at once when none is)
   * @param checksPerRound topics a full sync checks one by one per round at least
   */
  public LiveSources(Path kbDir, Optional<Path> articles, List<DiscourseSync> forums, LuceneKnowledgeBase kb,
      Clock clock, Duration fullEvery, int checksPerRound) {
    this(kbDir, articles, forums, kb, clock, fullEvery, checksPerRound, EVERY);
  }

  /**
   * @param kbDir the knowledge-base folder {@code kb} was opened on
   * @param articles the folder of Markdown articles to keep indexed, if any
   * @param forums the forums to sync
   * @param fullEvery a forum's full sync starts in the first round at least this long after the start of its
   *     last complete one (as recorded in the index; at once when none is)
   * @param checksPerRound topics a full sync checks one by one per round at least; more when that would not
   *     finish them before the next full sync is due ({@link FullSyncPace})
   * @param every how often rounds run (as {@link #start} runs them), which the pace of full syncs is reckoned
   *     with
   */
  public LiveSources(Path kbDir, Optional<Path> articles, List<DiscourseSync> forums, LuceneKnowledgeBase kb,
      Clock clock, Duration fullEvery, int checksPerRound, Duration every) {
    if (!Objects.requireNonNull(every, "every").isPositive()) {
      throw new IllegalArgumentException("the sync interval must be positive, got " + every);
    }
    this.every = every;
    if (!Objects.requireNonNull(fullEvery, "fullEvery").isPositive()) {
      throw new IllegalArgumentException("the full-sync interval must be positive, got " + fullEvery);
    }
    if (checksPerRound < 1) {
      throw new IllegalArgumentException("the checks per round must be at least 1, got " + checksPerRound);
    }
    this.fullEvery = fullEvery;
    this.checksPerRound = checksPerRound;
    this.kbDir = Objects.requireNonNull(kbDir, "kbDir");
    this.articles = Objects.requireNonNull(articles, "articles");
    this.forums = List.copyOf(forums);
    this.kb = Objects.requireNonNull(kb, "kb");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.startedAt = clock.instant();
    articles.ifPresent(a -> status.put(ARTICLES, new SourceStatus(Optional.empty(), Optional.empty())));
    for (DiscourseSync f : this.forums) {
      status.put(f.baseUrl().toString(), new SourceStatus(Optional.empty(), Optional.empty(),
          Optional.of(recorded(f.fullSyncState(kbDir), FullSyncStatus.NEVER))));
    }
  }

  /**
   * Runs a round now and then one every {@code every} after the previous one ends, on a thread of its own;
   * the pace of full syncs is reckoned with that interval from now on.
   */
  public synchronized LiveSources start(Duration every) {
    if (!Objects.requireNonNull(every, "every").isPositive()) {
      throw new IllegalArgumentException("the sync interval must be positive, got " + every);
    }
    if (scheduler != null) {
      throw new IllegalStateException("already started");
    }
    this.every = every;
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
        logChanges();
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
      DiscourseSync.FullSyncState recorded = f.fullSyncState(kbDir);
      FullSyncStatus full = recorded(recorded, before.fullSync().orElse(FullSyncStatus.NEVER));
      String fullOutcome = "";
      if (fullSyncDue(recorded, at)) {
        try {
          FullSyncPace pace = new FullSyncPace(checksPerRound, fullEvery, every, clock);
          DiscourseSync.FullRound round = f.syncInFull(kbDir, pace);
          DiscourseSync.SyncReport r = round.sync();
          IndexReport ir = r.index();
          changed |= ir.added() + ir.updated() + ir.deleted() > 0;
          DiscourseSync.Pass pass = round.pass();
          full = round.done()
              ? new FullSyncStatus(Optional.of(pass.started()), Optional.empty(), Optional.empty(), Optional.empty(),
                  pass.skipped())
              : new FullSyncStatus(full.lastSuccess(), Optional.of(pass.started()),
                  Optional.of(inProgress(pass, round.pace(), ", " + round.left() + " left")), round.checkError(),
                  full.skipped());
          out.put(name, r.fetched() + " topic(s) fetched: " + ir + "; full sync: " + (round.done()
              ? pass.checked() + " indexed topic(s) no longer listed were checked, " + pass.deleted()
                  + " deleted in all" + skipped(pass.skipped())
              : full.note().get() + round.checkError().map(e -> "; a check failed" + (round.counted() ? ""
                  : ", which does not count against its topic: the site served no other topic") + ": " + e)
                  .orElse("")));
          status.put(name, new SourceStatus(Optional.of(at), Optional.empty(), Optional.of(full)));
          continue;
        } catch (RuntimeException e) {
          // whatever went wrong, the index is as it was (DiscourseSync writes only after every fetch);
          // the incremental sync below keeps the source fresh meanwhile
          full = new FullSyncStatus(full.lastSuccess(), full.inProgress(), full.note(), Optional.of(describe(e)),
              full.skipped());
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
    logChanges();
    return out;
  }

  /** Where {@link LiveSources} writes a source's problems: a round's line each, once per new problem. */
  interface Log {
    void problem(String line);

    void recovered(String line);
  }

  /** Writes to {@code log} instead of the application's log (tests). */
  LiveSources logTo(Log log) {
    this.log = Objects.requireNonNull(log, "log");
    return this;
  }

  /**
   * Writes each source's new problem (one that differs from the last written; topics its last full sync
   * skipped count as one) and each recovery:
   * a failing source is said once, not every round, and its error (a site's answer, a file's
   * problem) holds no secret, the API key being sent as a header.
   */
  private void logChanges() {
    status.forEach((name, s) -> {
      String problem = s.lastError().map(e -> "syncing failed, the index keeps what it had and the next round"
              + " tries again: " + e)
          .or(() -> s.fullSync().flatMap(FullSyncStatus::lastError).map(e -> "its full sync failed, the next"
              + " round tries again: " + e))
          .or(() -> s.fullSync().map(FullSyncStatus::skipped).filter(skipped -> !skipped.isEmpty())
              .map(skipped -> "its last full sync completed without the topics whose checks kept failing"
                  + skipped(skipped)))
          .orElse(null);
      String before = problem == null ? logged.remove(name) : logged.put(name, problem);
      if (problem != null && !problem.equals(before)) {
        log.problem("knowledge base source " + name + ": " + problem);
      } else if (problem == null && before != null) {
        log.recovered("knowledge base source " + name + " syncs again");
      }
    });
  }

  /** Whether a forum's full sync runs in a round at {@code now}: one is in progress, none is recorded, or it is due. */
  private boolean fullSyncDue(DiscourseSync.FullSyncState recorded, Instant now) {
    return recorded.pass().isPresent()
        || recorded.lastComplete().map(last -> !now.isBefore(last.plus(fullEvery))).orElse(true);
  }

  /** {@code shown} brought in line with what the index records (after a restart, or another process's sync). */
  private FullSyncStatus recorded(DiscourseSync.FullSyncState recorded, FullSyncStatus shown) {
    Optional<Instant> last = recorded.lastComplete().or(shown::lastSuccess);
    Optional<DiscourseSync.Pass> pass = recorded.pass();
    // after a restart the note says how far the recorded full sync got, until a round says what is left
    return new FullSyncStatus(last, pass.map(DiscourseSync.Pass::started),
        pass.map(p -> shown.note().orElseGet(() -> inProgress(p, checksPerRound, ""))), shown.lastError(),
        recorded.lastComplete().isPresent() ? recorded.skipped() : shown.skipped());
  }

  /** What a complete full sync says of the topics it skipped: nothing when none. */
  private static String skipped(Map<String, String> skipped) {
    if (skipped.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("; " + skipped.size() + " skipped after " + DiscourseSync.SKIP_AFTER
        + " failed checks in a row, kept as they were and checked again by the next full sync:");
    skipped.forEach((id, error) -> b.append(" ").append(id).append(" (").append(error).append(")"));
    return b.toString();
  }

  /** How far the full sync {@code p} has got, checking {@code pace} topics a round. */
  private String inProgress(DiscourseSync.Pass p, int pace, String left) {
    return "full sync started " + p.started() + " in progress: " + (p.listingComplete()
        ? "the indexed topics the listing did not show"
        : "the listing goes on past " + p.pages() + " page(s), the page limit, so the indexed topics it did not"
            + " show") + " are checked one by one, " + pace + " a round" + (pace > checksPerRound
        ? " (more than " + checksPerRound + " to be done before the next full sync is due at "
            + p.started().plus(fullEvery) + ")" : "") + "; " + p.checked() + " checked (" + p.deleted() + " deleted)"
        + (p.failing().isEmpty() ? "" : ", " + p.failing().size() + " failing (" + p.failing().entrySet().stream()
            .map(e -> e.getKey() + ": " + e.getValue().count() + " of " + DiscourseSync.SKIP_AFTER
                + " failed checks counted").collect(java.util.stream.Collectors.joining(", ")) + ")")
        + (p.skipped().isEmpty() ? "" : ", " + p.skipped().size() + " skipped (" + String.join(", ",
            p.skipped().keySet()) + ")")
        + left;
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
