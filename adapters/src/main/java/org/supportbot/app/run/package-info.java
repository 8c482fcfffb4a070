/**
 * Running the bot for real: {@link org.supportbot.app.run.DeskWiring} builds the desk from a
 * settings file, {@link org.supportbot.app.run.RunCommand} checks it, connects the chat
 * platforms with tokens from the environment around one desk and one
 * {@link org.supportbot.app.run.DeskTicker}, and serves the operators' endpoint.
 */
package org.supportbot.app.run;
