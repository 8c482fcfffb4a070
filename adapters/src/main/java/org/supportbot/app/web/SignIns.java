package org.supportbot.app.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One-time sign-in links and the sessions they start. Only SHA-256 hashes of link tokens and
 * session ids are kept, so a copy of this memory (or a heap dump) cannot sign anyone in. A link
 * works once, within {@link #LINK_LIFETIME}; a session ends on sign-out or after {@code idle}
 * without a request. Everything is in memory: a restart signs everyone out.
 */
public final class SignIns {
  /** How long a sign-in link from {@code /board} works. */
  public static final Duration LINK_LIFETIME = Duration.ofMinutes(5);
  /** 256 random bits in lower-case hex: nothing in it that chat markup (Slack, Discord) would escape or format. */
  private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;
  private final Duration idle;
  private final Map<String, Link> links = new ConcurrentHashMap<>();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  private record Link(Viewer viewer, Instant expires, boolean used) {}

  /** A signed-in person: who, the token their forms carry against cross-site requests, when last seen. */
  public static final class Session {
    private final String key;
    private final Viewer viewer;
    private final String csrf;
    private volatile Instant lastSeen;

    Session(String key, Viewer viewer, String csrf, Instant lastSeen) {
      this.key = key;
      this.viewer = viewer;
      this.csrf = csrf;
      this.lastSeen = lastSeen;
    }

    public Viewer viewer() {
      return viewer;
    }

    public String csrf() {
      return csrf;
    }
  }

  /** Why a link did not sign anyone in. */
  public enum LinkProblem {
    /** Not a token this desk issued (mistyped, cut off, forged). */
    UNKNOWN,
    /** Issued, but older than {@link #LINK_LIFETIME}. */
    EXPIRED,
    /** Issued and already used once. */
    USED
  }

  /** What a link came to: a session, or a problem. */
  public record Redeemed(Optional<String> sessionId, Optional<Session> session, Optional<LinkProblem> problem) {}

  public SignIns(Clock clock, Duration idle) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.idle = Objects.requireNonNull(idle, "idle");
  }

  /** A new link token for {@code viewer}; only its hash is kept. */
  public String issue(Viewer viewer) {
    Objects.requireNonNull(viewer, "viewer");
    purge();
    String token = random();
    links.put(hash(token), new Link(viewer, clock.instant().plus(LINK_LIFETIME), false));
    return token;
  }

  /** Whether the token would sign in now, without using it (the page that asks to confirm). */
  public Optional<LinkProblem> check(String token) {
    if (token == null || !TOKEN.matcher(token).matches()) {
      return Optional.of(LinkProblem.UNKNOWN);
    }
    Link link = links.get(hash(token));
    return Optional.ofNullable(problem(link));
  }

  /** Uses the token: once, within its lifetime. */
  public Redeemed redeem(String token) {
    if (token == null || !TOKEN.matcher(token).matches()) {
      return new Redeemed(Optional.empty(), Optional.empty(), Optional.of(LinkProblem.UNKNOWN));
    }
    String h = hash(token);
    Link[] taken = new Link[1];
    links.computeIfPresent(h, (k, link) -> {
      taken[0] = link;
      return link.used() ? link : new Link(link.viewer(), link.expires(), true);
    });
    LinkProblem p = problem(taken[0]);
    if (p != null) {
      return new Redeemed(Optional.empty(), Optional.empty(), Optional.of(p));
    }
    String id = random();
    Session s = new Session(hash(id), taken[0].viewer(), random(), clock.instant());
    sessions.put(s.key, s);
    return new Redeemed(Optional.of(id), Optional.of(s), Optional.empty());
  }

  private LinkProblem problem(Link link) {
    if (link == null) {
      return LinkProblem.UNKNOWN;
    }
    if (link.used()) {
      return LinkProblem.USED;
    }
    return clock.instant().isAfter(link.expires()) ? LinkProblem.EXPIRED : null;
  }

  /** The live session of a cookie value, touched; empty for an unknown, forged or idle one. */
  public Optional<Session> session(String id) {
    if (id == null || !TOKEN.matcher(id).matches()) {
      return Optional.empty();
    }
    Session s = sessions.get(hash(id));
    if (s == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (now.isAfter(s.lastSeen.plus(idle))) {
      sessions.remove(s.key);
      return Optional.empty();
    }
    s.lastSeen = now;
    return Optional.of(s);
  }

  /** Whether the session is still live, without touching it (a live stream asks this). */
  public boolean live(Session s) {
    return sessions.containsKey(s.key) && !clock.instant().isAfter(s.lastSeen.plus(idle));
  }

  public void signOut(Session s) {
    sessions.remove(s.key);
  }

  /** Drops links past their lifetime (used ones are kept until then, to tell "used" from "unknown"). */
  private void purge() {
    Instant now = clock.instant();
    links.values().removeIf(l -> now.isAfter(l.expires().plus(LINK_LIFETIME)));
    sessions.values().removeIf(s -> now.isAfter(s.lastSeen.plus(idle)));
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Constant-time comparison of two secrets (form tokens). */
  static boolean same(String a, String b) {
    return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8),
        b.getBytes(StandardCharsets.UTF_8));
  }
}
