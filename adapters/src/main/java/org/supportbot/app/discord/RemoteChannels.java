package org.supportbot.app.discord;

import java.util.List;
import java.util.Optional;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.channel.ChannelType;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.requests.Route;
import net.dv8tion.jda.api.utils.AttachedFile;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.data.DataObject;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditData;
import net.dv8tion.jda.internal.requests.RestActionImpl;
import okhttp3.RequestBody;

/**
 * Posts to a channel known only by its id, for a server (guild) whose gateway shard another instance
 * connects: this instance has no cached channel object for it, yet Discord's REST API takes a message for
 * any channel the bot may post in, from any connection of the bot. Sharding splits only the gateway.
 *
 * <p>JDA 6.5 has no public call that posts to a channel it has not cached, so this goes through
 * {@code RestActionImpl}, one of JDA's internal classes, as {@link ThreadLookup} does: the request still
 * goes through JDA's requester, so its rate limits and retries stay JDA's. {@code RunDiscordShardsOnPostgresTest}
 * (send, edit, the thread's state) and {@code DiscordShardsElsewhereTest} (a locked thread replaced by a new one)
 * exercise these calls through the real JDA, so an upgrade that breaks them fails the build; {@link #unarchive}
 * is the one call no test is sure to take.
 */
final class RemoteChannels {
  private RemoteChannels() {}

  /** {@code POST channels/{id}/messages}; with a nonce, enforced as the cached path's sends are. Returns the message id. */
  static String send(JDA jda, String channelId, MessageCreateData data, Optional<String> nonce) {
    DataObject json = data.toData();
    nonce.ifPresent(n -> json.put("nonce", n).put("enforce_nonce", true));
    return new RestActionImpl<String>(jda, Route.Messages.SEND_MESSAGE.compile(channelId), body(json, data.getFiles()),
        (response, request) -> response.getObject().getString("id")).complete();
  }

  /** {@code PATCH channels/{id}/messages/{message}}. */
  static void edit(JDA jda, String channelId, String messageId, MessageEditData data) {
    new RestActionImpl<Void>(jda, Route.Messages.EDIT_MESSAGE.compile(channelId, messageId),
        body(data.toData(), data.getFiles())).complete();
  }

  /** {@code POST channels/{parent}/threads}: a public thread kept a week without messages; returns its id. */
  static String createThread(JDA jda, String parentId, String name) {
    DataObject json = DataObject.empty().put("name", name).put("type", ChannelType.GUILD_PUBLIC_THREAD.getId())
        .put("auto_archive_duration", 10080);
    return new RestActionImpl<String>(jda, Route.Channels.CREATE_THREAD.compile(parentId), json,
        (response, request) -> response.getObject().getString("id")).complete();
  }

  /** A thread as Discord has it now: whether it is archived and whether it is locked. */
  record ThreadState(boolean archived, boolean locked) {}

  /**
   * {@code GET channels/{id}}: the thread's state; empty when Discord no longer has it (Unknown Channel),
   * the bot may not see it (Missing Access), or the id is not a thread's.
   */
  static Optional<ThreadState> thread(JDA jda, String threadId) {
    try {
      return Optional.ofNullable(new RestActionImpl<ThreadState>(jda, Route.Channels.GET_CHANNEL.compile(threadId),
          (response, request) -> {
            DataObject channel = response.getObject();
            if (!ChannelType.fromId(channel.getInt("type", -1)).isThread()) {
              return null;
            }
            DataObject meta = channel.optObject("thread_metadata").orElse(DataObject.empty());
            return new ThreadState(meta.getBoolean("archived"), meta.getBoolean("locked"));
          }).complete());
    } catch (ErrorResponseException e) {
      if (e.getErrorResponse() == ErrorResponse.UNKNOWN_CHANNEL || e.getErrorResponse() == ErrorResponse.MISSING_ACCESS) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** {@code PATCH channels/{id}} with {@code archived: false}. */
  static void unarchive(JDA jda, String threadId) {
    new RestActionImpl<Void>(jda, Route.Channels.MODIFY_CHANNEL.compile(threadId),
        DataObject.empty().put("archived", false)).complete();
  }

  private static RequestBody body(DataObject json, List<FileUpload> files) {
    if (files.isEmpty()) {
      return RequestBody.create(json.toJson(), okhttp3.MediaType.get("application/json"));
    }
    return AttachedFile.createMultipartBody(files, json).build();
  }
}
