/**
 * Running the bot for real: {@link org.supportbot.app.run.DeskWiring} builds the desk from a
 * settings file, {@link org.supportbot.app.run.RunCommand} checks it and connects the chat
 * platforms with tokens from the environment.
 */
package org.supportbot.app.run;
