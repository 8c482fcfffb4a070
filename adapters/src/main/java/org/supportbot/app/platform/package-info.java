/**
 * What the chat adapters share inside one process: {@link org.supportbot.app.platform.DeskLink} (the
 * metrics they report to, the {@link org.supportbot.app.platform.OutboundRouter} that hands each of the
 * desk's messages to the adapter of its platform, and whether the adapter fires the desk's timers itself),
 * and {@link org.supportbot.app.platform.LaneWorkers}, where the adapters' platform calls run, one lane per
 * channel, off the desk's thread.
 */
package org.supportbot.app.platform;
