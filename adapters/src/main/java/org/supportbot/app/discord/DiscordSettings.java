package org.supportbot.app.discord;

import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import net.dv8tion.jda.api.requests.GatewayIntent;
import org.supportbot.config.settings.BotSettings;

/**
 * How the adapter connects.
 *
 * @param readThreadReplies read messages typed in case threads as replies to the case; needs the
 *     privileged Message Content intent, enabled in the Developer Portal
 * @param tickEvery how often the desk's timers are fired
 * @param restBaseUrl where the REST API is, for a local fake; empty for Discord itself
 * @param gatewayUrl where the gateway is, for a local fake; empty for Discord itself
 * @param fileOnReaction the emoji (a Unicode emoji, or a custom emoji's name) whose reaction by an
 *     engineer files a message on its author's behalf; empty: reactions file nothing
 * @param shards the gateway shards this instance connects, through JDA's shard manager; empty: one
 *     connection for every server (today's single instance)
 * @param requestTimeout how long a REST call may wait for Discord's answer (connecting, sending, reading)
 *     before it fails; a call that fails this way after it was sent may have been carried out, and it is
 *     never repeated blindly (see {@link DiscordAdapter})
 */
public record DiscordSettings(boolean readThreadReplies, Duration tickEvery, Optional<URI> restBaseUrl,
    Optional<URI> gatewayUrl, Optional<String> fileOnReaction, Optional<BotSettings.Shards> shards,
    Duration requestTimeout) {

  /** How long a REST call waits for Discord's answer unless told otherwise: OkHttp's default, as JDA has it. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  public DiscordSettings(boolean readThreadReplies, Duration tickEvery, Optional<URI> restBaseUrl,
      Optional<URI> gatewayUrl, Optional<String> fileOnReaction, Optional<BotSettings.Shards> shards) {
    this(readThreadReplies, tickEvery, restBaseUrl, gatewayUrl, fileOnReaction, shards, REQUEST_TIMEOUT);
  }

  public DiscordSettings(boolean readThreadReplies, Duration tickEvery, Optional<URI> restBaseUrl,
      Optional<URI> gatewayUrl, Optional<String> fileOnReaction) {
    this(readThreadReplies, tickEvery, restBaseUrl, gatewayUrl, fileOnReaction, Optional.empty());
  }

  public DiscordSettings(boolean readThreadReplies, Duration tickEvery, Optional<URI> restBaseUrl,
      Optional<URI> gatewayUrl) {
    this(readThreadReplies, tickEvery, restBaseUrl, gatewayUrl, Optional.empty());
  }

  public DiscordSettings {
    Objects.requireNonNull(tickEvery, "tickEvery");
    if (tickEvery.isNegative() || tickEvery.isZero()) {
      throw new IllegalArgumentException("tickEvery must be positive, got " + tickEvery);
    }
    Objects.requireNonNull(restBaseUrl, "restBaseUrl");
    Objects.requireNonNull(gatewayUrl, "gatewayUrl");
    Objects.requireNonNull(fileOnReaction, "fileOnReaction");
    Objects.requireNonNull(shards, "shards");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
    }
  }

  /** These settings, connecting only {@code shards} of the bot's gateway. */
  public DiscordSettings withShards(BotSettings.Shards shards) {
    return new DiscordSettings(readThreadReplies, tickEvery, restBaseUrl, gatewayUrl, fileOnReaction,
        Optional.of(shards), requestTimeout);
  }

  /** These settings, with REST calls failing after {@code timeout} without an answer. */
  public DiscordSettings withRequestTimeout(Duration timeout) {
    return new DiscordSettings(readThreadReplies, tickEvery, restBaseUrl, gatewayUrl, fileOnReaction, shards, timeout);
  }

  /**
   * Whether this instance serves the server (guild) {@code guildId}: always without shards; with them,
   * when it connects the server's shard. A workspace that is not a guild id (never on Discord) counts as served.
   */
  public boolean serves(String guildId) {
    if (shards.isEmpty()) {
      return true;
    }
    try {
      return shards.get().holds(Long.parseUnsignedLong(guildId));
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /** Discord itself, interactions only, timers every 15 seconds. */
  public static DiscordSettings defaults() {
    return new DiscordSettings(false, Duration.ofSeconds(15), Optional.empty(), Optional.empty());
  }

  /**
   * The gateway intents asked for beyond {@code GUILDS}, which JDA always sends (raw value 1, not
   * privileged) and which the adapter needs anyway: it makes Discord send the server's channels and
   * threads, so the bot can post to the triage and escalation channels outside an interaction. With
   * {@link #readThreadReplies}, also {@code GUILD_MESSAGES} and the privileged {@code MESSAGE_CONTENT};
   * with {@link #fileOnReaction}, {@code GUILD_MESSAGE_REACTIONS} (not privileged). Slash commands,
   * buttons and modals need no intent at all.
   */
  public Set<GatewayIntent> intents() {
    EnumSet<GatewayIntent> intents = EnumSet.noneOf(GatewayIntent.class);
    if (readThreadReplies) {
      intents.add(GatewayIntent.GUILD_MESSAGES);
      intents.add(GatewayIntent.MESSAGE_CONTENT);
    }
    if (fileOnReaction.isPresent()) {
      intents.add(GatewayIntent.GUILD_MESSAGE_REACTIONS);
    }
    return intents;
  }
}
