package org.supportbot.app.discord;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.app.platform.DeskLink;
import org.supportbot.app.platform.OutboundRouter;
import org.supportbot.app.platform.PlatformMetrics;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.outbox.Delivery;
import org.supportbot.core.outbox.OutboxStore;
import org.supportbot.core.testing.Await;

/**
 * The outbound path through the real JDA against {@link FakeDiscord}, on a real SQLite outbox: the
 * nonce makes a create whose answer was lost appear once, a channel Discord refuses for good is set
 * aside at once with triage told and comes back on resend, and a hung channel holds up no other.
 */
class DiscordDeliveryTest {
  @TempDir Path dir;
  private FakeDiscord fake;
  private DeskFixture world;
  private DiscordAdapter adapter;
  private final OutboundRouter router = new OutboundRouter();

  @BeforeEach
  void start() throws Exception {
    fake = new FakeDiscord();
    world = new DeskFixture(dir);
    adapter = DiscordAdapter.start(FakeDiscord.TOKEN, world.desk, world.refs, world.clock, DeskFixture.local(fake, false),
        new DeskLink(PlatformMetrics.NONE, router, false));
  }

  @AfterEach
  void stop() throws Exception {
    adapter.close();
    fake.close();
    world.close();
  }

  private List<Delivery> record(String channel, String... texts) {
    List<Outbound> out = java.util.Arrays.stream(texts)
        .map(t -> Outbound.toPlace(DeskFixture.place(channel), Outbound.Kind.NOTICE).text(t).build()).toList();
    return world.outbox.record(new OutboxStore.Batch(out, OptionalLong.empty(), List.of(), List.of(), Map.of(),
        world.clock.instant()));
  }

  private List<FakeDiscord.Call> creates(String channel) {
    return fake.calls().stream().filter(c -> c.is("POST", "channels/" + channel + "/messages")).toList();
  }

  @Test
  void aCreateWhoseAnswerWasLostIsNotMadeTwiceWhenTheOutboxSendsItAgain() throws Exception {
    fake.applyThenFail(FakeDiscord.ESCALATIONS, 1_000); // made the first time, then every answer lost
    List<Delivery> first = record(FakeDiscord.ESCALATIONS, "S1 escalation");
    router.route(first);
    Await.until(() -> world.outbox.inFlight() == 0, "JDA to give up on the create and the outbox to know");
    assertThat(world.outbox.pendingCount()).isEqualTo(1);
    assertThat(fake.messagesIn(FakeDiscord.ESCALATIONS)).hasSize(1);

    fake.applyThenFail(FakeDiscord.ESCALATIONS, 0);
    world.clock.advance(Duration.ofSeconds(5)); // Backoff.DEFAULT after one failure
    List<Delivery> again = world.outbox.due(10);
    assertThat(again).extracting(Delivery::id).containsExactly(first.getFirst().id());
    router.route(again);
    Await.until(() -> world.outbox.inFlight() == 0, "the create to be sent again");

    assertThat(world.outbox.pendingCount()).isZero();
    assertThat(fake.messagesIn(FakeDiscord.ESCALATIONS)).hasSize(1);
    assertThat(creates(FakeDiscord.ESCALATIONS)).hasSizeGreaterThanOrEqualTo(2).allSatisfy(c -> {
      assertThat(c.body().path("nonce").asText()).isEqualTo("sb" + first.getFirst().id());
      assertThat(c.body().path("enforce_nonce").asBoolean()).isTrue();
    });
  }

  @Test
  void aChannelDiscordRefusesIsSetAsideAtOnceTriageIsToldAndResendPostsIt() throws Exception {
    fake.refuse(FakeDiscord.ESCALATIONS, 10003);
    List<Delivery> first = record(FakeDiscord.ESCALATIONS, "S1 escalation");
    router.route(first);
    Await.until(() -> world.outbox.inFlight() == 0, "the refusal");
    assertThat(world.outbox.setAside()).singleElement().satisfies(s -> {
      assertThat(s.reason()).isEqualTo("discord error 10003");
      assertThat(s.attempts()).isEqualTo(1);
    });
    assertThat(creates(FakeDiscord.ESCALATIONS)).hasSize(1); // JDA does not retry it either

    List<Delivery> notice = world.outbox.due(10);
    router.route(notice);
    Await.until(() -> world.outbox.inFlight() == 0, "the triage notice");
    List<JsonNode> told = fake.messagesIn(FakeDiscord.TRIAGE);
    assertThat(told).singleElement().satisfies(m -> assertThat(m.toString())
        .contains("set aside: discord error 10003").doesNotContain("S1 escalation"));

    fake.accept(FakeDiscord.ESCALATIONS);
    assertThat(world.outbox.resend(List.of(first.getFirst().id()))).isEqualTo(1);
    List<Delivery> resent = world.outbox.due(10);
    router.route(resent);
    Await.until(() -> world.outbox.inFlight() == 0, "the resent message");
    assertThat(fake.messagesIn(FakeDiscord.ESCALATIONS)).hasSize(1);
    assertThat(world.outbox.pendingCount()).isZero();
  }

  @Test
  void aHungChannelHoldsUpNoOtherChannel() throws Exception {
    fake.hang(FakeDiscord.TRIAGE);
    List<Delivery> stuck = record(FakeDiscord.TRIAGE, "new case");
    router.route(stuck);
    Await.until(() -> !creates(FakeDiscord.TRIAGE).isEmpty(), "the create in triage to be under way");

    List<Delivery> other = record(FakeDiscord.ESCALATIONS, "S1 escalation");
    router.route(other);
    Await.until(() -> world.outbox.inFlight() == 1, "the escalation");
    assertThat(stuck.getFirst().reported()).as("the triage create is still hung").isFalse();
    assertThat(fake.messagesIn(FakeDiscord.ESCALATIONS)).hasSize(1);

    fake.release(FakeDiscord.TRIAGE);
    Await.until(() -> world.outbox.inFlight() == 0, "the hung create to finish");
  }
}
