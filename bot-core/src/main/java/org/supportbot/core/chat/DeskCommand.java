package org.supportbot.core.chat;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A slash command, read and checked; what it applies to is decided by the desk. Who may use which
 * is {@link CommandParser#FOR_CUSTOMERS}. Each family of
 * commands is handled by its own class: {@link Support} by {@code IntakeCommands}, {@link CaseWork}
 * by {@code CaseCommands}, {@link Time} by {@code TimeCommands}, {@link Availability} by {@code
 * AvailabilityCommands}, {@link Rate} and {@link SatisfactionReport} by {@code SatisfactionCommands}, the rest
 * by {@code QueryCommands}.
 */
public sealed interface DeskCommand {

  /** A command that changes one case: its state, owner, severity or what the customer is told. */
  sealed interface CaseWork extends DeskCommand {}

  record Support(String text) implements DeskCommand {}

  record Claim() implements CaseWork {}

  record Unclaim() implements CaseWork {}

  /** {@code person} is the mention as typed, without the {@code @}. */
  record Assign(String person) implements CaseWork {}

  record Ack(String text) implements CaseWork {}

  /** A vendor changes the level; a customer asks to discuss it (the desk tells them apart). */
  record Severity(String level, String reason) implements CaseWork {}

  record Info(String question) implements CaseWork {}

  record Update(String text) implements CaseWork {}

  /** Customers and engineers may escalate, where the policy allows it. */
  record Escalate(String reason) implements CaseWork {}

  record Resolve(String type, String note) implements CaseWork {}

  record Close(String reason) implements CaseWork {}

  /** Customers may ask to reopen within the policy's window. */
  record Reopen(String reason) implements CaseWork {}

  record Split(List<String> titles) implements CaseWork {
    public Split {
      titles = List.copyOf(titles);
    }
  }

  record Merge(String into) implements CaseWork {}

  record Time(Duration worked, boolean communication, String note) implements DeskCommand {
    public Time {
      Objects.requireNonNull(worked, "worked");
    }
  }

  record SlaWhy() implements DeskCommand {}

  /** The case's whole record of communications as a file. */
  record Transcript() implements DeskCommand {}

  /** {@code /rate [CASE] SCORE [comment]}: a named contact's satisfaction with a resolved case, 1 to 5. */
  record Rate(int score, String comment) implements DeskCommand {
    public Rate {
      if (score < 1 || score > 5) {
        throw new IllegalArgumentException("a satisfaction score is 1 to 5, got " + score);
      }
      Objects.requireNonNull(comment, "comment");
    }
  }

  /** {@code /report satisfaction [YYYY-MM]}: the month's ratings by organization and engineer (this month when empty). */
  record SatisfactionReport(java.util.Optional<java.time.YearMonth> month) implements DeskCommand {}

  /** One page of the open cases by next deadline ({@link QueryCommands#QUEUE_PAGE} a page); the first page is 1. */
  record Queue(int page) implements DeskCommand {
    public Queue {
      if (page < 1) {
        throw new IllegalArgumentException("the first page is 1, got " + page);
      }
    }
  }

  record Mine() implements DeskCommand {}

  /** A sign-in link to the web board; what it shows follows who asks. */
  record Board() implements DeskCommand {}

  record Help() implements DeskCommand {}

  /** The service's availability: outages, scheduled maintenance and the monthly figure. */
  sealed interface Availability extends DeskCommand {}

  /** {@code /outage start [note]}: the service is down from now. */
  record OutageStart(String note) implements Availability {}

  /** {@code /outage end [note]}: the service is back from now. */
  record OutageEnd(String note) implements Availability {}

  /** {@code /maintenance schedule START DURATION note}. */
  record ScheduleMaintenance(java.time.OffsetDateTime start, Duration duration, String note) implements Availability {
    public ScheduleMaintenance {
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(note, "note");
    }
  }

  /** {@code /maintenance emergency DURATION note}: maintenance from now, without notice. */
  record EmergencyMaintenance(Duration duration, String note) implements Availability {
    public EmergencyMaintenance {
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(note, "note");
    }
  }

  /** {@code /maintenance cancel START [reason]}: cancels the window scheduled to start at {@code start}. */
  record CancelMaintenance(java.time.OffsetDateTime start, String reason) implements Availability {
    public CancelMaintenance {
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** {@code /availability [YYYY-MM]}: the month's availability (this month when empty). */
  record AvailabilityReport(java.util.Optional<java.time.YearMonth> month) implements Availability {}
}
