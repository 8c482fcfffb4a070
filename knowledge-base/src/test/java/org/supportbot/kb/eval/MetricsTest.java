package org.supportbot.kb.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void metricsOfAHandComputedExample() {
    Map<String, List<String>> rankings = new LinkedHashMap<>();
    rankings.put("q1", List.of("x", "r1", "y", "r2"));
    rankings.put("q2", List.of("a"));
    rankings.put("q3", List.of("b"));
    Map<String, Map<String, Integer>> qrels = Map.of(
        "q1", Map.of("r1", 1, "r2", 1, "r3", 1, "x", 0),
        "q2", Map.of("a", 1),
        "q3", Map.of("b", 0));

    Metrics m = Metrics.of(rankings, qrels);

    double log3 = Math.log(3) / Math.log(2);
    double log5 = Math.log(5) / Math.log(2);
    double ndcgQ1 = (1 / log3 + 1 / log5) / (1 + 1 / log3 + 0.5);
    assertThat(m.queries()).isEqualTo(3);
    assertThat(m.map10()).isCloseTo((0.5 + 1 + 0) / 3, within(1e-9));
    assertThat(m.mrr10()).isCloseTo((0.5 + 1 + 0) / 3, within(1e-9));
    assertThat(m.p1()).isCloseTo(1.0 / 3, within(1e-9));
    assertThat(m.recall5()).isCloseTo((2.0 / 3 + 1) / 3, within(1e-9));
    assertThat(m.ndcg10()).isCloseTo((ndcgQ1 + 1) / 3, within(1e-9));
  }

  @Test
  void onlyTheTopTenCount() {
    List<String> ranking = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "rel");
    Metrics m = Metrics.of(Map.of("q", ranking), Map.of("q", Map.of("rel", 1)));
    assertThat(m.map10()).isZero();
    assertThat(m.mrr10()).isZero();
  }
}
