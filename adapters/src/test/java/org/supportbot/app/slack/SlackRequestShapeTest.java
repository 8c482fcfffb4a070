package org.supportbot.app.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shape check's edges, one body per row: what passes to Bolt, what is acknowledged and ignored,
 * and the reason given for what is refused. Realistic whole requests are in
 * {@link SlackShapesCorpusTest}; these are the boundaries between them.
 */
class SlackRequestShapeTest {

  private final SlackRequestShape shapes = new SlackRequestShape();

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      a message with a thread ts            | {"type":"event_callback","event_id":"Ev1","event":{"type":"message","channel":"C1","ts":"1764000000.000100","thread_ts":"1764000000.000001"}} | pass   | message
      a null thread ts                      | {"type":"event_callback","event_id":"Ev1","event":{"type":"message","channel":"C1","ts":"1764000000.000100","thread_ts":null}}                | pass   | message
      a subtype in the kind                 | {"type":"event_callback","event_id":"Ev1","event":{"type":"message","subtype":"me_message","channel":"C1","ts":"1.2"}}                         | pass   | message me_message
      another event type                    | {"type":"event_callback","event_id":"Ev1","event":{"type":"reaction_added"}}                                                                   | pass   | event reaction_added
      a ts without its sequence             | {"type":"event_callback","event_id":"Ev1","event":{"type":"message","channel":"C1","ts":"1764000000"}}                                         | refuse | message event's "ts" is not a Slack timestamp (digits.digits)
      a thread ts that is a number          | {"type":"event_callback","event_id":"Ev1","event":{"type":"message","channel":"C1","ts":"1.2","thread_ts":"x.y"}}                              | refuse | message event's "thread_ts" is not a Slack timestamp
      a message without ts                  | {"type":"event_callback","event_id":"Ev1","event":{"type":"message","channel":"C1"}}                                                           | refuse | message event has no "ts"
      a channel that is an object           | {"type":"event_callback","event_id":"Ev1","event":{"type":"message","channel":{"id":"C1"},"ts":"1.2"}}                                         | refuse | message event has no "channel"
      an event that is a string             | {"type":"event_callback","event_id":"Ev1","event":"message"}                                                                                   | refuse | event_callback has no "event" object
      a type that is a number               | {"type":7}                                                                                                                                      | refuse | the JSON body has no "type"
      a JSON string                         | `"event_callback"`                                                                                                                              | refuse | the body is neither JSON nor a form with command or payload
      a future envelope                     | {"type":"app_deleted","token":"t"}                                                                                                             | ignore | app_deleted
      app_rate_limited                      | {"type":"app_rate_limited","team_id":"T1","minute_rate_limited":1}                                                                             | ignore | app_rate_limited
      ssl_check                             | ssl_check=1&token=t                                                                                                                             | pass   | ssl_check
      a broken escape in a command          | command=%2Fhelp&user_id=U1&channel_id=C1&trigger_id=1.2&text=100%                                                                              | pass   | command
      a command without trigger             | command=%2Fhelp&user_id=U1&channel_id=C1                                                                                                       | refuse | slash command has no "trigger_id"
      an action id missing                  | payload=%7B%22type%22%3A%22block_actions%22%2C%22user%22%3A%7B%22id%22%3A%22U1%22%7D%2C%22channel%22%3A%7B%22id%22%3A%22C1%22%7D%2C%22actions%22%3A%5B%7B%7D%5D%7D | refuse | block_actions payload has an action without "action_id"
      a container ts that is not one        | payload=%7B%22type%22%3A%22block_actions%22%2C%22user%22%3A%7B%22id%22%3A%22U1%22%7D%2C%22channel%22%3A%7B%22id%22%3A%22C1%22%7D%2C%22actions%22%3A%5B%7B%22action_id%22%3A%22a%22%7D%5D%2C%22container%22%3A%7B%22message_ts%22%3A%22abc%22%7D%7D | refuse | block_actions container's "message_ts" is not a Slack timestamp
      """)
  void eachBodyGetsItsVerdict(String what, String body, String verdict, String detail) {
    SlackRequestShape.Verdict v = shapes.check(body.getBytes(StandardCharsets.UTF_8));
    switch (verdict) {
      case "pass" -> assertThat(v).as(what).isEqualTo(new SlackRequestShape.Pass(detail));
      case "ignore" -> assertThat(v).as(what).isEqualTo(new SlackRequestShape.Ignore(detail));
      case "refuse" -> assertThat(v).as(what).isInstanceOfSatisfying(SlackRequestShape.Malformed.class,
          m -> assertThat(m.reason()).startsWith(detail));
      default -> throw new IllegalArgumentException(verdict);
    }
  }
}
