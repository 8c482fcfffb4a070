package org.supportbot.core.chat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.supportbot.config.policy.ReportField;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.KnowledgeSuggestions;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Suggestion;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.Actor;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentCommand;
import org.supportbot.core.incident.IncidentOutcome;
import org.supportbot.core.incident.Origin;
import org.supportbot.core.intake.Intake;
import org.supportbot.core.intake.IntakeResult;
import org.supportbot.core.intake.IntakeState;
import org.supportbot.core.intake.IntakeTurn;
import org.supportbot.core.redact.Redactor;

/**
 * Filing a case: {@code /support}, the intake's questions answered by messages, buttons and forms,
 * and the case filed when the intake is complete. Who may file and where is decided here.
 */
final class IntakeCommands {
  private final DeskContext desk;

  IntakeCommands(DeskContext desk) {
    this.desk = desk;
  }

  /** A first direct message: starts an intake or shows where the open one stopped. */
  void start(Who who, Step step) {
    start(who, "", step);
  }

  /**
   * {@code /support [@contact [LEVEL] [description]]}: starts an intake or shows where the open one
   * stopped; an engineer naming a contact ({@code @ana}, Slack's {@code <@U123|ana>}, Discord's
   * {@code <@123>}) files a case on the contact's behalf at once, at the level named (else the
   * policy's lowest, provisional) and asks the contact what is still open in the case's thread.
   */
  void start(Who who, String args, Step step) {
    Inbound in = who.in();
    if (who.vendor() && !who.contact() && !in.direct() && !args.isBlank()) {
      String[] words = args.strip().split("\\s+", 2);
      Mention mention;
      try {
        mention = Mention.read(words[0], "/support @ana");
      } catch (IllegalArgumentException e) {
        step.out.add(desk.reply(who, "Nothing filed: " + e.getMessage()));
        return;
      }
      String rest = words.length > 1 ? words[1] : "";
      Optional<String> level = Optional.empty();
      Optional<SupportPolicy> policy = who.channelOrg().map(o -> desk.policy(o.policyId()));
      if (policy.isPresent() && !rest.isBlank()) {
        String first = rest.split("\\s+", 2)[0];
        level = policy.get().severities().stream().filter(v -> v.id().equalsIgnoreCase(first)).map(v -> v.id())
            .findFirst();
        if (level.isPresent()) {
          rest = rest.strip().contains(" ") ? rest.strip().split("\\s+", 2)[1] : "";
        }
      }
      // a mention carries the user id only: a contact of the channel's organization with that id on this
      // platform (on Slack Connect in the customer's own workspace, and Slack's user ids are unique), else
      // the engineer's workspace
      Identity named = who.channelOrg().stream().flatMap(o -> desk.directory.store().contacts(o.id()).stream())
          .map(c -> c.identity()).filter(id -> id.platform().equals(in.person().platform())
              && id.userId().equals(mention.userId())).findFirst()
          .orElse(new Identity(in.person().platform(), in.person().workspace(), mention.userId()));
      onBehalf(who, named, rest, level, step);
      return;
    }
    if (in.direct() || who.channelOrg().isEmpty()) {
      step.out.add(desk.reply(who, in.direct()
          ? "Please use /support in your organization's support channel, so your colleagues can follow the case."
          : "This channel is not connected to a support organization yet. Ask your vendor's support team to bind it."));
      return;
    }
    Organization org = who.channelOrg().get();
    if (!who.contact()) {
      step.out.add(desk.reply(who, "Only named support contacts of " + org.name() + " can file cases. Ask one of your"
          + " organization's named contacts or your account manager to add you."));
      return;
    }
    if (refusedForPayment(who, org, step)) {
      return;
    }
    Optional<IntakeState> open = openIntake(in);
    Intake intake = desk.intake(org.policyId());
    if (open.isPresent()) {
      step.out.add(desk.reply(who, "You have a request in progress; here is where we stopped (answer \"cancel\" to drop it):"));
      step.out.add(intake.question(open.get()));
      return;
    }
    ChatPlace place = new ChatPlace(in.place().platform(), in.place().workspace(), in.place().channel(), "");
    IntakeTurn turn = intake.start(in.key(), org.id(), in.person(), place, desk.clock.instant());
    apply(who, Optional.empty(), turn, step);
  }

  /**
   * A message filed as a case with the message shortcut or the settings' reaction: a named contact
   * files it themselves (the intake starts as with {@code /support}); one of the vendor's engineers
   * files it on behalf of its author.
   */
  void fileMessage(Who who, Inbound.FileMessage m, Step step) {
    if (who.vendor() && !who.contact()) {
      onBehalf(who, m.author(), m.text(), Optional.empty(), step);
    } else {
      start(who, step);
    }
  }

