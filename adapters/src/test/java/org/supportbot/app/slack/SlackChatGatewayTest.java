package org.supportbot.app.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.platform.LaneWorkers;
import org.supportbot.app.slack.RecordingSlackApi.Call;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.outbox.Backoff;
import org.supportbot.core.outbox.Delivery;
import org.supportbot.core.outbox.Outbox;
import org.supportbot.core.outbox.OutboxStore;
import org.supportbot.core.store.sqlite.SqliteOutboxStore;
import org.supportbot.core.testing.Await;
import org.supportbot.core.testing.MutableClock;

/**
 * The gateway against {@link RecordingSlackApi}: targets, thread roots, chat.update coalescing, and posts
 * paced per channel and held for a 429's Retry-After.
 */
class SlackChatGatewayTest {
  private static final String TOKEN = "xoxb-gateway-test";
  private static final ChatPlace CHANNEL = new ChatPlace("slack", "T1", "C1", "");
  private static final Identity ANA = new Identity("slack", "T1", "U0ANA");

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T17:00:00Z"));
  private RecordingSlackApi api;
  private SqliteDatabase db;

  /** Posts are not what the update tests measure: a pace no test reaches. */
  private static final SlackChatGateway.PostLimits UNPACED = new SlackChatGateway.PostLimits(1_000, Duration.ofSeconds(1));

  private SlackChatGateway gateway(SlackChatGateway.UpdateLimits limits) throws Exception {
    return gateway(limits, UNPACED);
  }

  private SlackChatGateway gateway(SlackChatGateway.UpdateLimits limits, SlackChatGateway.PostLimits posts)
      throws Exception {
    return gateway(limits, posts, SlackChatGateway.CALL_TIMEOUT, LaneWorkers.inline());
  }

  /** A gateway whose Web API calls end after {@code callTimeout}, answered or not, run on {@code workers}. */
  private SlackChatGateway gateway(SlackChatGateway.UpdateLimits limits, SlackChatGateway.PostLimits posts,
      Duration callTimeout, LaneWorkers workers) throws Exception {
    api = new RecordingSlackApi(TOKEN, clock);
    db = SqliteDatabase.open(dir.resolve("g.db"), SqliteDatabase.Durability.NORMAL);
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(api.prefix());
    config.setHttpClientCallTimeoutMillis((int) callTimeout.toMillis());
    return new SlackChatGateway(Slack.getInstance(config).methods(TOKEN), TOKEN, new JdbcSlackMessageStore(db),
        new SlackRenderer(), clock, limits, posts, workers);
  }

  @AfterEach
  void close() {
    if (api != null) {
      api.close();
    }
    if (db != null) {
      db.close();
    }
  }

  private static ChatPlace thread(String name) {
    return new ChatPlace("slack", "T1", "C1", name);
  }

  private static Outbound status(String number, String text) {
    return Outbound.toPlace(thread(number), Outbound.Kind.STATUS).replaces("status:" + number).text(text).build();
  }

  @Test
  void updatesOfOneStatusMessageAreCoalescedAndTheLatestWins() throws Exception {
    SlackChatGateway g = gateway(new SlackChatGateway.UpdateLimits(Duration.ofSeconds(5), 50));
    g.send(List.of(status("ACME-1", "v1")));
    g.send(List.of(status("ACME-1", "v2")));
    clock.advance(Duration.ofSeconds(1));
    g.send(List.of(status("ACME-1", "v3")));
    clock.advance(Duration.ofSeconds(1));
    g.send(List.of(status("ACME-1", "v4")));
    clock.advance(Duration.ofMillis(2_999));
    g.flushDue();

    assertThat(api.calls()).extracting(c -> c.method() + " " + c.param("text"))
        .containsExactly("chat.postMessage v1", "chat.update v2");
    assertThat(g.held()).isEqualTo(1);
    assertThat(g.coalesced()).isEqualTo(1);

    clock.advance(Duration.ofMillis(1));
    g.flushDue();
    assertThat(api.calls()).extracting(c -> c.method() + " " + c.param("text"))
        .containsExactly("chat.postMessage v1", "chat.update v2", "chat.update v4");
    String root = api.calls().get(0).param("channel");
    assertThat(root).isEqualTo("C1");
    assertThat(api.calls("chat.update")).extracting(c -> c.param("ts")).containsOnly("1764000000.000001");
    assertThat(g.held()).isZero();
  }

