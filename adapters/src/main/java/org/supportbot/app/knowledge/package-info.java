/**
 * The knowledge base as the desk sees it: {@link org.supportbot.app.knowledge.LuceneSuggestions}
 * adapts the Lucene knowledge base to the core's suggestion port, and
 * {@link org.supportbot.app.knowledge.SampleKnowledgeBase} indexes the bundled sample on first start.
 */
package org.supportbot.app.knowledge;