  /**
   * An engineer files for {@code author}, a named contact of the channel's organization, at once:
   * the case is filed now (its SLA clocks count from now) from the author's message {@code text}
   * (the description, redacted as the policy asks), at {@code level} or else the policy's lowest
   * level, provisional until the author answers; the required questions the message leaves open are
   * the case's pending details, asked of the author in the case's thread one at a time
   * ({@link CaseCommands#detail}). The case records the engineer as who filed it.
   */
  private void onBehalf(Who who, Identity author, String text, Optional<String> level, Step step) {
    Inbound in = who.in();
    if (in.direct() || who.channelOrg().isEmpty()) {
      step.out.add(desk.reply(who, "Nothing filed: this channel is not connected to a support organization, so there is"
          + " nobody to file for. Bind it to the customer's organization in the settings first."));
      return;
    }
    Organization org = who.channelOrg().get();
    if (!desk.directory.isContact(org.id(), author)) {
      step.out.add(desk.reply(who, "Nothing filed: @" + author.userId() + " is not a named contact of " + org.name()
          + ", and cases are filed for named contacts only. Name the contact to file for with /support @contact in"
          + " this channel, or add @" + author.userId() + " as a contact first."));
      return;
    }
    SupportPolicy policy = desk.policy(org.policyId());
    if (org.pastDue() && policy.requiresCurrentPayment()) {
      step.out.add(desk.reply(who, "Nothing filed: " + org.name() + "'s account is marked past due and the "
          + org.policyId() + " policy requires current payment. Clear past_due for " + org.id()
          + " in the settings once it is paid."));
      return;
    }
    Map<String, String> answers = new LinkedHashMap<>();
    boolean asksDescription = policy.report().stream().anyMatch(f -> f.id().equals("description"));
    if (!text.isBlank() && asksDescription) {
      Redactor.Redaction r = desk.redactor(policy.id()).redact(text.strip());
      answers.put("description", r.text());
      if (r.changed()) {
        step.out.add(Outbound.toPlace(new ChatPlace(in.place().platform(), in.place().workspace(),
            in.place().channel(), ""), Outbound.Kind.NOTICE).text(author, " " + r.notice("your message")).build());
      }
    }
    String severity = level.orElse(policy.severities().getLast().id());
    if (level.isPresent()) {
      answers.put("severity", severity);
    }
    List<String> pending = policy.report().stream().filter(ReportField::required).map(ReportField::id)
        .filter(id -> !answers.containsKey(id)).toList();
    ChatPlace place = new ChatPlace(in.place().platform(), in.place().workspace(), in.place().channel(), "");
    Origin origin = new Origin(in.key(), Actor.customer(author), desk.clock.instant(), in.message());
    String title = answers.containsKey("description") ? Intake.title(answers)
        : "Support request of @" + author.userId();
    desk.related.put(origin.key(), relatedTo(org.policyId(), title, answers, "", ""));
    IncidentOutcome outcome = desk.incidents.handle(new IncidentCommand.File(origin, org.id(), place, severity, "", "",
        "", title, answers, Optional.of(in.person()), pending));
    if (outcome instanceof IncidentOutcome.Filed filed) {
      step.out.add(desk.reply(who, "Filed " + filed.incident() + " for @" + author.userId() + " at " + severity
          + (level.isPresent() ? "" : " (provisional)") + (pending.isEmpty() ? "."
          : "; I ask them the " + pending.size() + " open question" + (pending.size() == 1 ? "" : "s")
          + " in its thread, one at a time.") + " The case records that you filed it on their behalf."));
    } else {
      desk.outcome(who, outcome, step);
    }
  }

  /** The person's unfinished intake in the channel the inbound came from. */
  Optional<IntakeState> openIntake(Inbound in) {
    return in.direct() ? Optional.empty() : desk.conversations.intake(in.place().platform(), in.place().workspace(),
        in.place().channel(), in.person());
  }

  /** A message that answers the open intake's current question. */
  void answer(Who who, IntakeState open, String text, Step step) {
    Intake intake = desk.intake(desk.policyOfOrg(open.organizationId()));
    apply(who, Optional.of(open), intake.answer(open, text, desk.clock.instant()), step);
  }

  /** A button of the intake (a choice, a suggestion that solved it, ...). */
  void picked(Who who, Inbound.Picked p, Step step) {
    Optional<IntakeState> open = openIntake(who.in());
    if (open.isEmpty()) {
      step.out.add(desk.reply(who, "That button belongs to a conversation that has ended."));
      return;
    }
    Intake intake = desk.intake(desk.policyOfOrg(open.get().organizationId()));
    apply(who, open, intake.pick(open.get(), p.action(), p.value(), desk.clock.instant()), step);
  }

