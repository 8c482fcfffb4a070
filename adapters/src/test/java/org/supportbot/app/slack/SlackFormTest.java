package org.supportbot.app.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SlackFormTest {
  @Test
  void encodedValuesDecodeToTheOriginalAndLeaveOkHttpNothingToEncode() {
    String[] values = {"", "plain-text_1.2*", "a b+c&d=e%f~g/h?i#j", "{\"type\":\"section\",\"text\":\"<@U1> :ticket:\"}",
        "Grüße – 日本語 🎫", "line\nbreak\ttab"};
    for (String v : values) {
      String encoded = SlackForm.encode(v);
      assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).as(v).isEqualTo(v);
      assertThat(encoded).as(v).matches("[A-Za-z0-9._*%-]*");
    }
    assertThat(SlackForm.encode("a b+c")).isEqualTo("a%20b%2Bc");
    assertThat(SlackForm.encode("é")).isEqualTo("%C3%A9");
  }
}
