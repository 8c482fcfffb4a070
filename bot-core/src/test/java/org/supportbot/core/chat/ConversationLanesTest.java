package org.supportbot.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Lanes keep each lane's order and let a blocked lane hold only itself. Waits only stop a hung test. */
class ConversationLanesTest {

  @Test
  void eachLaneRunsItsTasksOneAtATimeInTheOrderGiven() throws Exception {
    Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
    Map<String, Integer> running = new ConcurrentHashMap<>();
    List<String> overlaps = Collections.synchronizedList(new ArrayList<>());
    try (ConversationLanes lanes = new ConversationLanes(4, "test")) {
      for (int i = 0; i < 2_000; i++) {
        String lane = "lane-" + (i % 7);
        int n = i;
        lanes.execute(lane, () -> {
          if (running.merge(lane, 1, Integer::sum) > 1) {
            overlaps.add(lane);
          }
          seen.computeIfAbsent(lane, k -> Collections.synchronizedList(new ArrayList<>())).add(n);
          running.merge(lane, -1, Integer::sum);
        });
      }
      assertThat(lanes.awaitIdle(Duration.ofSeconds(60))).isTrue();
    }
    assertThat(overlaps).isEmpty();
    assertThat(seen).hasSize(7);
    seen.values().forEach(list -> assertThat(list).isSorted().hasSize(2_000 / 7 + (list.get(0) < 2_000 % 7 ? 1 : 0)));
  }

  @Test
  void aBlockedLaneDelaysNoOtherLane() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch other = new CountDownLatch(1);
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    try (ConversationLanes lanes = new ConversationLanes(2, "test")) {
      lanes.execute("slow", () -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        order.add("slow");
      });
      lanes.execute("slow", () -> order.add("behind slow"));
      lanes.execute("fast", () -> {
        order.add("fast");
        other.countDown();
      });
      assertThat(other.await(60, TimeUnit.SECONDS)).as("the other lane ran while the slow one waited").isTrue();
      assertThat(order).containsExactly("fast");
      release.countDown();
      assertThat(lanes.awaitIdle(Duration.ofSeconds(60))).isTrue();
    }
    assertThat(order).containsExactly("fast", "slow", "behind slow");
  }

  @Test
  void aBusyLaneTakesTurnsWithTheOthersInsteadOfHoldingTheThread() throws Exception {
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    try (ConversationLanes lanes = new ConversationLanes(1, "test")) {
      lanes.execute("gate", () -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      for (int i = 0; i < 100; i++) {
        lanes.execute("busy", () -> order.add("busy"));
      }
      lanes.execute("quiet", () -> order.add("quiet"));
      start.countDown();
      assertThat(lanes.awaitIdle(Duration.ofSeconds(60))).isTrue();
    }
    // one thread: the busy lane's first task, then the quiet lane's turn, then the rest of the busy lane
    assertThat(order.indexOf("quiet")).isEqualTo(1);
    assertThat(order).hasSize(101);
  }

  @Test
  void aFailingTaskDoesNotStopItsLaneAndClosedLanesRefuseWork() throws Exception {
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    ConversationLanes lanes = new ConversationLanes(1, "test");
    lanes.execute("a", () -> {
      throw new IllegalStateException("boom");
    });
    lanes.execute("a", () -> order.add("after the failure"));
    assertThat(lanes.awaitIdle(Duration.ofSeconds(60))).isTrue();
    lanes.close(Duration.ofSeconds(60));
    assertThat(order).containsExactly("after the failure");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> lanes.execute("a", () -> { }))
        .isInstanceOf(RejectedExecutionException.class);
  }
}
