package org.supportbot.core.desk;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.directory.Directory;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.CaseLookup;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.CountdownDue;
import org.supportbot.core.incident.Decision;
import org.supportbot.core.incident.Incident;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.incident.Lifecycle;
import org.supportbot.core.incident.TimerPlan;
import org.supportbot.core.sla.SlaCalculator;
import org.supportbot.core.store.ChangeSet;
import org.supportbot.core.store.IncidentStore;
import org.supportbot.core.store.WrittenElsewhereException;
import org.supportbot.core.timer.Timer;
import org.supportbot.core.timer.TimerFiring;
import org.supportbot.core.timer.TimerStore;

/**
 * The application service of incidents: every inbound command and every due timer goes through
 * here.
 *
 * <p>Writes are serialized (one writer): a command is looked up by its idempotency key first, and
 * a replay returns the first outcome with no second effect; otherwise the {@link Lifecycle}
 * decides, and the events, the new snapshots, the re-planned timers of every touched incident and
 * the outcome are committed in one transaction (shared with the commands queued at the same
 * moment: group commit, see {@link #handle}). Refusals are recorded too, so a replay of a refused
 * command is refused with the same reason. Two engineers claiming one case at once: the first
 * claim wins, the second gets {@link IncidentOutcome.HeldBy} naming the holder.
 *
 * <p>On a store several instances share ({@link IncidentStore#shared()}, PostgreSQL), the writer lock
 * orders this instance only: incident numbers are read from the store, a cached case is used only while
 * its event count is the stored one, and a commit another instance overtook ({@link
 * WrittenElsewhereException}) is decided again from fresh reads, so a case's commands are applied one at
 * a time across instances and none fails because another instance wrote first.
 *
 * <p>Reads ({@link #incident}, {@link #openAt}, {@link #openFor}, {@link #queue}, {@link #mine},
 * {@link #log}) may come from any thread and see every completed commit.
 */
public final class IncidentDesk implements TimerFiring {
  /**
   * Told about the events of every completed commit, in order (e.g. to post pings). Called on the
   * writing thread while it holds the writer: hand the work to another thread and return.
   */
  @FunctionalInterface
  public interface Listener {
    void committed(List<IncidentEvent> events);

    /** Live countdowns to refresh (timers of kind countdown), after their firing committed. */
    default void countdowns(List<CountdownDue> due) {}

    /**
     * Timers whose firing committed, fired for the instant {@code at}: each was {@code at - dueAt}
     * late (e.g. for metrics of timer lateness).
     */
    default void timersFired(List<Timer> fired, Instant at) {}
  }

  /**
   * How the durable timers stand: {@code pending} not fired yet, {@code late} not fired although
   * due at or before the instant asked about (set-aside timers not counted), {@code setAside}
   * failing to fire until the next start.
   */
  public record TimerCounts(long pending, long late, int setAside) {}

  private final IncidentStore store;
  private final TimerStore timers;
  private final Directory directory;
  private final Function<String, Optional<SupportPolicy>> policies;
  private final TimerPlan plan;
  private final Clock clock;
  private final Listener listener;
  private final Lifecycle lifecycle = new Lifecycle();
  /** The most commands one group commit holds. */
  public static final int MAX_BATCH = 256;

  private static final Logger LOG = LoggerFactory.getLogger(IncidentDesk.class);

  private final ReentrantLock writer = new ReentrantLock();
  private final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();
  /** Timers that failed to fire alone, by key, with their due time. */
  private final Map<String, Instant> setAside = new ConcurrentHashMap<>();
  private final Map<String, SlaCalculator> calculators = new ConcurrentHashMap<>();
  /** The last incident number per organization key (a store only this process writes to). */
  private final Map<String, Integer> lastNumbers = new HashMap<>();
  /** How many times a batch or a firing was decided again because another instance wrote first. */
  private final java.util.concurrent.atomic.AtomicLong retried = new java.util.concurrent.atomic.AtomicLong();
  /** How often a batch is decided again after another instance wrote first, before its commands fail. */
  static final int ATTEMPTS = 32;
  private final Cache<IncidentNumber, Incident> live = Caffeine.newBuilder().maximumSize(20_000).build();

