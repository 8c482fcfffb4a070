/** Keeping a running bot's knowledge base fresh: scheduled forum syncs and article re-indexing. */
package org.supportbot.kb.live;
