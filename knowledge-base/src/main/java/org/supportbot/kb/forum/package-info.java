/**
 * Live synchronisation with a Discourse forum over its JSON API: pages the latest topics,
 * fetches those bumped since the last sync and commits them to the index all at once.
 */
package org.supportbot.kb.forum;
