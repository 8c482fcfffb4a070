package org.supportbot.core.chat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.Actor;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentSnapshot;

/**
 * A case's whole record of communications as a Markdown file, for {@code /transcript}: what was
 * filed, and every message between the customer and the vendor in order, with who and when. The
 * text is what the desk stored, so it is already redacted as the case's policy asks. The vendor's
 * internal records (time logged, deadline warnings to engineers) are not communications and are left
 * out.
 */
final class CaseTranscript {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ENGLISH)
      .withZone(ZoneOffset.UTC);

  private CaseTranscript() {}

  /** The file's name: {@code ACME-42-transcript.md}. */
  static String fileName(IncidentSnapshot s) {
    return s.number() + "-transcript.md";
  }

  /** The transcript of {@code s}, from its events in order, as of {@code now}. */
  static String markdown(IncidentSnapshot s, SupportPolicy policy, List<IncidentEvent> log, Instant now) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(s.number()).append(": ").append(s.title()).append("\n\n");
    md.append("- Organization: ").append(s.organizationId()).append('\n');
    md.append("- Support policy: ").append(policy.vendor()).append(" (").append(policy.id()).append(")\n");
    md.append("- Severity: ").append(s.severityId()).append('\n');
    md.append("- State: ").append(s.state().label()).append('\n');
    md.append("- Transcript made: ").append(WHEN.format(now)).append("\n\n## Record\n");
    for (IncidentEvent e : log) {
      String entry = entry(e, policy);
      if (!entry.isEmpty()) {
        md.append("\n### ").append(WHEN.format(e.origin().at())).append(", ").append(who(e.origin().actor()))
            .append("\n\n").append(entry).append('\n');
      }
    }
    return md.toString();
  }

  private static String entry(IncidentEvent e, SupportPolicy policy) {
    return switch (e) {
      case IncidentEvent.Filed f -> "Filed the case" + f.parent().map(p -> " (split from " + p + ")").orElse("")
          + f.filedBy().map(by -> " (filed by @" + by.userId() + " on their behalf)").orElse("")
          + ": severity " + f.severityId() + (f.pending().contains("severity") ? " (provisional)" : "")
          + (f.product().isBlank() ? "" : ", " + f.product()
          + (f.version().isBlank() ? "" : " " + f.version())) + ".\n\n" + fields(policy, f.fields());
      case IncidentEvent.Acknowledged a -> quote(a.text());
      case IncidentEvent.Claimed c -> "Took the case.";
      case IncidentEvent.Unclaimed u -> "Gave the case back to the queue.";
      case IncidentEvent.Assigned a -> "Assigned the case to " + person(a.engineer()) + ".";
      case IncidentEvent.Escalated x -> "Escalated (" + x.severityId() + "):\n\n" + quote(x.reason());
      case IncidentEvent.SeverityChanged c -> "Changed the severity from " + c.from() + " to " + c.to() + ":\n\n"
          + quote(c.reason());
      case IncidentEvent.DetailRecorded d -> "Answered " + policy.report().stream().filter(f -> f.id().equals(d.field()))
          .map(f -> "\"" + f.prompt() + "\"").findFirst().orElse(d.field()) + ":\n\n" + quote(d.value());
      case IncidentEvent.SeverityDiscussionRequested r -> "Asked to discuss the severity:\n\n" + quote(r.reason());
      case IncidentEvent.InfoRequested r -> "Asked for information (request " + r.request() + "):\n\n" + quote(r.text());
      case IncidentEvent.CustomerReplied r -> quote(r.text());
      case IncidentEvent.PublicUpdatePosted u -> quote(u.text());
      case IncidentEvent.Resolved r -> "Resolved (" + r.type().id().replace('_', ' ') + "):\n\n" + quote(r.summary());
      case IncidentEvent.Closed c -> (c.automatic() ? "Closed by itself: " : "Closed: ") + c.reason() + ".";
      case IncidentEvent.ReopenRequested r -> "Asked to reopen:\n\n" + quote(r.reason());
      case IncidentEvent.Reopened r -> "Reopened:\n\n" + quote(r.reason());
      case IncidentEvent.Dropped d -> "Closed as dropped: " + d.reason() + ".";
      case IncidentEvent.SplitInto sp -> "Split into " + sp.parts().stream().map(Object::toString)
          .collect(Collectors.joining(", ")) + ".";
      case IncidentEvent.MergedInto m -> "Merged into " + m.into() + " as a duplicate.";
      case IncidentEvent.DuplicateMerged m -> m.duplicate() + " was merged into this case as a duplicate.";
      case IncidentEvent.ReminderSent r -> "Reminded the customer of request " + r.request() + ", unanswered until "
          + WHEN.format(r.lapsesAt()) + ".";
      case IncidentEvent.CloseWarned w -> "Told the customer the case closes by itself at " + WHEN.format(w.closesAt())
          + " unless reopened.";
      case IncidentEvent.InfoRequestLapsed l -> "Request " + l.request() + " went unanswered (" + l.unanswered()
          + " in a row).";
      case IncidentEvent.TimeLogged t -> "";
      case IncidentEvent.SlaWarningIssued w -> "";
      case IncidentEvent.SlaBreached b -> "";
    };
  }

  /** The intake's answers in the order the policy asks them; questions left unanswered are left out. */
  private static String fields(SupportPolicy policy, Map<String, String> fields) {
    List<String> order = policy.report().stream().map(r -> r.id()).toList();
    return fields.entrySet().stream().filter(f -> !f.getValue().isBlank())
        .sorted(java.util.Comparator.comparingInt((Map.Entry<String, String> f) -> order.indexOf(f.getKey()) < 0
            ? Integer.MAX_VALUE : order.indexOf(f.getKey())).thenComparing(Map.Entry::getKey))
        .map(f -> "**" + f.getKey().replace('_', ' ') + ":**\n\n" + quote(f.getValue()))
        .collect(Collectors.joining("\n\n"));
  }

  /** Text as a Markdown quote, line by line, so pasted logs and markup stay readable as typed. */
  private static String quote(String text) {
    return text.isBlank() ? "> (no text)" : text.strip().lines().map(l -> "> " + l).collect(Collectors.joining("\n"));
  }

  private static String who(Actor actor) {
    return switch (actor.role()) {
      case CUSTOMER -> person(actor.identity()) + " (customer)";
      case ENGINEER, MANAGER -> person(actor.identity()) + " (" + actor.role().name().toLowerCase(Locale.ROOT) + ")";
      default -> "the desk";
    };
  }

  private static String person(Identity id) {
    return "@" + id.userId();
  }
}
