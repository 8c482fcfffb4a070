package org.supportbot.kb.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.supportbot.kb.Feedback;
import org.supportbot.kb.ingest.KbDocument;

/**
 * Customers' verdicts applied to the ranking of similar drafts. A document marked as solving a
 * case moves up for drafts like that case's; a document marked not helpful on at least
 * {@link #MIN_NOT_HELPFUL} similar drafts moves down. Only verdicts that carry their draft count
 * (older records without one stay in the deflection report only), and a case's last verdict on a
 * document replaces its earlier ones.
 *
 * <p>Similarity of two drafts is the cosine of their sentence embeddings when the index has them,
 * else the cosine of their sets of stemmed query terms; below {@link #SEMANTIC_SIMILAR} (or
 * {@link #LEXICAL_SIMILAR}) a verdict does not count, above it its weight rises linearly to 1 for
 * the same draft. A document's score is multiplied by
 * {@code 1 + SOLVED_BOOST x best solved weight - NOT_HELPFUL_PENALTY x best not-helpful weight}.
 * The constants were set before measuring and not fitted (see docs/knowledge-base.md, "Feedback").
 */
final class FeedbackRanking {
  static final double SOLVED_BOOST = 0.5;
  static final double NOT_HELPFUL_PENALTY = 0.5;
  static final int MIN_NOT_HELPFUL = 2;
  static final double SEMANTIC_SIMILAR = 0.5;
  static final double LEXICAL_SIMILAR = 0.2;

  static final FeedbackRanking NONE = new FeedbackRanking(Map.of());

  /** One verdict with what its draft is compared by. */
  record Verdict(boolean solved, Set<String> terms, float[] vector) {}

  private final Map<String, List<Verdict>> byKey;

  private FeedbackRanking(Map<String, List<Verdict>> byKey) {
    this.byKey = byKey;
  }

  /**
   * @param terms the stemmed query terms of a draft
   * @param vectors the embedding of a draft, or null for lexical similarity
   */
  static FeedbackRanking of(List<Feedback> feedback, Function<String, Set<String>> terms,
      Function<String, float[]> vectors) {
    Map<String, Feedback> last = new LinkedHashMap<>();
    for (Feedback f : feedback) {
      if (!f.draft().isEmpty()) {
        String key = KbDocument.key(f.source(), f.suggestionId());
        last.remove(f.caseId() + "\u0000" + key);
        last.put(f.caseId() + "\u0000" + key, f);
      }
    }
    Map<String, Set<String>> termsOf = new HashMap<>();
    Map<String, float[]> vectorOf = new HashMap<>();
    Map<String, List<Verdict>> byKey = new HashMap<>();
    for (Feedback f : last.values()) {
      Set<String> t = termsOf.computeIfAbsent(f.draft(), d -> Set.copyOf(terms.apply(d)));
      float[] v = vectors == null ? null : vectorOf.computeIfAbsent(f.draft(), vectors);
      byKey.computeIfAbsent(KbDocument.key(f.source(), f.suggestionId()), k -> new ArrayList<>())
          .add(new Verdict(f.verdict() == Feedback.Verdict.SOLVED, t, v));
    }
    return new FeedbackRanking(Map.copyOf(byKey));
  }

  boolean isEmpty() {
    return byKey.isEmpty();
  }

  /** Keys of the documents with verdicts. */
  Set<String> keys() {
    return byKey.keySet();
  }

  /** Whether any verdict's draft is similar to this query (then the ranking may change). */
  boolean anySimilar(Set<String> queryTerms, float[] queryVector) {
    for (List<Verdict> vs : byKey.values()) {
      for (Verdict v : vs) {
        if (weight(v, queryTerms, queryVector) > 0) {
          return true;
        }
      }
    }
    return false;
  }

  /** The factor a document's score is multiplied by for this query: 1 when no verdict applies. */
  double factor(String key, Set<String> queryTerms, float[] queryVector) {
    List<Verdict> vs = byKey.get(key);
    if (vs == null) {
      return 1;
    }
    double solved = 0;
    double notHelpful = 0;
    int notHelpfulCount = 0;
    for (Verdict v : vs) {
      double w = weight(v, queryTerms, queryVector);
      if (w <= 0) {
        continue;
      }
      if (v.solved()) {
        solved = Math.max(solved, w);
      } else {
        notHelpful = Math.max(notHelpful, w);
        notHelpfulCount++;
      }
    }
    double penalty = notHelpfulCount >= MIN_NOT_HELPFUL ? NOT_HELPFUL_PENALTY * notHelpful : 0;
    return Math.max(0, 1 + SOLVED_BOOST * solved - penalty);
  }

  /** 0 below the similarity threshold, rising to 1 for the same draft. */
  private static double weight(Verdict v, Set<String> queryTerms, float[] queryVector) {
    if (v.vector() != null && queryVector != null) {
      return ramp(dot(v.vector(), queryVector), SEMANTIC_SIMILAR);
    }
    return ramp(termCosine(v.terms(), queryTerms), LEXICAL_SIMILAR);
  }

  private static double ramp(double similarity, double threshold) {
    return similarity <= threshold ? 0 : Math.min(1, (similarity - threshold) / (1 - threshold));
  }

  static double termCosine(Set<String> a, Set<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return 0;
    }
    Set<String> small = a.size() <= b.size() ? a : b;
    Set<String> large = small == a ? b : a;
    int common = 0;
    for (String t : small) {
      if (large.contains(t)) {
        common++;
      }
    }
    return common / Math.sqrt((double) a.size() * b.size());
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      s += a[i] * b[i];
    }
    return s;
  }

}
