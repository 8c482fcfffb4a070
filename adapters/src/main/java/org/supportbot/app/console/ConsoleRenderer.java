package org.supportbot.app.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Span;
import org.supportbot.core.conversation.Suggestion;
import org.supportbot.core.directory.Identity;

/**
 * Renders core messages as terminal text. Deadlines read "in 3h 12m" against the (simulated) clock,
 * with the absolute time in the reader's zone beside them; people appear by their handle.
 */
public final class ConsoleRenderer {

  private static final DateTimeFormatter ABSOLUTE = DateTimeFormatter.ofPattern("EEE d MMM HH:mm z", Locale.ENGLISH);

  private final Clock clock;
  private final ZoneId zone;
  private final Function<Identity, String> handles;

  public ConsoleRenderer(Clock clock, ZoneId zone, Function<Identity, String> handles) {
    this.clock = clock;
    this.zone = zone;
    this.handles = handles;
  }

  /** The body of a message, one line per paragraph, fact, suggestion or row of buttons, indented. */
  public String body(Outbound message) {
    StringBuilder out = new StringBuilder();
    for (Outbound.Block block : message.blocks()) {
      switch (block) {
        case Outbound.Text t -> line(out, spans(t.spans()));
        case Outbound.Facts f -> f.facts().forEach(fact -> line(out, "  " + fact.label() + ": " + spans(fact.value())));
        case Outbound.Actions a -> line(out, String.join(" ", a.actions().stream()
            .map(x -> x.primary() ? "[*" + x.label() + "*]" : "[" + x.label() + "]").toList()));
        case Outbound.SuggestionList s -> suggestions(out, s.suggestions());
        case Outbound.File f -> {
          line(out, "[file " + f.name() + "]");
          f.content().lines().forEach(l -> line(out, "  | " + l));
        }
      }
    }
    return out.toString();
  }

  /** "in 3h 12m (Mon 23 Nov 12:30 PST)", "2h 5m ago (...)" or "now (...)". */
  public String deadline(Instant at) {
    Duration d = Duration.between(clock.instant(), at);
    String relative;
    if (d.abs().compareTo(Duration.ofSeconds(30)) < 0) {
      relative = "now";
    } else if (d.isNegative()) {
      relative = span(d.negated()) + " ago";
    } else {
      relative = "in " + span(d);
    }
    return relative + " (" + ABSOLUTE.format(at.atZone(zone)) + ")";
  }

  static String span(Duration d) {
    long minutes = (d.getSeconds() + 30) / 60;
    long days = minutes / (24 * 60);
    long hours = minutes / 60 % 24;
    long mins = minutes % 60;
    if (days > 0) {
      return days + "d " + hours + "h";
    }
    if (hours > 0) {
      return hours + "h " + mins + "m";
    }
    return mins + "m";
  }

  private String spans(List<Span> spans) {
    StringBuilder out = new StringBuilder();
    for (Span s : spans) {
      switch (s) {
        case Span.Plain p -> out.append(p.text());
        case Span.Strong p -> out.append(p.text());
        case Span.Code c -> out.append('`').append(c.text()).append('`');
        case Span.Link l -> out.append(l.label()).append(" <").append(l.url()).append('>');
        case Span.Person p -> out.append('@').append(handles.apply(p.identity()));
        case Span.Role r -> out.append('@').append(r.label());
        case Span.Deadline d -> out.append(deadline(d.at()));
      }
    }
    return out.toString();
  }

  private static void suggestions(StringBuilder out, List<Suggestion> list) {
    for (int i = 0; i < list.size(); i++) {
      Suggestion s = list.get(i);
      line(out, "  " + (i + 1) + ". [" + s.source() + "] " + s.title() + (s.url().isEmpty() ? "" : " <" + s.url() + ">"));
      if (!s.snippet().isBlank()) {
        line(out, "     " + s.snippet().replace('\n', ' '));
      }
    }
  }

  private static void line(StringBuilder out, String text) {
    for (String l : text.split("\n", -1)) {
      out.append("    ").append(l).append('\n');
    }
  }
}
