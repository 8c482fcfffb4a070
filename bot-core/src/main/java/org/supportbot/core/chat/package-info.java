/**
 * The desk in chat: turns inbound chat into intake steps and incident commands, and incident
 * changes and timers into outbound messages and pings. Start at
 * {@link org.supportbot.core.chat.SupportDesk}; slash commands are read by
 * {@link org.supportbot.core.chat.CommandParser}.
 */
package org.supportbot.core.chat;
