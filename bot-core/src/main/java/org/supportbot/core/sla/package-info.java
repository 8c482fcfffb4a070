/**
 * Response deadlines in business time. {@link org.supportbot.core.sla.BusinessClock} does the
 * calendar arithmetic, {@link org.supportbot.core.sla.SlaClock} runs one target on one case, and
 * {@link org.supportbot.core.sla.SlaCalculator} applies a policy's targets.
 */
package org.supportbot.core.sla;
