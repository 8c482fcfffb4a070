package org.supportbot.core.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.config.policy.ResolutionType;
import org.supportbot.config.policy.Severity;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.config.policy.TargetKind;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.sla.SlaCalculator;
import org.supportbot.core.sla.SlaClock;

/**
 * One case: the fold of its events. Immutable: {@link #apply} returns a new incident. The SLA
 * clocks of the policy's targets are part of the fold, so their deadlines follow from the log.
 */
public final class Incident {
  /** One running target clock, when it last changed, and when it was last reported breached. */
  public record TargetClock(SlaClock clock, Instant changedAt, Optional<Instant> breachedAt) {
    public TargetClock {
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(changedAt, "changedAt");
      Objects.requireNonNull(breachedAt, "breachedAt");
    }

    TargetClock changed(SlaClock next, Instant at) {
      return new TargetClock(next, at, breachedAt);
    }
  }

  private final SlaCalculator sla;
  private IncidentNumber number;
  private String organizationId;
  private ChatPlace place;
  private Identity reporter;
  private String title;
  private String severityId;
  private String categoryId;
  private String product;
  private String version;
  private IncidentState state;
  private Optional<Identity> claimedBy = Optional.empty();
  private Optional<ResolutionType> resolution = Optional.empty();
  private Optional<IncidentNumber> parent = Optional.empty();
  private List<IncidentNumber> parts = List.of();
  private Optional<IncidentNumber> mergedInto = Optional.empty();
  private List<IncidentNumber> duplicates = List.of();
  private int openRequest;
  private int requests;
  private Instant requestedAt;
  private int unanswered;
  private int severityDiscussions;
  private boolean reopenRequested;
  private boolean responded;
  private int resolutions;
  private Instant resolvedAt;
  private Instant finishedAt;
  private Duration billed = Duration.ZERO;
  private boolean freeTaskUsed;
  private Map<String, TargetClock> clocks = Map.of();
  private List<String> pendingDetails = List.of();
  private Map<String, String> details = Map.of();
  private long eventCount;
  private Instant lastEventAt;

  private Incident(SlaCalculator sla) {
    this.sla = sla;
  }

  private Incident copy() {
    Incident c = new Incident(sla);
    c.number = number;
    c.organizationId = organizationId;
    c.place = place;
    c.reporter = reporter;
    c.title = title;
    c.severityId = severityId;
    c.categoryId = categoryId;
    c.product = product;
    c.version = version;
    c.state = state;
    c.claimedBy = claimedBy;
    c.resolution = resolution;
    c.parent = parent;
    c.parts = parts;
    c.mergedInto = mergedInto;
    c.duplicates = duplicates;
    c.openRequest = openRequest;
    c.requests = requests;
    c.requestedAt = requestedAt;
    c.unanswered = unanswered;
    c.severityDiscussions = severityDiscussions;
    c.reopenRequested = reopenRequested;
    c.responded = responded;
    c.resolutions = resolutions;
    c.resolvedAt = resolvedAt;
    c.finishedAt = finishedAt;
    c.billed = billed;
    c.freeTaskUsed = freeTaskUsed;
    c.clocks = clocks;
    c.pendingDetails = pendingDetails;
    c.details = details;
    c.eventCount = eventCount;
    c.lastEventAt = lastEventAt;
    return c;
  }

  /** Folds a log, which must start with {@link IncidentEvent.Filed}. */
  public static Incident replay(List<? extends IncidentEvent> events, SlaCalculator sla) {
    if (events.isEmpty() || !(events.get(0) instanceof IncidentEvent.Filed)) {
      throw new IllegalArgumentException("an incident's log must start with Filed, got "
          + (events.isEmpty() ? "no events" : events.get(0).getClass().getSimpleName()));
    }
    Incident inc = null;
    for (IncidentEvent e : events) {
      inc = inc == null ? start((IncidentEvent.Filed) e, sla) : inc.apply(e);
    }
    return inc;
  }

