package org.supportbot.core.timer;

import java.time.Instant;
import java.util.Optional;

/** What the scheduler drives: applies the effects of timers due by an instant. */
public interface TimerFiring {
  /**
   * Fires every timer due at or before {@code now} (at most {@code limit}), each applied exactly
   * once, and returns how many fired.
   */
  int fireDue(Instant now, int limit);

  /** When the next unfired timer is due. */
  Optional<Instant> nextDue();
}
