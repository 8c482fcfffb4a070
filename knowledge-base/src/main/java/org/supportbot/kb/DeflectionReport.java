package org.supportbot.kb;

import java.util.List;
import java.util.Map;

/**
 * How often suggestions solved a case, so that it was not filed. A case counts as deflected when
 * at least one suggestion shown for it got "this solved it".
 *
 * @param overall all cases with feedback
 * @param bySource per source ({@code article}, {@code forum})
 * @param byDocument per suggested document, most solved first
 */
public record DeflectionReport(
    Rate overall, Map<Source, Rate> bySource, List<DocumentRate> byDocument) {

  public DeflectionReport {
    bySource = Map.copyOf(bySource);
    byDocument = List.copyOf(byDocument);
  }

  /** {@code solved} of {@code total} cases (or votes, per document) were solved. */
  public record Rate(int total, int solved) {
    public Rate {
      if (total < 0 || solved < 0 || solved > total) {
        throw new IllegalArgumentException("bad rate " + solved + "/" + total);
      }
    }

    /** solved / total, or 0 when there is no feedback. */
    public double rate() {
      return total == 0 ? 0.0 : (double) solved / total;
    }
  }

  /** Votes on one document: how many "solved" among all verdicts on it. */
  public record DocumentRate(Source source, String id, Rate rate) {}
}
