/**
 * The incident as a fold of its append-only event log: numbers, states, commands, events and
 * outcomes, the lifecycle rules of each policy ({@link org.supportbot.core.incident.Lifecycle}) and
 * the timers a case needs ({@link org.supportbot.core.incident.TimerPlan}). Pure domain: no storage, no threads.
 */
package org.supportbot.core.incident;