  /** A new incident from its first event. */
  public static Incident start(IncidentEvent.Filed filed, SlaCalculator sla) {
    if (!sla.policy().id().equals(filed.policyId())) {
      throw new IllegalArgumentException(filed.incident() + " was filed under policy " + filed.policyId()
          + ", not " + sla.policy().id());
    }
    Incident inc = new Incident(sla);
    inc.number = filed.incident();
    inc.organizationId = filed.organizationId();
    inc.place = filed.place();
    inc.reporter = filed.origin().actor().identity();
    inc.title = filed.title();
    inc.severityId = filed.severityId();
    inc.categoryId = filed.categoryId();
    inc.product = filed.product();
    inc.version = filed.version();
    inc.parent = filed.parent();
    inc.pendingDetails = filed.pending();
    inc.details = Map.copyOf(filed.fields());
    inc.state = IncidentState.NEW;
    Instant at = filed.origin().at();
    Severity sev = inc.severity();
    Map<String, TargetClock> cl = new LinkedHashMap<>();
    for (TargetKind t : sla.policy().targets()) {
      if (t.startsAt() == TargetKind.Start.SUBMISSION && sev.targets().containsKey(t.id())) {
        cl.put(t.id(), new TargetClock(sla.startClock(t, sev, at), at, Optional.empty()));
      }
    }
    inc.clocks = Map.copyOf(cl);
    inc.eventCount = 1;
    inc.lastEventAt = at;
    return inc;
  }

  /** This incident after one more event. */
  public Incident apply(IncidentEvent event) {
    if (!event.incident().equals(number)) {
      throw new IllegalArgumentException("event for " + event.incident() + " applied to " + number);
    }
    Incident n = copy();
    Instant at = event.origin().notBefore(lastEventAt).at();
    switch (event) {
      case IncidentEvent.Filed e -> throw new IllegalArgumentException(number + " is already filed; a log has one Filed event");
      case IncidentEvent.Acknowledged e -> {
        n.state = state == IncidentState.NEW ? IncidentState.ACKNOWLEDGED : state;
        n.vendorResponded(at, Response.ACKNOWLEDGEMENT);
      }
      case IncidentEvent.Claimed e -> {
        n.claimedBy = Optional.of(e.engineer());
        n.state = state == IncidentState.NEW || state == IncidentState.ACKNOWLEDGED ? IncidentState.IN_PROGRESS : state;
      }
      case IncidentEvent.Unclaimed e -> n.claimedBy = Optional.empty();
      case IncidentEvent.Escalated e -> { }
      case IncidentEvent.Assigned e -> {
        n.claimedBy = Optional.of(e.engineer());
        n.state = state == IncidentState.NEW || state == IncidentState.ACKNOWLEDGED ? IncidentState.IN_PROGRESS : state;
      }
      case IncidentEvent.SeverityChanged e -> {
        n.severityId = e.to();
        Severity sev = n.severity();
        Map<String, TargetClock> cl = new LinkedHashMap<>(clocks);
        cl.replaceAll((id, c) -> c.clock().state() == SlaClock.State.STOPPED ? c
            : c.changed(c.clock().retarget(sla.targetLength(target(id), sev).orElse(null)), at));
        n.clocks = Map.copyOf(cl);
      }
      case IncidentEvent.SeverityDiscussionRequested e -> n.severityDiscussions++;
      case IncidentEvent.DetailRecorded e -> {
        n.pendingDetails = pendingDetails.stream().filter(f -> !f.equals(e.field())).toList();
        Map<String, String> d = new LinkedHashMap<>(details);
        d.put(e.field(), e.value());
        n.details = Map.copyOf(d);
        switch (e.field()) {
          case "product" -> n.product = e.value();
          case "version" -> n.version = e.value();
          case "category" -> n.categoryId = e.value();
          default -> { } // severity: the SeverityChanged that follows re-rates the case
        }
        if (!e.title().isBlank()) {
          n.title = e.title();
        }
      }
      case IncidentEvent.InfoRequested e -> {
        n.vendorResponded(at, Response.REPLY);
        n.requests = e.request();
        n.openRequest = e.request();
        n.unanswered = unanswered + 1; // an attempt the contact has not responded to (yet)
        n.requestedAt = at;
        n.state = IncidentState.WAITING_ON_CUSTOMER;
        n.pauseWaiting(at);
      }
      case IncidentEvent.CustomerReplied e -> {
        n.unanswered = 0; // the contact responded: earlier attempts no longer count
        if (state == IncidentState.WAITING_ON_CUSTOMER) {
          n.state = IncidentState.IN_PROGRESS;
          n.openRequest = 0;
          n.resumeWaiting(at);
        }
      }
      case IncidentEvent.PublicUpdatePosted e -> {
        n.vendorResponded(at, Response.UPDATE);
        if (state == IncidentState.NEW || state == IncidentState.ACKNOWLEDGED) {
          n.state = IncidentState.IN_PROGRESS;
        }
      }
      case IncidentEvent.Resolved e -> {
        n.vendorResponded(at, Response.REPLY);
        n.stopAll(at);
        n.state = IncidentState.RESOLVED;
        n.resolution = Optional.of(e.type());
        n.resolutions++;
        n.resolvedAt = at;
        n.openRequest = 0;
        n.unanswered = 0;
        n.reopenRequested = false;
      }
      case IncidentEvent.Closed e -> {
        n.stopAll(at);
        n.state = IncidentState.CLOSED;
        n.finishedAt = at;
        n.openRequest = 0;
      }
      case IncidentEvent.Dropped e -> {
        n.stopAll(at);
        n.state = IncidentState.DROPPED;
        n.finishedAt = at;
        n.openRequest = 0;
      }
      case IncidentEvent.ReopenRequested e -> n.reopenRequested = true;
      case IncidentEvent.Reopened e -> {
        n.state = IncidentState.IN_PROGRESS;
        n.reopenRequested = false;
        n.resolution = Optional.empty();
        n.unanswered = 0;
        n.mergedInto = Optional.empty();
        n.startOnFirstResponse(at, true);
      }
      case IncidentEvent.SplitInto e -> {
        List<IncidentNumber> p = new ArrayList<>(parts);
        p.addAll(e.parts());
        n.parts = List.copyOf(p);
      }
      case IncidentEvent.MergedInto e -> {
        n.stopAll(at);
        n.mergedInto = Optional.of(e.into());
        n.state = IncidentState.CLOSED;
        n.finishedAt = at;
        n.openRequest = 0;
      }
      case IncidentEvent.DuplicateMerged e -> {
        List<IncidentNumber> d = new ArrayList<>(duplicates);
        d.add(e.duplicate());
        n.duplicates = List.copyOf(d);
      }
      case IncidentEvent.TimeLogged e -> {
        n.billed = billed.plus(e.billed());
        n.freeTaskUsed = freeTaskUsed || e.usesFreeTask();
      }
      case IncidentEvent.SlaWarningIssued e -> { }
      case IncidentEvent.SlaBreached e -> {
        Map<String, TargetClock> cl = new LinkedHashMap<>(clocks);
        cl.computeIfPresent(e.target(), (id, c) -> new TargetClock(c.clock(), c.changedAt(), Optional.of(e.deadline())));
        n.clocks = Map.copyOf(cl);
      }
      case IncidentEvent.ReminderSent e -> { }
      case IncidentEvent.CloseWarned e -> { }
      case IncidentEvent.InfoRequestLapsed e -> {
        n.unanswered = e.unanswered();
        n.openRequest = 0;
      }
    }
    n.eventCount = eventCount + 1;
    n.lastEventAt = at;
    return n;
  }

