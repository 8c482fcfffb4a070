package org.supportbot.core.intake;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.supportbot.config.policy.ReportField;
import org.supportbot.config.policy.RequestCategory;
import org.supportbot.config.policy.Severity;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.conversation.KnowledgeSuggestions;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.conversation.Outbound.Action;
import org.supportbot.core.conversation.Span;
import org.supportbot.core.conversation.Suggestion;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.redact.Redactor;

/**
 * The guided intake of one policy: asks the policy's report questions in order, validates each
 * answer, redacts secrets and personal data before anything is kept, offers knowledge-base
 * suggestions after the description, suggests a severity from the answers, and ends with a case
 * ready to file, a deflection, a cancellation, or the policy's refusal. Pure: the caller stores
 * the returned state.
 */
public final class Intake {

  /** Button and action ids; an adapter sends them back as {@code Inbound.Picked}. */
  public static final String ANSWER = "intake.answer";
  public static final String SOLVED = "intake.solved";
  public static final String CONTINUE = "intake.continue";
  public static final String CANCEL = "intake.cancel";

  /** How many suggestions are offered. */
  public static final int SUGGESTIONS = 3;

  private static final List<String> CANCEL_WORDS = List.of("cancel", "stop", "abort", "quit", "never mind", "nevermind");
  private static final List<String> CONTINUE_WORDS = List.of("no", "still need help", "continue", "not helpful", "none",
      "none of these", "n", "nope", "file", "file it");
  private static final List<String> SOLVED_WORDS = List.of("solved", "yes", "this solved it", "it solved it", "y", "thanks",
      "that's it", "that helped", "fixed");
  private static final List<String> ACCEPT_SUGGESTION = List.of("ok", "okay", "yes", "y", "sure", "fine", "suggested",
      "agree", "accept");

  private final SupportPolicy policy;
  private final AnswerReader reader;
  private final KnowledgeSuggestions knowledge;
  private final Redactor redactor;

