/**
 * Load harness of the incident desk on SQLite: durable filings per second, timer firings per
 * second, restart time with 100,000 pending timers, and timer lateness. Start at
 * {@link org.supportbot.bench.incident.IncidentLoadHarness}.
 */
package org.supportbot.bench.incident;
