/**
 * Searching the index: a weighted multi-field BM25 query built from an incident draft, product and
 * version filters, a score-independent confidence for the floor, and highlighted snippets.
 */
package org.supportbot.kb.search;
