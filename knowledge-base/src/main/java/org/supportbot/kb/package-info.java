/**
 * The knowledge base seen from the bot: {@link org.supportbot.kb.KnowledgeBase} suggests articles
 * and earlier forum threads for an incident draft and records whether they helped. The Lucene
 * implementation is {@link org.supportbot.kb.LuceneKnowledgeBase}.
 */
package org.supportbot.kb;
