/**
 * {@code supportbot outbox}: the operator's view of messages the outbox set aside (a channel gone, the
 * bot removed) and the command that sends them again once the cause is fixed. Start at {@link
 * org.supportbot.app.outbox.OutboxCommand}.
 */
package org.supportbot.app.outbox;
