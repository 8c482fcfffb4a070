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
}
