package org.supportbot.app.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.supportbot.core.testing.Await;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.slack.RecordingSlackApi.Call;
import org.supportbot.core.conversation.KnowledgeSuggestions;
import org.supportbot.core.conversation.Suggestion;
import org.supportbot.core.intake.Intake;

/**
 * The adapter over the wire: signed HTTP requests shaped as Slack sends them go to the adapter's
 * endpoint on loopback; the Web API calls it makes are recorded by {@link RecordingSlackApi}.
 */
class SlackAdapterWireTest {

  @TempDir Path dir;
  private SlackWire wire;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void start() throws Exception {
    wire = new SlackWire(dir, new SlackChatGateway.UpdateLimits(Duration.ZERO, 50));
  }

  @AfterEach
  void stop() throws Exception {
    wire.close();
  }

  private static Map<String, String> typedAnswers() {
    return SlackWire.typedAnswers();
  }

  private static Map<String, String> selectedAnswers() {
    return SlackWire.selectedAnswers();
  }

  /** Opens the modal with /support as Ana and returns its private_metadata. */
  private String openIntake() throws Exception {
    HttpResponse<String> r = wire.post(SlackWire.FORM,
        SlackWire.slashCommand(SlackWire.ANA, SlackWire.ACME, "/support", "", "1001.2002.support"));
    assertThat(r.statusCode()).isEqualTo(200);
    wire.settle();
    List<Call> opened = wire.api.calls("views.open");
    assertThat(opened).hasSize(1);
    assertThat(opened.get(0).token()).isEqualTo(SlackWire.TOKEN);
    assertThat(opened.get(0).param("trigger_id")).isEqualTo("1001.2002.support");
    JsonNode view = json.readTree(opened.get(0).param("view"));
    return view.path("private_metadata").asText();
  }

  private String fileCase() throws Exception {
    String metadata = openIntake();
    HttpResponse<String> r = wire.post(SlackWire.FORM, SlackWire.interactive(
        wire.viewSubmission(SlackWire.ANA, "V0INTAKE1", metadata, typedAnswers(), selectedAnswers())));
    assertThat(r.statusCode()).isEqualTo(200);
    wire.settle();
    return wire.messages.find(SlackWire.TEAM, "thread:ACME-1").orElseThrow().ts();
  }

  @Test
  void supportOpensTheIntakeModalBuiltFromThePolicyInsteadOfEphemeralQuestions() throws Exception {
    String metadata = openIntake();

    JsonNode view = json.readTree(wire.api.calls("views.open").get(0).param("view"));
    assertThat(view.path("callback_id").asText()).isEqualTo("intake");
    assertThat(view.path("blocks")).hasSize(13);
    assertThat(view.path("blocks").get(0).path("block_id").asText()).isEqualTo("product");
    JsonNode severity = view.path("blocks").get(11);
    assertThat(severity.path("element").path("type").asText()).isEqualTo("static_select");
    assertThat(severity.path("element").path("options").get(0).path("value").asText()).isEqualTo("P1");
    assertThat(json.readTree(metadata).path("channel").asText()).isEqualTo(SlackWire.ACME);
    assertThat(wire.api.calls()).extracting(Call::method).as(wire.api.describe()).containsExactly("views.open");
  }

