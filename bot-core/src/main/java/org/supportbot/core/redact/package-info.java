/**
 * Redaction of secrets and personal data from anything a customer pastes, before it is stored,
 * indexed or logged. Start at {@link org.supportbot.core.redact.Redactor}.
 */
package org.supportbot.core.redact;
