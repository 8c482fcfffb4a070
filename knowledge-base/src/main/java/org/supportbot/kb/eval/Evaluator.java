package org.supportbot.kb.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.supportbot.kb.Source;
import org.supportbot.kb.ingest.KbDocument;
import org.supportbot.kb.search.KbSearcher;
import org.supportbot.kb.search.SearchHit;
import org.supportbot.kb.search.SearchRequest;

/**
 * Runs queries through the searcher and scores the rankings. With candidate lists it follows the
 * SemEval-2016 re-rank protocol: only a query's candidates are ranked; candidates the search does
 * not score keep their original order after the scored ones.
 */
public final class Evaluator {
  private Evaluator() {}

  /** Top-10 document ids per query, in query order. */
  public static Map<String, List<String>> rankings(
      KbSearcher searcher, Map<String, String> queries, Map<String, List<String>> candidates) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> q : queries.entrySet()) {
      out.put(q.getKey(), rank(searcher, q.getValue(), candidates == null ? null : candidates.get(q.getKey())));
    }
    return out;
  }

  static List<String> rank(KbSearcher searcher, String text, List<String> candidates) {
    if (candidates == null) {
      List<String> ids = new ArrayList<>();
      for (SearchHit h : searcher.search(SearchRequest.of(text), 10, false)) {
        ids.add(h.id());
      }
      return ids;
    }
    Set<String> keys = new LinkedHashSet<>();
    for (String c : candidates) {
      keys.add(KbDocument.key(Source.FORUM, c));
      keys.add(KbDocument.key(Source.ARTICLE, c));
    }
    LinkedHashSet<String> ranked = new LinkedHashSet<>();
    for (SearchHit h : searcher.search(SearchRequest.of(text).restrictedTo(keys), Math.max(10, candidates.size()), false)) {
      ranked.add(h.id());
    }
    ranked.addAll(candidates);
    return new ArrayList<>(ranked).subList(0, Math.min(10, ranked.size()));
  }

  /**
   * How the searcher's confidence floor behaves on labelled queries, searching the whole index
   * (the bot's situation): of the queries with no relevant document, how many get no suggestion;
   * of those whose top hit is relevant, how many lose it to the floor.
   */
  public record FloorCheck(
      double floor, int noRelevant, int noRelevantSilenced, int top1Relevant, int top1RelevantSilenced,
      double fittedFloor) {}

  /**
   * The confidence at which a top hit is as likely relevant as not: a logistic regression of "the top
   * hit is relevant" on its confidence over every query (no-answer queries included), solved for a
   * probability of one half. This is how the shipped floors were set (on the SemEval train split); NaN
   * when the queries cannot tell (every top hit relevant, none, or confidence not rising with relevance).
   */
  static double fittedFloor(List<double[]> confidenceAndRelevant) {
    double a = 0;
    double b = 0;
    for (int iteration = 0; iteration < 100; iteration++) {
      // Newton's method on the log-likelihood (iteratively reweighted least squares)
      double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
      for (double[] p : confidenceAndRelevant) {
        double prob = 1 / (1 + Math.exp(-(a + b * p[0])));
        double w = prob * (1 - prob);
        ga += p[1] - prob;
        gb += (p[1] - prob) * p[0];
        haa += w;
        hab += w * p[0];
        hbb += w * p[0] * p[0];
      }
      double det = haa * hbb - hab * hab;
      if (!(Math.abs(det) > 1e-12)) {
        return Double.NaN;
      }
      double da = (hbb * ga - hab * gb) / det;
      double db = (haa * gb - hab * ga) / det;
      a += da;
      b += db;
      if (Math.abs(da) + Math.abs(db) < 1e-9) {
        break;
      }
    }
    return b > 0 && Double.isFinite(a) ? -a / b : Double.NaN;
  }

  /** Measures the searcher's floor ({@link KbSearcher#floor()}) on {@code queries}. */
  public static FloorCheck floorCheck(
      KbSearcher searcher, Map<String, String> queries, Map<String, Map<String, Integer>> qrels) {
    int none = 0;
    int noneSilenced = 0;
    int good = 0;
    int goodSilenced = 0;
    List<double[]> points = new ArrayList<>();
    for (Map.Entry<String, String> q : queries.entrySet()) {
      List<SearchHit> hits = searcher.search(SearchRequest.of(q.getValue()), 1, false);
      boolean silenced = hits.isEmpty() || hits.get(0).confidence() < searcher.floor();
      Map<String, Integer> rel = qrels.getOrDefault(q.getKey(), Map.of());
      points.add(new double[] {hits.isEmpty() ? 0 : hits.get(0).confidence(),
          !hits.isEmpty() && rel.getOrDefault(hits.get(0).id(), 0) > 0 ? 1 : 0});
      if (rel.values().stream().noneMatch(v -> v > 0)) {
        none++;
        noneSilenced += silenced ? 1 : 0;
      } else if (!hits.isEmpty() && rel.getOrDefault(hits.get(0).id(), 0) > 0) {
        good++;
        goodSilenced += silenced ? 1 : 0;
      }
    }
    return new FloorCheck(searcher.floor(), none, noneSilenced, good, goodSilenced, fittedFloor(points));
  }

  /** Runs and scores in one go. */
  public static Metrics evaluate(
      KbSearcher searcher, Map<String, String> queries, Map<String, Map<String, Integer>> qrels,
      Map<String, List<String>> candidates) {
    return Metrics.of(rankings(searcher, queries, candidates), qrels);
  }
}
