package org.supportbot.kb.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The logistic fit the confidence floors are set by. */
class FittedFloorTest {

  @Test
  void pointsSymmetricAboutAConfidenceGiveThatConfidence() {
    // mirrored about 0.35 with the labels flipped: the fitted curve crosses one half there
    List<double[]> points = List.of(new double[] {0.1, 0}, new double[] {0.2, 0}, new double[] {0.3, 1},
        new double[] {0.4, 0}, new double[] {0.5, 1}, new double[] {0.6, 1});
    assertThat(Evaluator.fittedFloor(points)).isCloseTo(0.35, within(1e-6));
  }

  @Test
  void moreRelevantHitsAtLowConfidenceMoveTheFloorDown() {
    List<double[]> points = List.of(new double[] {0.1, 0}, new double[] {0.2, 1}, new double[] {0.3, 1},
        new double[] {0.4, 0}, new double[] {0.5, 1}, new double[] {0.6, 1});
    assertThat(Evaluator.fittedFloor(points)).isLessThan(0.3);
  }

  @Test
  void queriesThatCannotTellGiveNoFloor() {
    assertThat(Evaluator.fittedFloor(List.of(new double[] {0.2, 1}, new double[] {0.5, 1}))).isNaN();
    assertThat(Evaluator.fittedFloor(List.of(new double[] {0.2, 1}, new double[] {0.5, 0}))).isNaN();
  }
}
