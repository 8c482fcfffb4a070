/** The {@code policy} commands, and finding a policy named on the command line. */
package org.supportbot.app.policy;
