package org.supportbot.core.store;

import java.util.List;
import java.util.Optional;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.IncidentSnapshot;

/**
 * Port: the durable record of incidents. One writer calls {@link #commit}; reads may come from
 * any thread and never return a state older than the last completed commit.
 */
public interface IncidentStore {
  Optional<IncidentSnapshot> snapshot(IncidentNumber number);

  /** Incidents at a chat place that are not closed or dropped. */
  List<IncidentSnapshot> openAt(ChatPlace place);

  /** Incidents of an organization that are not closed or dropped, by number. */
  List<IncidentSnapshot> openFor(String organizationId);

  /**
   * The work queue: active incidents (new, acknowledged, in progress, waiting on the customer)
   * ordered by their next SLA deadline, those without a running deadline last, at most {@code limit}.
   */
  List<IncidentSnapshot> queue(int limit);

  /** Active incidents an engineer holds. */
  List<IncidentSnapshot> claimedBy(Identity engineer);

  /** How many cases of an organization used one of its contract's free tasks. */
  int freeTasksUsed(String organizationId);

  /** The log of one incident, oldest first. */
  List<IncidentEvent> events(IncidentNumber number);

  /**
   * Events of every incident logged after the event {@code afterId}, in the order they were
   * committed, at most {@code limit}; each with its log id (ids grow with every commit).
   */
  List<Logged> eventsAfter(long afterId, int limit);

  /** An event with its id in the log. */
  record Logged(long id, IncidentEvent event) {}

  /** The outcome recorded for a command's idempotency key. */
  Optional<IncidentOutcome> outcome(String idempotencyKey);

  /** The highest incident number issued for an organization key; 0 when none. */
  int lastNumber(String orgKey);

  /**
   * How many events the log of an incident holds (its version); 0 when there is no such incident. A
   * cached incident with fewer events is older than the stored one.
   */
  default long eventCount(IncidentNumber number) {
    return snapshot(number).map(IncidentSnapshot::eventCount).orElse(0L);
  }

  /**
   * Whether other instances may write to this store at the same time (PostgreSQL): then the caller
   * may cache nothing it does not check against {@link #eventCount} or {@link #lastNumber}, and
   * {@link #commit} may fail with {@link WrittenElsewhereException}. False for a store one process
   * owns (SQLite).
   */
  default boolean shared() {
    return false;
  }

  /**
   * Runs {@code work} while no other instance on a shared store runs work under the same {@code name}, and
   * returns what it returns: e.g. the filings' numbering, which every instance decides from the last stored
   * number and would otherwise decide again and again while the others commit theirs. A store one process
   * owns runs it at once.
   */
  default <T> T exclusive(String name, java.util.function.Supplier<T> work) {
    return work.get();
  }

  /**
   * Writes a change set atomically and durably.
   *
   * @throws WrittenElsewhereException when another instance wrote first an event at the same place
   *     of a log, the same incident number, the outcome of the same key, or fired the same timer;
   *     nothing is written
   */
  void commit(ChangeSet changes);
}
