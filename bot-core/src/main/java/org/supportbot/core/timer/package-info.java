/**
 * Durable timers: a timer is keyed by (incident, kind, version), stored with the incident, and
 * fired at least once but applied exactly once. {@link org.supportbot.core.timer.TimerScheduler}
 * fires due timers by the injected {@link java.time.Clock}.
 */
package org.supportbot.core.timer;
