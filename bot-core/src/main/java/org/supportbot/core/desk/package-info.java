/**
 * The desk: turns inbound chat into intake steps and incident commands, and incident changes and
 * timers into outbound messages and pings. Start at {@link org.supportbot.core.desk.SupportDesk};
 * slash commands are read by {@link org.supportbot.core.desk.CommandParser}.
 */
package org.supportbot.core.desk;