  @Test
  void fullIntakeThroughTheModalFilesTheCaseWithItsStatusAsThreadRootAndTheConfirmationInTheThread() throws Exception {
    String metadata = openIntake();
    HttpResponse<String> r = wire.post(SlackWire.FORM, SlackWire.interactive(
        wire.viewSubmission(SlackWire.ANA, "V0INTAKE1", metadata, typedAnswers(), selectedAnswers())));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty(); // an empty ack closes the modal
    wire.settle();

    List<Call> posts = wire.api.calls("chat.postMessage");
    String describe = wire.api.describe();
    // the status message is posted first in the customer's channel and becomes the case's thread
    Call status = posts.stream().filter(c -> c.param("channel").equals(SlackWire.ACME)).findFirst().orElseThrow();
    assertThat(status.param("thread_ts")).as(describe).isEmpty();
    // the desk keeps titles to 80 characters
    assertThat(status.param("text")).contains("*ACME-1: The Beacon agent fails to start with BCN-4012: connection refused on every serv…*")
        .contains("State: new").contains("Severity: P1 Severe Business Impact")
        .contains("Next deadline: first response <!date^" + SlackWire.START.plusSeconds(4 * 3600).getEpochSecond()
            + "^{date_short_pretty} {time}|Mon 23 Nov 2026 21:00 UTC>");
    assertThat(status.param("blocks")).contains("\"action_id\":\"case.claim#0\"").contains("\"value\":\"ACME-1\"");
    String root = wire.messages.find(SlackWire.TEAM, "status:ACME-1").orElseThrow().ts();
    assertThat(wire.messages.find(SlackWire.TEAM, "thread:ACME-1").orElseThrow().ts()).isEqualTo(root);

    Call confirmation = posts.stream().filter(c -> c.param("text").contains("is filed")).findFirst().orElseThrow();
    assertThat(confirmation.param("channel")).isEqualTo(SlackWire.ACME);
    assertThat(confirmation.param("thread_ts")).as(describe).isEqualTo(root);
    assertThat(confirmation.param("text")).startsWith("Thanks <@U0ANA>, your case *ACME-1* is filed");

    Call triage = posts.stream().filter(c -> c.param("channel").equals(SlackWire.TRIAGE)).findFirst().orElseThrow();
    assertThat(triage.param("text")).contains("New case *ACME-1* (P1 Severe Business Impact) from <@U0ANA>");
    Call ping = posts.stream().filter(c -> c.param("channel").equals(SlackWire.ESCALATIONS)).findFirst().orElseThrow();
    assertThat(ping.param("text")).startsWith("<!subteam^S0ONCALL> New P1 Severe Business Impact case *ACME-1*");
    assertThat(wire.api.calls()).extracting(Call::method).as(describe)
        .containsOnly("views.open", "chat.postMessage");
    assertThat(wire.api.calls()).allSatisfy(c -> assertThat(c.token()).isEqualTo(SlackWire.TOKEN));
  }

  @Test
  void whenTheKnowledgeBaseSuggestsAnswersStillNeedHelpFilesWithTheModalsOtherAnswers() throws Exception {
    wire.close();
    Suggestion article = new Suggestion("kb-4012", "article", "Agent fails to start with BCN-4012",
        "https://kb.example/4012", "check the **collector** address", 2.5);
    wire = new SlackWire(dir.resolve("kb"), SlackChatGateway.UpdateLimits.TIER_3, null, new KnowledgeSuggestions() {
      @Override
      public List<Suggestion> suggest(String title, String description, String errorText, String product,
          String version, int k) {
        return List.of(article);
      }

      @Override
      public void feedback(String suggestionId, String source, boolean solved, String caseKey) {}
    });
    String metadata = openIntake();
    wire.post(SlackWire.FORM, SlackWire.interactive(
        wire.viewSubmission(SlackWire.ANA, "V0INTAKE2", metadata, typedAnswers(), selectedAnswers())));
    wire.settle();

    Call offered = wire.api.calls("chat.postEphemeral").get(0);
    assertThat(offered.param("user")).isEqualTo("U0ANA");
    assertThat(offered.param("blocks")).contains("<https://kb.example/4012|Agent fails to start with BCN-4012>")
        .contains("\"action_id\":\"intake.solved#0\"").contains("\"action_id\":\"intake.continue#1\"");
    assertThat(wire.api.calls("chat.postMessage")).isEmpty();

    wire.post(SlackWire.FORM, SlackWire.interactive(wire.blockAction(SlackWire.ANA, SlackWire.ACME,
        "1764000000.000050", null, true, Intake.CONTINUE + "#1", "", "8008.9009.continue")));
    wire.settle();

    String root = wire.messages.find(SlackWire.TEAM, "thread:ACME-1").orElseThrow().ts();
    assertThat(wire.api.calls("chat.postMessage")).as(wire.api.describe())
        .anySatisfy(c -> {
          assertThat(c.param("thread_ts")).isEqualTo(root);
          assertThat(c.param("text")).startsWith("Thanks <@U0ANA>, your case *ACME-1* is filed");
        })
        .anySatisfy(c -> assertThat(c.param("text")).contains("Offered to the customer, who still needed help:"));
    assertThat(wire.api.calls("chat.postEphemeral")).hasSize(1);
  }