  @Test
  void aWorkspaceGetsNoMoreUpdatesPerMinuteThanTheBudget() throws Exception {
    SlackChatGateway g = gateway(new SlackChatGateway.UpdateLimits(Duration.ZERO, 3));
    for (int i = 1; i <= 5; i++) {
      g.send(List.of(status("ACME-" + i, "posted " + i)));
    }
    for (int i = 1; i <= 5; i++) {
      g.send(List.of(status("ACME-" + i, "updated " + i)));
    }
    assertThat(api.calls("chat.update")).extracting(c -> c.param("text"))
        .containsExactly("updated 1", "updated 2", "updated 3");
    assertThat(g.held()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(59));
    g.flushDue();
    assertThat(api.calls("chat.update")).hasSize(3);

    clock.advance(Duration.ofSeconds(1).plusMillis(1));
    g.flushDue();
    assertThat(api.calls("chat.update")).extracting(c -> c.param("text"))
        .containsExactly("updated 1", "updated 2", "updated 3", "updated 4", "updated 5");
    assertThat(g.held()).isZero();
  }

  @Test
  void anUpdateSlackRateLimitsIsHeldForRetryAfterAndNotLost() throws Exception {
    // a budget above Slack's: as if another app used the workspace's Tier 3 allowance
    SlackChatGateway g = gateway(new SlackChatGateway.UpdateLimits(Duration.ZERO, 1_000));
    for (int i = 1; i <= 51; i++) {
      g.send(List.of(status("ACME-" + i, "posted " + i)));
    }
    for (int i = 1; i <= 51; i++) {
      g.send(List.of(status("ACME-" + i, "updated " + i)));
    }
    assertThat(api.tooManyRequests()).isEqualTo(1);
    assertThat(g.rateLimited()).isEqualTo(1);
    assertThat(g.held()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(29));
    g.flushDue();
    assertThat(g.held()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(31)); // Retry-After is 30 s; the server's window has moved on by now
    g.flushDue();
    assertThat(g.held()).isZero();
    assertThat(api.calls("chat.update")).last().satisfies(c -> assertThat(c.param("text")).isEqualTo("updated 51"));
    assertThat(api.tooManyRequests()).isEqualTo(1);
  }

