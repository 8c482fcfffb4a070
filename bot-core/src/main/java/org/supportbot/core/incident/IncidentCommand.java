package org.supportbot.core.incident;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.config.policy.ResolutionType;
import org.supportbot.core.directory.Identity;

/**
 * What people (and the bot's timers) ask of the desk. Every command carries its {@link Origin}:
 * idempotency key, actor, instant and optional chat message.
 */
public sealed interface IncidentCommand {
  Origin origin();

  /** A command about an existing incident. */
  sealed interface OnIncident extends IncidentCommand {
    IncidentNumber incident();
  }

  /**
   * Files a new case for an organization; {@code fields} holds the report answers by field id;
   * {@code filedBy} is the vendor's engineer who filed it on the reporter's (the origin's) behalf;
   * {@code pending} lists the report fields still to be asked of the reporter in the case's thread
   * (only a case filed on someone's behalf has any; its severity is provisional while "severity" is
   * among them).
   */
  record File(Origin origin, String organizationId, ChatPlace place, String severityId, String categoryId, String product,
      String version, String title, Map<String, String> fields, Optional<Identity> filedBy, List<String> pending)
      implements IncidentCommand {
    /** A case the reporter files themselves. */
    public File(Origin origin, String organizationId, ChatPlace place, String severityId, String categoryId,
        String product, String version, String title, Map<String, String> fields) {
      this(origin, organizationId, place, severityId, categoryId, product, version, title, fields, Optional.empty());
    }

    /** A case with every answer in. */
    public File(Origin origin, String organizationId, ChatPlace place, String severityId, String categoryId,
        String product, String version, String title, Map<String, String> fields, Optional<Identity> filedBy) {
      this(origin, organizationId, place, severityId, categoryId, product, version, title, fields, filedBy, List.of());
    }

    public File {
      Objects.requireNonNull(filedBy, "filedBy");
      pending = List.copyOf(pending);
      if (!pending.isEmpty() && filedBy.isEmpty()) {
        throw new IllegalArgumentException("only a case filed on someone's behalf may leave report fields " + pending
            + " to be asked after filing");
      }
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(organizationId, "organizationId");
      Objects.requireNonNull(place, "place");
      Objects.requireNonNull(severityId, "severityId");
      categoryId = categoryId == null ? "" : categoryId;
      product = product == null ? "" : product;
      version = version == null ? "" : version;
      title = title == null ? "" : title;
      fields = Map.copyOf(fields);
    }
  }

  /** The vendor publicly confirms receipt. */
  record Acknowledge(Origin origin, IncidentNumber incident, String text) implements OnIncident {
    public Acknowledge {
      on(origin, incident);
    }
  }

  /** An engineer takes the case. */
  record Claim(Origin origin, IncidentNumber incident) implements OnIncident {
    public Claim {
      on(origin, incident);
    }
  }
  /** The holder (or a manager) gives the case back to the queue. */
  record Unclaim(Origin origin, IncidentNumber incident) implements OnIncident {
    public Unclaim {
      on(origin, incident);
    }
  }
  /** Escalates the case along the policy's routes, where the policy allows its level to escalate. */
  record Escalate(Origin origin, IncidentNumber incident, String reason) implements OnIncident {
    public Escalate {
      on(origin, incident);
    }
  }

  /** A manager or engineer gives the case to an engineer. */
  record Assign(Origin origin, IncidentNumber incident, Identity engineer) implements OnIncident {
    public Assign {
      on(origin, incident);
      Objects.requireNonNull(engineer, "engineer: name the engineer to assign the case to");
    }
  }

  record ChangeSeverity(Origin origin, IncidentNumber incident, String severityId, String reason) implements OnIncident {
    public ChangeSeverity {
      on(origin, incident);
      Objects.requireNonNull(severityId, "severityId");
      reason = reason == null ? "" : reason;
    }
  }

  /** The customer asks to discuss the severity the vendor set. */
  record RequestSeverityDiscussion(Origin origin, IncidentNumber incident, String reason) implements OnIncident {
    public RequestSeverityDiscussion {
      on(origin, incident);
    }
  }

  /** The vendor asks the customer for information: the case waits on the customer. */
  record RequestInfo(Origin origin, IncidentNumber incident, String text) implements OnIncident {
    public RequestInfo {
      on(origin, incident);
    }
  }

  record CustomerReply(Origin origin, IncidentNumber incident, String text) implements OnIncident {
    public CustomerReply {
      on(origin, incident);
    }
  }

  /** A public update from the vendor. */
  record PublicUpdate(Origin origin, IncidentNumber incident, String text) implements OnIncident {
    public PublicUpdate {
      on(origin, incident);
    }
  }

  record Resolve(Origin origin, IncidentNumber incident, ResolutionType type, String summary) implements OnIncident {
    public Resolve {
      on(origin, incident);
    }
  }

  record Close(Origin origin, IncidentNumber incident, String reason) implements OnIncident {
    public Close {
      on(origin, incident);
    }
  }

  record Reopen(Origin origin, IncidentNumber incident, String reason) implements OnIncident {
    public Reopen {
      on(origin, incident);
    }
  }

  record Drop(Origin origin, IncidentNumber incident, String reason) implements OnIncident {
    public Drop {
      on(origin, incident);
    }
  }

  /** Splits a case into subordinate incidents, one per title. */
  record Split(Origin origin, IncidentNumber incident, List<String> titles) implements OnIncident {
    public Split {
      on(origin, incident);
      titles = List.copyOf(titles);
    }
  }

  /** Merges {@code incident} (a duplicate) into {@code into}; both records stay. */
  record Merge(Origin origin, IncidentNumber incident, IncidentNumber into) implements OnIncident {
    public Merge {
      on(origin, incident);
      Objects.requireNonNull(into, "into");
    }
  }

  /**
   * The reporter's answer to report field {@code field}, one of the case's pending details (asked in
   * its thread after it was filed on their behalf); {@code title} is the case's new title when the
   * answer gives it one (a description answered after filing), else empty.
   */
  record RecordDetail(Origin origin, IncidentNumber incident, String field, String value, String title)
      implements OnIncident {
    public RecordDetail {
      on(origin, incident);
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(value, "value");
      title = title == null ? "" : title;
    }
  }

  /** Logs worked time (Atollon); {@code communication} marks time spent communicating with the client. */
  record LogTime(Origin origin, IncidentNumber incident, Duration worked, boolean communication, String note) implements OnIncident {
    public LogTime {
      on(origin, incident);
      Objects.requireNonNull(worked, "worked");
    }
  }

  private static void on(Origin origin, IncidentNumber incident) {
    Objects.requireNonNull(origin, "origin: every command needs its idempotency key, actor and instant");
    Objects.requireNonNull(incident, "incident: name the case, e.g. ACME-42");
  }
}
