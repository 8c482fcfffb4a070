package org.supportbot.kb.forum;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.supportbot.kb.KbException;
import org.supportbot.kb.Source;
import org.supportbot.kb.index.IndexReport;
import org.supportbot.kb.index.KbIndexWriter;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.ingest.IngestException;
import org.supportbot.kb.ingest.KbDocument;
import org.supportbot.kb.ingest.DiscourseTopics;

/**
 * Brings the forum topics of a Discourse site into the index. It pages
 * {@code GET {base}/latest.json?page=N} (newest bump first) until it reaches topics bumped before
 * the previous sync, fetches each newer topic with {@code GET {base}/t/{id}.json}, and only then
 * writes them and the new watermark in one commit. Any failure (unreachable, slow, an HTTP error,
 * malformed JSON) throws a {@link KbException} before the index is touched, so it stays as it was.
 * An API key, if configured, is sent as {@code Api-Key}/{@code Api-Username} and never appears
 * in messages.
 */
public final class DiscourseSync {
  /** Environment variable holding the API key. */
  public static final String ENV_API_KEY = "DISCOURSE_API_KEY";
  /** Environment variable holding the API user name (default {@code system}). */
  public static final String ENV_API_USERNAME = "DISCOURSE_API_USERNAME";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Pages of {@code latest.json} read at most by default (Discourse serves 30 topics a page). */
  public static final int DEFAULT_MAX_PAGES = 100;

  private final Config config;
  private final HttpClient http;
  private final Clock clock;

  /**
   * Where and how to sync.
   *
   * @param timeout limit for connecting and for each response
   * @param maxPages stop paging after this many pages of {@code latest.json}
   */
  public record Config(URI baseUrl, Optional<String> apiKey, String apiUsername, Duration timeout, int maxPages) {
    public Config {
      Objects.requireNonNull(baseUrl, "baseUrl");
      String scheme = baseUrl.getScheme();
      if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || baseUrl.getHost() == null) {
        throw new IllegalArgumentException(
            "forum URL \"" + baseUrl + "\" is not an http(s) address; pass e.g. https://forum.example.com");
      }
      String s = baseUrl.toString();
      while (s.endsWith("/")) {
        s = s.substring(0, s.length() - 1);
      }
      baseUrl = URI.create(s);
      apiKey = Objects.requireNonNull(apiKey, "apiKey").filter(k -> !k.isBlank());
      apiUsername = apiUsername == null || apiUsername.isBlank() ? "system" : apiUsername.strip();
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      if (maxPages < 1) {
        throw new IllegalArgumentException("maxPages must be at least 1");
      }
    }

    /** A config for {@code baseUrl} with the key and user name from the given environment. */
    public static Config fromEnvironment(String baseUrl, Map<String, String> env, Duration timeout) {
      return fromEnvironment(baseUrl, env, timeout, DEFAULT_MAX_PAGES);
    }

    /** The same, reading at most {@code maxPages} pages of the listing. */
    public static Config fromEnvironment(String baseUrl, Map<String, String> env, Duration timeout, int maxPages) {
      URI uri;
      try {
        uri = URI.create(baseUrl.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "forum URL \"" + baseUrl + "\" is not a valid address; pass e.g. https://forum.example.com", e);
      }
      return new Config(uri, Optional.ofNullable(env.get(ENV_API_KEY)), env.get(ENV_API_USERNAME), timeout, maxPages);
    }

