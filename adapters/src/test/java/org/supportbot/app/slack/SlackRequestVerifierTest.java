package org.supportbot.app.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.slack.api.app_backend.SlackSignature;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.supportbot.core.testing.MutableClock;

class SlackRequestVerifierTest {
  private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  private static final Instant NOW = Instant.ofEpochSecond(1_531_420_618L);
  private static final byte[] BODY = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
      + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect"
      + "&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
      + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c").getBytes(StandardCharsets.UTF_8);

  private final MutableClock clock = new MutableClock(NOW);
  private final SlackRequestVerifier verifier = new SlackRequestVerifier(SECRET, clock);

  @Test
  void acceptsTheExampleFromSlacksDocumentation() {
    // https://api.slack.com/authentication/verifying-requests-from-slack, step by step
    String documented = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    assertThat(verifier.signatureFor("1531420618", BODY)).isEqualTo(documented);
    assertThat(verifier.verify("1531420618", documented, BODY)).isEqualTo(new SlackRequestVerifier.Valid());
  }

  @Test
  void signsLikeTheSlackSdk() {
    String sdk = new SlackSignature.Generator(SECRET).generate("1531420618", new String(BODY, StandardCharsets.UTF_8));
    assertThat(verifier.signatureFor("1531420618", BODY)).isEqualTo(sdk);
  }

  @ParameterizedTest(name = "timestamp {0} s from now: {1}")
  @CsvSource({
      "0, true",
      "-300, true",
      "300, true",
      "-301, false",
      "301, false",
      "-360, false",
      "360, false",
      "-86400, false",
  })
  void timestampsMoreThanFiveMinutesAwayInEitherDirectionAreRejected(long skew, boolean valid) {
    String ts = Long.toString(NOW.getEpochSecond() + skew);
    SlackRequestVerifier.Verdict v = verifier.verify(ts, verifier.signatureFor(ts, BODY), BODY);
    if (valid) {
      assertThat(v).isEqualTo(new SlackRequestVerifier.Valid());
    } else {
      assertThat(v).isEqualTo(new SlackRequestVerifier.Rejected("request timestamp is " + Math.abs(skew)
          + " s away from now, more than the 300 s allowed"));
    }
  }

  @Test
  void aChangedBodyOrAnotherSecretFails() {
    String sig = verifier.signatureFor("1531420618", BODY);
    byte[] tampered = BODY.clone();
    tampered[tampered.length - 1] ^= 1;
    assertThat(verifier.verify("1531420618", sig, tampered))
        .isEqualTo(new SlackRequestVerifier.Rejected("signature does not match"));
    String other = new SlackRequestVerifier("another-secret", clock).signatureFor("1531420618", BODY);
    assertThat(verifier.verify("1531420618", other, BODY))
        .isEqualTo(new SlackRequestVerifier.Rejected("signature does not match"));
  }

  @ParameterizedTest(name = "timestamp \"{0}\", signature \"{1}\"")
  @CsvSource(nullValues = "NULL", value = {
      "NULL, v0=00, missing X-Slack-Request-Timestamp or X-Slack-Signature header",
      "1531420618, NULL, missing X-Slack-Request-Timestamp or X-Slack-Signature header",
      "yesterday, v0=00, X-Slack-Request-Timestamp is not a number of seconds",
      "99999999999999999999, v0=00, X-Slack-Request-Timestamp is not a number of seconds",
      "9223372036854775807, v0=00, 'request timestamp is 9223372035323355189 s away from now, more than the 300 s allowed'",
      "-9223372036854775808, v0=00, 'request timestamp is far away from now, more than the 300 s allowed'",
      "1531420618, v0=00, signature does not match",
      "1531420618, '', signature does not match",
      "1531420618, v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503, signature does not match",
  })
  void malformedHeadersAreRejectedWithTheReason(String timestamp, String signature, String reason) {
    SlackRequestVerifier.Verdict v = verifier.verify(timestamp, signature, BODY);
    assertThat(v).isEqualTo(new SlackRequestVerifier.Rejected(reason));
    assertThat(reason).doesNotContain(SECRET);
  }

  @Test
  void anEmptySecretIsRefusedWithHowToFixIt() {
    assertThatThrownBy(() -> new SlackRequestVerifier(" ", clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the Slack signing secret is empty; set SLACK_SIGNING_SECRET to the value on your app's Basic"
            + " Information page");
  }
}
