package org.supportbot.app.platform;

import java.time.Duration;
import org.supportbot.core.conversation.Inbound;

/**
 * What a chat adapter tells the operators' metrics. Implementations must not put message text,
 * people or channels into labels; the inbound is passed only for its kind and command name.
 */
public interface PlatformMetrics {

  /** Reports nothing; for adapters run on their own (tests, tools). */
  PlatformMetrics NONE = new PlatformMetrics() {
    @Override
    public void handled(String platform, Inbound in, boolean ok, Duration took) {}

    @Override
    public void rateLimited(String platform) {}

    @Override
    public void bucketEmptied(String platform) {}
  };

  /**
   * One inbound handled end to end: the desk's work and the platform calls it caused.
   *
   * @param ok false when handling it failed with an error
   */
  void handled(String platform, Inbound in, boolean ok, Duration took);

  /** A response 429 (Too Many Requests) from the platform. */
  void rateLimited(String platform);

  /**
   * A response announcing an empty rate-limit bucket ({@code X-RateLimit-Remaining: 0}): the client
   * waits for the bucket to reset before its next call on that route.
   */
  void bucketEmptied(String platform);

  /**
   * One call answered by the platform's API, for a client whose calls are not counted elsewhere:
   * {@code ok} false when it was refused or failed (a 429 is {@link #rateLimited}, not this).
   */
  default void answered(String platform, boolean ok) {}
}