  @Test
  void claimButtonOnTheStatusMessageUpdatesItInPlaceAndPostsInTheThread() throws Exception {
    String root = fileCase();
    int before = wire.api.calls().size();

    HttpResponse<String> r = wire.post(SlackWire.FORM, SlackWire.interactive(wire.blockAction(SlackWire.EVE,
        SlackWire.ACME, root, null, false, "case.claim#0", "ACME-1", "3003.4004.claim")));
    assertThat(r.statusCode()).isEqualTo(200);
    wire.settle();

    // filing posted three messages in the channel at this instant (a burst of three in three seconds):
    // the status update goes now, the thread notice waits for the channel's pace (the ticks below also
    // send the manager's daily digest, a direct message, which is not this channel's)
    assertThat(inAcme(before)).extracting(Call::method).as(wire.api.describe()).containsExactly("chat.update");
    assertThat(wire.adapter.gateway().postsHeld()).isEqualTo(1);
    wire.clock.advance(Duration.ofMillis(2_999));
    wire.adapter.tick();
    wire.settle();
    assertThat(inAcme(before)).as(wire.api.describe()).hasSize(1);
    wire.clock.advance(Duration.ofMillis(1));
    wire.adapter.tick();
    wire.settle();

    List<Call> after = inAcme(before);
    String describe = wire.api.describe();
    assertThat(after).extracting(Call::method).as(describe).containsExactly("chat.update", "chat.postMessage");
    assertThat(after.get(1).param("thread_ts")).isEqualTo(root);
    assertThat(after.get(1).param("text")).isEqualTo("<@U0EVE> is now handling ACME-1.");
    assertThat(after.get(0).param("channel")).isEqualTo(SlackWire.ACME);
    assertThat(after.get(0).param("ts")).isEqualTo(root);
    assertThat(after.get(0).param("text")).contains("Owner: <@U0EVE>").contains("State: in progress");
    assertThat(after.get(0).param("blocks")).doesNotContain("case.claim");
    assertThat(wire.adapter.gateway().postsDelayed()).isEqualTo(1);
  }

  @Test
  void closingSendsWhatTheChannelsPaceStillHolds() throws Exception {
    String root = fileCase();
    int before = wire.api.calls().size();
    wire.post(SlackWire.FORM, SlackWire.interactive(wire.blockAction(SlackWire.EVE,
        SlackWire.ACME, root, null, false, "case.claim#0", "ACME-1", "3003.4004.closing")));
    wire.settle();
    assertThat(wire.adapter.gateway().postsHeld()).as("the thread notice waits for the channel's pace").isEqualTo(1);

    Thread closing = Thread.ofPlatform().name("closing").start(wire.running::close);
    long deadline = System.nanoTime() + Await.HUNG.toNanos();
    while (closing.isAlive() && System.nanoTime() < deadline) {
      wire.clock.advance(Duration.ofMillis(250)); // time goes on while the bot stops
      closing.join(20);
    }
    assertThat(closing.isAlive()).isFalse();
    assertThat(wire.adapter.gateway().postsHeld()).isZero();
    assertThat(inAcme(before)).extracting(Call::method).as(wire.api.describe())
        .containsExactly("chat.update", "chat.postMessage");
    assertThat(inAcme(before).get(1).param("text")).isEqualTo("<@U0EVE> is now handling ACME-1.");
  }

  @Test
  void closingWithAStoppedClockDoesNotWaitOutTheGrace() throws Exception {
    String root = fileCase();
    wire.post(SlackWire.FORM, SlackWire.interactive(wire.blockAction(SlackWire.EVE,
        SlackWire.ACME, root, null, false, "case.claim#0", "ACME-1", "3003.4004.stopped")));
    wire.settle();
    long start = System.nanoTime();
    wire.running.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("ends a second after the clock last moved")
        .isLessThan(SlackAdapter.CLOSE_GRACE);
    assertThat(wire.adapter.gateway().postsHeld()).as("kept in memory, counted in the log").isEqualTo(1);
  }

  private List<Call> inAcme(int from) {
    return wire.api.calls().subList(from, wire.api.calls().size()).stream()
        .filter(c -> c.param("channel").equals(SlackWire.ACME)).toList();
  }

