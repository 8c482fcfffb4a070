/**
 * The desk in chat: turns inbound chat into intake steps and incident commands, and incident
 * changes and timers into outbound messages and pings. Start at
 * {@link org.supportbot.core.chat.SupportDesk} (serialization, rendering, the dispatch); slash
 * commands are read by {@link org.supportbot.core.chat.CommandParser} and handled by family:
 * {@code IntakeCommands}, {@code CaseCommands}, {@code TimeCommands}, {@code QueryCommands};
 * {@code EventMessages} renders incident events.
 */
package org.supportbot.core.chat;