  @Test
  void personalRepliesAreEphemeralAndMessagesToAPersonAreDirect() throws Exception {
    SlackChatGateway g = gateway(SlackChatGateway.UpdateLimits.TIER_3);
    g.send(List.of(
        Outbound.toPlace(CHANNEL, Outbound.Kind.REPLY).onlyFor(ANA).text("only for you").build(),
        Outbound.to(new Outbound.ToPerson(ANA), Outbound.Kind.BREACH_PING).text("a direct message").build()));

    assertThat(api.calls()).extracting(Call::method, c -> c.param("channel"), c -> c.param("user"), c -> c.param("text"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("chat.postEphemeral", "C1", "U0ANA", "only for you"),
            org.assertj.core.groups.Tuple.tuple("chat.postMessage", "U0ANA", "", "a direct message"));
  }

  @Test
  void theStatusMessageRootsItsThreadEvenWhenItFailsFirstAndNothingElseEverDoes() throws Exception {
    SlackChatGateway g = gateway(SlackChatGateway.UpdateLimits.TIER_3);
    Outbox outbox = new Outbox(new SqliteOutboxStore(db), clock, Backoff.DEFAULT);
    // the confirmation was recorded before the status message, as the desk says them
    List<Delivery> first = outbox.record(new OutboxStore.Batch(List.of(notice(thread("ACME-1"), "filed, thanks"),
        status("ACME-1", "ACME-1 status")), OptionalLong.empty(), List.of(), List.of(), Map.of(), clock.instant()));
    api.failNextPosts(2, "internal_error");
    g.deliver(first); // the status fails (first failure); the confirmation waits behind it
    clock.advance(Duration.ofSeconds(5));
    g.deliver(outbox.due(10)); // both due: the status fails again (next in 10 s), the confirmation waits 5 s
    clock.advance(Duration.ofSeconds(5));
    List<Delivery> alone = outbox.due(10);
    assertThat(alone).extracting(d -> d.message().plainText()).containsExactly("filed, thanks");
    g.deliver(alone); // the confirmation alone, its thread without a root: not posted
    assertThat(api.calls("chat.postMessage")).extracting(c -> c.param("text")).containsOnly("ACME-1 status");
    assertThat(alone).allMatch(Delivery::reported);

    clock.advance(Duration.ofSeconds(5));
    g.deliver(outbox.due(10));
    List<Call> posts = api.calls("chat.postMessage");
    assertThat(posts).extracting(c -> c.param("text") + " thread=" + c.param("thread_ts")).containsExactly(
        "ACME-1 status thread=", "ACME-1 status thread=", "ACME-1 status thread=",
        "filed, thanks thread=1764000000.000001");
    assertThat(new JdbcSlackMessageStore(db).threadAt("T1", "C1", "1764000000.000001")).hasValue("ACME-1");
    assertThat(outbox.pendingCount()).isZero();
  }

  @Test
  void aPostWhoseAnswerWasLostIsFoundByItsMetadataAndNotPostedAgain() throws Exception {
    SlackChatGateway g = gateway(SlackChatGateway.UpdateLimits.TIER_3, UNPACED, Duration.ofMillis(300),
        LaneWorkers.inline());
    Outbox outbox = new Outbox(new SqliteOutboxStore(db), clock, Backoff.DEFAULT);
    api.applyThenStall(2);
    List<Delivery> first = outbox.record(new OutboxStore.Batch(List.of(status("ACME-1", "ACME-1 status"),
        notice(CHANNEL, "new case")), OptionalLong.empty(), List.of(), List.of(), Map.of(), clock.instant()));
    g.deliver(first); // Slack applies both; both answers are lost to the client's timeout
    assertThat(first).allMatch(Delivery::reported);
    assertThat(outbox.pendingCount()).isEqualTo(2);
    assertThat(api.applied("C1")).isEqualTo(1); // the second was not tried behind the first

    clock.advance(Duration.ofSeconds(5));
    g.deliver(outbox.due(10));
    assertThat(api.calls()).extracting(SlackChatGatewayTest::described).containsExactly(
        "chat.postMessage C1 thread= ACME-1 status", "conversations.history C1 thread= ",
        "chat.postMessage C1 thread= new case");
    Call lookUp = api.calls("conversations.history").getFirst();
    assertThat(lookUp.param("include_all_metadata")).isIn("1", "true");
    assertThat(lookUp.param("oldest")).isEqualTo(SlackChatGateway.slackTs(clock.instant().minusSeconds(5 + 60)));
    assertThat(api.calls("chat.postMessage").getFirst().param("metadata")).contains(SlackChatGateway.EVENT_TYPE)
        .contains("\"outbox_id\":\"" + first.getFirst().id() + "\"");
    assertThat(g.foundAfterTimeout()).isEqualTo(1);
    assertThat(outbox.pendingCount()).isEqualTo(1); // "new case" was applied too, and its answer lost again

    clock.advance(Duration.ofSeconds(5));
    g.deliver(outbox.due(10));
    assertThat(api.applied("C1")).isEqualTo(2);
    assertThat(api.calls("chat.postMessage")).hasSize(2);
    assertThat(outbox.pendingCount()).isZero();
    // the status message found in the history is the one later changes update
    g.send(List.of(status("ACME-1", "ACME-1 claimed")));
    assertThat(api.calls()).last().extracting(c -> c.method() + " " + c.param("ts"))
        .isEqualTo("chat.update 1764000000.000001");
  }

  @Test
  void anUploadWhoseAnswerWasLostIsFoundByItsTitleAndNotUploadedAgain() throws Exception {
    SlackChatGateway g = gateway(SlackChatGateway.UpdateLimits.TIER_3, UNPACED, Duration.ofMillis(300),
        LaneWorkers.inline());
    Outbox outbox = new Outbox(new SqliteOutboxStore(db), clock, Backoff.DEFAULT);
    api.applyUploadThenStall(1);
    Outbound transcript = Outbound.toPlace(CHANNEL, Outbound.Kind.REPLY).text("Transcript of ACME-1.")
        .file("ACME-1-transcript.md", "# ACME-1\n\nThe record.").build();
    List<Delivery> first = outbox.record(new OutboxStore.Batch(List.of(transcript), OptionalLong.empty(), List.of(),
        List.of(), Map.of(), clock.instant()));
    g.deliver(first); // Slack shares the file; the answer to files.completeUploadExternal is lost to the timeout
    assertThat(outbox.pendingCount()).isEqualTo(1);
    long id = first.getFirst().id();
    assertThat(api.calls("files.completeUploadExternal")).singleElement()
        .satisfies(c -> assertThat(c.param("files")).contains("\"title\":\"ACME-1-transcript.md · #" + id + "\""));

    clock.advance(Duration.ofSeconds(5));
    g.deliver(outbox.due(10));
    // looked up in the channel's history, found by its title, and not uploaded again
    assertThat(api.calls()).extracting(Call::method).containsExactly("files.getUploadURLExternal",
        "files.completeUploadExternal", "conversations.history");
    assertThat(api.calls("conversations.history").getFirst().param("oldest"))
        .isEqualTo(SlackChatGateway.slackTs(clock.instant().minusSeconds(5 + 60)));
    assertThat(g.foundAfterTimeout()).isEqualTo(1);
    assertThat(outbox.pendingCount()).isZero();
    assertThat(api.applied("C1")).isEqualTo(1);
  }

  @Test
  void anUploadThatFailedIsLookedForAndUploadedAgainWhenItIsNotThere() throws Exception {
    SlackChatGateway g = gateway(SlackChatGateway.UpdateLimits.TIER_3, UNPACED, Duration.ofMillis(300),
        LaneWorkers.inline());
    Outbox outbox = new Outbox(new SqliteOutboxStore(db), clock, Backoff.DEFAULT);
    api.failNextUploads(1);
    List<Delivery> first = outbox.record(new OutboxStore.Batch(List.of(Outbound.toPlace(CHANNEL, Outbound.Kind.REPLY)
        .text("Transcript of ACME-1.").file("ACME-1-transcript.md", "# ACME-1").build()), OptionalLong.empty(),
        List.of(), List.of(), Map.of(), clock.instant()));
    g.deliver(first);
    assertThat(outbox.pendingCount()).isEqualTo(1);
    assertThat(api.applied("C1")).isZero();

    clock.advance(Duration.ofSeconds(5));
    g.deliver(outbox.due(10));
    assertThat(api.calls()).extracting(Call::method).containsExactly("files.getUploadURLExternal",
        "files.completeUploadExternal", "conversations.history", "files.getUploadURLExternal",
        "files.completeUploadExternal");
    assertThat(g.foundAfterTimeout()).isZero();
    assertThat(outbox.pendingCount()).isZero();
    assertThat(api.applied("C1")).isEqualTo(1);
  }

  @Test
  void aDirectMessageWhoseAnswerWasLostIsFoundInTheDirectConversationAndNotSentAgain() throws Exception {
    SlackChatGateway g = gateway(SlackChatGateway.UpdateLimits.TIER_3, UNPACED, Duration.ofMillis(300),
        LaneWorkers.inline());
    Outbox outbox = new Outbox(new SqliteOutboxStore(db), clock, Backoff.DEFAULT);
    api.applyThenStall(1);
    List<Delivery> first = outbox.record(new OutboxStore.Batch(List.of(Outbound.to(new Outbound.ToPerson(ANA),
        Outbound.Kind.BREACH_PING).text("Breach: ACME-1").build()), OptionalLong.empty(), List.of(), List.of(),
        Map.of(), clock.instant()));
    g.deliver(first); // Slack applies it; the answer is lost to the client's timeout
    assertThat(outbox.pendingCount()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(5));
    g.deliver(outbox.due(10));
    assertThat(api.calls()).extracting(Call::method, c -> c.param("channel"), c -> c.param("users")).containsExactly(
        org.assertj.core.groups.Tuple.tuple("chat.postMessage", "U0ANA", ""),
        org.assertj.core.groups.Tuple.tuple("conversations.open", "", "U0ANA"),
        org.assertj.core.groups.Tuple.tuple("conversations.history", "DU0ANA", ""));
    assertThat(api.calls("conversations.history").getFirst().param("include_all_metadata")).isIn("1", "true");
    assertThat(g.foundAfterTimeout()).isEqualTo(1);
    assertThat(outbox.pendingCount()).isZero();
    assertThat(api.applied("DU0ANA")).isEqualTo(1);
  }

  @Test
  void aDirectMessageNeverAppliedIsSentAgainAfterTheLookUp() throws Exception {
    SlackChatGateway g = gateway(SlackChatGateway.UpdateLimits.TIER_3, UNPACED, Duration.ofMillis(300),
        LaneWorkers.inline());
    Outbox outbox = new Outbox(new SqliteOutboxStore(db), clock, Backoff.DEFAULT);
    api.failNextPosts(1, "internal_error");
    List<Delivery> first = outbox.record(new OutboxStore.Batch(List.of(Outbound.to(new Outbound.ToPerson(ANA),
        Outbound.Kind.BREACH_PING).text("Breach: ACME-1").build()), OptionalLong.empty(), List.of(), List.of(),
        Map.of(), clock.instant()));
    g.deliver(first);
    assertThat(outbox.pendingCount()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(5));
    g.deliver(outbox.due(10));
    assertThat(api.calls()).extracting(Call::method).containsExactly("chat.postMessage", "conversations.open",
        "conversations.history", "chat.postMessage");
    assertThat(g.foundAfterTimeout()).isZero();
    assertThat(outbox.pendingCount()).isZero();
    assertThat(api.applied("DU0ANA")).isEqualTo(1);
  }

  @Test
  void aChannelThatIsGoneSetsThePostAsideAtOnceTellsTriageAndAResendPostsIt() throws Exception {
    SlackChatGateway g = gateway(SlackChatGateway.UpdateLimits.TIER_3);
    ChatPlace triage = new ChatPlace("slack", "T1", "C0TRIAGE", "");
    Outbox outbox = new Outbox(new SqliteOutboxStore(db), clock, Backoff.DEFAULT, java.util.Optional.of(triage));
    api.failNextPosts(1, "channel_not_found");
    List<Delivery> first = outbox.record(new OutboxStore.Batch(List.of(notice(CHANNEL, "one"), notice(CHANNEL, "two")),
        OptionalLong.empty(), List.of(), List.of(), Map.of(), clock.instant()));
    g.deliver(first);
    assertThat(outbox.setAside()).singleElement().satisfies(s -> {
      assertThat(s.reason()).isEqualTo("channel_not_found");
      assertThat(s.attempts()).isEqualTo(1);
      assertThat(s.lane()).isEqualTo("slack/T1/C1");
    });

    clock.advance(Duration.ofSeconds(5));
    g.deliver(outbox.due(10));
    assertThat(api.calls()).extracting(SlackChatGatewayTest::described).containsExactly(
        "chat.postMessage C1 thread= one", "chat.postMessage C1 thread= two",
        "chat.postMessage C0TRIAGE thread= Outbox: message " + first.getFirst().id() + " (notice) to slack/T1/C1 was"
            + " set aside: channel_not_found. Fix the cause, then run `supportbot outbox resend --id "
            + first.getFirst().id() + "`.");

    assertThat(outbox.resend(List.of(first.getFirst().id()))).isEqualTo(1);
    g.deliver(outbox.due(10));
    assertThat(api.calls()).last().extracting(SlackChatGatewayTest::described)
        .isEqualTo("chat.postMessage C1 thread= one");
    assertThat(outbox.pendingCount()).isZero();
    assertThat(outbox.setAsideCount()).isZero();
  }

  @Test
  @org.junit.jupiter.api.Timeout(120) // a lane that blocks the caller would hang here instead of failing
  void aHungChannelDelaysNeitherAnotherChannelNorItsOwnEphemeralReplies() throws Exception {
    SlackChatGateway g = gateway(SlackChatGateway.UpdateLimits.TIER_3, UNPACED, Duration.ofSeconds(60),
        LaneWorkers.pooled("test", 4));
    Outbox outbox = new Outbox(new SqliteOutboxStore(db), clock, Backoff.DEFAULT);
    ChatPlace other = new ChatPlace("slack", "T1", "C2", "");
    api.hang("C1");
    List<Delivery> stuck = outbox.record(new OutboxStore.Batch(List.of(notice(CHANNEL, "stuck")), OptionalLong.empty(),
        List.of(), List.of(), Map.of(), clock.instant()));
    g.deliver(stuck);
    Await.until(() -> !api.calls("chat.postMessage").isEmpty(), "the post to C1 to be under way");

    List<Delivery> replies = outbox.record(new OutboxStore.Batch(List.of(
        Outbound.toPlace(CHANNEL, Outbound.Kind.REPLY).onlyFor(ANA).text("only for you").build(),
        notice(other, "elsewhere")), OptionalLong.empty(), List.of(), List.of(), Map.of(), clock.instant()));
    assertThat(replies).hasSize(2);
    g.deliver(replies);
    Await.until(() -> outbox.inFlight() == 1, "the other channel and the ephemeral reply");

    assertThat(stuck.getFirst().reported()).as("the C1 post is still hung").isFalse();
    assertThat(api.calls()).extracting(SlackChatGatewayTest::described).containsExactlyInAnyOrder(
        "chat.postMessage C1 thread= stuck", "chat.postEphemeral C1 thread= only for you",
        "chat.postMessage C2 thread= elsewhere");
    assertThat(outbox.pendingCount()).isEqualTo(1);

    api.release("C1");
    Await.until(() -> outbox.inFlight() == 0, "the hung post to end");
    assertThat(outbox.pendingCount()).isEqualTo(1); // HTTP 500: it stays for a retry
    g.close(Duration.ofSeconds(5));
  }

  @Test
  void failedCallsAreCountedAndDoNotStopTheBatch() throws Exception {
    SlackChatGateway g = gateway(SlackChatGateway.UpdateLimits.TIER_3);
    SlackChatGateway wrongToken = new SlackChatGateway(Slack.getInstance(configFor(api)).methods("xoxb-revoked"), "xoxb-revoked",
        new JdbcSlackMessageStore(db), new SlackRenderer(), clock, SlackChatGateway.UpdateLimits.TIER_3);
    wrongToken.send(List.of(Outbound.toPlace(CHANNEL, Outbound.Kind.NOTICE).text("one").build(),
        Outbound.toPlace(CHANNEL, Outbound.Kind.NOTICE).text("two").build()));

    assertThat(wrongToken.calls()).isEqualTo(2);
    assertThat(wrongToken.errors()).isEqualTo(2);
    assertThat(g.errors()).isZero();
  }

  @Test
  void aRefusedPostIsReportedFailedWithThePostsBehindItAndTheOutboxSendsThemAgainInOrder() throws Exception {
    SlackChatGateway g = gateway(SlackChatGateway.UpdateLimits.TIER_3);
    Outbox outbox = new Outbox(new SqliteOutboxStore(db), clock, Backoff.DEFAULT);
    ChatPlace other = new ChatPlace("slack", "T1", "C2", "");
    List<Delivery> first = outbox.record(new OutboxStore.Batch(List.of(notice(CHANNEL, "one"), notice(CHANNEL, "two"),
        notice(other, "elsewhere")), OptionalLong.empty(), List.of(), List.of(), Map.of(), clock.instant()));
    api.failNextPosts(1, "internal_error");
    g.deliver(first);

    assertThat(api.calls()).extracting(SlackChatGatewayTest::described).containsExactly(
        "chat.postMessage C1 thread= one", "chat.postMessage C2 thread= elsewhere");
    assertThat(first).allMatch(Delivery::reported);
    assertThat(outbox.pendingCount()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(5)); // Backoff.DEFAULT after one failure
    g.deliver(outbox.due(10));
    assertThat(api.calls()).extracting(SlackChatGatewayTest::described).containsExactly(
        "chat.postMessage C1 thread= one", "chat.postMessage C2 thread= elsewhere",
        "conversations.history C1 thread= ", // a message that failed before is looked for before it is posted again
        "chat.postMessage C1 thread= one", "chat.postMessage C1 thread= two");
    assertThat(outbox.pendingCount()).isZero();
  }

  private static Outbound notice(ChatPlace place, String text) {
    return Outbound.toPlace(place, Outbound.Kind.NOTICE).text(text).build();
  }

  private static String described(Call c) {
    return c.method() + " " + c.param("channel") + " thread=" + c.param("thread_ts") + " " + c.param("text");
  }

  @Test
  void postsToOneChannelArePacedToABurstOfThreeInThreeSecondsAndLeaveInOrder() throws Exception {
    SlackChatGateway g = gateway(SlackChatGateway.UpdateLimits.TIER_3, SlackChatGateway.PostLimits.CHAT_POST_MESSAGE);
    ChatPlace other = new ChatPlace("slack", "T1", "C2", "");
    g.send(List.of(notice(CHANNEL, "one"), notice(CHANNEL, "two"), notice(CHANNEL, "three"), notice(CHANNEL, "four"),
        notice(other, "elsewhere"), notice(CHANNEL, "five")));

    assertThat(api.calls()).extracting(SlackChatGatewayTest::described).containsExactly(
        "chat.postMessage C1 thread= one", "chat.postMessage C1 thread= two", "chat.postMessage C1 thread= three",
        "chat.postMessage C2 thread= elsewhere");
    assertThat(g.postsHeld()).isEqualTo(2);

    clock.advance(Duration.ofMillis(2_999));
    g.flushDue();
    assertThat(api.calls()).hasSize(4);

    clock.advance(Duration.ofMillis(1));
    g.flushDue();
    assertThat(api.calls()).extracting(SlackChatGatewayTest::described).endsWith(
        "chat.postMessage C1 thread= four", "chat.postMessage C1 thread= five");
    assertThat(api.calls()).hasSize(6);
    assertThat(g.postsHeld()).isZero();
    assertThat(g.postsDelayed()).isEqualTo(2);
    assertThat(g.postsRetried()).isZero();
    assertThat(api.tooManyRequests()).isZero();
  }

  @Test
  void aRateLimitedThreadRootIsHeldForRetryAfterAndItsThreadWaitsBehindIt() throws Exception {
    SlackChatGateway g = gateway(SlackChatGateway.UpdateLimits.TIER_3, SlackChatGateway.PostLimits.CHAT_POST_MESSAGE);
    ChatPlace triage = new ChatPlace("slack", "T1", "C0TRIAGE", "");
    api.rateLimitNext("chat.postMessage", 5);
    g.send(List.of(status("ACME-1", "ACME-1 v1"), notice(thread("ACME-1"), "filed"), notice(triage, "new case")));

    assertThat(api.calls()).extracting(SlackChatGatewayTest::described).containsExactly(
        "chat.postMessage C1 thread= ACME-1 v1", "chat.postMessage C0TRIAGE thread= new case");
    assertThat(api.wasLimited(api.calls().get(0))).isTrue();
    assertThat(g.rateLimited()).isEqualTo(1);
    assertThat(g.postsHeld()).isEqualTo(2);
    assertThat(g.errors()).isZero();

    clock.advance(Duration.ofSeconds(1));
    g.send(List.of(status("ACME-1", "ACME-1 v2"))); // not posted yet: the waiting root takes the newer content
    clock.advance(Duration.ofMillis(3_999));
    g.flushDue();
    assertThat(api.calls()).hasSize(2);

    clock.advance(Duration.ofMillis(1)); // Retry-After: 5 s after the refusal
    g.flushDue();
    assertThat(api.calls()).extracting(SlackChatGatewayTest::described).containsExactly(
        "chat.postMessage C1 thread= ACME-1 v1", "chat.postMessage C0TRIAGE thread= new case",
        "chat.postMessage C1 thread= ACME-1 v2", "chat.postMessage C1 thread=1764000000.000002 filed");
    assertThat(g.postsHeld()).isZero();
    assertThat(g.postsRetried()).isEqualTo(1);
    assertThat(g.postsDelayed()).isEqualTo(1);
    assertThat(g.coalesced()).isEqualTo(1);

    g.send(List.of(status("ACME-1", "ACME-1 v3")));
    assertThat(api.calls()).last().extracting(SlackChatGatewayTest::described)
        .isEqualTo("chat.update C1 thread= ACME-1 v3");
    assertThat(api.calls("chat.postMessage")).hasSize(4);
  }

  @Test
  void aRateLimitedEphemeralReplyIsSentOnceAndHoldsNoChannelPost() throws Exception {
    SlackChatGateway g = gateway(SlackChatGateway.UpdateLimits.TIER_3, SlackChatGateway.PostLimits.CHAT_POST_MESSAGE);
    api.rateLimitNext("chat.postEphemeral", 2);
    g.send(List.of(Outbound.toPlace(CHANNEL, Outbound.Kind.REPLY).onlyFor(ANA).text("only for you").build(),
        notice(CHANNEL, "for everyone")));
    assertThat(api.calls()).extracting(SlackChatGatewayTest::described).containsExactly(
        "chat.postEphemeral C1 thread= only for you", "chat.postMessage C1 thread= for everyone");

    clock.advance(Duration.ofMillis(1_999));
    g.flushDue();
    assertThat(api.calls()).hasSize(2);
    clock.advance(Duration.ofMillis(1));
    g.flushDue();
    assertThat(api.calls()).extracting(SlackChatGatewayTest::described).containsExactly(
        "chat.postEphemeral C1 thread= only for you", "chat.postMessage C1 thread= for everyone",
        "chat.postEphemeral C1 thread= only for you");
    assertThat(api.calls("chat.postEphemeral")).extracting(c -> c.param("user")).containsOnly("U0ANA");
    assertThat(g.postsRetried()).isEqualTo(1);
    assertThat(g.postsHeld()).isZero();
  }

  @Test
  void postLimitsRefuseNonsense() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SlackChatGateway.PostLimits(0, Duration.ofSeconds(1)))
        .hasMessage("chat.postMessage calls per window must be at least 1, got 0");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SlackChatGateway.PostLimits(3, Duration.ZERO))
        .hasMessage("the chat.postMessage window must be positive, got PT0S");
  }

  private static SlackConfig configFor(RecordingSlackApi api) {
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(api.prefix());
    return config;
  }
}
