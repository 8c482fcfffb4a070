package org.supportbot.kb.search;

import org.supportbot.kb.Source;

/**
 * One result.
 *
 * @param confidence the score relative to the best score the query could reach, in [0, 1]
 * @param snippet extract with matched terms marked {@code **term**} (empty unless asked for)
 */
public record SearchHit(
    String id, Source source, String title, String url, float score, double confidence, String snippet) {}
