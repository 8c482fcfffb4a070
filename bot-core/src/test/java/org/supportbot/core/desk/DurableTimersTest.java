package org.supportbot.core.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.supportbot.core.testing.Await;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.incident.CountdownDue;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.TimerPlan;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.store.ChangeSet;
import org.supportbot.core.testing.DeskFixture;
import org.supportbot.core.timer.Timer;
import org.supportbot.core.timer.TimerScheduler;

/** Timers fire at their exact instant, never early, once, and after a restart when overdue. */
class DurableTimersTest {
  static final Instant T0 = Instant.parse("2026-11-23T14:00:00Z");

  @TempDir
  Path dir;

  @Test
  void warningsAndBreachFireAtTheirExactInstantsAndNeverEarly() {
    try (DeskFixture f = new DeskFixture(dir.resolve("t.db"), T0)) {
      // Atomrock S1: 4 hours on a 24/7 calendar; warnings at 50, 75 and 90 %
      IncidentNumber n = f.file(f.organization("ACME", "atomrock"), "S1", "defect");
      assertThat(TimerRows.unfired(f.db, n)).extracting(TimerRows.Row::kind, TimerRows.Row::due).containsExactly(
          org.assertj.core.groups.Tuple.tuple("sla-warning:first_response:50", T0.plus(Duration.ofHours(2))),
          org.assertj.core.groups.Tuple.tuple("sla-warning:first_response:75", T0.plus(Duration.ofHours(3))),
          org.assertj.core.groups.Tuple.tuple("sla-warning:first_response:90", T0.plus(Duration.ofMinutes(216))),
          org.assertj.core.groups.Tuple.tuple("sla-breach:first_response", T0.plus(Duration.ofHours(4))));
      TimerScheduler scheduler = new TimerScheduler(f.desk, f.clock, Duration.ofSeconds(1), 50);
      List<Instant> firings = new ArrayList<>();
      for (Duration at : List.of(Duration.ofHours(2), Duration.ofHours(3), Duration.ofMinutes(216), Duration.ofHours(4))) {
        f.clock.set(T0.plus(at).minusMillis(1));
        assertThat(scheduler.runDue()).isZero();
        f.clock.set(T0.plus(at));
        assertThat(scheduler.runDue()).isEqualTo(1);
        firings.add(f.desk.log(n).getLast().origin().at());
      }
      assertThat(firings).containsExactly(T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(3)),
          T0.plus(Duration.ofMinutes(216)), T0.plus(Duration.ofHours(4)));
      assertThat(f.desk.log(n)).filteredOn(e -> e instanceof IncidentEvent.SlaWarningIssued)
          .extracting(e -> ((IncidentEvent.SlaWarningIssued) e).percent()).containsExactly(50, 75, 90);
      assertThat(f.desk.log(n).getLast()).isInstanceOf(IncidentEvent.SlaBreached.class);
      assertThat(f.desk.incident(n).orElseThrow().clocks().get("first_response").breachedAt())
          .contains(T0.plus(Duration.ofHours(4)));
      assertThat(scheduler.runDue()).as("fired timers stay fired").isZero();
    }
  }

  @Test
  void overdueTimersFireOnceRightAfterARestart() {
    Path file = dir.resolve("restart.db");
    IncidentNumber n;
    try (DeskFixture f = new DeskFixture(file, T0)) {
      n = f.file(f.organization("ACME", "atomrock"), "S1", "defect");
    }
    // the bot was down for a day; on restart everything overdue fires at once, each once
    try (DeskFixture f = new DeskFixture(file, T0.plus(Duration.ofDays(1)))) {
      assertThat(f.timers.nextDue()).contains(T0.plus(Duration.ofHours(2)));
      TimerScheduler scheduler = new TimerScheduler(f.desk, f.clock, Duration.ofSeconds(1), 2);
      assertThat(scheduler.runDue()).isEqualTo(4);
      assertThat(scheduler.runDue()).isZero();
      assertThat(f.desk.log(n)).filteredOn(e -> e instanceof IncidentEvent.SlaBreached).hasSize(1);
      assertThat(f.desk.log(n)).filteredOn(e -> e instanceof IncidentEvent.SlaWarningIssued).hasSize(3);
      assertThat(f.timers.pending()).isZero();
    }
  }

  @Test
  void timerCountsAndLatenessAfterADowntime() {
    Path file = dir.resolve("late.db");
    try (DeskFixture f = new DeskFixture(file, T0)) {
      f.file(f.organization("ACME", "atomrock"), "S1", "defect");
      assertThat(f.desk.timerCounts(T0)).isEqualTo(new IncidentDesk.TimerCounts(4, 0, 0));
    }
    // down from T0 until 2 h 30 m: the 50 % warning (due at 2 h) is 30 minutes late when the bot starts again
    Instant restart = T0.plus(Duration.ofMinutes(150));
    try (DeskFixture f = new DeskFixture(file, restart)) {
      assertThat(f.desk.timerCounts(restart.minus(Duration.ofMinutes(1))))
          .isEqualTo(new IncidentDesk.TimerCounts(4, 1, 0));
      assertThat(f.desk.fireDue(restart, 10)).isEqualTo(1);
      assertThat(f.fired).extracting(DeskFixture.Fired::at).containsExactly(restart);
      assertThat(Duration.between(f.fired.getFirst().timer().dueAt(), f.fired.getFirst().at()))
          .isEqualTo(Duration.ofMinutes(30));
      assertThat(f.fired.getFirst().timer().kind()).isEqualTo("sla-warning:first_response:50");
      assertThat(f.desk.timerCounts(restart)).isEqualTo(new IncidentDesk.TimerCounts(3, 0, 0));
      assertThat(f.desk.fireDue(restart, 10)).as("fired once").isZero();
    }
  }

  @Test
  void aTimerCannotBeAppliedTwiceEvenIfItIsDeliveredTwice() {
    try (DeskFixture f = new DeskFixture(dir.resolve("twice.db"), T0)) {
      IncidentNumber n = f.file(f.organization("ACME", "atomrock"), "S1", "defect");
      f.clock.set(T0.plus(Duration.ofHours(2)));
      Timer warning = f.timers.due(f.clock.instant(), 10).getFirst();
      assertThat(f.desk.fireDue(f.clock.instant(), 10)).isEqualTo(1);
      long events = f.desk.incident(n).orElseThrow().eventCount();
      // a second delivery of the same firing (e.g. a retry after a lost acknowledgement) is rolled back
      ChangeSet again = new ChangeSet(List.of(new ChangeSet.Appended(n, events + 1,
          new IncidentEvent.SlaWarningIssued(f.vendor(), n, "first_response", 50, T0.plus(Duration.ofHours(4))))),
          List.of(), Map.of(), List.of(warning), Map.of(), f.clock.instant());
      assertThatThrownBy(() -> f.store.commit(again)).hasMessageContaining("was already fired or cancelled");
      assertThat(f.desk.log(n)).hasSize((int) events);
    }
  }

  @Test
  void timersMoveWithPauseAndAreCancelledWhenTheCaseResolves() {
    try (DeskFixture f = new DeskFixture(dir.resolve("move.db"), T0)) {
      IncidentNumber n = f.file(f.organization("ACME", "alectrona"), "urgent", "incident");
      f.desk.handle(new IncidentCommand.PublicUpdate(f.vendor(), n, "looking"));
      assertThat(TimerRows.unfired(f.db, n)).extracting(TimerRows.Row::kind).contains("sla-breach:update");
      f.desk.handle(new IncidentCommand.RequestInfo(f.vendor(), n, "log?"));
      assertThat(TimerRows.unfired(f.db, n)).noneMatch(r -> r.kind().startsWith("sla-"));
      f.clock.advance(Duration.ofMinutes(30));
      f.desk.handle(new IncidentCommand.CustomerReply(f.customer(), n, "log"));
      assertThat(TimerRows.unfired(f.db, n)).filteredOn(r -> r.kind().equals("sla-breach:update"))
          .extracting(TimerRows.Row::due).containsExactly(Instant.parse("2026-11-23T18:30:00Z"));
      f.desk.handle(new IncidentCommand.Resolve(f.vendor(), n, org.supportbot.config.policy.ResolutionType.WORKAROUND, "ok"));
      assertThat(TimerRows.unfired(f.db, n)).extracting(TimerRows.Row::kind)
          .containsExactlyInAnyOrder("close-warning", "quiet-close");
    }
  }

  @Test
  void theBackgroundSchedulerWakesForTheNextTimerAndNotBefore() throws Exception {
    try (DeskFixture f = new DeskFixture(dir.resolve("thread.db"), T0)) {
      IncidentNumber n = f.file(f.organization("ACME", "atomrock"), "S1", "defect");
      try (TimerScheduler scheduler = new TimerScheduler(f.desk, f.clock, Duration.ofMillis(20), 10)) {
        scheduler.start();
        f.clock.set(T0.plus(Duration.ofHours(2)).minusMillis(1));
        Thread.sleep(100);
        assertThat(f.desk.log(n)).hasSize(1);
        f.clock.set(T0.plus(Duration.ofHours(2)));
        scheduler.poke();
        Await.until(() -> f.desk.log(n).size() >= 2, "the timer due at 2 h to fire");
        assertThat(f.desk.log(n)).hasSize(2);
        assertThat(f.desk.log(n).getLast().origin().at()).isEqualTo(T0.plus(Duration.ofHours(2)));
      }
    }
  }

  @Test
  void firingAheadOfTheClockIsRefused() {
    try (DeskFixture f = new DeskFixture(dir.resolve("early.db"), T0)) {
      assertThatThrownBy(() -> f.desk.fireDue(T0.plus(Duration.ofHours(1)), 10))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("timers cannot fire before their time: asked to fire timers due by 2026-11-23T15:00:00Z, but the"
              + " clock reads 2026-11-23T14:00:00Z");
    }
  }

  @Test
  void countdownsRefreshOnScheduleAndSkipMissedRefreshesAfterARestart() {
    Path file = dir.resolve("countdown.db");
    TimerPlan hourly = new TimerPlan(List.of(50), java.util.Optional.of(Duration.ofHours(1)));
    IncidentNumber n;
    try (DeskFixture f = new DeskFixture(file, T0, hourly)) {
      // Atomrock S3: 2 business days of 24 hours
      n = f.file(f.organization("ACME", "atomrock"), "S3", "defect");
      assertThat(TimerRows.unfired(f.db, n)).filteredOn(r -> r.kind().equals("countdown:first_response"))
          .extracting(TimerRows.Row::version, TimerRows.Row::due)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, T0.plus(Duration.ofHours(1))));
      f.clock.set(T0.plus(Duration.ofHours(1)).minusMillis(1));
      assertThat(f.desk.fireDue(f.clock.instant(), 10)).isZero();
      f.clock.set(T0.plus(Duration.ofHours(1)));
      assertThat(f.desk.fireDue(f.clock.instant(), 10)).isEqualTo(1);
      assertThat(f.countdowns).containsExactly(new CountdownDue(n, "first_response", T0.plus(Duration.ofDays(2)),
          T0.plus(Duration.ofHours(1))));
      assertThat(f.desk.log(n)).as("a refresh is not a change of the case").hasSize(1);
      assertThat(TimerRows.unfired(f.db, n)).filteredOn(r -> r.kind().startsWith("countdown"))
          .extracting(TimerRows.Row::due).containsExactly(T0.plus(Duration.ofHours(2)));
    }
    // down from 01:00 to 07:30: one overdue refresh fires, then the schedule continues at 08:00
    try (DeskFixture f = new DeskFixture(file, T0.plus(Duration.ofMinutes(450)), hourly)) {
      assertThat(f.desk.fireDue(f.clock.instant(), 10)).isEqualTo(1);
      assertThat(f.countdowns).hasSize(1);
      assertThat(TimerRows.unfired(f.db, n)).filteredOn(r -> r.kind().startsWith("countdown"))
          .extracting(TimerRows.Row::due).containsExactly(T0.plus(Duration.ofHours(8)));
      assertThat(f.desk.handle(new IncidentCommand.Acknowledge(f.vendor(), n, "on it")))
          .isInstanceOf(org.supportbot.core.incident.IncidentOutcome.Changed.class);
      assertThat(f.desk.incident(n).orElseThrow().clocks().get("first_response").state())
          .isEqualTo(org.supportbot.core.sla.SlaClock.State.STOPPED);
      assertThat(TimerRows.unfired(f.db, n)).as("a met target has no countdown").isEmpty();
    }
  }

  @Test
  void aTimerThatCannotFireIsSetAsideAndDoesNotHoldUpTheOthers() {
    try (DeskFixture f = new DeskFixture(dir.resolve("poison.db"), T0)) {
      IncidentNumber broken = f.file(f.organization(org.supportbot.core.directory.Organization.of("beta", "BETA", "Beta",
          "atheer")), "P1", "incident");
      f.clock.advance(Duration.ofMinutes(1));
      IncidentNumber fine = f.file(f.organization("ACME", "atomrock"), "S1", "defect");
      // a desk whose atheer policy has become unreadable since the case was filed
      IncidentDesk desk = new IncidentDesk(f.store, f.timers, f.directory, id -> {
        if (id.equals("atheer")) {
          throw new IllegalStateException("policies/atheer.yaml is unreadable");
        }
        return DeskFixture.catalog().get(id);
      }, new TimerPlan(List.of(50, 75, 90)), f.clock, events -> { });
      f.clock.set(T0.plus(Duration.ofDays(10)));
      TimerScheduler scheduler = new TimerScheduler(desk, f.clock, Duration.ofSeconds(1), 500);
      assertThat(scheduler.runDue()).isEqualTo(4);
      assertThat(f.desk.log(fine)).filteredOn(e -> e instanceof IncidentEvent.SlaBreached).hasSize(1);
      assertThat(f.desk.log(broken)).hasSize(1);
      assertThat(desk.setAside()).isNotEmpty().allMatch(k -> k.startsWith("BETA-1/"));
      assertThat(desk.nextDue()).as("set-aside timers are not waited for").isEmpty();
      assertThat(scheduler.runDue()).isZero();
    }
  }
}
