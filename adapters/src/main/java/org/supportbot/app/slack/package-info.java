/**
 * The Slack adapter: {@link org.supportbot.app.slack.SlackAdapter} turns Bolt requests into the
 * desk's inbounds, {@link org.supportbot.app.slack.SlackChatGateway} sends the desk's outbounds
 * through the Web API, and {@link org.supportbot.app.slack.SlackHttpEndpoint} verifies signatures
 * and reads each request's shape ({@link org.supportbot.app.slack.SlackRequestShape}) in front of
 * Bolt. Start reading at {@code SlackAdapter}.
 */
package org.supportbot.app.slack;
