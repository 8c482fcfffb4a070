/**
 * A support policy as data: severities and targets, contact, report, escalation, dropped-case,
 * reopen, resolution, version, availability and chargeability rules. Start at {@link org.supportbot.config.policy.SupportPolicy}.
 */
package org.supportbot.config.policy;
