/**
 * Durable "this solved it" / "not helpful" verdicts, kept as JSON lines in the knowledge-base
 * folder, and the deflection report computed from them.
 */
package org.supportbot.kb.feedback;
