package org.supportbot.core.testing;

import java.time.Instant;
import org.supportbot.core.time.ManualClock;

/** The clock tests move by hand. */
public final class MutableClock extends ManualClock {
  public MutableClock(Instant start) {
    super(start);
  }
}
