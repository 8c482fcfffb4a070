package org.supportbot.core.conversation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;

/**
 * One message the desk sends, platform-neutral.
 *
 * @param to where it goes
 * @param onlyFor when present, only this person sees it (Slack and Discord ephemeral replies)
 * @param replaces when present, the message replaces the earlier one sent under this key (a
 *     case's status message); adapters keep the key-to-message-id mapping
 * @param kind why it is sent, so adapters and tests can tell pings from replies
 * @param blocks the content, in order
 */
public record Outbound(Target to, Optional<Identity> onlyFor, Optional<String> replaces, Kind kind, List<Block> blocks) {

  public Outbound {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(onlyFor, "onlyFor");
    Objects.requireNonNull(replaces, "replaces");
    Objects.requireNonNull(kind, "kind");
    blocks = List.copyOf(blocks);
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("an outbound message needs at least one block");
    }
  }

  /** Why a message is sent. */
  public enum Kind {
    REPLY,
    INTAKE,
    SUGGESTIONS,
    CONFIRMATION,
    STATUS,
    ESCALATION_PING,
    PRE_BREACH_PING,
    BREACH_PING,
    REMINDER,
    DIGEST,
    NOTICE
  }

  /** Where a message goes. */
  public sealed interface Target {}

  /** A channel or a thread in it. */
  public record ToPlace(ChatPlace place) implements Target {
    public ToPlace {
      Objects.requireNonNull(place, "place");
    }
  }

  /** A direct message to a person. */
  public record ToPerson(Identity person) implements Target {
    public ToPerson {
      Objects.requireNonNull(person, "person");
    }
  }

  /** A part of a message. */
  public sealed interface Block {}

  /** A paragraph. */
  public record Text(List<Span> spans) implements Block {
    public Text {
      spans = List.copyOf(spans);
    }
  }

  /** Labelled facts, e.g. "Severity: S1", "Next deadline: (deadline)". */
  public record Facts(List<Fact> facts) implements Block {
    public Facts {
      facts = List.copyOf(facts);
    }
  }

  public record Fact(String label, List<Span> value) {
    public Fact {
      Objects.requireNonNull(label, "label");
      value = List.copyOf(value);
    }
  }

  /** Buttons or a menu. */
  public record Actions(List<Action> actions) implements Block {
    public Actions {
      actions = List.copyOf(actions);
    }
  }

  /**
   * One button: pressing it comes back as {@link Inbound.Picked}(id, value).
   *
   * @param primary whether it is the suggested choice
   */
  public record Action(String id, String label, String value, boolean primary) {
    public Action {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(label, "label");
      value = value == null ? "" : value;
    }
  }

  /** A list of suggested articles and forum threads. */
  public record SuggestionList(List<Suggestion> suggestions) implements Block {
    public SuggestionList {
      suggestions = List.copyOf(suggestions);
    }
  }

  /**
   * A text file sent with the message (a case's transcript): adapters upload it where the platform
   * takes files, or show it in a code block where it does not.
   *
   * @param name the file name, e.g. {@code ACME-42-transcript.md}
   * @param content the file's text (Markdown)
   */
  public record File(String name, String content) implements Block {
    public File {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(content, "content");
      if (name.isBlank() || name.contains("/") || name.contains("\\")) {
        throw new IllegalArgumentException("a file name must be a plain name without folders, got \"" + name + "\"");
      }
    }
  }

  /** Plain builder for the common message shapes. */
  public static Builder to(Target target, Kind kind) {
    return new Builder(target, kind);
  }

  public static Builder toPlace(ChatPlace place, Kind kind) {
    return new Builder(new ToPlace(place), kind);
  }

  /** Collects blocks; {@link #text(Object...)} turns strings into plain spans and keeps spans. */
  public static final class Builder {
    private final Target to;
    private final Kind kind;
    private Identity onlyFor;
    private String replaces;
    private final List<Block> blocks = new ArrayList<>();
    private final List<Fact> facts = new ArrayList<>();

    private Builder(Target to, Kind kind) {
      this.to = Objects.requireNonNull(to, "to");
      this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Builder onlyFor(Identity person) {
      this.onlyFor = person;
      return this;
    }

    public Builder replaces(String key) {
      this.replaces = key;
      return this;
    }

    public Builder text(Object... parts) {
      flushFacts();
      blocks.add(new Text(spans(parts)));
      return this;
    }

    public Builder fact(String label, Object... value) {
      facts.add(new Fact(label, spans(value)));
      return this;
    }

    public Builder actions(Action... actions) {
      flushFacts();
      blocks.add(new Actions(List.of(actions)));
      return this;
    }

    public Builder suggestions(List<Suggestion> list) {
      flushFacts();
      blocks.add(new SuggestionList(list));
      return this;
    }

    public Builder file(String name, String content) {
      flushFacts();
      blocks.add(new File(name, content));
      return this;
    }

    public Outbound build() {
      flushFacts();
      return new Outbound(to, Optional.ofNullable(onlyFor), Optional.ofNullable(replaces), kind, blocks);
    }

    private void flushFacts() {
      if (!facts.isEmpty()) {
        blocks.add(new Facts(facts));
        facts.clear();
      }
    }

    private static List<Span> spans(Object... parts) {
      List<Span> spans = new ArrayList<>(parts.length);
      for (Object p : parts) {
        if (p instanceof Span s) {
          spans.add(s);
        } else if (p instanceof java.time.Instant i) {
          spans.add(new Span.Deadline(i));
        } else if (p instanceof Identity id) {
          spans.add(new Span.Person(id));
        } else {
          spans.add(new Span.Plain(String.valueOf(p)));
        }
      }
      return spans;
    }
  }

  /** All plain words of the message, for logs of shape and for tests; deadlines and mentions as placeholders. */
  public String plainText() {
    StringBuilder out = new StringBuilder();
    for (Block b : blocks) {
      if (!out.isEmpty()) {
        out.append('\n');
      }
      switch (b) {
        case Text t -> appendSpans(out, t.spans());
        case Facts f -> f.facts().forEach(fact -> {
          out.append(fact.label()).append(": ");
          appendSpans(out, fact.value());
          out.append('\n');
        });
        case Actions a -> a.actions().forEach(x -> out.append('[').append(x.label()).append("] "));
        case SuggestionList s -> s.suggestions().forEach(x -> out.append("- ").append(x.title()).append('\n'));
        case File f -> out.append("[file ").append(f.name()).append("]\n").append(f.content());
      }
    }
    return out.toString().strip();
  }

  private static void appendSpans(StringBuilder out, List<Span> spans) {
    for (Span s : spans) {
      switch (s) {
        case Span.Plain p -> out.append(p.text());
        case Span.Strong p -> out.append(p.text());
        case Span.Code p -> out.append(p.text());
        case Span.Link l -> out.append(l.label());
        case Span.Person p -> out.append('@').append(p.identity().userId());
        case Span.Role r -> out.append('@').append(r.label());
        case Span.Deadline d -> out.append("<").append(d.at()).append(">");
      }
    }
  }
}
