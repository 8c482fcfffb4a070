package org.supportbot.app.discord;

import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import net.dv8tion.jda.api.requests.GatewayIntent;

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
 */
public record DiscordSettings(boolean readThreadReplies, Duration tickEvery, Optional<URI> restBaseUrl,
    Optional<URI> gatewayUrl, Optional<String> fileOnReaction) {

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
