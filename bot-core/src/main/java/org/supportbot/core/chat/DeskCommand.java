package org.supportbot.core.chat;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** A slash command, read and checked; what it applies to is decided by the desk. */
public sealed interface DeskCommand {

  /** Whether only the vendor's engineers and managers may use it. */
  default boolean vendorOnly() {
    return true;
  }

  record Support(String text) implements DeskCommand {
    @Override
    public boolean vendorOnly() {
      return false;
    }
  }

  record Claim() implements DeskCommand {}

  record Unclaim() implements DeskCommand {}

  /** {@code person} is the mention as typed, without the {@code @}. */
  record Assign(String person) implements DeskCommand {}

  record Ack(String text) implements DeskCommand {}

  /** A vendor changes the level; a customer asks to discuss it (the desk tells them apart). */
  record Severity(String level, String reason) implements DeskCommand {
    @Override
    public boolean vendorOnly() {
      return false;
    }
  }

  record Info(String question) implements DeskCommand {}

  record Update(String text) implements DeskCommand {}

  /** Customers and engineers may escalate, where the policy allows it. */
  record Escalate(String reason) implements DeskCommand {
    @Override
    public boolean vendorOnly() {
      return false;
    }
  }

  record Resolve(String type, String note) implements DeskCommand {}

  record Close(String reason) implements DeskCommand {}

  /** Customers may ask to reopen within the policy's window. */
  record Reopen(String reason) implements DeskCommand {
    @Override
    public boolean vendorOnly() {
      return false;
    }
  }

  record Split(List<String> titles) implements DeskCommand {
    public Split {
      titles = List.copyOf(titles);
    }
  }

  record Merge(String into) implements DeskCommand {}

  record Time(Duration worked, boolean communication, String note) implements DeskCommand {
    public Time {
      Objects.requireNonNull(worked, "worked");
    }
  }

  record SlaWhy() implements DeskCommand {}

  record Queue() implements DeskCommand {}

  record Mine() implements DeskCommand {}

  /** A sign-in link to the web board; what it shows follows who asks. */
  record Board() implements DeskCommand {
    @Override
    public boolean vendorOnly() {
      return false;
    }
  }

  record Help() implements DeskCommand {
    @Override
    public boolean vendorOnly() {
      return false;
    }
  }
}
