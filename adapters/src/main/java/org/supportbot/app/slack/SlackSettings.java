package org.supportbot.app.slack;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the Slack adapter runs. Secrets come from the environment only and are never printed: the
 * record's {@code toString} masks them.
 *
 * @param botToken the bot token ({@code xoxb-...}), from {@code SLACK_BOT_TOKEN}
 * @param signingSecret the signing secret, from {@code SLACK_SIGNING_SECRET}
 * @param appToken the app-level token ({@code xapp-...}) for Socket Mode, from {@code SLACK_APP_TOKEN}
 * @param tickEvery how often the desk's timers are fired and held status updates flushed
 * @param updates how often chat.update may touch the status messages
 * @param fileOnReaction the emoji (its name) whose {@code reaction_added} by an engineer files the
 *     message on its author's behalf; empty: reactions file nothing
 */
public record SlackSettings(String botToken, String signingSecret, Optional<String> appToken, Duration tickEvery,
    SlackChatGateway.UpdateLimits updates, Optional<String> fileOnReaction) {

  public SlackSettings(String botToken, String signingSecret, Optional<String> appToken, Duration tickEvery,
      SlackChatGateway.UpdateLimits updates) {
    this(botToken, signingSecret, appToken, tickEvery, updates, Optional.empty());
  }

  public SlackSettings {
    Objects.requireNonNull(botToken, "botToken");
    Objects.requireNonNull(signingSecret, "signingSecret");
    Objects.requireNonNull(appToken, "appToken");
    Objects.requireNonNull(tickEvery, "tickEvery");
    Objects.requireNonNull(updates, "updates");
    Objects.requireNonNull(fileOnReaction, "fileOnReaction");
    if (tickEvery.isNegative() || tickEvery.isZero()) {
      throw new IllegalArgumentException("the tick interval must be positive, got " + tickEvery);
    }
  }

  /** Environment variables the settings are read from. */
  public static final String BOT_TOKEN = "SLACK_BOT_TOKEN";
  public static final String SIGNING_SECRET = "SLACK_SIGNING_SECRET";
  public static final String APP_TOKEN = "SLACK_APP_TOKEN";

  /**
   * Reads the secrets from {@code env}; a missing one is named with how to get it. Socket Mode
   * needs no signing secret, so {@code socketMode} relaxes that requirement.
   */
  public static SlackSettings fromEnvironment(Map<String, String> env, boolean socketMode) {
    String bot = env.getOrDefault(BOT_TOKEN, "");
    String secret = env.getOrDefault(SIGNING_SECRET, "");
    String app = env.getOrDefault(APP_TOKEN, "");
    StringBuilder missing = new StringBuilder();
    if (!bot.startsWith("xoxb-")) {
      missing.append(bot.isBlank() ? BOT_TOKEN + " is not set" : BOT_TOKEN + " is not a bot token (it must start with"
          + " xoxb-)").append("; copy the Bot User OAuth Token from your app's OAuth & Permissions page");
    }
    if (!socketMode && secret.isBlank()) {
      append(missing, SIGNING_SECRET + " is not set; copy the Signing Secret from your app's Basic Information page");
    }
    if (socketMode && !app.startsWith("xapp-")) {
      append(missing, APP_TOKEN + (app.isBlank() ? " is not set" : " is not an app-level token (it must start with xapp-)")
          + "; create one with the connections:write scope under Basic Information > App-Level Tokens");
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(missing.toString());
    }
    return new SlackSettings(bot, secret.isBlank() ? "socket-mode" : secret,
        app.isBlank() ? Optional.empty() : Optional.of(app), Duration.ofSeconds(1), SlackChatGateway.UpdateLimits.TIER_3);
  }

  /** These settings with {@code emoji} as the reaction that files a message (the settings' {@code file_on_reaction}). */
  public SlackSettings withFileOnReaction(Optional<String> emoji) {
    return new SlackSettings(botToken, signingSecret, appToken, tickEvery, updates, emoji);
  }

  private static void append(StringBuilder b, String text) {
    b.append(b.isEmpty() ? "" : "; ").append(text);
  }

  @Override
  public String toString() {
    return "SlackSettings[botToken=***, signingSecret=***, appToken=" + (appToken.isPresent() ? "***" : "none")
        + ", tickEvery=" + tickEvery + ", updates=" + updates + ", fileOnReaction=" + fileOnReaction + "]";
  }
}
