/**
 * Load and crash harness of the live path: a real {@code supportbot run} process driven with signed
 * Slack requests against a fake Web API. Start at {@link org.supportbot.bench.live.LiveLoadHarness}.
 */
package org.supportbot.bench.live;