  @Test
  void slackConnectCustomerReplyInTheThreadIsTheCustomersAndARetryHasNoSecondEffect() throws Exception {
    String root = fileCase();
    int before = wire.api.calls().size();
    String event = wire.messageEvent("Ev0CONNECT1", SlackWire.CARL, SlackWire.ACME, "1764000500.000100", root,
        "It also fails on the staging servers");

    HttpResponse<String> r = wire.post(SlackWire.JSON, event);
    assertThat(r.statusCode()).isEqualTo(200);
    wire.settle();
    List<Call> after = wire.api.calls().subList(before, wire.api.calls().size());
    assertThat(after).extracting(c -> c.method() + " " + c.param("channel")).as(wire.api.describe())
        .contains("chat.postMessage " + SlackWire.TRIAGE);
    assertThat(after).filteredOn(c -> c.param("channel").equals(SlackWire.TRIAGE)).singleElement()
        .satisfies(c -> assertThat(c.param("text")).startsWith("The customer replied on *ACME-1*"));

    int settled = wire.api.calls().size();
    HttpResponse<String> retry = wire.post(SlackWire.JSON, event, Duration.ZERO, true,
        Map.of("X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout"));
    assertThat(retry.statusCode()).isEqualTo(200);
    wire.settle();
    assertThat(wire.api.calls()).hasSize(settled);
  }

  @Test
  void ordinaryChannelChatterAndSystemMessagesAreAcknowledgedWithoutEffect() throws Exception {
    HttpResponse<String> chatter = wire.post(SlackWire.JSON, wire.messageEvent("Ev0CHATTER", SlackWire.ANA,
        SlackWire.ACME, "1764000600.000100", null, "good morning everyone"));
    com.fasterxml.jackson.databind.node.ObjectNode join = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
        wire.messageEvent("Ev0JOIN", SlackWire.CARL, SlackWire.ACME, "1764000601.000100", null, "<@U0CARL> has joined"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) join.get("event")).put("subtype", "channel_join");
    HttpResponse<String> joined = wire.post(SlackWire.JSON, join.toString());
    wire.settle();

