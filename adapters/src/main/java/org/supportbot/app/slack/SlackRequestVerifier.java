package org.supportbot.app.slack;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks Slack's request signature: {@code v0=hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" +
 * body))} over the byte-exact body, compared in constant time, with the timestamp at most five
 * minutes from now in either direction. Stricter than Bolt's own check, which accepts any future
 * timestamp and compares with {@code String.equals}.
 */
public final class SlackRequestVerifier {

  /** How far a request's timestamp may be from now, in the past or the future. */
  public static final Duration TOLERANCE = Duration.ofMinutes(5);

  /** The outcome of a check. */
  public sealed interface Verdict {}

  /** The request is Slack's. */
  public record Valid() implements Verdict {}

  /** The request is refused; {@code reason} names what was wrong, never the secret. */
  public record Rejected(String reason) implements Verdict {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }

  private final SecretKeySpec key;
  private final Clock clock;

  public SlackRequestVerifier(String signingSecret, Clock clock) {
    Objects.requireNonNull(signingSecret, "signingSecret");
    if (signingSecret.isBlank()) {
      throw new IllegalArgumentException("the Slack signing secret is empty; set SLACK_SIGNING_SECRET to the value on"
          + " your app's Basic Information page");
    }
    this.key = new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Checks one request.
   *
   * @param timestamp the {@code X-Slack-Request-Timestamp} header, or null when absent
   * @param signature the {@code X-Slack-Signature} header, or null when absent
   * @param body the raw request body, exactly as received
   */
  public Verdict verify(String timestamp, String signature, byte[] body) {
    if (timestamp == null || signature == null) {
      return new Rejected("missing X-Slack-Request-Timestamp or X-Slack-Signature header");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.strip());
    } catch (NumberFormatException e) {
      return new Rejected("X-Slack-Request-Timestamp is not a number of seconds");
    }
    long skew;
    try {
      skew = Math.absExact(Math.subtractExact(clock.instant().getEpochSecond(), seconds));
    } catch (ArithmeticException e) {
      skew = Long.MAX_VALUE;
    }
    if (skew > TOLERANCE.toSeconds()) {
      return new Rejected("request timestamp is " + (skew == Long.MAX_VALUE ? "far" : skew + " s") + " away from now,"
          + " more than the " + TOLERANCE.toSeconds() + " s allowed");
    }
    byte[] expected = ("v0=" + HexFormat.of().formatHex(sign(timestamp.strip(), body))).getBytes(StandardCharsets.UTF_8);
    byte[] given = signature.strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, given) ? new Valid() : new Rejected("signature does not match");
  }

  /** The signature Slack would send for {@code body} at {@code timestamp}; for tests and tools. */
  public String signatureFor(String timestamp, byte[] body) {
    return "v0=" + HexFormat.of().formatHex(sign(timestamp, body));
  }

  private byte[] sign(String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }
}
