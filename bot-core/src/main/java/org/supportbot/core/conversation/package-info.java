/**
 * The platform-neutral conversation model: {@link org.supportbot.core.conversation.Inbound} is what
 * a person did in chat, {@link org.supportbot.core.conversation.Outbound} what the desk says back.
 * Adapters translate platform events into inbounds and render outbounds their own way.
 */
package org.supportbot.core.conversation;
