package org.supportbot.core.intake;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.core.conversation.Suggestion;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;

/**
 * Where one customer's intake stands. Immutable; stored after every step so an unfinished intake
 * survives a restart.
 *
 * @param id the intake's own id (the idempotency key of the message that started it)
 * @param organizationId the organization the reporter files for
 * @param reporter the named contact filing
 * @param place where the conversation happens
 * @param phase what the next answer is read as
 * @param field index of the policy's report field being asked (in {@link Phase#ASKING})
 * @param answers accepted answers by report field id, redacted
 * @param offered the suggestions shown (in {@link Phase#SUGGESTING}, and kept for the engineers)
 * @param suggestedSeverity the level suggested from the answers, "" until the severity question
 * @param redactions how many secrets or personal data items were removed from the answers
 * @param startedAt when the intake began
 * @param lastActivity when the customer last answered; expiry counts from here
 * @param filedBy the vendor's engineer who started the intake on the reporter's behalf (from the
 *     reporter's message); its questions are then asked in the channel, not to the reporter only
 */
public record IntakeState(String id, String organizationId, Identity reporter, ChatPlace place, Phase phase,
    int field, Map<String, String> answers, List<Suggestion> offered, String suggestedSeverity, int redactions,
    Instant startedAt, Instant lastActivity, Optional<Identity> filedBy) {

  /** An intake the reporter started themselves. */
  public IntakeState(String id, String organizationId, Identity reporter, ChatPlace place, Phase phase, int field,
      Map<String, String> answers, List<Suggestion> offered, String suggestedSeverity, int redactions,
      Instant startedAt, Instant lastActivity) {
    this(id, organizationId, reporter, place, phase, field, answers, offered, suggestedSeverity, redactions, startedAt,
        lastActivity, Optional.empty());
  }

  /** What the next answer is read as. */
  public enum Phase {
    /** The answer to report field {@code field}. */
    ASKING,
    /** A verdict on the offered suggestions. */
    SUGGESTING
  }

  public IntakeState {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(reporter, "reporter");
    Objects.requireNonNull(place, "place");
    Objects.requireNonNull(phase, "phase");
    answers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    offered = List.copyOf(offered);
    suggestedSeverity = suggestedSeverity == null ? "" : suggestedSeverity;
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(lastActivity, "lastActivity");
    filedBy = filedBy == null ? Optional.empty() : filedBy; // intakes stored before the field existed
    if (field < 0) {
      throw new IllegalArgumentException("field index cannot be negative: " + field);
    }
  }

  IntakeState asking(int nextField, Map<String, String> newAnswers, int newRedactions, String suggested, Instant at) {
    return new IntakeState(id, organizationId, reporter, place, Phase.ASKING, nextField, newAnswers, offered, suggested,
        newRedactions, startedAt, at, filedBy);
  }

  IntakeState suggesting(List<Suggestion> suggestions, Instant at) {
    return new IntakeState(id, organizationId, reporter, place, Phase.SUGGESTING, field, answers, suggestions,
        suggestedSeverity, redactions, startedAt, at, filedBy);
  }
}
