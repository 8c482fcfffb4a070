/**
 * Time that is moved by hand: {@link org.supportbot.core.time.ManualClock} drives the demo's
 * simulated clock, the benchmarks and the tests. Production code takes any {@link java.time.Clock}.
 */
package org.supportbot.core.time;
