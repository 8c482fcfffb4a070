package org.supportbot.core.conversation;

import java.time.Instant;
import java.util.Objects;
import org.supportbot.core.directory.Identity;

/**
 * A piece of an outbound text. Mentions and deadlines stay structured so that each platform can
 * render them natively: a deadline is an instant, never pre-rendered text.
 */
public sealed interface Span {

  record Plain(String text) implements Span {
    public Plain {
      Objects.requireNonNull(text, "text");
    }
  }

  /** Emphasized text (bold where the platform has it). */
  record Strong(String text) implements Span {
    public Strong {
      Objects.requireNonNull(text, "text");
    }
  }

  /** Literal text shown as code (an error message, a command). */
  record Code(String text) implements Span {
    public Code {
      Objects.requireNonNull(text, "text");
    }
  }

  /** A link with its label. */
  record Link(String label, String url) implements Span {
    public Link {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(url, "url");
    }
  }

  /** Mentions (and so notifies) a person. */
  record Person(Identity identity) implements Span {
    public Person {
      Objects.requireNonNull(identity, "identity");
    }
  }

  /** Mentions a role or group, e.g. the on-call role; {@code role} is the platform's role or group id. */
  record Role(String role, String label) implements Span {
    public Role {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(label, "label");
    }
  }

  /** A moment: Discord shows a live timestamp, Slack the reader's local time, the console "in 3h 12m". */
  record Deadline(Instant at) implements Span {
    public Deadline {
      Objects.requireNonNull(at, "at");
    }
  }
}
