/** JMH benchmarks of deadline computation. Start at {@link org.supportbot.bench.sla.DeadlineBenchmark}. */
package org.supportbot.bench.sla;
