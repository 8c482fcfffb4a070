/** The {@code sla} command: deadlines of a case as JSON, with an optional explanation. */
package org.supportbot.app.sla;
