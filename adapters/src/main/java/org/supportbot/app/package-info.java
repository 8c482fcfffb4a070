/**
 * The runnable application: the {@code supportbot} command line and the wiring of every module.
 * Start at {@link org.supportbot.app.Main}.
 */
package org.supportbot.app;
