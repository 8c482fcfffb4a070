package org.supportbot.app.console;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.supportbot.config.load.Suggestions;
import org.supportbot.core.time.ManualClock;
import org.supportbot.core.chat.SupportDesk;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.MessageRef;
import org.supportbot.core.outbox.Delivery;

/**
 * A terminal chat workspace in front of the desk. Lines starting with {@code /as}, {@code /channel},
 * {@code /thread}, {@code /dm}, {@code /advance}, {@code /press} and {@code /whoami} steer the
 * workspace; any other slash command goes to the desk as a slash command, and anything else as a
 * message from the current person in the current place. Every message the desk sends is printed
 * with where it went and who sees it.
 */
public final class ConsoleWorkspace {

  private static final Pattern ADVANCE = Pattern.compile("(?:(\\d+)d)?\\s*(?:(\\d+)h)?\\s*(?:(\\d+)m)?",
      Pattern.CASE_INSENSITIVE);

  private final SupportDesk desk;
  private final ManualClock clock;
  private final ConsoleRenderer renderer;
  private final PrintWriter out;
  private final String session;
  private long sequence;
  private String person = "ana@acme";
  private ChatPlace place = DemoWorld.channel("acme-support");
  private boolean direct;
  /** The buttons last shown, by channel (public) and by person and channel (only for them). */
  private final Map<String, List<Outbound.Action>> buttons = new HashMap<>();

  public ConsoleWorkspace(SupportDesk desk, ManualClock clock, ConsoleRenderer renderer, PrintWriter out,
      String session) {
    this.desk = desk;
    this.clock = clock;
    this.renderer = renderer;
    this.out = out;
    this.session = session;
  }

  /** The prompt for the next line: who is typing where. */
  public String prompt() {
    return person + " in " + where(place, direct) + "> ";
  }

  /** Handles one typed line. Returns false for {@code /quit}. */
  public boolean line(String raw) {
    String text = raw.strip();
    if (text.isEmpty() || text.startsWith("#") && !text.startsWith("#" + "!")) {
      return true;
    }
    if (text.equals("/quit") || text.equals("/exit")) {
      return false;
    }
    String name = text.startsWith("/") ? text.substring(1).split("\\s+", 2)[0].toLowerCase(Locale.ROOT) : "";
    String args = text.startsWith("/") && text.contains(" ") ? text.substring(text.indexOf(' ') + 1).strip() : "";
    switch (name) {
      case "as" -> as(args);
      case "channel" -> channel(args);
      case "thread" -> thread(args);
      case "dm" -> {
        direct = true;
        place = new ChatPlace(DemoWorld.PLATFORM, DemoWorld.WORKSPACE, "dm-" + person, "");
        out.println("  (now in a direct conversation with the bot)");
      }
      case "advance" -> advance(args);
      case "press" -> press(args);
      case "whoami" -> out.println("  you are " + person + " in " + where(place, direct) + "; the clock reads "
          + clock.instant());
      case "demo" -> help();
      case "" -> send(new Inbound.Said(text));
      default -> send(new Inbound.Command(name, args));
    }
    return true;
  }

  private void help() {
    out.println("""
          Workspace commands:
            /as HANDLE            act as someone else (people: %s)
            /channel NAME         go to a channel (%s)
            /thread CASE          go into a case's thread; /thread alone leaves it
            /dm                   talk to the bot directly
            /advance 3h           move the simulated clock (e.g. 45m, 2h30m, 1d) and fire what is due
            /press N|LABEL        press a button of the last message with buttons here
            /whoami               where you are and what time it is
            /quit                 leave
          Anything else starting with / goes to the desk (try /help); other lines are chat messages."""
        .formatted(String.join(", ", DemoWorld.handles()), String.join(", ", DemoWorld.channels())));
  }

  private void as(String handle) {
    String h = handle.replaceFirst("^@", "");
    if (!DemoWorld.handles().contains(h)) {
      out.println("  no one called \"" + h + "\" here" + Suggestions.closest(h, DemoWorld.handles())
          .map(s -> "; did you mean " + s + "?").orElse("") + " People: " + String.join(", ", DemoWorld.handles()));
      return;
    }
    person = h;
    if (direct) {
      place = new ChatPlace(DemoWorld.PLATFORM, DemoWorld.WORKSPACE, "dm-" + person, "");
    }
    out.println("  (you are now " + person + ")");
  }

  private void channel(String name) {
    String c = name.replaceFirst("^#", "").strip();
    if (!DemoWorld.channels().contains(c)) {
      out.println("  there is no channel #" + c + Suggestions.closest(c, DemoWorld.channels())
          .map(s -> "; did you mean #" + s + "?").orElse("") + " Channels: " + String.join(", ", DemoWorld.channels()));
      return;
    }
    direct = false;
    place = DemoWorld.channel(c);
    out.println("  (now in #" + c + ")");
  }

