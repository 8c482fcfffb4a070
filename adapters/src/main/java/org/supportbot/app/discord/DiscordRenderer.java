package org.supportbot.app.discord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import net.dv8tion.jda.api.EmbedBuilder;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.utils.MarkdownSanitizer;
import net.dv8tion.jda.api.utils.TimeFormat;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Span;
import org.supportbot.core.conversation.Suggestion;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.intake.Intake;

/**
 * Renders the desk's outbound messages for Discord.
 *
 * <ul>
 *   <li>A status message (one that {@link Outbound#replaces() replaces} an earlier one) is an embed: its
 *       first bold line is the title, its facts are fields; deadlines are {@code <t:UNIX:f> (<t:UNIX:R>)},
 *       which every client renders in the reader's zone and keeps counting down without edits.
 *   <li>Other messages are markdown content; facts become {@code **label:** value} lines.
 *   <li>People are {@code <@id>}, roles {@code <@&id>}; the message may ping exactly those and nothing else.
 *   <li>Each action is a button whose custom id is {@code action:value} (at most 100 characters).
 *   <li>An intake question that wants typed text gets an "Answer" button opening a modal, since a bot
 *       without the privileged message-content intent cannot read typed replies.
 * </ul>
 */
public final class DiscordRenderer {

  /** The platform name in identities and places. */
  public static final String PLATFORM = "discord";
  /** Custom-id prefix of a button that opens a modal for a typed answer; the rest is the question counter. */
  public static final String FORM = "form:";
  /** The modal's text input id. */
  public static final String ANSWER_INPUT = "answer";

  static final int CONTENT_MAX = 2000;
  static final int BUTTONS_PER_ROW = 5;
  static final int ROWS_MAX = 5;
  private static final Pattern QUESTION = Pattern.compile("^\\((\\d{1,3}/\\d{1,3})\\) .*");

  /** Renders {@code out}; {@code ephemeral} when it answers an interaction of the person it is only for. */
  public DiscordMessage render(Outbound out, boolean ephemeral) {
    Mentions mentions = new Mentions();
    List<ActionRow> rows = rows(out);
    if (out.replaces().isPresent() || out.kind() == Outbound.Kind.STATUS) {
      return new DiscordMessage("", List.of(embed(out, mentions)), rows, mentions.users, mentions.roles, ephemeral);
    }
    StringBuilder content = new StringBuilder();
    List<Outbound.File> files = new ArrayList<>();
    for (Outbound.Block block : out.blocks()) {
      switch (block) {
        case Outbound.Text t -> line(content, spans(t.spans(), mentions));
        case Outbound.Facts f -> f.facts().forEach(fact -> line(content, "**" + escape(fact.label()) + ":** "
            + spans(fact.value(), mentions)));
        case Outbound.SuggestionList s -> {
          int i = 1;
          for (Suggestion sg : s.suggestions()) {
            line(content, (i++) + ". " + link(sg.title(), sg.url()) + (sg.snippet().isBlank() ? ""
                : " — " + sg.snippet().strip()));
          }
        }
        case Outbound.Actions a -> { }
        case Outbound.File f -> files.add(f);
      }
    }
    return new DiscordMessage(truncate(content.toString(), CONTENT_MAX), List.of(), rows, mentions.users, mentions.roles,
        ephemeral, files);
  }

  /**
   * Renders a message meant only for {@code person} as a normal message in the channel, addressed to them:
   * their mention (which pings them and no one else) opens the content, and the buttons stay, so that their
   * clicks come back as interactions of the server. Used when no interaction of theirs is at hand to carry
   * it as an ephemeral follow-up (after a restart), instead of a direct message, where buttons do not work.
   */
  public DiscordMessage addressed(Outbound out, Identity person) {
    DiscordMessage m = render(out, false);
    if (!PLATFORM.equals(person.platform()) || !person.userId().chars().allMatch(Character::isDigit)
        || person.userId().isEmpty()) {
      return m;
    }
    Set<String> users = new LinkedHashSet<>(m.users());
    users.add(person.userId());
    return new DiscordMessage(truncate("<@" + person.userId() + "> " + m.content(), CONTENT_MAX), m.embeds(), m.rows(),
        users, m.roles(), false, m.files());
  }

  /** Reads a button's custom id back into what was picked. */
  public static Inbound.Picked picked(String customId) {
    int colon = customId.indexOf(':');
    return colon < 0 ? new Inbound.Picked(customId, "") : new Inbound.Picked(customId.substring(0, colon),
        customId.substring(colon + 1));
  }

  /** The button custom id of an action. */
  static String customId(Outbound.Action a) {
    String id = a.id() + ":" + a.value();
    if (id.length() > Button.ID_MAX_LENGTH) {
      throw new IllegalArgumentException("button \"" + a.label() + "\" would get the custom id \"" + id + "\" of "
          + id.length() + " characters; Discord allows " + Button.ID_MAX_LENGTH + ". Keep action values short (an id,"
          + " not text)");
    }
    return id;
  }

  /** The two styles of a deadline side by side: absolute in the reader's zone, then the live countdown. */
  static String deadline(Instant at) {
    return TimeFormat.DATE_TIME_SHORT.atInstant(at) + " (" + TimeFormat.RELATIVE.atInstant(at) + ")";
  }

