package org.supportbot.app.discord;

import java.util.Optional;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.channel.ChannelType;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.requests.Route;
import net.dv8tion.jda.api.utils.data.DataObject;
import net.dv8tion.jda.internal.JDAImpl;
import net.dv8tion.jda.internal.requests.RestActionImpl;

/**
 * Fetches a thread by its id ({@code GET channels/{id}}), for a case thread that is not in JDA's cache:
 * Discord lists only active threads when the bot connects, so a thread it archived after a week without
 * messages is known only by the id the adapter stored.
 *
 * <p>JDA 6.5 has no public call that fetches a guild channel by id, so this one uses two of JDA's
 * internal classes: {@code RestActionImpl} for the request (rate limits and retries stay JDA's) and
 * {@code EntityBuilder} to turn Discord's thread object into a cached {@link ThreadChannel}. They may
 * change between JDA releases; {@code DiscordEndToEndTest} exercises this path through the real JDA, so an
 * upgrade that breaks it fails the build.
 */
final class ThreadLookup {
  private ThreadLookup() {}

  /**
   * The thread with {@code id}, archived or not; empty when Discord no longer has it (Unknown Channel,
   * 10003), the bot may not see it (Missing Access, 50001), or the id is not a thread's.
   */
  static Optional<ThreadChannel> retrieve(JDA jda, String id) {
    JDAImpl impl = (JDAImpl) jda;
    RestActionImpl<ThreadChannel> get = new RestActionImpl<>(jda, Route.Channels.GET_CHANNEL.compile(id),
        (response, request) -> {
          DataObject channel = response.getObject();
          if (!ChannelType.fromId(channel.getInt("type", -1)).isThread()) {
            return null;
          }
          return impl.getEntityBuilder().createThreadChannel(channel, channel.getUnsignedLong("guild_id"));
        });
    try {
      return Optional.ofNullable(get.complete());
    } catch (ErrorResponseException e) {
      if (e.getErrorResponse() == ErrorResponse.UNKNOWN_CHANNEL || e.getErrorResponse() == ErrorResponse.MISSING_ACCESS) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
