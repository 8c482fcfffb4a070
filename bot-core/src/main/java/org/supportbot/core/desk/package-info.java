/**
 * The incident desk: the one entry point the chat desk calls. {@link org.supportbot.core.desk.IncidentDesk}
 * takes commands with an idempotency key, decides them by the lifecycle, and commits events, snapshots
 * and timers in one transaction; it also fires due timers and answers the queue queries.
 */
package org.supportbot.core.desk;