  /** What kind of public message the vendor sent. */
  private enum Response {
    ACKNOWLEDGEMENT,
    REPLY,
    UPDATE
  }

  /** A public acknowledgement, reply or update from the vendor: meets, re-arms and starts targets. */
  private void vendorResponded(Instant at, Response response) {
    Map<String, TargetClock> cl = new LinkedHashMap<>(clocks);
    for (TargetKind t : sla.policy().targets()) {
      TargetClock c = cl.get(t.id());
      if (c == null || c.clock().state() == SlaClock.State.STOPPED) {
        continue;
      }
      boolean meets = switch (t.metBy()) {
        case PUBLIC_RESPONSE -> true;
        case ACKNOWLEDGEMENT -> response == Response.ACKNOWLEDGEMENT;
        case PUBLIC_UPDATE -> response == Response.UPDATE;
        case RESOLUTION -> false;
      };
      if (!meets) {
        continue;
      }
      if (t.rearmsOnPublicUpdate()) {
        if (c.clock().state() == SlaClock.State.RUNNING) {
          cl.put(t.id(), new TargetClock(c.clock().rearm(at), at, Optional.empty()));
        }
      } else {
        cl.put(t.id(), c.changed(c.clock().stop(at), at));
      }
    }
    clocks = Map.copyOf(cl);
    if (!responded) {
      responded = true;
      startOnFirstResponse(at, false);
    }
  }

  private void startOnFirstResponse(Instant at, boolean restart) {
    Severity sev = severity();
    Map<String, TargetClock> cl = new LinkedHashMap<>(clocks);
    for (TargetKind t : sla.policy().targets()) {
      if (t.startsAt() == TargetKind.Start.FIRST_RESPONSE && sev.targets().containsKey(t.id())
          && (restart || !cl.containsKey(t.id()))) {
        cl.put(t.id(), new TargetClock(sla.startClock(t, sev, at), at, Optional.empty()));
      }
    }
    clocks = Map.copyOf(cl);
  }

