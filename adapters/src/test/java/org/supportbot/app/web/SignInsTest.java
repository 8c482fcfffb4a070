package org.supportbot.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.time.ManualClock;

/** One-time links and idle sessions, on a manual clock. */
class SignInsTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T17:00:00Z"));
  private final SignIns signIns = new SignIns(clock, Duration.ofMinutes(30));
  private final Viewer ana = Viewer.contact(new Identity("slack", "T1", "U1"), "Ana", "acme", "Acme Corp");

  @Test
  void aLinkSignsInOnceAndThenReadsAsUsed() {
    String token = signIns.issue(ana);
    assertThat(signIns.check(token)).isEmpty();
    SignIns.Redeemed first = signIns.redeem(token);
    assertThat(first.problem()).isEmpty();
    assertThat(signIns.session(first.sessionId().orElseThrow()).orElseThrow().viewer()).isEqualTo(ana);
    assertThat(signIns.redeem(token).problem()).contains(SignIns.LinkProblem.USED);
    assertThat(signIns.check(token)).contains(SignIns.LinkProblem.USED);
  }

  @Test
  void aLinkExpiresAfterItsLifetime() {
    String token = signIns.issue(ana);
    clock.advance(SignIns.LINK_LIFETIME.plusSeconds(1));
    assertThat(signIns.redeem(token).problem()).contains(SignIns.LinkProblem.EXPIRED);
  }

  @Test
  void malformedAndUnknownTokensAndSessionsAreRefused() {
    assertThat(signIns.redeem("abc").problem()).contains(SignIns.LinkProblem.UNKNOWN);
    assertThat(signIns.redeem("0".repeat(64)).problem()).contains(SignIns.LinkProblem.UNKNOWN);
    assertThat(signIns.session("0".repeat(64))).isEmpty();
    assertThat(signIns.session(null)).isEmpty();
  }

  @Test
  void aSessionEndsAfterItsIdleTimeAndOnSignOut() {
    String id = signIns.redeem(signIns.issue(ana)).sessionId().orElseThrow();
    clock.advance(Duration.ofMinutes(29));
    assertThat(signIns.session(id)).isPresent(); // a request keeps it alive
    clock.advance(Duration.ofMinutes(29));
    SignIns.Session s = signIns.session(id).orElseThrow();
    clock.advance(Duration.ofMinutes(31));
    assertThat(signIns.session(id)).isEmpty();

    String other = signIns.redeem(signIns.issue(ana)).sessionId().orElseThrow();
    signIns.signOut(signIns.session(other).orElseThrow());
    assertThat(signIns.session(other)).isEmpty();
    assertThat(s.viewer()).isEqualTo(ana);
  }
}
