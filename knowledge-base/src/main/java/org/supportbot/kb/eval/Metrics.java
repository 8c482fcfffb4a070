package org.supportbot.kb.eval;

import java.util.List;
import java.util.Map;

/**
 * Ranking metrics over binary relevance (relevance greater than 0 is relevant), averaged over
 * every query; a query with no relevant document scores 0 on every metric and still counts.
 *
 * <p>AP@10 is computed as the official SemEval-2016 scorer does: the mean of the precision at each
 * relevant document found in the top 10 (0 when none is found). In the re-rank protocol every
 * relevant candidate is in the top 10, so this equals the textbook AP.
 */
public record Metrics(int queries, double map10, double mrr10, double p1, double recall5, double ndcg10) {

  /** Scores rankings (document ids, best first) against relevance judgements. */
  public static Metrics of(Map<String, List<String>> rankings, Map<String, Map<String, Integer>> qrels) {
    double map = 0;
    double mrr = 0;
    double p1 = 0;
    double r5 = 0;
    double ndcg = 0;
    for (Map.Entry<String, List<String>> e : rankings.entrySet()) {
      Map<String, Integer> rel = qrels.getOrDefault(e.getKey(), Map.of());
      long relevant = rel.values().stream().filter(v -> v > 0).count();
      if (relevant == 0) {
        continue;
      }
      List<String> ranked = e.getValue();
      int hits = 0;
      double ap = 0;
      double dcg = 0;
      double rr = 0;
      int found5 = 0;
      for (int i = 0; i < Math.min(10, ranked.size()); i++) {
        if (rel.getOrDefault(ranked.get(i), 0) > 0) {
          hits++;
          ap += (double) hits / (i + 1);
          dcg += 1 / log2(i + 2);
          if (rr == 0) {
            rr = 1.0 / (i + 1);
          }
          if (i < 5) {
            found5++;
          }
          if (i == 0) {
            p1 += 1;
          }
        }
      }
      double idcg = 0;
      for (int i = 0; i < Math.min(10, relevant); i++) {
        idcg += 1 / log2(i + 2);
      }
      map += hits == 0 ? 0 : ap / hits;
      mrr += rr;
      r5 += (double) found5 / relevant;
      ndcg += dcg / idcg;
    }
    int n = rankings.size();
    if (n == 0) {
      return new Metrics(0, 0, 0, 0, 0, 0);
    }
    return new Metrics(n, map / n, mrr / n, p1 / n, r5 / n, ndcg / n);
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  @Override
  public String toString() {
    return String.format(
        "queries=%d MAP@10=%.4f MRR@10=%.4f P@1=%.4f Recall@5=%.4f nDCG@10=%.4f",
        queries, map10, mrr10, p1, recall5, ndcg10);
  }
}