  public Intake(SupportPolicy policy, KnowledgeSuggestions knowledge, Redactor redactor) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.reader = new AnswerReader(policy);
    this.knowledge = Objects.requireNonNull(knowledge, "knowledge");
    this.redactor = Objects.requireNonNull(redactor, "redactor");
    if (policy.report().isEmpty()) {
      throw new IllegalArgumentException("policy " + policy.id() + " lists no report questions; add a report: section");
    }
  }

  public SupportPolicy policy() {
    return policy;
  }

  /** Begins an intake and asks the first question. */
  public IntakeTurn start(String id, String organizationId, Identity reporter, ChatPlace place, Instant at) {
    IntakeState state = new IntakeState(id, organizationId, reporter, place, IntakeState.Phase.ASKING, 0, Map.of(),
        List.of(), "", 0, at, at);
    Outbound intro = say(state, Outbound.Kind.INTAKE)
        .text("Let's file a support case with ", new Span.Strong(policy.vendor()), ". I'll ask "
            + policy.report().size() + " short questions; answer \"cancel\" at any point to stop.")
        .build();
    List<Outbound> out = new ArrayList<>();
    out.add(intro);
    out.add(question(state));
    return IntakeTurn.next(state, out);
  }

  /** Reads a typed answer. */
  public IntakeTurn answer(IntakeState state, String text, Instant at) {
    String raw = text == null ? "" : text.strip();
    if (CANCEL_WORDS.contains(normal(raw))) {
      return cancel(state);
    }
    return switch (state.phase()) {
      case ASKING -> answerField(state, raw, at);
      case SUGGESTING -> verdict(state, raw, at);
    };
  }

  /** Reads a button press: {@link #ANSWER}, {@link #SOLVED}, {@link #CONTINUE} or {@link #CANCEL}. */
  public IntakeTurn pick(IntakeState state, String action, String value, Instant at) {
    return switch (action) {
      case CANCEL -> cancel(state);
      case ANSWER -> state.phase() == IntakeState.Phase.ASKING ? answerField(state, value, at) : repromptVerdict(state);
      case SOLVED -> state.phase() == IntakeState.Phase.SUGGESTING
          ? state.offered().stream().filter(s -> s.id().equals(value)).findFirst()
              .map(s -> deflect(state, s))
              .orElseGet(() -> repromptVerdict(state))
          : IntakeTurn.next(state, List.of(notNow(state)));
      case CONTINUE -> state.phase() == IntakeState.Phase.SUGGESTING ? goOn(state, at)
          : IntakeTurn.next(state, List.of(notNow(state)));
      default -> IntakeTurn.next(state, List.of(say(state, Outbound.Kind.INTAKE)
          .text("That button belongs to an earlier step; here is the current question again.").build(), question(state)));
    };
  }

  /**
   * "Still need help": the next question, or the case filed at once when every answer is in (a form
   * answered them all before the suggestions).
   */
  private IntakeTurn goOn(IntakeState state, Instant at) {
    IntakeState next = state.asking(state.field() + 1, state.answers(), state.redactions(), state.suggestedSeverity(), at);
    IntakeTurn turn = advance(next, at, List.of());
    if (turn.ended()) {
      return turn;
    }
    List<Outbound> out = new ArrayList<>();
    out.add(say(state, Outbound.Kind.INTAKE).text("OK, let's go on.").build());
    out.addAll(turn.say());
    return IntakeTurn.next(turn.state().orElseThrow(), out);
  }

  /** Ends the intake when it has been idle for {@code ttl}; otherwise returns empty. */
  public Optional<IntakeTurn> expireIfIdle(IntakeState state, Instant now, Duration ttl) {
    if (now.isBefore(state.lastActivity().plus(ttl))) {
      return Optional.empty();
    }
    Outbound note = say(state, Outbound.Kind.NOTICE)
        .text("Your unfinished support request has expired after " + human(ttl)
            + " without an answer, and nothing was filed. Start again with /support whenever you are ready.")
        .build();
    return Optional.of(IntakeTurn.end(new IntakeResult.Expired(), List.of(note)));
  }

  /** The question the intake waits on, asked again (after a restart, or on request). */
  public Outbound question(IntakeState state) {
    if (state.phase() == IntakeState.Phase.SUGGESTING) {
      return suggestionsMessage(state);
    }
    String counter = "(" + (state.field() + 1) + "/" + policy.report().size() + ") ";
    return ask(say(state, Outbound.Kind.INTAKE), List.of(counter), policy.report().get(state.field()), state.answers());
  }

  /**
   * Report question {@code fieldId} asked of {@code reporter} in the thread of a case filed on their
   * behalf, with the same buttons as in the intake; {@code left} counts the questions still open,
   * this one included; {@code answers} are the case's answers so far (for the suggested severity).
   */
  public Outbound detailQuestion(ChatPlace thread, Identity reporter, String fieldId, int left,
      Map<String, String> answers) {
    ReportField field = field(fieldId);
    return ask(Outbound.toPlace(thread, Outbound.Kind.INTAKE),
        List.of(reporter, " (" + left + " question" + (left == 1 ? "" : "s") + " left) "), field, answers);
  }

  /**
   * Reads {@code raw} as the answer to report question {@code fieldId} of a case filed on the
   * reporter's behalf: validated as in the intake; a severity answer of "ok" takes the suggested level.
   */
  public Answer readDetail(String fieldId, String raw, Map<String, String> answers, Instant at) {
    ReportField field = field(fieldId);
    String text = raw.strip();
    if (field.kind() == ReportField.Kind.SEVERITY && ACCEPT_SUGGESTION.contains(normal(text))) {
      text = SeveritySuggestion.suggest(policy, answers).severityId();
    }
    return reader.read(field, text, answers, at.atZone(policy.calendar().zone()).toLocalDate());
  }

  private ReportField field(String fieldId) {
    return policy.report().stream().filter(f -> f.id().equals(fieldId)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("\"" + fieldId + "\" is not a report question of the "
            + policy.id() + " policy"));
  }

  /** Asks {@code field}, its prompt after {@code lead} (a counter, or whom it is asked of). */
  private Outbound ask(Outbound.Builder b, List<Object> lead, ReportField field, Map<String, String> answers) {
    List<Object> head = new ArrayList<>(lead);
    head.add(new Span.Strong(field.prompt()));
    Object[] prompt = head.toArray();
    switch (field.kind()) {
      case SEVERITY -> {
        b.text(prompt);
        for (Severity s : policy.severities()) {
          b.fact(s.id() + " " + s.name(), s.definition().strip());
        }
        SeveritySuggestion suggestion = SeveritySuggestion.suggest(policy, answers);
        b.text("From your answers I suggest ", new Span.Strong(suggestion.severityId()), ": "
            + String.join("; ", suggestion.reasons()) + ". Answer \"ok\" to take it, or name another level.");
        b.actions(policy.severities().stream()
            .map(s -> new Action(ANSWER, s.id() + " " + s.name(), s.id(), s.id().equals(suggestion.severityId())))
            .toArray(Action[]::new));
      }
      case CATEGORY -> {
        b.text(prompt);
        for (RequestCategory c : policy.categories()) {
          b.fact(c.name(), c.description().isBlank() ? c.id() : c.description().strip());
        }
        b.actions(policy.categories().stream().map(c -> new Action(ANSWER, c.name(), c.id(), false)).toArray(Action[]::new));
      }
      case YES_NO -> b.text(prompt)
          .actions(new Action(ANSWER, "Yes", "yes", false), new Action(ANSWER, "No", "no", false),
              new Action(ANSWER, "Sometimes", "sometimes", false));
      case CHOICE -> b.text(prompt)
          .actions(field.choices().stream().map(c -> new Action(ANSWER, c, c, false)).toArray(Action[]::new));
      case PRODUCT -> {
        b.text(prompt);
        if (!policy.versions().products().isEmpty()) {
          b.actions(policy.versions().products().stream().map(p -> new Action(ANSWER, p.name(), p.id(), false))
              .toArray(Action[]::new));
        }
      }
      default -> {
        head.add(field.required() ? "" : " (optional: answer \"none\" to skip)");
        b.text(head.toArray());
      }
    }
    return b.build();
  }

  /**
   * Reads a form's answers (a Slack modal, a Discord form) in the policy's order, from the question the
   * intake waits on, stopping at the first answer that needs fixing or the first question the form does
   * not carry. The knowledge base is asked once the form is read, with every answer it gave (the error
   * messages as well as the description), and the answers after the description stay answered while the
   * customer reads the suggestions: "still need help" files the case at once.
   */
  public IntakeTurn answerForm(IntakeState state, Map<String, String> values, Instant at) {
    List<Outbound> out = new ArrayList<>();
    boolean described = false;
    while (state.phase() == IntakeState.Phase.ASKING && state.field() < policy.report().size()) {
      ReportField field = policy.report().get(state.field());
      if (state.answers().containsKey(field.id()) && !values.containsKey(field.id())) {
        state = state.asking(state.field() + 1, state.answers(), state.redactions(), state.suggestedSeverity(), at);
        continue; // answered before the form (a message filed on someone's behalf gives the description)
      }
      String value = values.get(field.id());
      if (value == null) {
        break;
      }
      IntakeTurn turn = answerField(state, value.strip(), at, true);
      out.addAll(turn.say());
      if (turn.ended()) {
        return IntakeTurn.end(turn.result().orElseThrow(), out);
      }
      IntakeState next = turn.state().orElseThrow();
      if (next.field() == state.field()) {
        return IntakeTurn.next(next, out); // this answer needs fixing: its question was asked again
      }
      described |= field.id().equals("description");
      state = next;
    }
    if (described && state.phase() == IntakeState.Phase.ASKING) {
      List<Suggestion> suggestions = suggestFor(state.answers());
      if (!suggestions.isEmpty()) {
        IntakeState suggesting = state.asking(state.field() - 1, state.answers(), state.redactions(),
            state.suggestedSeverity(), at).suggesting(suggestions, at);
        out.add(suggestionsMessage(suggesting));
        return IntakeTurn.next(suggesting, out);
      }
    }
    return advance(state, at, out);
  }

  private IntakeTurn answerField(IntakeState state, String raw, Instant at) {
    return answerField(state, raw, at, false);
  }

  /** One answer; in a form ({@code inForm}) neither suggestions nor the next question follow it. */
  private IntakeTurn answerField(IntakeState state, String raw, Instant at, boolean inForm) {
    ReportField field = policy.report().get(state.field());
    String text = raw;
    int redactions = state.redactions();
    List<Outbound> out = new ArrayList<>();
    if (isFreeText(field.kind())) {
      Redactor.Redaction r = redactor.redact(raw);
      if (r.changed()) {
        text = r.text();
        redactions += r.count();
        out.add(say(state, Outbound.Kind.INTAKE).text(r.notice("your answer")).build());
      }
    }
    if (field.kind() == ReportField.Kind.SEVERITY && ACCEPT_SUGGESTION.contains(normal(text))) {
      text = SeveritySuggestion.suggest(policy, state.answers()).severityId();
    }
    LocalDate today = at.atZone(policy.calendar().zone()).toLocalDate();
    Answer answer = reader.read(field, text, state.answers(), today);
    return switch (answer) {
      case Answer.Reprompt r -> {
        out.add(say(state, Outbound.Kind.INTAKE).text(r.message()).build());
        yield IntakeTurn.next(new IntakeState(state.id(), state.organizationId(), state.reporter(), state.place(),
            state.phase(), state.field(), state.answers(), state.offered(), state.suggestedSeverity(), redactions,
            state.startedAt(), at, state.filedBy()), out);
      }
      case Answer.Refused r -> {
        out.add(say(state, Outbound.Kind.INTAKE).text(r.message()).build());
        yield IntakeTurn.end(new IntakeResult.Refused(r.message()), out);
      }
      case Answer.Accepted a -> {
        Map<String, String> answers = new LinkedHashMap<>(state.answers());
        answers.put(field.id(), a.value());
        for (String note : a.notes()) {
          out.add(say(state, Outbound.Kind.INTAKE).text(note).build());
        }
        String suggested = field.kind() == ReportField.Kind.SEVERITY
            ? SeveritySuggestion.suggest(policy, state.answers()).severityId() : state.suggestedSeverity();
        IntakeState answered = state.asking(state.field(), answers, redactions, suggested, at);
        if (inForm) {
          yield IntakeTurn.next(answered.asking(state.field() + 1, answers, redactions, suggested, at), out);
        }
        if (field.id().equals("description")) {
          List<Suggestion> suggestions = suggestFor(answers);
          if (!suggestions.isEmpty()) {
            IntakeState suggesting = answered.suggesting(suggestions, at);
            out.add(suggestionsMessage(suggesting));
            yield IntakeTurn.next(suggesting, out);
          }
        }
        yield advance(answered.asking(state.field() + 1, answers, redactions, suggested, at), at, out);
      }
    };
  }

  private IntakeTurn advance(IntakeState state, Instant at, List<Outbound> said) {
    List<Outbound> out = new ArrayList<>(said);
    while (state.field() < policy.report().size() && state.answers().containsKey(policy.report().get(state.field()).id())) {
      state = state.asking(state.field() + 1, state.answers(), state.redactions(), state.suggestedSeverity(), at);
    }
    if (state.field() < policy.report().size()) {
      out.add(question(state));
      return IntakeTurn.next(state, out);
    }
    Map<String, String> a = state.answers();
    String severity = a.getOrDefault("severity", "");
    if (severity.isEmpty()) {
      severity = SeveritySuggestion.suggest(policy, a).severityId();
    }
    IntakeResult.Ready ready = new IntakeResult.Ready(severity, a.getOrDefault("category", ""), a.getOrDefault("product", ""),
        a.getOrDefault("version", ""), title(a), a, state.offered());
    return IntakeTurn.end(ready, out);
  }

  private IntakeTurn verdict(IntakeState state, String raw, Instant at) {
    String answer = normal(raw);
    if (answer.matches("\\d{1,2}")) {
      int n = Integer.parseInt(answer);
      if (n >= 1 && n <= state.offered().size()) {
        return deflect(state, state.offered().get(n - 1));
      }
      return repromptVerdict(state);
    }
    if (SOLVED_WORDS.contains(answer)) {
      return deflect(state, state.offered().get(0));
    }
    if (CONTINUE_WORDS.contains(answer)) {
      return pick(state, CONTINUE, "", at);
    }
    return repromptVerdict(state);
  }

  private IntakeTurn deflect(IntakeState state, Suggestion solvedBy) {
    Outbound thanks = say(state, Outbound.Kind.INTAKE)
        .text("Glad that answered it. Nothing was filed; start again with /support if it comes back.").build();
    return IntakeTurn.end(new IntakeResult.Deflected(solvedBy), List.of(thanks));
  }

  private IntakeTurn cancel(IntakeState state) {
    return IntakeTurn.end(new IntakeResult.Cancelled(),
        List.of(say(state, Outbound.Kind.INTAKE).text("Cancelled; nothing was filed.").build()));
  }

  private IntakeTurn repromptVerdict(IntakeState state) {
    return IntakeTurn.next(state, List.of(say(state, Outbound.Kind.INTAKE)
        .text("Did one of these answer your question? Answer with its number (1-" + state.offered().size()
            + ") if it did, or \"still need help\" to go on filing.")
        .build()));
  }

  private Outbound notNow(IntakeState state) {
    return say(state, Outbound.Kind.INTAKE).text("That button is no longer active; here is where we are:").build();
  }

  private Outbound suggestionsMessage(IntakeState state) {
    List<Action> actions = new ArrayList<>();
    for (int i = 0; i < state.offered().size(); i++) {
      actions.add(new Action(SOLVED, "#" + (i + 1) + " solved it", state.offered().get(i).id(), false));
    }
    actions.add(new Action(CONTINUE, "Still need help", "", true));
    return say(state, Outbound.Kind.SUGGESTIONS)
        .text("These may already answer it:")
        .suggestions(state.offered())
        .text("Did one solve it? Answer with its number, or \"still need help\" to go on filing.")
        .actions(actions.toArray(Action[]::new))
        .build();
  }

  private List<Suggestion> suggestFor(Map<String, String> answers) {
    String description = answers.getOrDefault("description", "");
    // the case's product and version as answered; the knowledge base filters by them when they name a product
    // its documents are filed under and a version number, and ignores them otherwise
    return knowledge.suggest(title(answers), description, answers.getOrDefault("error_messages", ""),
        answers.getOrDefault("product", ""), answers.getOrDefault("version", ""), SUGGESTIONS);
  }

  /**
   * A message of the intake: to the reporter only; in an intake an engineer started on the
   * reporter's behalf, in the channel, since the reporter did not ask for it.
   */
  private Outbound.Builder say(IntakeState state, Outbound.Kind kind) {
    Outbound.Builder b = Outbound.toPlace(state.place(), kind);
    return state.filedBy().isPresent() ? b : b.onlyFor(state.reporter());
  }

  /** The case title: the description's first sentence or line, at most 80 characters. */
  public static String title(Map<String, String> answers) {
    String d = answers.getOrDefault("description", "").strip();
    if (d.isEmpty()) {
      return answers.getOrDefault("title", "Support request");
    }
    int end = d.length();
    for (String stop : List.of("\n", ". ", "? ", "! ")) {
      int i = d.indexOf(stop);
      if (i > 0 && i < end) {
        end = i + (stop.length() > 1 ? 1 : 0);
      }
    }
    String first = d.substring(0, end).strip();
    return first.length() <= 80 ? first : first.substring(0, 79).strip() + "…";
  }

  private static boolean isFreeText(ReportField.Kind kind) {
    return switch (kind) {
      case TEXT, LONG_TEXT, ATTACHMENT -> true;
      case YES_NO, PERCENT, CHOICE, PRODUCT, VERSION, CATEGORY, SEVERITY, INCIDENT_REFERENCE -> false;
    };
  }

  private static String normal(String text) {
    return text.strip().toLowerCase(Locale.ROOT).replaceAll("[.!]+$", "");
  }

  static String human(Duration d) {
    long h = d.toHours();
    long m = d.toMinutesPart();
    if (h >= 48 && m == 0 && h % 24 == 0) {
      return (h / 24) + " days";
    }
    return h > 0 ? h + (m > 0 ? "h " + m + "m" : " hours") : d.toMinutes() + " minutes";
  }
}
