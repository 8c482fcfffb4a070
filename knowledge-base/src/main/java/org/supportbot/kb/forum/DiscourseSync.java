package org.supportbot.kb.forum;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
   */
  public record SyncReport(int pages, int fetched, int deleted, int checked, boolean complete, IndexReport index,
      String watermark) {}

  public DiscourseSync(Config config) {
    this(config, HttpClient.newBuilder()
        .connectTimeout(config.timeout())
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build());
  }

  public DiscourseSync(Config config, HttpClient http) {
    this.config = Objects.requireNonNull(config, "config");
    this.http = Objects.requireNonNull(http, "http");
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
   * the page limit cuts the listing short, absence proves nothing and no topic is checked.
   */
  public SyncReport sync(Path kbDir, boolean full) {
    Path lucene = KbIndexing.luceneDir(kbDir);
    String previous;
    Set<String> ours = new HashSet<>();
    try (KbIndexWriter w = KbIndexWriter.open(lucene)) {
      previous = w.userData().getOrDefault(watermarkKey(), "");
      if (full) {
        String prefix = config.baseUrl() + "/t/";
        w.urls(Source.FORUM).forEach((id, url) -> {
          if (url != null && url.startsWith(prefix)) {
            ours.add(id);
          }
        });
      }
    }
    Instant since = previous.isEmpty() ? null : Instant.parse(previous);

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

    List<KbDocument> docs = new ArrayList<>();
    List<String> gone = new ArrayList<>();
    for (String id : changed) {
      fetchTopic(id).ifPresentOrElse(docs::add, () -> gone.add(id));
    }
    int checked = 0;
    if (full && complete) {
      for (String id : ours) {
        if (!listed.contains(id)) {
          checked++;
          fetchTopic(id).ifPresentOrElse(docs::add, () -> gone.add(id));
        }
      }
    }

    try (KbIndexWriter w = KbIndexWriter.open(lucene)) {
      Map<String, String> hashes = w.hashes(Source.FORUM);
      int added = 0;
      int updated = 0;
      int unchanged = 0;
      long t0 = System.nanoTime();
      for (KbDocument d : docs) {
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
      for (String id : gone) {
        if (hashes.containsKey(id)) {
          w.delete(Source.FORUM, id);
          deleted++;
        }
      }
      String mark = newest == null ? previous : newest.toString();
      w.commit(mark.isEmpty() ? Map.of() : Map.of(watermarkKey(), mark));
      return new SyncReport(pages, docs.size(), deleted, checked, complete,
          new IndexReport(added, updated, unchanged, deleted, System.nanoTime() - t0), mark);
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
    throw new KbException("GET " + url + " returned HTTP " + s + ": " + hint + ". The index was left unchanged.");
  }

  private HttpResponse<String> get(String url) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .timeout(config.timeout())
        .header("Accept", "application/json")
        .GET();
    config.apiKey().ifPresent(k -> b.header("Api-Key", k).header("Api-Username", config.apiUsername()));
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new KbException("GET " + url + " timed out after " + config.timeout().toMillis()
          + " ms; the forum is too slow or unreachable. The index was left unchanged.", e);
    } catch (IOException e) {
      throw new KbException("GET " + url + " failed (" + e.getClass().getSimpleName() + ": " + e.getMessage()
          + "); check the forum URL and the network. The index was left unchanged.", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KbException("GET " + url + " was interrupted; the index was left unchanged.", e);
    }
  }
}