  private void pauseWaiting(Instant at) {
    Map<String, TargetClock> cl = new LinkedHashMap<>(clocks);
    cl.replaceAll((id, c) -> target(id).pausesWhileWaitingOnCustomer() && c.clock().state() == SlaClock.State.RUNNING
        ? c.changed(c.clock().pause(at), at) : c);
    clocks = Map.copyOf(cl);
  }

  private void resumeWaiting(Instant at) {
    Map<String, TargetClock> cl = new LinkedHashMap<>(clocks);
    cl.replaceAll((id, c) -> c.clock().state() == SlaClock.State.PAUSED ? c.changed(c.clock().resume(at), at) : c);
    clocks = Map.copyOf(cl);
  }

  private void stopAll(Instant at) {
    Map<String, TargetClock> cl = new LinkedHashMap<>(clocks);
    cl.replaceAll((id, c) -> c.clock().state() == SlaClock.State.STOPPED ? c : c.changed(c.clock().stop(at), at));
    clocks = Map.copyOf(cl);
  }

  private TargetKind target(String id) {
    return sla.policy().target(id).orElseThrow();
  }

  public Severity severity() {
    return sla.policy().severity(severityId).orElseThrow(() -> new IllegalStateException(
        number + " has severity " + severityId + ", which policy " + sla.policy().id() + " does not define"));
  }

  public SupportPolicy policy() {
    return sla.policy();
  }

  public SlaCalculator sla() {
    return sla;
  }

  public IncidentNumber number() {
    return number;
  }

  public String organizationId() {
    return organizationId;
  }

  public ChatPlace place() {
    return place;
  }

  public Identity reporter() {
    return reporter;
  }

  public String title() {
    return title;
  }

  public String severityId() {
    return severityId;
  }

  public String categoryId() {
    return categoryId;
  }

  /** Whether the vendor has publicly acknowledged or answered the case yet. */
  public boolean responded() {
    return responded;
  }

  public IncidentState state() {
    return state;
  }

  public Optional<Identity> claimedBy() {
    return claimedBy;
  }

  public Optional<IncidentNumber> mergedInto() {
    return mergedInto;
  }

  /** The number of the information request the customer has not yet answered; 0 when none. */
  public int openRequest() {
    return openRequest;
  }

  /** How many information requests were made so far. */
  public int requests() {
    return requests;
  }

  public Instant requestedAt() {
    return requestedAt;
  }

  /**
   * Attempts to collect information the contact has not responded to: requests made since the
   * contact's last reply (or the last resolution or reopening), whether or not their reply window
   * has run out.
   */
  public int unanswered() {
    return unanswered;
  }

  public int resolutions() {
    return resolutions;
  }

  public Instant resolvedAt() {
    return resolvedAt;
  }

  /** When the case was closed or dropped. */
  public Instant finishedAt() {
    return finishedAt;
  }

  public boolean reopenRequested() {
    return reopenRequested;
  }

  /** Whether time on this case was made free by one of the contract's free tasks (Atollon). */
  public boolean freeTaskUsed() {
    return freeTaskUsed;
  }

  public Map<String, TargetClock> clocks() {
    return clocks;
  }

  /** The report fields still to be asked of the reporter in the case's thread, in the policy's order. */
  public List<String> pendingDetails() {
    return pendingDetails;
  }

  public long eventCount() {
    return eventCount;
  }

  public Instant lastEventAt() {
    return lastEventAt;
  }

  public IncidentSnapshot snapshot() {
    Map<String, IncidentSnapshot.ClockView> views = new LinkedHashMap<>();
    clocks.forEach((id, c) -> views.put(id, new IncidentSnapshot.ClockView(c.clock().state(), c.clock().target(),
        c.clock().deadline(), c.breachedAt())));
    return new IncidentSnapshot(number, organizationId, sla.policy().id(), place, reporter, title, severityId, categoryId,
        product, version, state, claimedBy, resolution, parent, parts, mergedInto, duplicates, openRequest, unanswered,
        severityDiscussions, reopenRequested, billed, freeTaskUsed, views, eventCount, lastEventAt, pendingDetails, details);
  }

  @Override
  public String toString() {
    return "Incident[" + number + ", " + state.label() + ", " + severityId + ", events=" + eventCount + "]";
  }
}
