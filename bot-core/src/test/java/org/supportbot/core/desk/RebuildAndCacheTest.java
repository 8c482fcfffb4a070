package org.supportbot.core.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.config.policy.ResolutionType;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.Incident;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.incident.IncidentState;
import org.supportbot.core.testing.DeskFixture;

/** The stored state always equals the fold of the stored log, and cached reads are never stale. */
class RebuildAndCacheTest {
  static final Instant T0 = Instant.parse("2026-11-23T14:00:00Z");

  @TempDir
  Path dir;

  @Test
  void stateRebuiltFromTheLogEqualsTheStoredStateAfterRandomWork() {
    Random random = new Random(20261123L);
    Path file = dir.resolve("rebuild.db");
    List<IncidentNumber> numbers = new ArrayList<>();
    try (DeskFixture f = new DeskFixture(file, T0)) {
      Organization org = f.organization("ACME", "alectrona");
      for (int i = 0; i < 12; i++) {
        numbers.add(f.file(org, List.of("urgent", "high", "medium", "low").get(random.nextInt(4)), "incident"));
      }
      for (int step = 0; step < 300; step++) {
        f.clock.advance(Duration.ofMinutes(random.nextInt(240)));
        IncidentNumber n = numbers.get(random.nextInt(numbers.size()));
        IncidentCommand c = switch (random.nextInt(10)) {
          case 0 -> new IncidentCommand.Acknowledge(f.vendor(), n, "ack");
          case 1 -> new IncidentCommand.Claim(f.vendor(), n);
          case 2 -> new IncidentCommand.RequestInfo(f.vendor(), n, "info?");
          case 3 -> new IncidentCommand.CustomerReply(f.customer(), n, "here");
          case 4 -> new IncidentCommand.PublicUpdate(f.vendor(), n, "update");
          case 5 -> new IncidentCommand.ChangeSeverity(f.vendor(), n, List.of("urgent", "high", "medium", "low")
              .get(random.nextInt(4)), "re-rated");
          case 6 -> new IncidentCommand.Resolve(f.vendor(), n, ResolutionType.WORKAROUND, "done");
          case 7 -> new IncidentCommand.Reopen(f.customer(), n, "again");
          case 8 -> new IncidentCommand.Close(f.vendor(), n, "closed");
          default -> new IncidentCommand.Split(f.vendor(), n, List.of("part"));
        };
        f.desk.handle(c);
        f.desk.fireDue(f.clock.instant(), 1000);
      }
      numbers.clear();
      numbers.addAll(f.desk.queue(1000).stream().map(IncidentSnapshot::number).toList());
      for (int i = 1; i <= f.store.lastNumber("ACME"); i++) {
        IncidentNumber n = new IncidentNumber("ACME", i);
        Incident rebuilt = f.desk.rebuild(n).orElseThrow();
        assertThat(rebuilt.snapshot()).as("%s", n).isEqualTo(f.desk.incident(n).orElseThrow());
        assertThat(f.desk.plannedTimers(rebuilt)).as("timers of %s", n)
            .allSatisfy(t -> assertThat(TimerRows.all(f.db, n)).anySatisfy(r -> {
              assertThat(r.kind()).isEqualTo(t.kind());
              assertThat(r.version()).isEqualTo(t.version());
            }));
      }
      assertThat(f.store.lastNumber("ACME")).isGreaterThan(12);
    }
  }

  @Test
  void aCachedReadNeverReturnsAStaleIncident() throws Exception {
    try (DeskFixture f = new DeskFixture(dir.resolve("cache.db"), T0)) {
      IncidentNumber n = f.file(f.organization("ACME", "atomrock"), "S2", "defect");
      AtomicLong committed = new AtomicLong(1);
      AtomicBoolean done = new AtomicBoolean();
      AtomicReference<String> stale = new AtomicReference<>();
      List<Thread> readers = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        readers.add(Thread.ofPlatform().start(() -> {
          while (!done.get() && stale.get() == null) {
            long atLeast = committed.get();
            IncidentSnapshot s = f.desk.incident(n).orElseThrow();
            List<IncidentSnapshot> here = f.desk.openAt(f.place);
            if (s.eventCount() < atLeast) {
              stale.set("by number: version " + s.eventCount() + " after commit " + atLeast);
            }
            long placeVersion = here.isEmpty() ? Long.MAX_VALUE : here.getFirst().eventCount();
            if (placeVersion < atLeast) {
              stale.set("by place: version " + placeVersion + " after commit " + atLeast);
            }
          }
        }));
      }
      for (int i = 0; i < 150; i++) {
        IncidentCommand c = i % 2 == 0 ? new IncidentCommand.RequestInfo(f.vendor(), n, "q" + i)
            : new IncidentCommand.CustomerReply(f.customer(), n, "a" + i);
        f.desk.handle(c);
        committed.set(f.desk.log(n).size());
      }
      done.set(true);
      for (Thread t : readers) {
        t.join();
      }
      assertThat(stale.get()).isNull();
      assertThat(f.desk.incident(n).orElseThrow().eventCount()).isEqualTo(151);
      f.desk.handle(new IncidentCommand.Drop(f.vendor(), n, "gone"));
      assertThat(f.desk.incident(n).orElseThrow().state()).isEqualTo(IncidentState.DROPPED);
      assertThat(f.desk.openAt(f.place)).isEmpty();
    }
  }
}
