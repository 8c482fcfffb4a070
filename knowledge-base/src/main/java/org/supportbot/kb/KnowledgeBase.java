package org.supportbot.kb;

import java.util.List;

/** Suggests articles and forum threads for an incident and learns which ones helped. */
public interface KnowledgeBase extends AutoCloseable {

  /**
   * The best {@code k} suggestions for the draft, best first. Returns an empty list when the draft
   * is blank or nothing scores above the confidence floor.
   */
  List<Suggestion> suggest(IncidentDraft draft, int k);

  /** Stores a verdict durably. */
  void record(Feedback feedback);

  /** Deflection rate overall, per source and per document, from all recorded feedback. */
  DeflectionReport deflection();

  @Override
  void close();
}
