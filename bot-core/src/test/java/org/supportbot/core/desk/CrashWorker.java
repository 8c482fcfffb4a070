package org.supportbot.core.desk;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.Actor;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.MessageRef;
import org.supportbot.core.incident.Origin;
import org.supportbot.core.testing.DeskFixture;
import org.supportbot.core.timer.TimerScheduler;

/**
 * The process {@link CrashRecoveryTest} kills: files incidents, acknowledges some, and fires due
 * timers in a loop against one SQLite file, printing {@code ACK key number} after each command
 * returns. Simulated time runs at {@code speed} simulated milliseconds per real millisecond from
 * {@code start}.
 *
 * <p>Arguments: database file, first command index, start instant, speed.
 */
public final class CrashWorker {
  private CrashWorker() {}

  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    int index = Integer.parseInt(args[1]);
    Instant start = Instant.parse(args[2]);
    long speed = Long.parseLong(args[3]);
    PrintStream out = System.out;
    long t0 = System.nanoTime();
    try (DeskFixture f = new DeskFixture(file, start)) {
      Organization org = f.organization("ACME", "atomrock");
      TimerScheduler scheduler = new TimerScheduler(f.desk, f.clock, Duration.ofSeconds(1), 500);
      out.println("READY");
      out.flush();
      while (true) {
        f.clock.set(start.plusMillis((System.nanoTime() - t0) / 1_000_000 * speed));
        String key = "file-" + index;
        Origin o = new Origin(key, Actor.customer(f.reporter), f.clock.instant(),
            Optional.of(new MessageRef("slack", "C-support", "m-" + index)));
        IncidentOutcome filed = f.desk.handle(new IncidentCommand.File(o, org.id(), f.place, "S1", "defect", "Edge",
            "2.1.0", "case " + index, f.fileCommand(org, "S1", "defect").fields()));
        out.println("ACK " + key + " " + ((IncidentOutcome.Filed) filed).incident());
        if (index % 3 == 0) {
          // a replayed command must name the same case: pick it from the index, not from the random stream
          IncidentNumber n = new IncidentNumber("ACME", 1 + Math.floorMod(index * 7919, ((IncidentOutcome.Filed) filed)
              .incident().seq()));
          String ackKey = "ack-" + index;
          IncidentOutcome ack = f.desk.handle(new IncidentCommand.Acknowledge(new Origin(ackKey,
              Actor.engineer(f.engineer), f.clock.instant(), Optional.empty()), n, "on it"));
          out.println("ACK " + ackKey + " " + n + " " + ack.getClass().getSimpleName());
        }
        scheduler.runDue();
        out.flush();
        index++;
      }
    }
  }
}
