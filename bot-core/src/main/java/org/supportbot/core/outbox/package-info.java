/**
 * The durable outbox of the desk's notifications: every message rendered from the incident log is
 * kept in the database until the adapter that sent it reports success. Start at
 * {@link org.supportbot.core.outbox.Outbox}; {@link org.supportbot.core.outbox.OutboxStore} is its port.
 */
package org.supportbot.core.outbox;
