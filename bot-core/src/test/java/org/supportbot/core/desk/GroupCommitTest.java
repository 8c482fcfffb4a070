package org.supportbot.core.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.TimerPlan;
import org.supportbot.core.testing.DeskFixture;

/** A command that fails while being decided is left out of its group; the others commit. */
class GroupCommitTest {
  static final Instant T0 = Instant.parse("2026-11-23T14:00:00Z");

  @TempDir
  Path dir;

  @Test
  void aFailingCommandDoesNotTakeItsGroupDown() throws Exception {
    try (DeskFixture f = new DeskFixture(dir.resolve("g.db"), T0)) {
      Organization good = f.organization("ACME", "atomrock");
      Organization bad = f.organization(Organization.of("beta", "BETA", "Beta", "atheer"));
      // a desk whose policy source breaks for atheer, e.g. a policy file that became unreadable
      IncidentDesk desk = new IncidentDesk(f.store, f.timers, f.directory, id -> {
        if (id.equals("atheer")) {
          throw new IllegalStateException("policies/atheer.yaml is unreadable");
        }
        return DeskFixture.catalog().get(id);
      }, new TimerPlan(List.of(50)), f.clock, events -> { });
      assertThatThrownBy(() -> desk.handle(f.fileCommand(bad, "P2", "incident")))
          .hasMessage("policies/atheer.yaml is unreadable");

      ExecutorService pool = Executors.newFixedThreadPool(6);
      List<Future<Optional<IncidentOutcome>>> results = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        Organization org = i % 3 == 0 ? bad : good;
        var command = f.fileCommand(org, org == bad ? "P2" : "S2", org == bad ? "incident" : "defect");
        results.add(pool.submit(() -> {
          try {
            return Optional.of(desk.handle(command));
          } catch (IllegalStateException e) {
            return Optional.empty();
          }
        }));
      }
      int failed = 0;
      List<IncidentOutcome> filed = new ArrayList<>();
      for (Future<Optional<IncidentOutcome>> r : results) {
        Optional<IncidentOutcome> o = r.get();
        if (o.isEmpty()) {
          failed++;
        } else {
          filed.add(o.get());
        }
      }
      pool.shutdown();
      assertThat(failed).isEqualTo(40);
      assertThat(filed).hasSize(80).allMatch(o -> o instanceof IncidentOutcome.Filed);
      assertThat(f.desk.openFor(good.id())).hasSize(80);
      assertThat(f.desk.openFor(bad.id())).isEmpty();
      assertThat(f.store.lastNumber("ACME")).isEqualTo(80);
      assertThat(f.store.lastNumber("BETA")).isZero();
    }
  }
}
