package org.supportbot.app.platform;

import java.util.Objects;

/**
 * How an adapter is linked into the process around one desk.
 *
 * @param metrics what the adapter reports to
 * @param router where the desk's messages for other platforms go; the adapter registers its own outlet
 * @param firesTimers whether the adapter fires the desk's timers itself; false when the process runs one
 *     timer scheduler for every adapter ({@code supportbot run})
 */
public record DeskLink(PlatformMetrics metrics, OutboundRouter router, boolean firesTimers) {
  public DeskLink {
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(router, "router");
  }

  /** An adapter on its own: no metrics, nobody else to route to, firing the desk's timers itself. */
  public static DeskLink standalone() {
    return new DeskLink(PlatformMetrics.NONE, new OutboundRouter(), true);
  }
}