  public IncidentDesk(IncidentStore store, TimerStore timers, Directory directory,
      Function<String, Optional<SupportPolicy>> policies, TimerPlan plan, Clock clock, Listener listener) {
    this.store = Objects.requireNonNull(store, "store");
    this.timers = Objects.requireNonNull(timers, "timers");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.policies = Objects.requireNonNull(policies, "policies");
    this.plan = Objects.requireNonNull(plan, "plan");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Handles one command: files a case or changes one. Returns the outcome once it is committed; a
   * replayed idempotency key returns the outcome of its first handling and changes nothing.
   *
   * <p>Group commit: commands arriving while another is being written queue up, and the next
   * writer decides up to {@value #MAX_BATCH} of them one after the other (each sees the effects of
   * those before it) and commits them in one transaction. Every caller returns only after the
   * transaction holding its command committed. A command whose decision fails with an exception is
   * left out of the batch and its caller gets the exception; if the commit fails, every caller of
   * the batch gets the failure and nothing of the batch is stored.
   */
  public IncidentOutcome handle(IncidentCommand command) {
    Objects.requireNonNull(command, "command");
    Request request = new Request(command, new CompletableFuture<>());
    queue.add(request);
    while (!request.result().isDone()) {
      if (writer.tryLock()) {
        try {
          writeAllQueued();
        } finally {
          writer.unlock();
        }
        serveStranded();
      } else {
        // the writer holding the lock serves this request, or the queue check after its unlock does
        awaitQuietly(request.result());
      }
    }
    try {
      return request.result().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  /**
   * Writes queued commands until none are left, after a writer released the lock: a command queued
   * just before the release found the lock taken and waits for someone to write it.
   */
  private void serveStranded() {
    while (!queue.isEmpty() && writer.tryLock()) {
      try {
        writeAllQueued();
      } finally {
        writer.unlock();
      }
    }
  }

  private void writeAllQueued() {
    while (!queue.isEmpty()) {
      writeQueued();
    }
  }

  private static void awaitQuietly(CompletableFuture<IncidentOutcome> result) {
    try {
      result.get();
    } catch (java.util.concurrent.ExecutionException e) {
      // reported by join() in handle
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the command to be written; it may still be"
          + " written, and a replay with the same idempotency key returns its outcome", e);
    }
  }

  private record Request(IncidentCommand command, CompletableFuture<IncidentOutcome> result) {}

  /** Decides and commits the queued commands, up to {@link #MAX_BATCH}; holds the writer lock. */
  private void writeQueued() {
    List<Request> batch = new ArrayList<>();
    Request next;
    while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
      batch.add(next);
    }
    if (batch.isEmpty()) {
      return;
    }
    try {
      writeBatch(batch);
    } catch (RuntimeException e) {
      batch.forEach(r -> r.result().completeExceptionally(e));
    }
  }

  /**
   * Decides and commits a batch. When another instance on a shared database wrote first what a decision
   * was based on (the store refuses the commit with {@link WrittenElsewhereException}), the batch is read
   * and decided again, up to {@value #ATTEMPTS} times: a case's commands are applied one at a time across
   * instances, and a command is not failed because another instance wrote first.
   */
  private void writeBatch(List<Request> batch) {
    if (store.shared() && batch.stream().anyMatch(r -> r.command() instanceof IncidentCommand.File)) {
      // every instance numbers its filings from the last stored number: taken one instance at a time, a
      // batch of filings is not decided again for each batch another instance committed meanwhile
      store.exclusive("incident-numbers", () -> {
        writeBatchOptimistic(batch);
        return null;
      });
    } else {
      writeBatchOptimistic(batch);
    }
  }

  private void writeBatchOptimistic(List<Request> batch) {
    for (int attempt = 1; ; attempt++) {
      try {
        tryBatch(batch);
        return;
      } catch (WrittenElsewhereException e) {
        if (attempt == ATTEMPTS) {
          IllegalStateException failed = new IllegalStateException("the commands were refused " + ATTEMPTS
              + " times in a row because other instances kept writing the same cases first; nothing of them is"
              + " stored, and a retry with the same idempotency keys handles them once", e);
          batch.forEach(r -> r.result().completeExceptionally(failed));
          return;
        }
        retried.incrementAndGet();
        LOG.debug("another instance wrote first ({}); deciding the {} command(s) again, attempt {}", e.getMessage(),
            batch.size(), attempt + 1);
      }
    }
  }

  private void tryBatch(List<Request> batch) {
    Lookup lookup = new Lookup();
    Work work = new Work(lookup);
    Map<String, IncidentOutcome> outcomes = new LinkedHashMap<>();
    Map<Request, IncidentOutcome> results = new LinkedHashMap<>();
    Map<Request, RuntimeException> failures = new LinkedHashMap<>();
    for (Request r : batch) {
      String key = r.command().origin().key();
      IncidentOutcome known = outcomes.get(key);
      if (known == null) {
        known = store.outcome(key).orElse(null);
      }
      if (known != null) {
        results.put(r, known);
        continue;
      }
      Map<String, Integer> reserved = new HashMap<>(lookup.reserved);
      int mark = work.size();
      Map<IncidentNumber, Incident> before = new HashMap<>();
      try {
        Decision decision = decide(r.command(), lookup);
        for (IncidentEvent e : decision.events()) {
          before.putIfAbsent(e.incident(), lookup.pending.get(e.incident()));
        }
        work.apply(decision.events());
        outcomes.put(key, decision.outcome());
        results.put(r, decision.outcome());
      } catch (RuntimeException e) {
        work.truncate(mark);
        before.forEach((n, i) -> {
          if (i == null) {
            lookup.pending.remove(n);
          } else {
            lookup.pending.put(n, i);
          }
        });
        lookup.reserved.clear();
        lookup.reserved.putAll(reserved);
        failures.put(r, e);
      }
    }
    List<IncidentEvent> appended;
    try {
      appended = work.commit(outcomes, List.of());
    } catch (WrittenElsewhereException e) {
      throw e;
    } catch (RuntimeException e) {
      failures.forEach((r, f) -> r.result().completeExceptionally(f));
      results.keySet().forEach(r -> r.result().completeExceptionally(e));
      return;
    }
    if (!store.shared()) {
      lastNumbers.putAll(lookup.reserved);
    }
    failures.forEach((r, f) -> r.result().completeExceptionally(f));
    results.forEach((r, o) -> r.result().complete(o));
    publish(appended);
  }

  private void publish(List<IncidentEvent> appended) {
    if (appended.isEmpty()) {
      return;
    }
    try {
      listener.committed(appended);
    } catch (RuntimeException e) {
      LOG.error("the listener of committed events failed; the events are stored", e);
    }
  }

  private Decision decide(IncidentCommand command, Lookup lookup) {
    return switch (command) {
      case IncidentCommand.File f -> {
        Optional<Organization> org = directory.store().organization(f.organizationId());
        if (org.isEmpty()) {
          yield Decision.refuse("there is no organization \"" + f.organizationId()
              + "\"; bind this channel to a registered organization first");
        }
        Optional<SupportPolicy> policy = policies.apply(org.get().policyId());
        if (policy.isEmpty()) {
          yield Decision.refuse("organization " + org.get().id() + " is bound to policy \"" + org.get().policyId()
              + "\", which is not loaded; check the policies folder");
        }
        boolean contact = directory.isContact(org.get().id(), f.origin().actor().identity());
        yield lifecycle.file(f, org.get(), policy.get(), contact, lookup);
      }
      case IncidentCommand.OnIncident c -> {
        Optional<Incident> inc = lookup.incident(c.incident());
        if (inc.isEmpty()) {
          yield Decision.refuse("there is no incident " + c.incident() + "; check the number");
        }
        yield lifecycle.decide(inc.get(), c, lookup);
      }
    };
  }

  /**
   * Fires every timer due at or before {@code now} (at most {@code limit}) in one transaction. If
   * that fails, each timer is tried in its own transaction, and a timer that fails alone (e.g. its
   * incident's policy is no longer loaded) is set aside until the next start, with an error in the
   * log, so that it does not hold up the timers behind it.
   */
  @Override
  public int fireDue(Instant now, int limit) {
    if (now.isAfter(clock.instant())) {
      throw new IllegalArgumentException("timers cannot fire before their time: asked to fire timers due by " + now
          + ", but the clock reads " + clock.instant());
    }
    writer.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          return fireLeased(now, limit);
        } catch (WrittenElsewhereException e) {
          // another instance fired one of them, or changed one of their cases, since this one read them
          if (attempt == ATTEMPTS) {
            throw new IllegalStateException("the due timers were refused " + ATTEMPTS + " times in a row because"
                + " other instances kept writing their cases first; they stay due and fire on a later tick", e);
          }
          retried.incrementAndGet();
        }
      }
    } finally {
      writer.unlock();
      serveStranded();
    }
  }

  private int fireLeased(Instant now, int limit) {
    List<Timer> due = timers.due(now, limit + setAside.size()).stream()
        .filter(t -> !setAside.containsKey(t.key())).limit(limit).toList();
    if (due.isEmpty()) {
      return 0;
    }
    try {
      return fire(due, now);
    } catch (WrittenElsewhereException e) {
      throw e;
    } catch (RuntimeException batchFailed) {
      int fired = 0;
      for (Timer t : due) {
        try {
          fired += fire(List.of(t), now);
        } catch (WrittenElsewhereException e) {
          throw e;
        } catch (RuntimeException e) {
          setAside.put(t.key(), t.dueAt());
          LOG.error("timer {} cannot fire; it is set aside until the next start", t.key(), e);
        }
      }
      return fired;
    }
  }

  private int fire(List<Timer> due, Instant now) {
    Lookup lookup = new Lookup();
    Work work = new Work(lookup);
    List<CountdownDue> countdowns = new ArrayList<>();
    for (Timer t : due) {
      IncidentNumber n = IncidentNumber.parse(t.incident());
      Incident inc = work.current(n).orElseThrow(() -> new IllegalStateException(
          "timer " + t.key() + " belongs to no stored incident"));
      work.apply(lifecycle.fire(inc, t));
      lifecycle.countdown(inc, t).ifPresent(countdowns::add);
      work.touch(n);
    }
    work.now = now;
    List<IncidentEvent> appended = work.commit(Map.of(), due);
    publish(appended);
    try {
      listener.timersFired(due, now);
    } catch (RuntimeException e) {
      LOG.error("the listener of fired timers failed", e);
    }
    if (!countdowns.isEmpty()) {
      try {
        listener.countdowns(countdowns);
      } catch (RuntimeException e) {
        LOG.error("the listener of countdowns failed", e);
      }
    }
    return due.size();
  }

  /**
   * Counts the timers for a health check: read-only, one query each. A timer is late when it is
   * still unfired although due at or before {@code lateIfDueBy}.
   */
  public TimerCounts timerCounts(Instant lateIfDueBy) {
    long pending = timers.pending();
    long overdue = timers.dueBy(lateIfDueBy);
    long setAsideOverdue = setAside.values().stream().filter(due -> !due.isAfter(lateIfDueBy)).count();
    return new TimerCounts(pending, Math.max(0, overdue - setAsideOverdue), setAside.size());
  }

  /**
   * How many times a batch of commands or a firing was read and decided again because another instance on
   * the same database wrote first (0 on a store only this process writes to).
   */
  public long retriedAfterConflict() {
    return retried.get();
  }

  /** Timers set aside because they fail to fire, by key. */
  public Set<String> setAside() {
    return Set.copyOf(setAside.keySet());
  }

  @Override
  public Optional<Instant> nextDue() {
    Optional<Instant> next = timers.nextDue();
    if (setAside.isEmpty() || next.isEmpty()) {
      return next;
    }
    return timers.due(Instant.ofEpochMilli(Long.MAX_VALUE), setAside.size() + 1).stream().filter(t -> !setAside.containsKey(t.key()))
        .map(Timer::dueAt).findFirst();
  }

  /** The stored view of an incident. */
  public Optional<IncidentSnapshot> incident(IncidentNumber number) {
    return store.snapshot(number);
  }

  /** Open (not closed or dropped) incidents at a chat place, e.g. the cases of a thread. */
  public List<IncidentSnapshot> openAt(ChatPlace place) {
    return store.openAt(place);
  }

  /** Open incidents of an organization. */
  public List<IncidentSnapshot> openFor(String organizationId) {
    return store.openFor(organizationId);
  }

  /** Active incidents by next SLA deadline, earliest first. */
  public List<IncidentSnapshot> queue(int limit) {
    return store.queue(limit);
  }

  /** Active incidents an engineer holds. */
  public List<IncidentSnapshot> mine(Identity engineer) {
    return store.claimedBy(engineer);
  }

  /** The record of communications of one incident, oldest first. */
  public List<IncidentEvent> log(IncidentNumber number) {
    return store.events(number);
  }

  /** Events of every incident logged after the event {@code afterId}, in commit order, at most {@code limit}. */
  public List<IncidentStore.Logged> eventsAfter(long afterId, int limit) {
    return store.eventsAfter(afterId, limit);
  }

  /** The incident rebuilt from its stored log alone (no cache). */
  public Optional<Incident> rebuild(IncidentNumber number) {
    List<IncidentEvent> events = store.events(number);
    if (events.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Incident.replay(events, calculator(((IncidentEvent.Filed) events.get(0)).policyId())));
  }

  /** The timers the incident needs now, as the desk plans them. */
  public List<Timer> plannedTimers(Incident incident) {
    return plan.plan(incident);
  }

  private SlaCalculator calculator(String policyId) {
    return calculators.computeIfAbsent(policyId, id -> new SlaCalculator(policies.apply(id).orElseThrow(
        () -> new IllegalStateException("policy \"" + id + "\" of a stored incident is not loaded; add it back to the"
            + " policies folder"))));
  }

  /**
   * The incident from the cache, or rebuilt from its log. On a store other instances write to, a cached
   * incident is used only while its event count is the stored one (one read by primary key): another
   * instance's write makes it stale, and it is rebuilt.
   */
  private Optional<Incident> load(IncidentNumber number) {
    Incident cached = live.getIfPresent(number);
    if (cached != null && (!store.shared() || store.eventCount(number) == cached.eventCount())) {
      return Optional.of(cached);
    }
    Optional<Incident> rebuilt = rebuild(number);
    rebuilt.ifPresent(i -> live.put(number, i));
    return rebuilt;
  }

  /** Lookups for one decision: numbers reserved tentatively, incidents as changed so far. */
  private final class Lookup implements CaseLookup {
    final Map<String, Integer> reserved = new HashMap<>();
    final Map<IncidentNumber, Incident> pending = new LinkedHashMap<>();

    @Override
    public Optional<Incident> incident(IncidentNumber number) {
      Incident p = pending.get(number);
      return p != null ? Optional.of(p) : load(number);
    }

    @Override
    public IncidentNumber nextNumber(String orgKey) {
      // on a shared store the last number is read from the database: another instance may have filed since
      int last = reserved.containsKey(orgKey) ? reserved.get(orgKey)
          : store.shared() ? store.lastNumber(orgKey) : lastNumbers.computeIfAbsent(orgKey, store::lastNumber);
      reserved.put(orgKey, last + 1);
      return new IncidentNumber(orgKey, last + 1);
    }

    @Override
    public Optional<Organization> organization(String id) {
      return directory.store().organization(id);
    }

    @Override
    public int freeTasksLeft(Organization org) {
      return Math.max(0, org.freeTasks() - store.freeTasksUsed(org.id()));
    }
  }

  /** The changes of one transaction, applied to in-memory incidents until they are committed. */
  private final class Work {
    private final Lookup lookup;
    private final List<ChangeSet.Appended> appended = new ArrayList<>();
    private final List<IncidentEvent> events = new ArrayList<>();
    /** The instant timers are planned from: the commit's clock, or the firing instant. */
    Instant now = clock.instant();

    Work(Lookup lookup) {
      this.lookup = lookup;
    }

    int size() {
      return appended.size();
    }

    /** Drops what was applied after {@code size} events (a command whose application failed). */
    void truncate(int size) {
      appended.subList(size, appended.size()).clear();
      events.subList(size, events.size()).clear();
    }

    Optional<Incident> current(IncidentNumber n) {
      return lookup.incident(n);
    }

    void touch(IncidentNumber n) {
      lookup.pending.computeIfAbsent(n, k -> load(k).orElseThrow());
    }

    void apply(List<IncidentEvent> decided) {
      for (IncidentEvent e : decided) {
        Incident next = switch (e) {
          case IncidentEvent.Filed f -> Incident.start(f, calculator(f.policyId()));
          default -> current(e.incident()).orElseThrow(() -> new IllegalStateException(
              "event for unknown incident " + e.incident())).apply(e);
        };
        lookup.pending.put(e.incident(), next);
        appended.add(new ChangeSet.Appended(e.incident(), next.eventCount(), e));
        events.add(e);
      }
    }

    List<IncidentEvent> commit(Map<String, IncidentOutcome> outcomes, List<Timer> fired) {
      List<IncidentSnapshot> snapshots = new ArrayList<>();
      Map<IncidentNumber, List<Timer>> planned = new HashMap<>();
      for (Incident inc : lookup.pending.values()) {
        snapshots.add(inc.snapshot());
        planned.put(inc.number(), plan.plan(inc, now.isBefore(inc.lastEventAt()) ? inc.lastEventAt() : now));
      }
      try {
        store.commit(new ChangeSet(appended, snapshots, planned, fired, outcomes, clock.instant()));
      } catch (RuntimeException e) {
        lookup.pending.keySet().forEach(live::invalidate);
        throw e;
      }
      lookup.pending.forEach(live::put);
      return List.copyOf(events);
    }
  }
}
