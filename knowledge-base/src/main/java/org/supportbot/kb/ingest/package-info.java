/**
 * Reading sources into {@link org.supportbot.kb.ingest.KbDocument}s: Markdown articles with YAML
 * front matter and Discourse topic JSON, with HTML and Markdown reduced to searchable text.
 */
package org.supportbot.kb.ingest;
