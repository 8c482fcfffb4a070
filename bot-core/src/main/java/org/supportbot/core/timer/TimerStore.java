package org.supportbot.core.timer;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: reads of the durable timers; they are written with the incident they belong to. */
public interface TimerStore {
  /** Unfired timers due at or before {@code now}, earliest first. */
  List<Timer> due(Instant now, int limit);

  /** When the earliest unfired timer is due. */
  Optional<Instant> nextDue();

  /** How many timers have not fired yet. */
  long pending();

  /** How many unfired timers are due at or before {@code instant}. */
  long dueBy(Instant instant);
}
