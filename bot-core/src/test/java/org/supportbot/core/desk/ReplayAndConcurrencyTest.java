package org.supportbot.core.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.config.policy.ResolutionType;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.Actor;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.Origin;
import org.supportbot.core.testing.DeskFixture;

/** Replays (Slack retries) have no second effect; concurrent claims have one winner. */
class ReplayAndConcurrencyTest {
  static final Instant T0 = Instant.parse("2026-11-23T14:00:00Z");

  @TempDir
  Path dir;

  @Test
  void aReplayedFilingReturnsTheFirstOutcomeAndFilesNothingNew() {
    try (DeskFixture f = new DeskFixture(dir.resolve("r.db"), T0)) {
      Organization org = f.organization("ACME", "atomrock");
      IncidentCommand.File file = f.fileCommand(org, "S2", "defect");
      IncidentOutcome first = f.desk.handle(file);
      for (int i = 0; i < 3; i++) {
        assertThat(f.desk.handle(file)).isEqualTo(first);
      }
      assertThat(f.desk.openFor(org.id())).hasSize(1);
      assertThat(f.desk.log(new IncidentNumber("ACME", 1))).hasSize(1);
    }
  }

  @Test
  void aReplayedRefusalStaysTheSameRefusalAndAReplayAfterRestartToo() {
    Path file = dir.resolve("r2.db");
    IncidentCommand.Resolve resolve;
    IncidentOutcome refused;
    IncidentCommand.RequestInfo ask;
    try (DeskFixture f = new DeskFixture(file, T0)) {
      IncidentNumber n = f.file(f.organization("ACME", "atomrock"), "S2", "defect");
      resolve = new IncidentCommand.Resolve(f.vendor(), n, ResolutionType.THIRD_PARTY, "theirs");
      refused = f.desk.handle(resolve);
      assertThat(refused).isInstanceOf(IncidentOutcome.Rejected.class);
      ask = new IncidentCommand.RequestInfo(f.vendor(), n, "version?");
      assertThat(f.desk.handle(ask)).isEqualTo(new IncidentOutcome.Changed(n,
          org.supportbot.core.incident.IncidentState.WAITING_ON_CUSTOMER, 2));
    }
    try (DeskFixture f = new DeskFixture(file, T0)) {
      assertThat(f.desk.handle(resolve)).isEqualTo(refused);
      assertThat(f.desk.handle(ask)).isEqualTo(new IncidentOutcome.Changed(new IncidentNumber("ACME", 1),
          org.supportbot.core.incident.IncidentState.WAITING_ON_CUSTOMER, 2));
      assertThat(f.desk.log(new IncidentNumber("ACME", 1))).hasSize(2);
    }
  }

  @Test
  void concurrentClaimsHaveExactlyOneWinnerAndTheOthersAreToldWhoHoldsIt() throws Exception {
    try (DeskFixture f = new DeskFixture(dir.resolve("c.db"), T0)) {
      IncidentNumber n = f.file(f.organization("ACME", "atomrock"), "S1", "defect");
      int threads = 8;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<IncidentOutcome>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Identity who = new Identity("discord", "G1", "eng-" + i);
        Origin o = new Origin("interaction-" + i, Actor.engineer(who), T0, java.util.Optional.empty());
        results.add(pool.submit(() -> {
          start.await();
          return f.desk.handle(new IncidentCommand.Claim(o, n));
        }));
      }
      start.countDown();
      List<IncidentOutcome> outcomes = new ArrayList<>();
      for (Future<IncidentOutcome> r : results) {
        outcomes.add(r.get());
      }
      pool.shutdown();
      List<IncidentOutcome.Claimed> won = outcomes.stream().filter(IncidentOutcome.Claimed.class::isInstance)
          .map(IncidentOutcome.Claimed.class::cast).toList();
      assertThat(won).hasSize(1);
      Identity holder = won.getFirst().engineer();
      assertThat(outcomes).filteredOn(IncidentOutcome.HeldBy.class::isInstance).hasSize(threads - 1)
          .allSatisfy(o -> {
            assertThat(((IncidentOutcome.HeldBy) o).holder()).isEqualTo(holder);
            assertThat(((IncidentOutcome.HeldBy) o).message()).isEqualTo("ACME-1 is already held by " + holder
                + "; ask them to hand it over or a manager to assign it");
          });
      assertThat(f.desk.incident(n).orElseThrow().claimedBy()).contains(holder);
      assertThat(f.desk.log(n)).filteredOn(org.supportbot.core.incident.IncidentEvent.Claimed.class::isInstance).hasSize(1);
    }
  }

  @Test
  void concurrentFilingsAreGroupCommittedWithDistinctNumbersAndAllStored() throws Exception {
    try (DeskFixture f = new DeskFixture(dir.resolve("g.db"), T0)) {
      Organization org = f.organization("ACME", "atomrock");
      int threads = 6;
      int each = 40;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<List<IncidentOutcome>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          List<IncidentOutcome> mine = new ArrayList<>();
          for (int i = 0; i < each; i++) {
            mine.add(f.desk.handle(f.fileCommand(org, "S2", "defect")));
          }
          return mine;
        }));
      }
      java.util.Set<IncidentNumber> numbers = new java.util.HashSet<>();
      for (Future<List<IncidentOutcome>> r : results) {
        for (IncidentOutcome o : r.get()) {
          numbers.add(((IncidentOutcome.Filed) o).incident());
        }
      }
      pool.shutdown();
      assertThat(numbers).hasSize(threads * each);
      assertThat(numbers).allMatch(n -> n.seq() >= 1 && n.seq() <= threads * each);
      assertThat(f.desk.openFor(org.id())).hasSize(threads * each);
      assertThat(f.timers.pending()).isEqualTo(4L * threads * each);
    }
  }
}
