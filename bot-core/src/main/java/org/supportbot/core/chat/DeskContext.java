package org.supportbot.core.chat;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.supportbot.config.policy.Privacy;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.chatstate.ConversationStore;
import org.supportbot.core.conversation.KnowledgeSuggestions;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Suggestion;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.directory.Directory;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.core.incident.Origin;
import org.supportbot.core.intake.Intake;
import org.supportbot.core.redact.Redactor;
import org.supportbot.core.sla.SlaCalculator;

/**
 * What every family of commands shares: the stores, the policies, the clock, and the few rules
 * they all follow (which case a person may see, how a reply is redacted, how an incident outcome
 * is told). One per {@link SupportDesk}.
 */
final class DeskContext {
  final IncidentDesk incidents;
  final Directory directory;
  final KnowledgeSuggestions knowledge;
  final ConversationStore conversations;
  final DeskSettings settings;
  final Clock clock;
  /** Secrets and personal data only: for text no policy's case owns. */
  final Redactor redactor = new Redactor();
  /** Also every kind of identifying data: for replies that echo what anybody typed. */
  private final Redactor echoes = new Redactor(EnumSet.allOf(Privacy.DeIdentify.class));
  private final Map<String, Redactor> redactors = new ConcurrentHashMap<>();
  final CaseViews views;
  private final Function<String, Optional<SupportPolicy>> policies;
  private final Map<String, Intake> intakes = new ConcurrentHashMap<>();
  private final Map<String, SlaCalculator> calculators = new ConcurrentHashMap<>();
  /** Keys of vendor replies typed in a case thread: recorded as updates, not echoed back. */
  final Set<String> silent = ConcurrentHashMap.newKeySet();
  /** Suggestions the customer declined during intake, by the filing's key, for the triage notice. */
  final Map<String, List<Suggestion>> offered = new ConcurrentHashMap<>();
  /**
   * Related articles for a new case's triage notice, searched by the filing's own thread before its
   * case is committed (so the search runs outside the rendering step), by the filing's key.
   */
  final Map<String, List<Suggestion>> related = new ConcurrentHashMap<>();

  DeskContext(IncidentDesk incidents, Directory directory, Function<String, Optional<SupportPolicy>> policies,
      KnowledgeSuggestions knowledge, ConversationStore conversations, DeskSettings settings, Clock clock) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.policies = Objects.requireNonNull(policies, "policies");
    this.knowledge = Objects.requireNonNull(knowledge, "knowledge");
    this.conversations = Objects.requireNonNull(conversations, "conversations");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.views = new CaseViews(policies);
  }

  SupportPolicy policy(String id) {
    return policies.apply(id).orElseThrow(() -> new IllegalStateException("policy \"" + id + "\" is not loaded"));
  }

  /** The policy {@code id} if it is loaded (an organization may name one removed from the configuration). */
  Optional<SupportPolicy> loadedPolicy(String id) {
    return policies.apply(id);
  }

  SlaCalculator calculator(String policyId) {
    return calculators.computeIfAbsent(policyId, id -> new SlaCalculator(policy(id)));
  }

  Intake intake(String policyId) {
    return intakes.computeIfAbsent(policyId, id -> new Intake(policy(id), knowledge, redactor(id)));
  }

  /** The redaction a policy asks for: secrets and personal data, and what its {@code privacy} lists. */
  Redactor redactor(String policyId) {
    return redactors.computeIfAbsent(policyId, id -> new Redactor(policy(id).privacy().deIdentify()));
  }

  /**
   * {@code text} typed by {@code who} about case {@code s}, redacted as the case's policy asks; when
   * anything was removed, the person is told what (also for replies in a case's thread).
   */
  String clean(Who who, IncidentSnapshot s, String text, String where, Step step) {
    Redactor.Redaction r = redactor(s.policyId()).redact(text);
    if (r.changed()) {
      step.out.add(Outbound.toPlace(who.in().place(), Outbound.Kind.REPLY).onlyFor(who.in().person())
          .text(r.notice(where)).build());
    }
    return r.text();
  }

  String policyOfOrg(String organizationId) {
    return directory.store().organization(organizationId).map(Organization::policyId).orElseThrow(
        () -> new IllegalStateException("organization " + organizationId + " of an open intake is no longer registered"));
  }

  Origin origin(Who who) {
    return new Origin(who.in().key(), who.actor(), clock.instant(), who.in().message());
  }

  /**
   * A reply to {@code who} only. Replies echo what people typed (a bad argument, a level, a mention),
   * so they pass redaction before they are recorded in the outbox: the strictest there is, with every
   * kind of identifying data, so no error reply echoes what any policy has removed from the case.
   */
  Outbound reply(Who who, String text) {
    return Outbound.toPlace(who.in().place(), Outbound.Kind.REPLY).onlyFor(who.in().person())
        .text(echoes.clean(text)).build();
  }

  /** Tells the person what came of an incident command, where there is something to tell. */
  void outcome(Who who, IncidentOutcome outcome, Step step) {
    switch (outcome) {
      case IncidentOutcome.Rejected r -> step.out.add(reply(who, "Not done: " + r.reason()));
      case IncidentOutcome.HeldBy h -> step.out.add(Outbound.toPlace(who.in().place(), Outbound.Kind.REPLY)
          .onlyFor(who.in().person()).text(h.incident() + " is already held by ", h.holder(), ".").build());
      case IncidentOutcome.TimeRecorded t -> step.out.add(reply(who, "Logged on " + t.incident() + ": billed "
          + CaseViews.hours(t.billed()) + "; " + t.reason() + "."));
      case IncidentOutcome.Filed f -> { }
      case IncidentOutcome.Changed c -> { }
      case IncidentOutcome.Claimed c -> { }
      case IncidentOutcome.AlreadyHeld h -> step.out.add(reply(who, h.incident() + " is already yours; nothing changed."));
      case IncidentOutcome.SplitInto sp -> { }
    }
  }

  /**
   * The case {@code named}, or else the case of the thread the person is in; only a case the person
   * may see: a channel bound to an organization only ever shows that organization's cases, and a
   * channel bound to none only the vendor's.
   */
  Optional<IncidentSnapshot> findCase(Who who, Optional<String> named) {
    Optional<IncidentSnapshot> found = named.isPresent()
        ? parseNumber(named.get()).flatMap(incidents::incident)
        : caseOfThread(who.in().place());
    return found.filter(s -> who.channelOrg().map(o -> o.id().equals(s.organizationId())).orElse(who.vendor()));
  }

  /** The case whose thread {@code place} is, if it is one. */
  Optional<IncidentSnapshot> caseOfThread(ChatPlace place) {
    return place.thread().isEmpty() ? Optional.empty()
        : parseNumber(place.thread()).flatMap(incidents::incident)
            .filter(s -> s.place().channel().equals(place.channel()))
            .or(() -> incidents.openAt(place).stream().findFirst());
  }

  static Optional<IncidentNumber> parseNumber(String text) {
    try {
      return Optional.of(IncidentNumber.parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
