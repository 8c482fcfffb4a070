package org.supportbot.core.conversation;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.MessageRef;

/**
 * One thing a person did in chat, translated by an adapter.
 *
 * @param key the idempotency key: the platform's event or interaction id; a repeat has no second effect
 * @param person who did it
 * @param place where: channel and thread, or the direct conversation with the bot
 * @param direct whether {@code place} is a direct conversation with the bot
 * @param at when the platform says it happened
 * @param message the chat message it came from, when there is one
 * @param input what was said, typed, picked or submitted
 */
public record Inbound(String key, Identity person, ChatPlace place, boolean direct, Instant at,
    Optional<MessageRef> message, Input input) {

  public Inbound {
    Objects.requireNonNull(key, "key");
    if (key.isBlank()) {
      throw new IllegalArgumentException("an inbound needs the platform's event or interaction id as its key");
    }
    Objects.requireNonNull(person, "person");
    Objects.requireNonNull(place, "place");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(input, "input");
  }

  /**
   * The conversation this inbound belongs to, within which inbounds are handled one at a time and in
   * order: the case thread it was typed in, or else the person in that channel (or direct message),
   * which also holds the person's unfinished intake there.
   */
  public String conversation() {
    String channel = place.platform() + "/" + place.workspace() + "/" + place.channel();
    return place.thread().isEmpty() ? channel + "/@" + person.workspace() + "/" + person.userId()
        : channel + "/" + place.thread();
  }

  /** What a person did. */
  public sealed interface Input {}

  /** A plain message (or a mention of the bot, with the mention removed). */
  public record Said(String text) implements Input {
    public Said {
      Objects.requireNonNull(text, "text");
    }
  }

  /** A slash command: {@code /severity S1 production is down} is name "severity", args "S1 production is down". */
  public record Command(String name, String args) implements Input {
    public Command {
      Objects.requireNonNull(name, "name");
      name = name.startsWith("/") ? name.substring(1) : name;
      args = args == null ? "" : args.strip();
    }
  }

  /** A button or menu choice: the action's id and the chosen value. */
  public record Picked(String action, String value) implements Input {
    public Picked {
      Objects.requireNonNull(action, "action");
      value = value == null ? "" : value;
    }
  }

  /**
   * A chat message filed as a case by the message shortcut ("File as incident") or, where the
   * settings name an emoji, by that reaction: {@code author} wrote {@code text}; the inbound's person
   * is who used the shortcut or reacted.
   */
  public record FileMessage(Identity author, String text) implements Input {
    public FileMessage {
      Objects.requireNonNull(author, "author");
      text = text == null ? "" : text;
    }
  }

  /** A submitted form (a Slack modal, a Discord modal): values by field id. */
  public record Submitted(String form, Map<String, String> values) implements Input {
    public Submitted {
      Objects.requireNonNull(form, "form");
      values = Map.copyOf(values);
    }
  }
}
