package org.supportbot.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pause of the desk's ticker: until the next due timer, at least 100 ms, at most the regular tick. */
class DeskTickerTest {
  private static final Instant NOW = Instant.parse("2026-12-04T04:00:00Z");
  private static final Duration EVERY = Duration.ofSeconds(1);

  @Test
  void aTimerDueBeforeTheNextRegularTickShortensThePause() {
    assertThat(DeskTicker.pause(NOW, Optional.of(NOW.plusMillis(350)), EVERY)).isEqualTo(Duration.ofMillis(350));
  }

  @Test
  void aTimerDueNowOrOverdueWaitsTheShortestPauseSoTheTicksDoNotSpin() {
    assertThat(DeskTicker.pause(NOW, Optional.of(NOW), EVERY)).isEqualTo(DeskTicker.SOONEST);
    assertThat(DeskTicker.pause(NOW, Optional.of(NOW.minusSeconds(30)), EVERY)).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void noTimerOrALaterOneKeepsTheRegularTick() {
    assertThat(DeskTicker.pause(NOW, Optional.empty(), EVERY)).isEqualTo(EVERY);
    assertThat(DeskTicker.pause(NOW, Optional.of(NOW.plusSeconds(3600)), EVERY)).isEqualTo(EVERY);
  }
}
