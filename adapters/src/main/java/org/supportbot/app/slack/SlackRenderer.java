package org.supportbot.app.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Span;
import org.supportbot.core.conversation.Suggestion;

/**
 * Renders the desk's messages as Block Kit: paragraphs as mrkdwn sections, facts as section
 * fields, buttons as an actions block, deadlines as {@code <!date^UNIX^...|fallback>} tokens that
 * every reader sees in their own time zone, people as {@code <@U123>} and roles as
 * {@code <!subteam^S123>}. Also gives the plain fallback text Slack shows in notifications.
 */
public final class SlackRenderer {

  /** A rendered message: the notification text and the blocks as a JSON array. */
  public record SlackMessage(String text, String blocks) {
    public SlackMessage {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(blocks, "blocks");
    }
  }

  /** Slack's limits (https://docs.slack.dev/reference/block-kit/blocks). */
  static final int SECTION_TEXT = 3000;
  static final int FIELD_TEXT = 2000;
  static final int FIELDS_PER_SECTION = 10;
  static final int BUTTONS_PER_BLOCK = 25;
  static final int BUTTON_LABEL = 75;
  static final int BUTTON_VALUE = 2000;
  static final int FALLBACK_TEXT = 3000;
  /** Slack takes 50 blocks in a message; one is kept for the note that a file was cut. */
  static final int FILE_BLOCKS_MAX = 49;

  /** Separates an action's id from its position, since action ids must be unique in a message. */
  static final char ACTION_SUFFIX = '#';

  private static final DateTimeFormatter FALLBACK_DATE = DateTimeFormatter.ofPattern("EEE d MMM yyyy HH:mm 'UTC'",
      Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private final ObjectMapper json = new ObjectMapper();

  /** Renders one outbound message. */
  public SlackMessage render(Outbound message) {
    ArrayNode blocks = json.createArrayNode();
    List<String> fallback = new ArrayList<>();
    int button = 0;
    for (Outbound.Block block : message.blocks()) {
      switch (block) {
        case Outbound.Text t -> {
          String text = mrkdwn(t.spans());
          if (!text.isBlank()) {
            blocks.add(section(text));
            fallback.add(text);
          }
        }
        case Outbound.Facts f -> {
          List<String> fields = new ArrayList<>();
          for (Outbound.Fact fact : f.facts()) {
            String value = mrkdwn(fact.value());
            fields.add("*" + escape(fact.label()) + "*\n" + (value.isBlank() ? " " : value));
            fallback.add(escape(fact.label()) + ": " + value);
          }
          for (int i = 0; i < fields.size(); i += FIELDS_PER_SECTION) {
            ObjectNode section = blocks.addObject().put("type", "section");
            ArrayNode list = section.putArray("fields");
            fields.subList(i, Math.min(fields.size(), i + FIELDS_PER_SECTION))
                .forEach(x -> list.addObject().put("type", "mrkdwn").put("text", cut(x, FIELD_TEXT)));
          }
        }
        case Outbound.Actions a -> {
          ArrayNode elements = null;
          for (int i = 0; i < a.actions().size(); i++) {
            if (i % BUTTONS_PER_BLOCK == 0) {
              elements = blocks.addObject().put("type", "actions").putArray("elements");
            }
            Outbound.Action action = a.actions().get(i);
            ObjectNode b = elements.addObject().put("type", "button");
            b.putObject("text").put("type", "plain_text").put("text", cut(action.label(), BUTTON_LABEL)).put("emoji", true);
            b.put("action_id", action.id() + ACTION_SUFFIX + (button++));
            b.put("value", cut(action.value(), BUTTON_VALUE));
            if (action.primary()) {
              b.put("style", "primary");
            }
          }
        }
        case Outbound.SuggestionList s -> {
          List<String> lines = new ArrayList<>();
          int n = 1;
          for (Suggestion x : s.suggestions()) {
            String title = escape(x.title());
            String head = n++ + ". " + (x.url().isBlank() ? "*" + title + "*" : "<" + x.url() + "|" + title + ">")
                + " _(" + escape(x.source()) + ")_";
            lines.add(x.snippet().isBlank() ? head : head + "\n> " + escape(x.snippet()).replace("**", "*").replace("\n", " "));
            fallback.add(x.title());
          }
          if (!lines.isEmpty()) {
            blocks.add(section(String.join("\n", lines)));
          }
        }
        case Outbound.File f -> {
          // without the files:write scope the file is shown as code blocks, as many as a message holds
          fallback.add(f.name());
          blocks.add(section("*" + escape(f.name()) + "*"));
          String content = f.content().replace("```", "` ` `");
          int chunk = SECTION_TEXT - 8;
          for (int i = 0; i < content.length(); i += chunk) {
            if (blocks.size() >= FILE_BLOCKS_MAX) {
              blocks.add(section("_(cut here: the rest of " + escape(f.name()) + " does not fit in one Slack message)_"));
              break;
            }
            blocks.add(section("```" + escape(content.substring(i, Math.min(content.length(), i + chunk))) + "```"));
          }
        }
      }
    }
    String text = cut(String.join("\n", fallback), FALLBACK_TEXT);
    return new SlackMessage(text.isBlank() ? " " : text, blocks.toString());
  }

  /** The action id a button was rendered with, without its position suffix. */
  public static String actionId(String renderedId) {
    int i = renderedId.lastIndexOf(ACTION_SUFFIX);
    return i < 0 ? renderedId : renderedId.substring(0, i);
  }

  /** Spans as Slack mrkdwn. */
  public static String mrkdwn(List<Span> spans) {
    StringBuilder out = new StringBuilder();
    for (Span s : spans) {
      switch (s) {
        case Span.Plain p -> out.append(escape(p.text()));
        case Span.Strong p -> out.append(p.text().isBlank() ? escape(p.text()) : "*" + escape(p.text()) + "*");
        case Span.Code p -> out.append(p.text().isBlank() ? escape(p.text()) : "`" + escape(p.text()).replace("`", "'") + "`");
        case Span.Link l -> out.append('<').append(l.url().replace("|", "%7C").replace(">", "%3E")).append('|')
            .append(escape(l.label())).append('>');
        case Span.Person p -> out.append("<@").append(p.identity().userId()).append('>');
        case Span.Role r -> out.append(role(r));
        case Span.Deadline d -> out.append(date(d.at()));
      }
    }
    return out.toString();
  }

  /**
   * A deadline as a Slack date token: the reader's own date and time, with an absolute UTC
   * fallback for clients that cannot render it.
   */
  public static String date(Instant at) {
    return "<!date^" + at.getEpochSecond() + "^{date_short_pretty} {time}|" + FALLBACK_DATE.format(at) + ">";
  }

  private static String role(Span.Role r) {
    String id = r.role();
    // user groups (S...) ping through subteam; "here" and "channel" are Slack's broadcast mentions
    return switch (id) {
      case "here", "channel", "everyone" -> "<!" + id + ">";
      default -> id.startsWith("S") && id.equals(id.toUpperCase(Locale.ROOT)) ? "<!subteam^" + id + ">"
          : "@" + escape(r.label());
    };
  }

  /** Escapes the three characters Slack's mrkdwn reserves. */
  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private ObjectNode section(String text) {
    ObjectNode s = json.createObjectNode().put("type", "section");
    s.putObject("text").put("type", "mrkdwn").put("text", cut(text, SECTION_TEXT));
    return s;
  }

  static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
