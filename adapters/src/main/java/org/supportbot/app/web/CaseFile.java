package org.supportbot.app.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.supportbot.core.incident.Actor;
import org.supportbot.core.incident.Incident;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.sla.Segment;

/**
 * One case as its page shows it: the event log as a transcript, each clock with the segments
 * behind its deadline (the {@code /sla why} explanation), the resolution and the time billed.
 */
public record CaseFile(Board.Row row, IncidentSnapshot snapshot, String reporter, List<Line> transcript,
    List<ClockLine> clocks, Optional<String> resolution, Duration billed, List<TimeEntry> time, ZoneId zone,
    Instant now) {

  /** One entry of the transcript. */
  public record Line(Instant at, String who, String side, String what, String text) {
    public String when(ZoneId zone) {
      return Time.at(at, zone);
    }
  }

  /** A clock: target, state, deadline, and its segments laid on a timeline from {@code from} to {@code to}. */
  public record ClockLine(String target, String state, Optional<Duration> goal, Optional<Instant> deadline,
      boolean breached, Duration counted, List<Bar> bars) {}

  /** One segment of a clock as a bar: where it starts and how wide, in per mille of the timeline. */
  public record Bar(String kind, String label, int x, int width, String from, String to, String length, String note) {}

  /** One Atollon time entry. */
  public record TimeEntry(Instant at, String engineer, Duration worked, Duration billed, boolean communication,
      String zone, boolean chargeable, boolean freeTask, String reason, String note) {}

  static CaseFile of(Board board, Board.Row row, IncidentSnapshot s, List<IncidentEvent> log, Optional<Incident> rebuilt,
      Instant now) {
    ZoneId zone = rebuilt.map(i -> i.policy().calendar().zone()).orElse(ZoneId.of("UTC"));
    List<Line> lines = new ArrayList<>();
    List<TimeEntry> time = new ArrayList<>();
    Optional<String> resolution = Optional.empty();
    for (IncidentEvent e : log) {
      Actor a = e.origin().actor();
      String who = a.role() == Actor.Role.SYSTEM ? "supportbot" : a.role().vendor() ? board.personName(a.identity())
          : a.identity().userId();
      String side = a.role() == Actor.Role.SYSTEM ? "system" : a.role().vendor() ? "vendor" : "customer";
      Entry x = entry(board, e);
      lines.add(new Line(e.origin().at(), who, side, x.what(), x.text()));
      if (e instanceof IncidentEvent.TimeLogged t) {
        time.add(new TimeEntry(t.origin().at(), who, t.worked(), t.billed(), t.communication(), t.zone(),
            t.chargeable(), t.usesFreeTask(), t.reason(), t.note()));
      }
      if (e instanceof IncidentEvent.Resolved r) {
        resolution = Optional.of(r.type().id().replace('_', ' ') + ": " + r.summary());
      }
      if (e instanceof IncidentEvent.Reopened) {
        resolution = Optional.empty();
      }
    }
    List<ClockLine> clocks = new ArrayList<>();
    rebuilt.ifPresent(inc -> inc.clocks().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(en -> clocks.add(clock(en.getKey(), en.getValue(), now, zone))));
    return new CaseFile(row, s, s.reporter().userId(), lines, clocks, resolution, s.billed(), time, zone, now);
  }

  private record Entry(String what, String text) {}

  private static Entry entry(Board board, IncidentEvent e) {
    return switch (e) {
      case IncidentEvent.Filed f -> new Entry("filed", f.title() + fields(f.fields()));
      case IncidentEvent.Acknowledged a -> new Entry("acknowledged", a.text());
      case IncidentEvent.Claimed c -> new Entry("claimed", board.personName(c.engineer()) + " is handling the case");
      case IncidentEvent.Unclaimed u -> new Entry("unclaimed", "back in the queue");
      case IncidentEvent.Assigned a -> new Entry("assigned", "assigned to " + board.personName(a.engineer()));
      case IncidentEvent.Escalated x -> new Entry("escalated", x.reason());
      case IncidentEvent.SeverityChanged c -> new Entry("severity", c.from() + " → " + c.to() + ": " + c.reason());
      case IncidentEvent.SeverityDiscussionRequested d -> new Entry("severity discussion", d.reason());
      case IncidentEvent.InfoRequested r -> new Entry("information requested", r.text());
      case IncidentEvent.CustomerReplied r -> new Entry("customer reply", r.text());
      case IncidentEvent.PublicUpdatePosted u -> new Entry("update", u.text());
      case IncidentEvent.Resolved r -> new Entry("resolved", r.type().id().replace('_', ' ') + ": " + r.summary());
      case IncidentEvent.Closed c -> new Entry("closed", (c.automatic() ? "automatically" : "") + (c.reason().isBlank()
          ? "" : (c.automatic() ? ": " : "") + c.reason()));
      case IncidentEvent.ReopenRequested r -> new Entry("reopen requested", r.reason());
      case IncidentEvent.Reopened r -> new Entry("reopened", r.reason());
      case IncidentEvent.Dropped d -> new Entry("dropped", d.reason());
      case IncidentEvent.SplitInto sp -> new Entry("split", "into " + String.join(", ",
          sp.parts().stream().map(Object::toString).toList()));
      case IncidentEvent.MergedInto m -> new Entry("merged", "continues in " + m.into());
      case IncidentEvent.DetailRecorded d -> new Entry("detail", d.field().replace('_', ' ') + ": " + d.value());
      case IncidentEvent.DuplicateMerged m -> new Entry("duplicate merged", m.duplicate() + " merged into this case");
      case IncidentEvent.TimeLogged t -> new Entry("time", Time.span(t.worked()) + " worked, " + Time.span(t.billed())
          + " billed (" + t.zone().replace('_', ' ') + ", " + (t.chargeable() ? "charged" : "free") + ")"
          + (t.note().isBlank() ? "" : ": " + t.note()));
      case IncidentEvent.SlaWarningIssued w -> new Entry("pre-breach warning", w.percent() + "% of the "
          + w.target().replace('_', ' ') + " target used; due " + Time.utc(w.deadline()));
      case IncidentEvent.SlaBreached x -> new Entry("breach", "the " + x.target().replace('_', ' ')
          + " target was due " + Time.utc(x.deadline()));
      case IncidentEvent.ReminderSent r -> new Entry("reminder", "request " + r.request() + " lapses "
          + Time.utc(r.lapsesAt()));
      case IncidentEvent.InfoRequestLapsed l -> new Entry("request lapsed", l.unanswered() + " unanswered in a row");
      case IncidentEvent.CloseWarned w -> new Entry("close warning", "closes by itself " + Time.utc(w.closesAt())
          + " unless reopened");
    };
  }

  private static String fields(Map<String, String> fields) {
    String d = fields.getOrDefault("description", "");
    return d.isBlank() ? "" : " — " + d;
  }

  private static ClockLine clock(String target, Incident.TargetClock tc, Instant now, ZoneId zone) {
    var c = tc.clock();
    List<Segment> segments = c.explain(now);
    Instant from = segments.isEmpty() ? c.startedAt() : segments.getFirst().start();
    Instant to = segments.isEmpty() ? now : segments.getLast().end();
    long total = Math.max(1, Duration.between(from, to).toSeconds());
    List<Bar> bars = new ArrayList<>();
    Duration counted = Duration.ZERO;
    for (Segment seg : segments) {
      if (seg.kind() == Segment.Kind.COUNTED) {
        counted = counted.plus(seg.length());
      }
      int x = (int) (Duration.between(from, seg.start()).toSeconds() * 1000 / total);
      int w = (int) Math.max(1, seg.length().toSeconds() * 1000 / total);
      String kind = seg.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
      bars.add(new Bar(kind, seg.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '), x, w,
          Time.at(seg.start(), zone), Time.at(seg.end(), zone), Time.span(seg.length()), seg.note()));
    }
    return new ClockLine(target.replace('_', ' '), c.state().name().toLowerCase(Locale.ROOT), c.target(),
        c.deadline(), tc.breachedAt().isPresent() || c.breached(now), counted, bars);
  }

  // ---- exports ------------------------------------------------------------------------------------

  /** The case as Markdown: header, clocks, transcript. */
  public String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("# ").append(row.number()).append(": ").append(md(row.title())).append("\n\n");
    b.append("- Organization: ").append(md(row.organization())).append('\n');
    b.append("- Policy: ").append(row.policy()).append('\n');
    b.append("- Severity: ").append(md(row.severity())).append('\n');
    b.append("- State: ").append(row.stateLabel()).append('\n');
    b.append("- Owner: ").append(md(row.owner())).append('\n');
    b.append("- Reporter: ").append(md(reporter)).append('\n');
    resolution.ifPresent(r -> b.append("- Resolution: ").append(md(r)).append('\n'));
    b.append("- Billed: ").append(Time.span(billed)).append("\n\n## Clocks\n\n");
    for (ClockLine c : clocks) {
      b.append("- ").append(c.target()).append(": ").append(c.state())
          .append(c.goal().map(g -> ", target " + Time.span(g)).orElse(", best effort"))
          .append(c.deadline().map(d -> ", due " + Time.at(d, zone)).orElse(""))
          .append(c.breached() ? ", breached" : "").append(", counted ").append(Time.span(c.counted())).append('\n');
      for (Bar bar : c.bars()) {
        b.append("  - ").append(bar.label()).append(' ').append(bar.from()).append(" – ").append(bar.to())
            .append(" (").append(bar.length()).append(")").append(bar.note().isEmpty() ? "" : " " + md(bar.note()))
            .append('\n');
      }
    }
    b.append("\n## Transcript\n\n");
    for (Line l : transcript) {
      b.append("**").append(l.when(zone)).append("** · ").append(md(l.who())).append(" (").append(l.side())
          .append(") · ").append(l.what()).append("\n\n");
      if (!l.text().isBlank()) {
        for (String line : l.text().split("\n")) {
          b.append("> ").append(md(line)).append('\n');
        }
        b.append('\n');
      }
    }
    return b.toString();
  }

  /** Escapes what Markdown would read as markup or raw HTML in people's text. */
  static String md(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (char ch : text.toCharArray()) {
      if ("\\`*_[]<>#|".indexOf(ch) >= 0) {
        b.append('\\');
      }
      b.append(ch);
    }
    return b.toString();
  }
}
