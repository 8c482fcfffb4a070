/**
 * The durable inbox at the edge: every inbound is written here, with its idempotency key, before the
 * platform is acknowledged, then handed to the desk; what is still here at start is handled first.
 * Start at {@link org.supportbot.core.inbox.InboxStore}.
 */
package org.supportbot.core.inbox;
