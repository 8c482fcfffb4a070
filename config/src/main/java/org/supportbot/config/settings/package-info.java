/**
 * The bot settings file: where data lives, the organizations and their channels, contacts and
 * escalation routes, the vendor's engineers, and which chat platforms to connect. Loaded by
 * {@link org.supportbot.config.load.SettingsLoader}; start at
 * {@link org.supportbot.config.settings.BotSettings}.
 */
package org.supportbot.config.settings;
