/**
 * Port: what the chat desk remembers between messages (unfinished intakes, handled inbound keys,
 * deferred pings). Its own package so that the SQLite store can implement it without depending on
 * the desk. Start at {@link org.supportbot.core.chatstate.ConversationStore}.
 */
package org.supportbot.core.chatstate;
