package org.supportbot.core.chat;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A person named in a command the way users type it: {@code @ana}, Slack's {@code <@U123ABC>} and
 * {@code <@U123ABC|ana>}, Discord's {@code <@123>} and {@code <@!123>}. Anything else that is not one
 * person (a channel, a role, {@code @here}) is refused with the reason.
 *
 * @param userId the platform's user id (or the name typed after {@code @})
 */
record Mention(String userId) {
  /** Slack {@code <@U123ABC>} / {@code <@U123ABC|name>}, Discord {@code <@123>} / {@code <@!123>}. */
  private static final Pattern PERSON = Pattern.compile("<@!?([A-Za-z0-9]+)(?:\\|[^>]*)?>");
  private static final Pattern PLAIN = Pattern.compile("@([^\\s<>@][^\\s<>]*)");

  Mention {
    Objects.requireNonNull(userId, "userId");
  }

  /**
   * Reads one word as a person; {@code example} is the command to show how it is done (e.g.
   * {@code /support @ana}). Throws {@link IllegalArgumentException} saying what the word is instead.
   */
  static Mention read(String word, String example) {
    String w = word.strip();
    Matcher person = PERSON.matcher(w);
    if (person.matches()) {
      return new Mention(person.group(1));
    }
    String lower = w.toLowerCase(java.util.Locale.ROOT);
    if (!lower.equals("@here") && !lower.equals("@channel") && !lower.equals("@everyone")) {
      Matcher plain = PLAIN.matcher(w);
      if (plain.matches()) {
        return new Mention(plain.group(1));
      }
    }
    String what;
    if (w.isEmpty()) {
      what = "No person is named";
    } else if (w.startsWith("<#")) {
      what = "`" + w + "` is a channel, not a person";
    } else if (w.startsWith("<@&")) {
      what = "`" + w + "` is a role, not a person";
    } else if (w.startsWith("<!") || lower.equals("@here") || lower.equals("@channel") || lower.equals("@everyone")) {
      what = "`" + w + "` mentions a group of people, not one person";
    } else {
      what = "`" + w + "` is not a mention of a person";
    }
    throw new IllegalArgumentException(what + ". Mention one person, e.g. " + example + ".");
  }
}
