/**
 * The Discord adapter, on JDA: {@link org.supportbot.app.discord.DiscordRenderer} turns outbounds into
 * Discord messages, {@link org.supportbot.app.discord.DiscordAdapter} connects, registers the slash
 * commands and routes interactions to the desk. Start reading at the adapter.
 */
package org.supportbot.app.discord;