    // a non-2xx answer would make Slack retry the delivery three times
    assertThat(List.of(chatter.statusCode(), joined.statusCode())).containsOnly(200);
    assertThat(wire.api.calls()).isEmpty();
  }

  @Test
  void transcriptIsUploadedAsAFileIntoTheCasesThreadAndByDirectMessage() throws Exception {
    String root = fileCase();
    int before = wire.api.calls().size();
    wire.post(SlackWire.FORM, SlackWire.slashCommand(SlackWire.EVE, SlackWire.ACME, "/transcript", "ACME-1",
        "7001.7002.transcript"));
    paced();
    List<Call> calls = wire.api.calls().subList(before, wire.api.calls().size());
    assertThat(calls).extracting(Call::method).as(wire.api.describe())
        .containsSubsequence("files.getUploadURLExternal", "files.completeUploadExternal");
    assertThat(calls).filteredOn(c -> c.method().equals("chat.postMessage"))
        .noneSatisfy(c -> assertThat(c.param("blocks")).contains("transcript.md"));
    Call url = wire.api.calls("files.getUploadURLExternal").getFirst();
    assertThat(url.param("filename")).isEqualTo("ACME-1-transcript.md");
    Call complete = wire.api.calls("files.completeUploadExternal").getFirst();
    assertThat(complete.param("channel_id")).isEqualTo(SlackWire.ACME);
    assertThat(complete.param("thread_ts")).isEqualTo(root);
    assertThat(complete.param("initial_comment")).isEqualTo("Transcript of ACME-1, asked for by <@U0EVE>.");
    String fileId = json.readTree(complete.param("files")).get(0).path("id").asText();
    assertThat(wire.api.uploaded(fileId)).contains("# ACME-1: ").contains("## Record");
    assertThat(Long.parseLong(url.param("length"))).isEqualTo(wire.api.uploaded(fileId).getBytes(
        java.nio.charset.StandardCharsets.UTF_8).length);

    // a customer gets it in the direct conversation with the bot
    wire.post(SlackWire.FORM, SlackWire.slashCommand(SlackWire.ANA, SlackWire.ACME, "/transcript", "ACME-1",
        "7001.7003.transcript"));
    paced();
    assertThat(wire.api.calls("conversations.open")).last().satisfies(c -> assertThat(c.param("users"))
        .isEqualTo("U0ANA"));
    assertThat(wire.api.calls("files.completeUploadExternal")).hasSize(2).last().satisfies(c -> {
      assertThat(c.param("channel_id")).isEqualTo("DU0ANA");
      assertThat(c.param("initial_comment")).isEqualTo("The transcript of ACME-1, as you asked.");
    });
  }

  /** Lets the channel's pace (one post a second, bursts of three) send what the last request left held. */
  private void paced() throws Exception {
    wire.settle();
    wire.clock.advance(Duration.ofSeconds(3));
    wire.adapter.tick();
    wire.settle();
  }

  @Test
  void withoutTheFilesWriteScopeTheTranscriptIsPostedAsCodeBlocks() throws Exception {
    String root = fileCase();
    wire.api.refuseUploads();
    for (String trigger : List.of("7001.7004.transcript", "7001.7005.transcript")) {
      wire.post(SlackWire.FORM, SlackWire.slashCommand(SlackWire.EVE, SlackWire.ACME, "/transcript", "ACME-1", trigger));
      paced();
    }
    // asked once: after missing_scope the process posts files as code blocks without trying again
    assertThat(wire.api.calls("files.getUploadURLExternal")).hasSize(1);
    assertThat(wire.api.calls("files.completeUploadExternal")).isEmpty();
    assertThat(wire.api.calls("chat.postMessage")).filteredOn(c -> c.param("blocks").contains("ACME-1-transcript.md"))
        .hasSize(2).allSatisfy(c -> assertThat(c.param("thread_ts")).isEqualTo(root));
  }

  @Test
  void fileAsIncidentShortcutOpensTheModalPrefilledFromTheMessage() throws Exception {
    HttpResponse<String> r = wire.post(SlackWire.FORM, SlackWire.interactive(wire.messageShortcut(SlackWire.CARL,
        SlackWire.ACME, SlackWire.CARL, "1764000700.000100", "Dashboards are empty since the upgrade to 3.2.1",
        "5005.6006.shortcut")));
    assertThat(r.statusCode()).isEqualTo(200);
    wire.settle();

    assertThat(wire.api.calls()).extracting(Call::method).as(wire.api.describe()).containsExactly("views.open");
    JsonNode view = json.readTree(wire.api.calls().get(0).param("view"));
    JsonNode description = null;
    for (JsonNode b : view.path("blocks")) {
      if (b.path("block_id").asText().equals("description")) {
        description = b;
      }
    }
    assertThat(description).isNotNull();
    assertThat(description.path("element").path("initial_value").asText())
        .isEqualTo("Dashboards are empty since the upgrade to 3.2.1");
    assertThat(json.readTree(view.path("private_metadata").asText()).path("message").asText())
        .isEqualTo("1764000700.000100");
  }

  @Test
  void whenSlackRefusesTheModalTheIntakeGoesOnAsEphemeralQuestionsAndButtons() throws Exception {
    wire.api.failViewsOpen("expired_trigger_id");
    wire.post(SlackWire.FORM, SlackWire.slashCommand(SlackWire.ANA, SlackWire.ACME, "/support", "", "1001.2002.late"));
    wire.settle();

    List<Call> ephemeral = wire.api.calls("chat.postEphemeral");
    assertThat(ephemeral).hasSize(2);
    assertThat(ephemeral).allSatisfy(c -> {
      assertThat(c.param("channel")).isEqualTo(SlackWire.ACME);
      assertThat(c.param("user")).isEqualTo("U0ANA");
    });
    assertThat(ephemeral.get(0).param("text")).contains("Let's file a support case");
    assertThat(ephemeral.get(1).param("text")).contains("(1/13)");

    // the customer types the answer in the channel; the next question follows
    wire.post(SlackWire.JSON, wire.messageEvent("Ev0ANSWER1", SlackWire.ANA, SlackWire.ACME, "1764000800.000100", null,
        "Beacon"));
    wire.settle();
    assertThat(wire.api.calls("chat.postEphemeral")).hasSize(3);
    assertThat(wire.api.calls("chat.postEphemeral").get(2).param("text")).contains("(2/13)");

    // cancel with the intake's button
    wire.post(SlackWire.FORM, SlackWire.interactive(wire.blockAction(SlackWire.ANA, SlackWire.ACME, "1764000000.000099",
        null, true, Intake.CANCEL + "#0", "", "7007.8008.cancel")));
    wire.settle();
    assertThat(wire.api.calls("chat.postEphemeral")).hasSize(4);
    assertThat(wire.api.calls("chat.postEphemeral").get(3).param("text")).isEqualTo("Cancelled; nothing was filed.");
  }

  private HttpResponse<String> deliver(String shapeFile, String rootTs) throws Exception {
    SlackShapes.Shape shape = SlackShapes.load(shapeFile, Map.of("ROOT_TS", rootTs,
        "INTAKE_METADATA", SlackWire.ACME_INTAKE_METADATA));
    return wire.post(shape.contentType(), shape.body());
  }

  @Test
  void slackConnectBroadcastWithoutTeamIsRecordedAsTheCustomersReplyAndSlackIsAskedOnce() throws Exception {
    String root = fileCase();
    int before = wire.api.calls().size();

    HttpResponse<String> broadcast = deliver("ev-thread-broadcast-slack-connect-no-team.json", root);
    HttpResponse<String> file = deliver("ev-file-share-slack-connect-no-team.json", root);
    wire.settle();

    assertThat(List.of(broadcast.statusCode(), file.statusCode())).containsOnly(200);
    List<Call> after = wire.api.calls().subList(before, wire.api.calls().size());
    // a contact's reply, not a stranger's: triage hears of it
    assertThat(after).filteredOn(c -> c.param("channel").equals(SlackWire.TRIAGE)).as(wire.api.describe())
        .anySatisfy(c -> assertThat(c.param("text")).startsWith("The customer replied on *ACME-1*"));
    // the second message from the same person is answered from the cache
    assertThat(wire.api.calls("users.info")).singleElement()
        .satisfies(c -> assertThat(c.param("user")).isEqualTo("U0CARL"));
    assertThat(wire.handled).filteredOn(in -> in.key().startsWith("slack:message:C0ACME:176400040"))
        .extracting(in -> in.person()).containsExactly(SlackWire.CARL, SlackWire.CARL);
  }

  @Test
  void fileAsIncidentByASlackConnectContactWhoseTeamThePayloadOmitsOpensTheModal() throws Exception {
    HttpResponse<String> r = deliver("shortcut-slack-connect-user-without-team.payload.json", "");
    wire.settle();

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(wire.api.calls()).extracting(Call::method).as(wire.api.describe())
        .containsExactly("users.info", "views.open");
  }

  @Test
  void theAcknowledgementDoesNotWaitForUsersInfo() throws Exception {
    java.util.concurrent.CountDownLatch held = wire.api.holdUsersInfo();
    try {
      HttpResponse<String> r = deliver("ev-thread-broadcast-slack-connect-no-team.json", "1764000000.000001");
      // answered while users.info is still unanswered: the person's team is asked after the ack
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(held.getCount()).isEqualTo(1);
    } finally {
      held.countDown();
    }
    wire.settle();
    assertThat(wire.api.calls("users.info")).hasSize(1);
    // asked in time once released (a lookup made before the ack would have timed out and fallen back)
    assertThat(wire.handled).singleElement().satisfies(in -> assertThat(in.person()).isEqualTo(SlackWire.CARL));
  }

  @Test
  void whenSlackDoesNotKnowThePersonTheyAreTakenAsTheHomeWorkspacesAndTheDeliveryIsStillAcknowledged()
      throws Exception {
    String event = wire.messageEvent("Ev0STRANGER", new org.supportbot.core.directory.Identity("slack", "x", "U0GONE"),
        SlackWire.ACME, "1764000900.000100", null, "hello?");
    com.fasterxml.jackson.databind.node.ObjectNode body = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
        event);
    ((com.fasterxml.jackson.databind.node.ObjectNode) body.get("event")).remove(List.of("team", "user_team",
        "source_team"));

    HttpResponse<String> r = wire.post(SlackWire.JSON, body.toString());
    wire.settle();

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(wire.api.calls("users.info")).hasSize(1); // answered user_not_found, so not cached
    assertThat(wire.handled).singleElement().satisfies(in -> assertThat(in.person())
        .isEqualTo(new org.supportbot.core.directory.Identity("slack", SlackWire.TEAM, "U0GONE")));
  }

  @Test
  void aResolvedTeamIsAskedAgainOnlyAfterItIsKeptForItsTime() throws Exception {
    String root = "1764000000.000001";
    deliver("ev-thread-broadcast-slack-connect-no-team.json", root);
    wire.settle();
    wire.clock.advance(SlackUserTeams.KEEP.minusSeconds(1));
    deliver("ev-file-share-slack-connect-no-team.json", root);
    wire.settle();
    assertThat(wire.api.calls("users.info")).hasSize(1);

    wire.clock.advance(java.time.Duration.ofSeconds(1));
    String again = wire.messageEvent("Ev0AGAIN", SlackWire.CARL, SlackWire.ACME, "1764000950.000100", null, "still?");
    com.fasterxml.jackson.databind.node.ObjectNode body = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
        again);
    ((com.fasterxml.jackson.databind.node.ObjectNode) body.get("event")).remove(List.of("team", "user_team",
        "source_team"));
    wire.post(SlackWire.JSON, body.toString());
    wire.settle();
    assertThat(wire.api.calls("users.info")).hasSize(2);
    assertThat(wire.handled.getLast().person()).isEqualTo(SlackWire.CARL);
  }

  @Test
  void aRefusedCommandThatEchoesASecretRepliesRedactedAndKeepsItOutOfTheDatabase() throws Exception {
    fileCase();
    HttpResponse<String> r = wire.post(SlackWire.FORM, SlackWire.slashCommand(SlackWire.EVE, SlackWire.ACME, "/time",
        "ACME-1 password=zzzWireSecret note", "4004.5005.time"));
    wire.settle();

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(wire.api.calls("chat.postEphemeral")).as(wire.api.describe()).singleElement().satisfies(c -> {
      assertThat(c.param("user")).isEqualTo("U0EVE");
      assertThat(c.param("text")).contains("is not a duration").contains("[redacted: secret]")
          .doesNotContain("zzzWireSecret");
    });
    assertThat(wire.api.calls()).allSatisfy(c -> assertThat(c.params().toString()).doesNotContain("zzzWireSecret"));
    StringBuilder files = new StringBuilder();
    try (var list = java.nio.file.Files.list(dir)) {
      for (Path p : list.toList()) {
        files.append(new String(java.nio.file.Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
    assertThat(files.toString()).doesNotContain("zzzWireSecret");
  }

  @Test
  void badlySignedStaleAndFutureRequestsGet401AndNoEffect() throws Exception {
    String body = SlackWire.slashCommand(SlackWire.ANA, SlackWire.ACME, "/support", "", "9009.1.bad");
    HttpResponse<String> wrong = wire.post(SlackWire.FORM, body, Duration.ZERO, false, Map.of());
    HttpResponse<String> stale = wire.post(SlackWire.FORM, body, Duration.ofMinutes(-6), true, Map.of());
    HttpResponse<String> future = wire.post(SlackWire.FORM, body, Duration.ofMinutes(6), true, Map.of());
    wire.settle();

    assertThat(List.of(wrong, stale, future)).allSatisfy(r -> {
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(json.readTree(r.body()).path("error").asText()).isEqualTo("invalid request");
    });
    assertThat(json.readTree(wrong.body()).path("reason").asText()).isEqualTo("signature does not match");
    assertThat(json.readTree(stale.body()).path("reason").asText()).contains("360 s away");
    assertThat(json.readTree(future.body()).path("reason").asText()).contains("360 s away");
    assertThat(List.of(wrong.body(), stale.body(), future.body())).noneMatch(b -> b.contains(SlackWire.SECRET));
    assertThat(wire.api.calls()).isEmpty();
  }

  @Test
  void aReplayedSignedRequestWithinTheWindowHasNoSecondEffect() throws Exception {
    openIntake();
    String body = SlackWire.slashCommand(SlackWire.ANA, SlackWire.ACME, "/support", "", "1001.2002.support");
    wire.clock.advance(Duration.ofSeconds(30));

    HttpResponse<String> replay = wire.post(SlackWire.FORM, body);
    wire.settle();

    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(wire.api.calls()).extracting(Call::method).containsExactly("views.open");
  }

  @Test
  void healthAnswersGetAndTheEventsPathRefusesGet() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + wire.endpoint.address().getPort();
    var health = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    var get = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/slack/events")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"ok\",\"slack_api_calls\":0,\"slack_api_errors\":0,"
        + "\"status_updates_held\":0,\"status_updates_coalesced\":0,\"posts_held\":0,\"posts_retried\":0,"
        + "\"posts_delayed\":0,\"rate_limited\":0}");
    assertThat(get.statusCode()).isEqualTo(405);
  }
}
