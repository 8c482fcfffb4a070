package org.supportbot.app.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Startup checks against {@link RecordingSlackApi}: one-line errors that name the fix and no secret. */
class SlackRunnerTest {
  private static final String TOKEN = "xoxb-runner-test-token";
  private RecordingSlackApi api;

  @BeforeEach
  void start() throws Exception {
    api = new RecordingSlackApi(TOKEN);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private MethodsClient methods(String token) {
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(api.prefix());
    return Slack.getInstance(config).methods(token);
  }

  @Test
  void aGoodTokenGivesTheInstallingTeam() {
    assertThat(SlackRunner.checkInstall(methods(TOKEN))).isEqualTo(RecordingSlackApi.TEAM);
  }

  @Test
  void aRejectedTokenIsOneLineThatSaysWhereToGetAGoodOne() {
    assertThatThrownBy(() -> SlackRunner.checkInstall(methods("xoxb-revoked-secret-value")))
        .isInstanceOfSatisfying(SlackSetupException.class, e -> {
          assertThat(e.error()).isEqualTo("invalid_auth");
          assertThat(e.getMessage()).isEqualTo("Slack rejected SLACK_BOT_TOKEN (invalid_auth); copy the Bot User OAuth"
              + " Token (xoxb-...) from your app's OAuth & Permissions page, reinstalling the app if it was revoked");
          assertThat(e.getMessage()).doesNotContain("revoked-secret-value").doesNotContain("\n");
        });
  }

  @Test
  void missingScopesAreNamed() {
    api.grantScopes("commands,users:read");
    assertThatThrownBy(() -> SlackRunner.checkInstall(methods(TOKEN)))
        .isInstanceOfSatisfying(SlackSetupException.class, e -> {
          assertThat(e.missingScopes()).containsExactly("chat:write", "channels:history");
          assertThat(e.getMessage()).isEqualTo("the Slack app lacks the scopes chat:write, channels:history; add them"
              + " under OAuth & Permissions (config/slack-app-manifest.yaml lists them all) and reinstall the app");
        });
  }

  @Test
  void settingsFromTheEnvironmentNameEveryMissingSecretAndNeverPrintThem() {
    assertThatThrownBy(() -> SlackSettings.fromEnvironment(Map.of(), false))
        .hasMessage("SLACK_BOT_TOKEN is not set; copy the Bot User OAuth Token from your app's OAuth & Permissions page;"
            + " SLACK_SIGNING_SECRET is not set; copy the Signing Secret from your app's Basic Information page");
    assertThatThrownBy(() -> SlackSettings.fromEnvironment(Map.of("SLACK_BOT_TOKEN", "xoxp-user-token"), true))
        .hasMessage("SLACK_BOT_TOKEN is not a bot token (it must start with xoxb-); copy the Bot User OAuth Token from"
            + " your app's OAuth & Permissions page; SLACK_APP_TOKEN is not set; create one with the connections:write"
            + " scope under Basic Information > App-Level Tokens")
        .message().doesNotContain("user-token");
    SlackSettings ok = SlackSettings.fromEnvironment(Map.of("SLACK_BOT_TOKEN", "xoxb-1-secret",
        "SLACK_SIGNING_SECRET", "s3cret"), false);
    assertThat(ok.toString()).doesNotContain("secret").doesNotContain("s3cret").contains("botToken=***");
    assertThat(List.of(ok.botToken(), ok.signingSecret())).containsExactly("xoxb-1-secret", "s3cret");
  }
}
