/**
 * The on-disk Lucene index: field layout, analysis for support text (stemmed English plus exact
 * identifiers, versions, error codes and paths) and incremental updates keyed by content hash.
 */
package org.supportbot.kb.index;
