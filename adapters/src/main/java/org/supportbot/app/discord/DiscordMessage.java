package org.supportbot.app.discord;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;
import net.dv8tion.jda.api.utils.messages.MessageEditData;
import org.supportbot.core.conversation.Outbound;

/**
 * One rendered Discord message: content, embeds and button rows, and exactly the users and roles
 * it may ping. Every other mention (including {@code @everyone}) is suppressed.
 *
 * @param ephemeral whether only the interacting person should see it
 * @param files text files uploaded as attachments (a case's transcript)
 */
public record DiscordMessage(String content, List<MessageEmbed> embeds, List<ActionRow> rows, Set<String> users,
    Set<String> roles, boolean ephemeral, List<Outbound.File> files) {

  public DiscordMessage {
    Objects.requireNonNull(content, "content");
    embeds = List.copyOf(embeds);
    rows = List.copyOf(rows);
    users = Set.copyOf(users);
    roles = Set.copyOf(roles);
    files = List.copyOf(files);
  }

  /** A message without files. */
  public DiscordMessage(String content, List<MessageEmbed> embeds, List<ActionRow> rows, Set<String> users,
      Set<String> roles, boolean ephemeral) {
    this(content, embeds, rows, users, roles, ephemeral, List.of());
  }

  /** The message for sending. */
  public MessageCreateData create() {
    return new MessageCreateBuilder()
        .setContent(content)
        .setEmbeds(embeds)
        .setComponents(rows)
        .setAllowedMentions(EnumSet.noneOf(Message.MentionType.class))
        .mentionUsers(users)
        .mentionRoles(roles)
        .setFiles(files.stream().map(f -> FileUpload.fromData(f.content().getBytes(StandardCharsets.UTF_8), f.name()))
            .toList())
        .build();
  }

  /** The message for editing one sent before: every part is replaced. */
  public MessageEditData edit() {
    return new MessageEditBuilder()
        .setReplace(true)
        .setContent(content)
        .setEmbeds(embeds)
        .setComponents(rows)
        .setAllowedMentions(EnumSet.noneOf(Message.MentionType.class))
        .mentionUsers(users)
        .mentionRoles(roles)
        .build();
  }
}