  /** A form answers the intake's questions in order, stopping at the first answer that needs fixing. */
  void submitted(Who who, Inbound.Submitted f, Step step) {
    Optional<IntakeState> open = openIntake(who.in());
    if (open.isEmpty()) {
      step.out.add(desk.reply(who, "That form belongs to a conversation that has ended; start again with /support."));
      return;
    }
    Intake intake = desk.intake(desk.policyOfOrg(open.get().organizationId()));
    IntakeState state = open.get();
    if (state.phase() != IntakeState.Phase.ASKING
        || !f.values().containsKey(intake.policy().report().get(state.field()).id())) {
      step.out.add(intake.question(state)); // a form for a question already answered: ask the current one again
      return;
    }
    apply(who, open, intake.answerForm(state, f.values(), desk.clock.instant()), step);
  }

  /** Keeps or ends the intake; {@code stored} is the intake as it was stored before this inbound. */
  private void apply(Who who, Optional<IntakeState> stored, IntakeTurn turn, Step step) {
    step.out.addAll(turn.say());
    if (turn.state().isPresent()) {
      step.save = turn.state();
      return;
    }
    step.end = stored;
    String caseKey = "intake:" + stored.map(IntakeState::id).orElse(who.in().key());
    switch (turn.result().orElseThrow()) {
      case IntakeResult.Ready ready -> file(who, ready, caseKey, stored.flatMap(IntakeState::filedBy), step);
      case IntakeResult.Deflected d -> desk.knowledge.feedback(d.solvedBy().id(), d.solvedBy().source(), true, caseKey,
          draft(stored.map(IntakeState::answers).orElse(Map.of())));
      case IntakeResult.Cancelled c -> { }
      case IntakeResult.Refused r -> { }
      case IntakeResult.Expired x -> { }
    }
  }

  private void file(Who who, IntakeResult.Ready ready, String caseKey, Optional<Identity> filedBy, Step step) {
    Organization org = who.channelOrg().orElseThrow();
    if (refusedForPayment(who, org, step)) {
      return; // marked past due while the intake was open
    }
    for (Suggestion s : ready.offered()) {
      desk.knowledge.feedback(s.id(), s.source(), false, caseKey, draft(ready.answers()));
    }
    ChatPlace place = new ChatPlace(who.in().place().platform(), who.in().place().workspace(), who.in().place().channel(), "");
    Origin origin = desk.origin(who);
    desk.offered.put(origin.key(), ready.offered());
    desk.related.put(origin.key(), relatedTo(org.policyId(), ready.title(), ready.answers(), ready.product(),
        ready.version()));
    IncidentOutcome outcome = desk.incidents.handle(new IncidentCommand.File(origin, org.id(), place, ready.severityId(),
        ready.categoryId(), ready.product(), ready.version(), ready.title(), ready.answers(), filedBy));
    if (!(outcome instanceof IncidentOutcome.Filed)) {
      desk.outcome(who, outcome, step);
    }
  }

  /**
   * An organization marked past due under a policy that requires current payment files nothing: the
   * person is told why and what to do, and the vendor's triage channel is told who was refused. Under
   * a policy that does not, filing goes on and the triage notice says the account is past due.
   */
  private boolean refusedForPayment(Who who, Organization org, Step step) {
    SupportPolicy policy = desk.policy(org.policyId());
    if (!org.pastDue() || !policy.requiresCurrentPayment()) {
      return false;
    }
    step.out.add(desk.reply(who, "Support for " + org.name() + " is on hold: " + policy.vendor() + " provides support"
        + " while the customer is current on payment, and " + org.name() + "'s account is marked past due. Nothing was"
        + " filed. Please ask your account manager or " + policy.vendor() + "'s billing team to bring the account up to"
        + " date; filing works again as soon as it is."));
    step.out.add(Outbound.toPlace(desk.settings.triage(), Outbound.Kind.NOTICE)
        .text(who.in().person(), " of " + org.name() + " tried to file a case and was refused: the account is marked"
            + " past due and the " + policy.id() + " policy requires current payment. Clear past_due for "
            + org.id() + " in the settings once it is paid.")
        .build());
    return true;
  }

  /** What the suggestions were searched by, for the verdict on them (the intake's redacted answers). */
  private static KnowledgeSuggestions.Draft draft(Map<String, String> answers) {
    return new KnowledgeSuggestions.Draft(Intake.title(answers), answers.getOrDefault("description", ""),
        answers.getOrDefault("error_messages", ""), answers.getOrDefault("product", ""),
        answers.getOrDefault("version", ""));
  }

  /**
   * Up to three articles and threads related to a new case, for engineers in triage; the knowledge base
   * filters by product and version only when they name a product its documents are filed under.
   */
  List<Suggestion> relatedTo(String policyId, String title, Map<String, String> answers, String product,
      String version) {
    return desk.knowledge.suggest(title, answers.getOrDefault("description", ""),
        answers.getOrDefault("error_messages", ""), product, version, 3);
  }
}