  private MessageEmbed embed(Outbound out, Mentions mentions) {
    EmbedBuilder e = new EmbedBuilder();
    StringBuilder description = new StringBuilder();
    boolean titled = false;
    for (Outbound.Block block : out.blocks()) {
      switch (block) {
        case Outbound.Text t -> {
          if (!titled && t.spans().size() == 1 && t.spans().get(0) instanceof Span.Strong s) {
            e.setTitle(truncate(s.text(), MessageEmbed.TITLE_MAX_LENGTH));
            titled = true;
          } else {
            line(description, spans(t.spans(), mentions));
          }
        }
        case Outbound.Facts f -> f.facts().forEach(fact -> {
          if (e.getFields().size() < 25) {
            String value = spans(fact.value(), mentions);
            e.addField(truncate(fact.label(), MessageEmbed.TITLE_MAX_LENGTH),
                truncate(value.isBlank() ? "-" : value, MessageEmbed.VALUE_MAX_LENGTH), value.length() <= 40);
          }
        });
        case Outbound.SuggestionList s -> s.suggestions().forEach(sg -> line(description, "- " + link(sg.title(), sg.url())));
        case Outbound.Actions a -> { }
        case Outbound.File f -> line(description, escape(f.name()) + " could not be attached to this message");
      }
    }
    if (!description.isEmpty()) {
      e.setDescription(truncate(description.toString(), MessageEmbed.DESCRIPTION_MAX_LENGTH));
    }
    return e.build();
  }

  private List<ActionRow> rows(Outbound out) {
    List<Button> buttons = new ArrayList<>();
    boolean hasActions = false;
    for (Outbound.Block block : out.blocks()) {
      if (block instanceof Outbound.Actions a) {
        hasActions = true;
        for (Outbound.Action action : a.actions()) {
          String label = truncate(action.label(), Button.LABEL_MAX_LENGTH);
          buttons.add(action.primary() ? Button.primary(customId(action), label) : Button.secondary(customId(action), label));
        }
      }
    }
    Optional<String> question = out.onlyFor().isPresent() && out.kind() == Outbound.Kind.INTAKE && !hasActions
        ? question(out) : Optional.empty();
    question.ifPresent(counter -> {
      buttons.add(Button.primary(FORM + counter, "Answer…"));
      buttons.add(Button.secondary(Intake.CANCEL + ":", "Cancel"));
    });
    List<ActionRow> rows = new ArrayList<>();
    for (int i = 0; i < buttons.size() && rows.size() < ROWS_MAX; i += BUTTONS_PER_ROW) {
      rows.add(ActionRow.of(buttons.subList(i, Math.min(buttons.size(), i + BUTTONS_PER_ROW))));
    }
    return rows;
  }

  /** The counter of an intake question ("3/13") when the message asks one. */
  private static Optional<String> question(Outbound out) {
    for (Outbound.Block block : out.blocks()) {
      if (block instanceof Outbound.Text t && !t.spans().isEmpty() && t.spans().get(0) instanceof Span.Plain p) {
        var m = QUESTION.matcher(p.text());
        if (m.matches()) {
          return Optional.of(m.group(1));
        }
      }
    }
    return Optional.empty();
  }

  private static String spans(List<Span> spans, Mentions mentions) {
    StringBuilder b = new StringBuilder();
    for (Span s : spans) {
      switch (s) {
        case Span.Plain p -> b.append(escape(p.text()));
        case Span.Strong p -> b.append(p.text().isBlank() ? p.text() : "**" + escape(p.text()) + "**");
        case Span.Code c -> b.append(code(c.text()));
        case Span.Link l -> b.append(link(l.label(), l.url()));
        case Span.Person p -> b.append(mentions.person(p.identity()));
        case Span.Role r -> b.append(mentions.role(r.role(), r.label()));
        case Span.Deadline d -> b.append(deadline(d.at()));
      }
    }
    return b.toString();
  }

  private static String escape(String text) {
    return MarkdownSanitizer.escape(text);
  }

  private static String code(String text) {
    String fence = text.contains("`") ? "``" : "`";
    return fence + (text.startsWith("`") || text.endsWith("`") ? " " + text + " " : text) + fence;
  }

  private static String link(String label, String url) {
    return url.isBlank() ? escape(label) : "[" + escape(label).replace("]", "\\]") + "](<" + url + ">)";
  }

  private static void line(StringBuilder b, String text) {
    if (!b.isEmpty()) {
      b.append('\n');
    }
    b.append(text);
  }

  static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  /** The users and roles a message mentions, and so may ping. */
  private static final class Mentions {
    final Set<String> users = new LinkedHashSet<>();
    final Set<String> roles = new LinkedHashSet<>();

    String person(Identity id) {
      if (!PLATFORM.equals(id.platform()) || !id.userId().chars().allMatch(Character::isDigit)) {
        return "@" + escape(id.userId());
      }
      users.add(id.userId());
      return "<@" + id.userId() + ">";
    }

    String role(String role, String label) {
      if (!role.chars().allMatch(Character::isDigit) || role.isEmpty()) {
        return "@" + escape(label);
      }
      roles.add(role);
      return "<@&" + role + ">";
    }
  }
}