    @Override
    public String toString() {
      return "Config[baseUrl=" + baseUrl + ", apiKey=" + (apiKey.isPresent() ? "(set)" : "(none)")
          + ", apiUsername=" + apiUsername + ", timeout=" + timeout + ", maxPages=" + maxPages + "]";
    }
  }

  /**
   * What a sync did.
   *
   * @param pages pages of the listing read
   * @param fetched topics fetched and indexed (new, changed or unchanged)
   * @param deleted topics deleted from the index
   * @param checked topics of this site that the index held and the listing no longer showed,
   *     fetched one by one to see whether the site still has them (full syncs only)
   * @param complete whether the listing was read to its end (a full sync cut short by the page
   *     limit checks no absent topic)
   * @param fullSync the start of the complete full sync this sync was and recorded in the index, as
   *     {@link #syncInFull} records its own; empty for an incremental sync or one cut short
   */
  public record SyncReport(int pages, int fetched, int deleted, int checked, boolean complete, IndexReport index,
      String watermark, Optional<Instant> fullSync) {}

  /** @param clock when a full sync starts, as recorded in the index */
  public DiscourseSync(Config config, Clock clock) {
    this(config, HttpClient.newBuilder()
        .connectTimeout(config.timeout())
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build(), clock);
  }

  /** @param clock when a full sync starts, as recorded in the index */
  public DiscourseSync(Config config, HttpClient http, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.http = Objects.requireNonNull(http, "http");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The forum's address, without a trailing slash. */
  public java.net.URI baseUrl() {
    return config.baseUrl();
  }

  /** The commit-data key holding the last sync's newest bump time for this site. */
  public String watermarkKey() {
    return "discourse.watermark " + config.baseUrl();
  }

  /** Fetches what changed since the last sync into the knowledge base at {@code kbDir}. */
  public SyncReport sync(Path kbDir) {
    return sync(kbDir, false);
  }

  /**
   * Fetches what changed since the last sync into the knowledge base at {@code kbDir}. A deleted
   * topic drops out of the listing instead of being bumped, so an incremental sync only notices
   * topics it fetches anyway; with {@code full} the whole listing is read (up to the page limit),
   * and every topic of this site that the index holds and the listing no longer shows is fetched:
   * those the site has deleted, unlisted or made private are deleted from the index, the others
   * kept (and updated). Topics indexed from a folder under another address are left alone. When
   * the page limit cuts the listing short, absence proves nothing and no topic is checked. A full sync
   * that read the whole listing is complete: its start (the clock's time) is recorded in the same commit
   * as the last complete full sync, exactly as {@link #syncInFull} records one, and any full sync in
   * progress is ended, so {@code supportbot run} does not sync in full again until one is due.
   */
  public SyncReport sync(Path kbDir, boolean full) {
    Instant started = clock.instant();
    Path lucene = KbIndexing.luceneDir(kbDir);
    Indexed indexed = indexed(lucene, full);
    Listing l = list(indexed.since(), full, indexed.ours());
    Fetched f = fetch(l.changed());
    int checked = 0;
    if (full && l.complete()) {
      for (String id : indexed.ours()) {
        if (!l.listed().contains(id)) {
          checked++;
          f.check(id, fetchTopic(id));
        }
      }
    }
    return write(lucene, f, l, indexed.previous(), checked, full && l.complete()
        ? Map.of(fullSyncKey(), started.toString(), fullSyncPassKey(), "", fullSyncSkippedKey(), "") : Map.of());
  }

  /**
   * One round of a full sync spread over rounds, as {@code supportbot run} does it, so that a forum of any
   * size is reconciled at a bounded cost per round. The first round of a full sync (none in progress in the
   * index) reads the whole listing up to the page limit; the topics of this site that the index holds and
   * the listing did not show are then checked one by one ({@code GET /t/{id}.json}), at most as many a round
   * as {@code pace} says (given the full sync's start and the topics left), in the order of their ids from
   * where the previous round stopped: those the site answers 404, 410 or 403 for, or shows as deleted or
   * unlisted, are deleted, the others kept and updated. Later rounds of the same full sync read the listing
   * only as far as an incremental sync does and go on checking. Progress (where the checks stopped, which
   * topics the listing showed, which checks failed) is kept in the index's commit data with the changes it
   * describes, so a restart resumes; once no topic is left to check, the full sync is complete and its start
   * (the clock's time at its first round) is recorded.
   *
   * <p>A topic whose check fails is left as it was (never deleted on an error) and checked again first in
   * the following rounds; the round goes on with the next topic, and stops after two failures in a row or
   * at once when the site refuses or cannot be reached ({@link SiteDown}: rate limited, the key refused, no
   * connection). A failure counts against its topic only when the site was seen to serve topics in the same
   * round (another check, a bumped topic fetched, or else one probe of another indexed topic), so a site that
   * fails everything counts against none. After {@link #SKIP_AFTER} counted failures in a row the topic is
   * skipped for this full sync, with its last error, so the full sync can complete; the skipped topics are
   * recorded with it ({@link FullSyncState#skipped()}) and the next full sync checks them again. A failure
   * before the checks (the listing, a bumped topic) throws and leaves the index as it was.
   */
  public FullRound syncInFull(Path kbDir, Pace pace) {
    Objects.requireNonNull(pace, "pace");
    Path lucene = KbIndexing.luceneDir(kbDir);
    Indexed indexed = indexed(lucene, true);
    Optional<Pass> ongoing = fullSyncState(indexed.userData()).pass();
    Listing l = list(indexed.since(), ongoing.isEmpty(), indexed.ours());
    Pass pass = ongoing.orElseGet(() -> new Pass(clock.instant(), l.pages(), l.complete(), "",
        indexed.ours().stream().filter(l.listed()::contains).collect(Collectors.toSet()), 0, 0, Map.of(),
        Map.of()));
    Fetched f = fetch(l.changed());
    // a topic fetched in this round (bumped, or listed and new) is seen as of now: it needs no check
    List<String> retries = pass.failing().keySet().stream()
        .filter(id -> indexed.ours().contains(id) && !l.changed().contains(id)).sorted(ID_ORDER).toList();
    List<String> due = indexed.ours().stream()
        .filter(id -> ID_ORDER.compare(id, pass.after()) > 0 && !pass.listed().contains(id)
            && !l.changed().contains(id) && !pass.failing().containsKey(id) && !pass.skipped().containsKey(id))
        .sorted(ID_ORDER).toList();
    int maxChecks = pace.checks(pass.started(), retries.size() + due.size());
    if (maxChecks < 1) {
      throw new IllegalArgumentException("a round must check at least 1 topic, the pace gave " + maxChecks);
    }
    Checks c = new Checks(!l.changed().isEmpty(), pass.after());
    c.run(Stream.concat(retries.stream(), due.stream()).toList(), maxChecks, pass.failing()::containsKey, f);
    if (!c.failed.isEmpty() && !c.siteServes) {
      c.siteServes = probe(indexed.ours(), l.listed(), id -> c.failed.containsKey(id)
          || pass.failing().containsKey(id) || pass.skipped().containsKey(id));
    }
    Map<String, Failure> failing = new TreeMap<>(ID_ORDER);
    pass.failing().forEach((id, failure) -> {
      if (retries.contains(id) && !c.passed.contains(id)) {
        failing.put(id, failure);
      }
    });
    Map<String, String> skipped = new TreeMap<>(ID_ORDER);
    pass.skipped().forEach((id, error) -> {
      if (indexed.ours().contains(id) && !l.changed().contains(id)) {
        skipped.put(id, error);
      }
    });
    c.failed.forEach((id, error) -> {
      int inARow = failing.getOrDefault(id, new Failure(0, error)).count() + (c.siteServes ? 1 : 0);
      if (inARow >= SKIP_AFTER) {
        failing.remove(id);
        skipped.put(id, error);
      } else {
        failing.put(id, new Failure(inARow, error));
      }
    });
    String cursor = c.after;
    int left = (int) due.stream().filter(id -> ID_ORDER.compare(id, cursor) > 0).count() + failing.size();
    int deleted = pass.deleted() + (int) f.checks().stream().filter(found -> !found).count();
    Pass next = new Pass(pass.started(), pass.pages(), pass.listingComplete(), cursor,
        Stream.concat(pass.listed().stream(), f.docs().stream().map(KbDocument::id))
            .filter(id -> ID_ORDER.compare(id, cursor) > 0).collect(Collectors.toSet()),
        pass.checked() + c.checked, deleted, failing, skipped);
    Map<String, String> data = left == 0
        ? Map.of(fullSyncKey(), pass.started().toString(), fullSyncPassKey(), "", fullSyncSkippedKey(),
            Pass.encode(skipped))
        : Map.of(fullSyncPassKey(), next.encode());
    return new FullRound(write(lucene, f, l, indexed.previous(), c.checked, data), next, left == 0, left, maxChecks,
        c.stopped.or(() -> c.failed.values().stream().reduce((first, last) -> last)),
        c.failed.isEmpty() || c.siteServes);
  }

  /** Failed checks of a topic in a row, counted while the site served other topics, after which it is skipped. */
  public static final int SKIP_AFTER = 3;

  /** One round's checks, in order: what passed, what failed, whether the site was seen to serve topics. */
  private final class Checks {
    boolean siteServes;
    String after;
    int checked;
    final Set<String> passed = new HashSet<>();
    final Map<String, String> failed = new LinkedHashMap<>();
    Optional<String> stopped = Optional.empty();

    Checks(boolean siteServes, String after) {
      this.siteServes = siteServes;
      this.after = after;
    }

    /** Checks {@code ids} in order (retries, then fresh ones past the cursor) until {@code max} are done. */
    void run(List<String> ids, int max, Predicate<String> retry, Fetched f) {
      int attempts = 0;
      int inARow = 0;
      for (String id : ids) {
        if (attempts == max || inARow == 2) {
          break;
        }
        attempts++;
        try {
          f.check(id, fetchTopic(id));
          checked++;
          passed.add(id);
          siteServes = true;
          inARow = 0;
        } catch (SiteDown e) {
          stopped = Optional.of(checkFailed(e));
          break; // that topic is as it was: checked again as if this round had not reached it
        } catch (KbException e) {
          failed.put(id, checkFailed(e));
          inARow++;
        }
        if (!retry.test(id)) {
          after = id;
        }
      }
    }
  }

  /**
   * Whether the site serves another topic of ours (one the listing showed first): asked once in a round whose
   * checks all failed, so that their failures count against their topics only if the site is up. Its answer
   * is not written.
   */
  private boolean probe(Set<String> ours, Set<String> listed, Predicate<String> failing) {
    Optional<String> other = ours.stream().filter(failing.negate())
        .min(Comparator.comparing((String id) -> !listed.contains(id)).thenComparing(ID_ORDER));
    if (other.isEmpty()) {
      return false;
    }
    try {
      fetchTopic(other.get());
      return true;
    } catch (KbException e) {
      return false; // the site fails that one too: no failure of this round counts
    }
  }

  /** How many topics a round of a full sync checks at most. */
  @FunctionalInterface
  public interface Pace {
    /**
     * @param started when the full sync started
     * @param left the topics it has still to check as this round begins
     */
    int checks(Instant started, int left);
  }

  /** A failed check's message: the rest of the round is written, only the checked topic is left as it was. */
  private static String checkFailed(KbException e) {
    String m = e.getMessage();
    for (String unchanged : List.of(" The index was left unchanged.", "; the index was left unchanged.")) {
      if (m.endsWith(unchanged)) {
        m = m.substring(0, m.length() - unchanged.length()) + (unchanged.startsWith(";") ? "." : "");
      }
    }
    return m + " That topic was left as it was.";
  }

  /**
   * A round of a full sync spread over rounds ({@link #syncInFull}).
   *
   * @param sync what the round did (its {@code checked} counts this round's checks)
   * @param pass the full sync as it stands after this round: its start, the listing it began with, the
   *     topics checked and deleted so far
   * @param done whether every topic has now been checked: the full sync is complete and recorded
   * @param left topics still to check
   * @param pace the topics this round could check at most
   * @param checkError the error of this round's last failed check, if one failed (retried next round unless
   *     that topic is now skipped)
   * @param counted false when this round's failed checks did not count against their topics because the site
   *     served no other topic
   */
  public record FullRound(SyncReport sync, Pass pass, boolean done, int left, int pace,
      Optional<String> checkError, boolean counted) {}

  /**
   * A topic whose check failed, as a full sync in progress keeps it.
   *
   * @param count failed checks in a row that counted (the site served other topics in the same round)
   * @param error the last failure's message
   */
  public record Failure(int count, String error) {
    public Failure {
      Objects.requireNonNull(error, "error");
    }
  }

  /**
   * A full sync in progress, as kept in the index's commit data.
   *
   * @param started when its first round started; recorded as the last complete full sync once it ends
   * @param pages pages of the listing its first round read
   * @param listingComplete whether that listing was read to its end (else the page limit cut it short)
   * @param after the id of the last topic checked ("" before the first): the checks go on past it
   * @param listed the topics past {@code after} that the listing showed or a round of this full sync fetched,
   *     which need no check
   * @param checked topics checked so far
   * @param deleted topics deleted so far because a check found them gone
   * @param failing topics whose last check failed, checked again first each round, by id
   * @param skipped topics skipped for this full sync after {@link #SKIP_AFTER} counted failures in a row, with
   *     the last error, by id
   */
  public record Pass(Instant started, int pages, boolean listingComplete, String after, Set<String> listed,
      int checked, int deleted, Map<String, Failure> failing, Map<String, String> skipped) {
    public Pass {
      Objects.requireNonNull(started, "started");
      Objects.requireNonNull(after, "after");
      listed = Set.copyOf(listed);
      failing = byId(Objects.requireNonNull(failing, "failing"));
      skipped = byId(Objects.requireNonNull(skipped, "skipped"));
    }

    String encode() {
      ObjectNode n = JSON.createObjectNode().put("started", started.toString()).put("pages", pages)
          .put("listing_complete", listingComplete).put("after", after).put("checked", checked)
          .put("deleted", deleted);
      ArrayNode ids = n.putArray("listed");
      listed.stream().sorted(ID_ORDER).forEach(ids::add);
      ObjectNode failures = n.putObject("failing");
      failing.forEach((id, f) -> failures.putObject(id).put("count", f.count()).put("error", f.error()));
      n.set("skipped", JSON.valueToTree(skipped));
      return n.toString();
    }

    /** Skipped topics and their errors as the commit data keeps them: a JSON object, "" when there are none. */
    static String encode(Map<String, String> skipped) {
      return skipped.isEmpty() ? "" : JSON.valueToTree(byId(skipped)).toString();
    }

    /** The skipped topics written by {@link #encode(Map)}; none when {@code text} is empty or not such an object. */
    static Map<String, String> decodeSkipped(String text) {
      if (text == null || text.isBlank()) {
        return Map.of();
      }
      try {
        return skipped(JSON.readTree(text)).orElse(Map.of());
      } catch (JsonProcessingException e) {
        return Map.of();
      }
    }

    private static Optional<Map<String, String>> skipped(JsonNode n) {
      if (n.isMissingNode()) {
        return Optional.of(Map.of()); // written before topics were skipped
      }
      Map<String, String> out = new TreeMap<>(ID_ORDER);
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        if (!e.getValue().isTextual()) {
          return Optional.empty();
        }
        out.put(e.getKey(), e.getValue().asText());
      }
      return n.isObject() ? Optional.of(out) : Optional.empty();
    }

    private static Optional<Map<String, Failure>> failing(JsonNode n) {
      if (n.isMissingNode()) {
        return Optional.of(Map.of()); // written before failures were kept
      }
      Map<String, Failure> out = new TreeMap<>(ID_ORDER);
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        JsonNode f = e.getValue();
        if (!f.path("count").isInt() || !f.path("error").isTextual()) {
          return Optional.empty();
        }
        out.put(e.getKey(), new Failure(f.path("count").asInt(), f.path("error").asText()));
      }
      return n.isObject() ? Optional.of(out) : Optional.empty();
    }

    /** The pass written by {@link #encode()}, or empty when {@code text} is empty or not one. */
    static Optional<Pass> decode(String text) {
      if (text == null || text.isBlank()) {
        return Optional.empty();
      }
      try {
        JsonNode n = JSON.readTree(text);
        Set<String> listed = new HashSet<>();
        for (JsonNode id : n.path("listed")) {
          listed.add(id.asText());
        }
        Optional<Map<String, Failure>> failing = failing(n.path("failing"));
        Optional<Map<String, String>> skipped = skipped(n.path("skipped"));
        if (!n.path("listed").isArray() || !n.path("pages").isInt() || !n.path("checked").isInt()
            || !n.path("deleted").isInt() || !n.path("after").isTextual() || !n.path("listing_complete").isBoolean()
            || failing.isEmpty() || skipped.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(new Pass(Instant.parse(n.path("started").asText()), n.path("pages").asInt(),
            n.path("listing_complete").asBoolean(), n.path("after").asText(), listed, n.path("checked").asInt(),
            n.path("deleted").asInt(), failing.get(), skipped.get()));
      } catch (JsonProcessingException | DateTimeParseException e) {
        return Optional.empty();
      }
    }
  }

  /**
   * What the index says of this site's full syncs.
   *
   * @param lastComplete when the last complete full sync ({@link #syncInFull}) started
   * @param pass the full sync in progress, if any
   * @param skipped the topics the last complete full sync skipped because their checks kept failing, with
   *     their last errors, by id
   */
  public record FullSyncState(Optional<Instant> lastComplete, Optional<Pass> pass, Map<String, String> skipped) {
    /** Nothing recorded: a full sync is due. */
    public static final FullSyncState NONE = new FullSyncState(Optional.empty(), Optional.empty());

    public FullSyncState {
      Objects.requireNonNull(lastComplete, "lastComplete");
      Objects.requireNonNull(pass, "pass");
      skipped = byId(Objects.requireNonNull(skipped, "skipped"));
    }

    /** A state whose last complete full sync, if any, skipped no topic. */
    public FullSyncState(Optional<Instant> lastComplete, Optional<Pass> pass) {
      this(lastComplete, pass, Map.of());
    }
  }

  /** The commit-data key holding when this site's last complete full sync started. */
  public String fullSyncKey() {
    return "discourse.full_sync " + config.baseUrl();
  }

  /** The commit-data key holding this site's full sync in progress. */
  public String fullSyncPassKey() {
    return "discourse.full_sync.pass " + config.baseUrl();
  }

  /** The commit-data key holding the topics this site's last complete full sync skipped, with their errors. */
  public String fullSyncSkippedKey() {
    return "discourse.full_sync.skipped " + config.baseUrl();
  }

  /**
   * This site's full-sync state as the last commit of the index at {@code kbDir} recorded it, read without
   * taking the index's write lock. A value that is missing or cannot be read counts as never recorded, so a
   * full sync is due; an index that cannot be read gives {@link FullSyncState#NONE}.
   */
  public FullSyncState fullSyncState(Path kbDir) {
    try (Directory dir = FSDirectory.open(KbIndexing.luceneDir(kbDir))) {
      return fullSyncState(SegmentInfos.readLatestCommit(dir).getUserData());
    } catch (IOException | RuntimeException e) {
      return FullSyncState.NONE;
    }
  }

  private FullSyncState fullSyncState(Map<String, String> userData) {
    Optional<Instant> last;
    try {
      last = Optional.ofNullable(userData.get(fullSyncKey())).filter(v -> !v.isBlank()).map(Instant::parse);
    } catch (DateTimeParseException e) {
      last = Optional.empty();
    }
    return new FullSyncState(last, Pass.decode(userData.get(fullSyncPassKey())),
        last.isPresent() ? Pass.decodeSkipped(userData.get(fullSyncSkippedKey())) : Map.of());
  }

  /**
   * Topic ids in order: numbers (Discourse's ids) by value, before anything else by text; {@code ""} (no
   * topic checked yet) before all.
   */
  static final Comparator<String> ID_ORDER = (a, b) -> {
    if (a.equals(b)) {
      return 0;
    } else if (a.isEmpty() || b.isEmpty()) {
      return a.isEmpty() ? -1 : 1;
    }
    boolean numberA = isNumber(a);
    boolean numberB = isNumber(b);
    if (numberA != numberB) {
      return numberA ? -1 : 1;
    }
    int byValue = numberA ? Long.compare(Long.parseLong(a), Long.parseLong(b)) : 0;
    return byValue != 0 ? byValue : a.compareTo(b);
  };

  /** An unmodifiable copy of {@code byTopic} in the order of its topic ids. */
  static <V> Map<String, V> byId(Map<String, V> byTopic) {
    Map<String, V> sorted = new TreeMap<>(ID_ORDER);
    sorted.putAll(byTopic);
    return Collections.unmodifiableMap(sorted);
  }

  private static boolean isNumber(String id) {
    return !id.isEmpty() && id.length() <= 18 && id.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** What the index holds before a sync: the watermark, the commit data and (for a full sync) this site's topics. */
  private record Indexed(String previous, Instant since, Map<String, String> userData, Set<String> ours) {}

  private Indexed indexed(Path lucene, boolean withOurs) {
    Set<String> ours = new HashSet<>();
    try (KbIndexWriter w = KbIndexWriter.open(lucene)) {
      Map<String, String> data = w.userData();
      String previous = data.getOrDefault(watermarkKey(), "");
      if (withOurs) {
        String prefix = config.baseUrl() + "/t/";
        w.urls(Source.FORUM).forEach((id, url) -> {
          if (url != null && url.startsWith(prefix)) {
            ours.add(id);
          }
        });
      }
      return new Indexed(previous, previous.isEmpty() ? null : Instant.parse(previous), data, ours);
    }
  }

  /**
   * The listing as read.
   *
   * @param changed topics to fetch: bumped since the watermark, or (full) listed and not indexed
   * @param listed every topic the pages read showed
   */
  private record Listing(Set<String> changed, Set<String> listed, Instant newest, int pages, boolean complete) {}

  private Listing list(Instant since, boolean full, Set<String> ours) {
    Set<String> changed = new LinkedHashSet<>();
    Set<String> listed = new HashSet<>();
    Instant newest = since;
    int pages = 0;
    boolean more = true;
    boolean complete = false;
    for (int page = 0; more && page < config.maxPages(); page++) {
      String url = config.baseUrl() + "/latest.json?page=" + page;
      JsonNode list = getJson(url);
      pages++;
      JsonNode topics = list.path("topic_list").path("topics");
      if (!topics.isArray()) {
        throw new KbException("GET " + url + ": the response has no \"topic_list.topics\" array; is "
            + config.baseUrl() + " a Discourse forum? The index was left unchanged.");
      }
      if (topics.isEmpty()) {
        complete = true;
        break;
      }
      for (JsonNode t : topics) {
        String id = t.path("id").asText("");
        if (id.isEmpty()) {
          throw new KbException("GET " + url + ": a topic has no \"id\"; the index was left unchanged.");
        }
        listed.add(id);
        Instant bumped = time(t, url);
        if (since != null && bumped != null && !bumped.isAfter(since)) {
          if (!full && !t.path("pinned").asBoolean(false)) {
            more = false;
          }
          if (full && !ours.contains(id)) {
            changed.add(id); // listed, not bumped, and not in the index (e.g. made public again)
          }
          continue;
        }
        changed.add(id);
        if (bumped != null && (newest == null || bumped.isAfter(newest))) {
          newest = bumped;
        }
      }
      if (more && list.path("topic_list").path("more_topics_url").asText("").isEmpty()) {
        more = false;
        complete = true;
      }
    }
    return new Listing(changed, listed, newest, pages, complete);
  }

  /** Topics fetched to be written, topics found gone, and for each check in order whether its topic was there. */
  private record Fetched(List<KbDocument> docs, List<String> gone, List<Boolean> checks) {
    /** A topic as fetched: to be written, or gone. */
    void add(String id, Optional<KbDocument> topic) {
      topic.ifPresentOrElse(docs::add, () -> gone.add(id));
    }

    void check(String id, Optional<KbDocument> topic) {
      add(id, topic);
      checks.add(topic.isPresent());
    }
  }

  private Fetched fetch(Set<String> ids) {
    Fetched f = new Fetched(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (String id : ids) {
      f.add(id, fetchTopic(id));
    }
    return f;
  }

  /** Writes what was fetched and the new watermark, with {@code extra} commit data, in one commit. */
  private SyncReport write(Path lucene, Fetched f, Listing l, String previous, int checked,
      Map<String, String> extra) {
    try (KbIndexWriter w = KbIndexWriter.open(lucene)) {
      Map<String, String> hashes = w.hashes(Source.FORUM);
      int added = 0;
      int updated = 0;
      int unchanged = 0;
      long t0 = System.nanoTime();
      for (KbDocument d : f.docs()) {
        String old = hashes.get(d.id());
        if (d.contentHash().equals(old)) {
          unchanged++;
          continue;
        }
        w.put(d);
        if (old == null) {
          added++;
        } else {
          updated++;
        }
      }
      int deleted = 0;
      for (String id : f.gone()) {
        if (hashes.containsKey(id)) {
          w.delete(Source.FORUM, id);
          deleted++;
        }
      }
      String mark = l.newest() == null ? previous : l.newest().toString();
      Map<String, String> data = new HashMap<>(extra);
      if (!mark.isEmpty()) {
        data.put(watermarkKey(), mark);
      }
      w.commit(data);
      return new SyncReport(l.pages(), f.docs().size(), deleted, checked, l.complete(),
          new IndexReport(added, updated, unchanged, deleted, System.nanoTime() - t0), mark,
          Optional.ofNullable(extra.get(fullSyncKey())).map(Instant::parse));
    }
  }

  /**
   * One topic, or empty when the site no longer shows it: 404 or 410, 403 (moved where the bot's
   * user may not read it), or a topic that staff still see but that is deleted ({@code deleted_at}
   * set) or unlisted ({@code visible: false}).
   */
  private Optional<KbDocument> fetchTopic(String id) {
    String url = config.baseUrl() + "/t/" + id + ".json";
    HttpResponse<String> r = get(url);
    int status = r.statusCode();
    if (status == 404 || status == 410 || status == 403) {
      return Optional.empty();
    }
    checkStatus(url, r);
    try {
      JsonNode root = DiscourseTopics.readTree(r.body(), "GET " + url);
      JsonNode deletedAt = root.path("deleted_at");
      if (!(deletedAt.isMissingNode() || deletedAt.isNull()) || !root.path("visible").asBoolean(true)) {
        return Optional.empty();
      }
      return Optional.of(DiscourseTopics.parse(root, "GET " + url, config.baseUrl().toString()));
    } catch (IngestException e) {
      throw new KbException(e.getMessage() + "; the index was left unchanged.", e);
    }
  }

  private static Instant time(JsonNode topic, String url) {
    for (String f : new String[] {"bumped_at", "last_posted_at", "created_at"}) {
      String v = topic.path(f).asText("");
      if (!v.isEmpty()) {
        try {
          return Instant.parse(v);
        } catch (DateTimeParseException e) {
          throw new KbException("GET " + url + ": topic " + topic.path("id").asText() + " has \"" + f + "\": \""
              + v + "\", which is not an ISO-8601 time; the index was left unchanged.", e);
        }
      }
    }
    return null;
  }

  private JsonNode getJson(String url) {
    HttpResponse<String> r = get(url);
    checkStatus(url, r);
    try {
      JsonNode n = JSON.readTree(r.body());
      if (n == null || !n.isObject()) {
        throw new KbException("GET " + url + ": expected a JSON object; the index was left unchanged.");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new KbException("GET " + url + ": the response is not valid JSON (" + e.getOriginalMessage()
          + "); the index was left unchanged.", e);
    }
  }

  /**
   * A failure that says nothing of the topic asked for: the site is rate limiting, refuses the key, or cannot
   * be reached at all. A full sync's check that fails so never counts against its topic.
   */
  private static final class SiteDown extends KbException {
    SiteDown(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private void checkStatus(String url, HttpResponse<String> r) {
    int s = r.statusCode();
    if (s == 200) {
      return;
    }
    String hint = switch (s) {
      case 401, 403 -> "the forum refused access; set " + ENV_API_KEY + " (and " + ENV_API_USERNAME
          + ") to a valid API key";
      case 404 -> "no such page; check the forum URL " + config.baseUrl();
      case 429 -> "the forum is rate limiting; retry later";
      default -> s >= 500 ? "the forum has a server error; retry later" : "unexpected status";
    };
    String message = "GET " + url + " returned HTTP " + s + ": " + hint + ". The index was left unchanged.";
    throw s == 429 || s == 401 ? new SiteDown(message, null) : new KbException(message);
  }

  private HttpResponse<String> get(String url) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .timeout(config.timeout())
        .header("Accept", "application/json")
        .GET();
    config.apiKey().ifPresent(k -> b.header("Api-Key", k).header("Api-Username", config.apiUsername()));
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException e) {
      throw new SiteDown("GET " + url + " timed out after " + config.timeout().toMillis()
          + " ms; the forum is too slow or unreachable. The index was left unchanged.", e);
    } catch (HttpTimeoutException e) {
      // the site took the request: a topic too slow to serve may be that topic's problem alone
      throw new KbException("GET " + url + " timed out after " + config.timeout().toMillis()
          + " ms; the forum is too slow or unreachable. The index was left unchanged.", e);
    } catch (IOException e) {
      throw new SiteDown("GET " + url + " failed (" + e.getClass().getSimpleName() + ": " + e.getMessage()
          + "); check the forum URL and the network. The index was left unchanged.", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KbException("GET " + url + " was interrupted; the index was left unchanged.", e);
    }
  }
}
