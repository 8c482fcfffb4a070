package org.supportbot.kb;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.supportbot.kb.feedback.FeedbackStore;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.search.KbSearcher;
import org.supportbot.kb.search.SearchHit;
import org.supportbot.kb.search.SearchRequest;
import org.supportbot.kb.search.SearchSettings;

/**
 * The knowledge base on a folder made by {@code supportbot kb index}: a Lucene index in
 * {@code lucene/} and feedback in {@code feedback.jsonl}. Repeated drafts are answered from a
 * Caffeine cache until {@link #refresh()}.
 */
public final class LuceneKnowledgeBase implements KnowledgeBase {
  /** The largest {@code k} accepted by {@link #suggest}. */
  public static final int MAX_K = 50;
  /** Hits asked for beyond {@code k} when copies of a thread took places, so that the list still holds {@code k}. */
  private static final int DUPLICATE_ALLOWANCE = 5;

  private final Path kbDir;
  private final SearchSettings settings;
  private final Clock clock;
  private final FeedbackStore feedback;
  private final Cache<CacheKey, List<Suggestion>> cache;
  private volatile KbSearcher searcher;

  /** A draft's answer from one snapshot: an answer computed while a refresh swapped snapshots is never served from the new one. */
  private record CacheKey(IncidentDraft draft, int k, KbSearcher snapshot) {}

  private LuceneKnowledgeBase(Path kbDir, SearchSettings settings, Clock clock) {
    this.kbDir = kbDir;
    this.settings = settings;
    this.clock = clock;
    this.feedback = FeedbackStore.in(kbDir);
    this.cache = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(30)).build();
    this.searcher = KbSearcher.open(KbIndexing.luceneDir(kbDir), settings);
    this.searcher.useFeedback(feedback.all());
  }

  /** Opens the knowledge base in {@code kbDir} with the tuned settings. */
  public static LuceneKnowledgeBase open(Path kbDir, Clock clock) {
    return open(kbDir, SearchSettings.defaults(), clock);
  }

  public static LuceneKnowledgeBase open(Path kbDir, SearchSettings settings, Clock clock) {
    return new LuceneKnowledgeBase(
        Objects.requireNonNull(kbDir, "kbDir"), Objects.requireNonNull(settings, "settings"),
        Objects.requireNonNull(clock, "clock"));
  }

  @Override
  public List<Suggestion> suggest(IncidentDraft draft, int k) {
    Objects.requireNonNull(draft, "draft");
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("k must be between 1 and " + MAX_K + ", was " + k);
    }
    if (draft.isBlank()) {
      return List.of();
    }
    return cache.get(new CacheKey(draft, k, searcher), key -> compute(key.draft(), key.k(), key.snapshot()));
  }

  private List<Suggestion> compute(IncidentDraft draft, int k, KbSearcher snapshot) {
    SearchRequest request = new SearchRequest(draftText(draft), draft.errorText(), draft.product(), draft.version(), Set.of());
    KbSearcher current = snapshot.acquire() ? snapshot : acquire();
    try {
      if (!current.informative(request)) {
        return List.of();
      }
      // hits below the floor are not shown: their snippets are not cut
      double floor = current.floor();
      List<SearchHit> hits = current.search(request, k, floor);
      List<Suggestion> out = distinctAboveFloor(hits, k, floor);
      if (hits.size() == k && k < MAX_K && hits.stream().map(CopyKey::of).distinct().count() < k) {
        // copies took places in the list (only hits at or above the floor have a snippet, so only
        // they can be copies): fill it from the next hits (rare, so the usual search stays k long)
        out = distinctAboveFloor(current.search(request, Math.min(k + DUPLICATE_ALLOWANCE, MAX_K), floor), k, floor);
      }
      return out;
    } finally {
      current.release();
    }
  }

  /**
   * The current snapshot, held for one search: a {@link #refresh()} that swaps it meanwhile closes
   * it only once that search has released it.
   */
  private KbSearcher acquire() {
    while (true) {
      KbSearcher s = searcher;
      if (s.acquire()) {
        return s;
      }
      if (s == searcher) {
        throw new KbException(kbDir + ": the knowledge base is closed");
      }
    }
  }

  /** The first {@code k} hits at or above {@code floor}, each copy of an earlier one left out. */
  private static List<Suggestion> distinctAboveFloor(List<SearchHit> hits, int k, double floor) {
    List<Suggestion> out = new ArrayList<>();
    Set<CopyKey> seen = new HashSet<>();
    for (SearchHit h : hits) {
      if (out.size() == k) {
        break;
      }
      if (h.confidence() >= floor && seen.add(CopyKey.of(h))) {
        out.add(new Suggestion(h.id(), h.source(), h.title(), h.url(), h.snippet(), h.score()));
      }
    }
    return List.copyOf(out);
  }

  /**
   * What makes two hits the same text for a reader: the same source, title and snippet. Forums
   * hold the same thread under several ids (re-posts, migrations; about one topic in eight of the
   * SemEval forum), and showing it twice wastes a suggestion. The snippet is cut from the text
   * around the query's terms, so two documents give the same one only when that text is the same;
   * a hit without a snippet is never taken for a copy.
   */
  private record CopyKey(Source source, String title, String snippet, String id) {
    static CopyKey of(SearchHit h) {
      String snippet = h.snippet().strip();
      String title = h.title().strip().toLowerCase(Locale.ROOT);
      return new CopyKey(h.source(), title, snippet, snippet.isEmpty() ? h.id() : "");
    }
  }

  /**
   * Sees index changes made since opening and forgets cached answers. The new snapshot is opened
   * and prepared before it replaces the old one in one step, so suggestions keep being answered
   * meanwhile; searches still running on the old snapshot finish on it, and it closes after them.
   */
  public synchronized void refresh() {
    KbSearcher old = searcher;
    KbSearcher fresh = KbSearcher.open(KbIndexing.luceneDir(kbDir), settings);
    fresh.useFeedback(feedback.all());
    searcher = fresh;
    cache.invalidateAll();
    old.close();
  }

  /** Number of cached drafts (for tests and monitoring). */
  public long cachedDrafts() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /** Records a verdict; one that carries its draft changes the ranking of similar drafts from now on. */
  @Override
  public synchronized void record(Feedback f) {
    feedback.append(f);
    if (!f.draft().isEmpty()) {
      searcher.useFeedback(feedback.all());
      cache.invalidateAll();
    }
  }

  /** Records a verdict on a suggestion shown for {@code draft}, stamped with this knowledge base's clock. */
  public void record(String caseId, IncidentDraft draft, Suggestion s, Feedback.Verdict verdict) {
    record(new Feedback(caseId, s.id(), s.source(), verdict, clock.instant(), draftText(draft)));
  }

  /** Records a verdict stamped with this knowledge base's clock (without its draft: not used in ranking). */
  public void record(String caseId, Suggestion s, Feedback.Verdict verdict) {
    record(new Feedback(caseId, s.id(), s.source(), verdict, clock.instant()));
  }

  /** The text a draft is searched by, which is also what a verdict's draft is compared by. */
  static String draftText(IncidentDraft draft) {
    return draft.searchText();
  }

  @Override
  public DeflectionReport deflection() {
    return feedback.report();
  }

  @Override
  public synchronized void close() {
    searcher.close();
  }
}
