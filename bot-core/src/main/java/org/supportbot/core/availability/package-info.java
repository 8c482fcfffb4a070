/**
 * Service availability under a policy's {@code availability} section: the monthly figure against
 * the target, with scheduled maintenance excluded, and the rules for scheduling maintenance.
 */
package org.supportbot.core.availability;
