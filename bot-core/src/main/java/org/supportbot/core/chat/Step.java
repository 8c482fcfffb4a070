package org.supportbot.core.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.intake.IntakeState;
import org.supportbot.core.outbox.OutboxStore;

/**
 * What one inbound or tick came to: the messages, the intake to keep or drop, and what is
 * committed with the messages (the event cursor, deferred and released pings, marks).
 */
final class Step {
  final List<Outbound> out = new ArrayList<>();
  Optional<IntakeState> save = Optional.empty();
  Optional<IntakeState> end = Optional.empty();
  OptionalLong cursor = OptionalLong.empty();
  final List<OutboxStore.Deferral> deferrals = new ArrayList<>();
  final List<Long> released = new ArrayList<>();
  final Map<String, String> marks = new HashMap<>();
  /** Whether an availability record changed: the rendering announces maintenance with this step. */
  boolean availability;
  /** The outbox's event cursor the first rendering into this step started from; empty before it. */
  OptionalLong renderedFrom = OptionalLong.empty();

  /** What this step holds now, to go back to when its rendering must be done again. */
  Mark mark() {
    return new Mark(out.size(), cursor, deferrals.size(), released.size(), Map.copyOf(marks), renderedFrom);
  }

  /** Drops what was added after {@code m}: the rendering and the announcements of a refused record. */
  void reset(Mark m) {
    out.subList(m.out(), out.size()).clear();
    cursor = m.cursor();
    deferrals.subList(m.deferrals(), deferrals.size()).clear();
    released.subList(m.released(), released.size()).clear();
    marks.clear();
    marks.putAll(m.marks());
    renderedFrom = m.renderedFrom();
  }

  record Mark(int out, OptionalLong cursor, int deferrals, int released, Map<String, String> marks,
      OptionalLong renderedFrom) {}
}
