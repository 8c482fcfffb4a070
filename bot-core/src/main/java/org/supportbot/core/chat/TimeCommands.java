package org.supportbot.core.chat;

import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentSnapshot;

/**
 * Time and billing: {@code /time} logs worked time on a case; the incident applies the policy's
 * billing rules (increments, minimums, whether communication counts) and the engineer is told what
 * was billed and why.
 */
final class TimeCommands {
  private final DeskContext desk;

  TimeCommands(DeskContext desk) {
    this.desk = desk;
  }

  void log(Who who, IncidentSnapshot s, DeskCommand.Time t, Step step) {
    desk.outcome(who, desk.incidents.handle(new IncidentCommand.LogTime(desk.origin(who), s.number(), t.worked(),
        t.communication(), desk.clean(who, s, t.note(), "your command on " + s.number(), step))), step);
  }
}
