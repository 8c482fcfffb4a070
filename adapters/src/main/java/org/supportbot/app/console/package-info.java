/**
 * The console workspace: the whole desk in a terminal, with switchable identities and places and a
 * simulated clock. Start at {@link org.supportbot.app.console.DemoCommand}; text rendering of core
 * messages is {@link org.supportbot.app.console.ConsoleRenderer}.
 */
package org.supportbot.app.console;
