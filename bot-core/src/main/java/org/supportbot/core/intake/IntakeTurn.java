package org.supportbot.core.intake;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.core.conversation.Outbound;

/**
 * One step of an intake: the state to keep (empty when the intake ended), what to say, and how it
 * ended if it did.
 */
public record IntakeTurn(Optional<IntakeState> state, List<Outbound> say, Optional<IntakeResult> result) {
  public IntakeTurn {
    Objects.requireNonNull(state, "state");
    say = List.copyOf(say);
    Objects.requireNonNull(result, "result");
    if (state.isPresent() == result.isPresent()) {
      throw new IllegalArgumentException("an intake turn either continues with a state or ends with a result");
    }
  }

  static IntakeTurn next(IntakeState state, List<Outbound> say) {
    return new IntakeTurn(Optional.of(state), say, Optional.empty());
  }

  static IntakeTurn end(IntakeResult result, List<Outbound> say) {
    return new IntakeTurn(Optional.empty(), say, Optional.of(result));
  }

  public boolean ended() {
    return result.isPresent();
  }
}
