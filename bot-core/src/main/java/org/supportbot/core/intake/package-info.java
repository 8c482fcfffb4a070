/**
 * Guided intake: reading and validating the customer's answers to a policy's report questions,
 * and suggesting a severity. Start at {@link org.supportbot.core.intake.AnswerReader}.
 */
package org.supportbot.core.intake;
