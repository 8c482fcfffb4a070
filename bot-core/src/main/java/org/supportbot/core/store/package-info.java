/**
 * Ports of durable storage: {@link org.supportbot.core.store.IncidentStore} keeps the event log,
 * snapshots, timers and command outcomes, written together in one {@link org.supportbot.core.store.ChangeSet}.
 */
package org.supportbot.core.store;