  private void thread(String name) {
    if (direct) {
      out.println("  direct conversations have no threads; use /channel first");
      return;
    }
    String t = name.strip().toUpperCase(Locale.ROOT);
    place = new ChatPlace(place.platform(), place.workspace(), place.channel(), t);
    out.println(t.isEmpty() ? "  (back in #" + place.channel() + ")" : "  (now in the thread " + t + " of #"
        + place.channel() + ")");
  }

  private void advance(String args) {
    Matcher m = ADVANCE.matcher(args.replace(" ", ""));
    if (args.isBlank() || !m.matches()) {
      out.println("  write how far to move the clock, e.g. /advance 45m, /advance 3h or /advance 1d2h");
      return;
    }
    Duration d = Duration.ofDays(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
        .plusHours(m.group(2) == null ? 0 : Long.parseLong(m.group(2)))
        .plusMinutes(m.group(3) == null ? 0 : Long.parseLong(m.group(3)));
    // move in steps so that every timer fires at its own time and pings read as they would then
    Duration step = Duration.ofMinutes(15);
    Duration left = d;
    while (!left.isZero()) {
      Duration now = left.compareTo(step) < 0 ? left : step;
      clock.advance(now);
      left = left.minus(now);
      show(desk.tickTracked());
    }
    out.println("  (clock advanced " + ConsoleRenderer.span(d) + "; it is now " + clock.instant() + ")");
  }

  private void press(String which) {
    List<Outbound.Action> mine = buttons.getOrDefault(personalKey(), List.of());
    List<Outbound.Action> shown = !mine.isEmpty() ? mine : buttons.getOrDefault(publicKey(place), List.of());
    if (shown.isEmpty()) {
      out.println("  there are no buttons here to press");
      return;
    }
    Optional<Outbound.Action> action = Optional.empty();
    if (which.matches("\\d{1,2}")) {
      int n = Integer.parseInt(which);
      if (n >= 1 && n <= shown.size()) {
        action = Optional.of(shown.get(n - 1));
      }
    } else {
      action = shown.stream().filter(a -> a.label().equalsIgnoreCase(which.strip())).findFirst();
    }
    if (action.isEmpty()) {
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < shown.size(); i++) {
        labels.add((i + 1) + " " + shown.get(i).label());
      }
      out.println("  no button \"" + which + "\"; the buttons are: " + String.join(", ", labels));
      return;
    }
    send(new Inbound.Picked(action.get().id(), action.get().value()));
  }

  private void send(Inbound.Input input) {
    String key = session + "-" + (++sequence);
    Identity who = DemoWorld.person(person);
    Inbound in = new Inbound(key, who, place, direct, clock.instant(),
        Optional.of(new MessageRef(DemoWorld.PLATFORM, place.channel(), key)), input);
    show(desk.handleTracked(in));
    show(desk.tickTracked());
  }

  /** Prints each message, then reports it sent: the terminal took it. */
  private void show(List<Delivery> messages) {
    for (Delivery d : messages) {
      Outbound m = d.message();
      String to = switch (m.to()) {
        case Outbound.ToPlace p -> where(p.place(), false);
        case Outbound.ToPerson p -> "DM to " + p.person().userId();
      };
      String audience = m.onlyFor().map(id -> " (only " + id.userId() + " sees this)").orElse("");
      String label = switch (m.kind()) {
        case STATUS -> "status (" + (m.replaces().isPresent() ? "updated in place" : "new") + ")";
        case ESCALATION_PING -> "ESCALATION";
        case PRE_BREACH_PING -> "PRE-BREACH";
        case BREACH_PING -> "BREACH";
        case REMINDER -> "reminder";
        case DIGEST -> "digest";
        case REPLY, INTAKE, SUGGESTIONS, CONFIRMATION, NOTICE -> "bot";
      };
      out.println("  [" + to + "] " + label + audience + ":");
      out.print(renderer.body(m));
      remember(m);
      d.sent();
    }
    out.flush();
  }

  private void remember(Outbound m) {
    List<Outbound.Action> actions = m.blocks().stream().filter(b -> b instanceof Outbound.Actions)
        .flatMap(b -> ((Outbound.Actions) b).actions().stream()).toList();
    if (actions.isEmpty() || !(m.to() instanceof Outbound.ToPlace p)) {
      return;
    }
    if (m.onlyFor().isPresent()) {
      buttons.put(m.onlyFor().get().userId() + "|" + p.place().channel(), actions);
    } else {
      buttons.put(publicKey(p.place()), actions);
    }
  }

  private String personalKey() {
    return person + "|" + place.channel();
  }

  private static String publicKey(ChatPlace p) {
    return p.channel() + "|" + p.thread();
  }

  private static String where(ChatPlace p, boolean direct) {
    if (direct) {
      return "DM with the bot";
    }
    return "#" + p.channel() + (p.thread().isEmpty() ? "" : " › " + p.thread());
  }
}
