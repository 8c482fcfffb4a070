package org.supportbot.core.intake;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.supportbot.config.load.Suggestions;
import org.supportbot.config.policy.ReportField;
import org.supportbot.config.policy.RequestCategory;
import org.supportbot.config.policy.Severity;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.config.policy.VersionSupport;

/**
 * Reads a customer's free-text answer to one report question of a policy: normalizes it, or says
 * precisely why it cannot be used and what to answer instead. Pure: no state, no I/O.
 */
public final class AnswerReader {
  /** The shortest description that can be worked on. */
  public static final int MIN_DESCRIPTION = 20;

  private static final Pattern PERCENT = Pattern.compile("(?:about|around|roughly|~)?\\s*(\\d{1,3}(?:\\.\\d+)?)\\s*(?:%|percent|pct)?");
  private static final Pattern VERSION = Pattern.compile("v?(\\d+(?:\\.\\d+){0,3}(?:[-+.][0-9A-Za-z.]+)?)");
  private static final Pattern INCIDENT = Pattern.compile("#?([A-Za-z][A-Za-z0-9]{0,15}-\\d{1,9})");
  private static final List<String> NONE = List.of("none", "no", "n/a", "na", "nothing", "-", "skip", "no error", "no errors");

  private final SupportPolicy policy;

  public AnswerReader(SupportPolicy policy) {
    this.policy = policy;
  }

  /**
   * Reads {@code raw} as the answer to {@code field}.
   *
   * @param answers the answers given so far, by field id (the version question needs the product)
   * @param today the customer's date, for support periods of releases
   */
  public Answer read(ReportField field, String raw, Map<String, String> answers, LocalDate today) {
    String text = raw == null ? "" : raw.strip();
    String lower = text.toLowerCase(Locale.ROOT);
    if (text.isEmpty()) {
      return field.required()
          ? new Answer.Reprompt("This one is needed: " + field.prompt())
          : Answer.Accepted.of("");
    }
    if (!field.required() && NONE.contains(lower) && field.kind() != ReportField.Kind.YES_NO) {
      return Answer.Accepted.of("");
    }
    return switch (field.kind()) {
      case TEXT, ATTACHMENT -> Answer.Accepted.of(text);
      case LONG_TEXT -> longText(field, text, lower);
      case YES_NO -> yesNo(lower);
      case PERCENT -> percent(lower);
      case CHOICE -> choice(field, text);
      case PRODUCT -> product(text);
      case VERSION -> version(text, answers.getOrDefault("product", ""), today);
      case CATEGORY -> category(text);
      case SEVERITY -> severity(text);
      case INCIDENT_REFERENCE -> incident(text, lower);
    };
  }

  private static Answer longText(ReportField field, String text, String lower) {
    if (field.id().equals("description") && text.length() < MIN_DESCRIPTION) {
      return new Answer.Reprompt("Please describe the problem in a sentence or two (at least " + MIN_DESCRIPTION
          + " characters): what you did, what happened, and what you expected.");
    }
    if (NONE.contains(lower)) {
      return Answer.Accepted.of("none");
    }
    return Answer.Accepted.of(text);
  }

  private static Answer yesNo(String lower) {
    return switch (lower.replaceAll("[.!]$", "")) {
      case "yes", "y", "yeah", "yep", "true", "always", "every time" -> Answer.Accepted.of("yes");
      case "no", "n", "nope", "false", "never", "not yet" -> Answer.Accepted.of("no");
      case "sometimes", "intermittent", "intermittently", "occasionally", "not always" -> Answer.Accepted.of("sometimes");
      default -> new Answer.Reprompt("Please answer yes, no or sometimes.");
    };
  }

  private static Answer percent(String lower) {
    switch (lower) {
      case "all", "everyone", "everybody", "all users" -> {
        return Answer.Accepted.of("100");
      }
      case "none", "nobody", "no one", "no users" -> {
        return Answer.Accepted.of("0");
      }
      case "half" -> {
        return Answer.Accepted.of("50");
      }
      case "just me", "only me", "one user" -> {
        return Answer.Accepted.of("1");
      }
      default -> { }
    }
    Matcher m = PERCENT.matcher(lower);
    if (m.matches()) {
      double v = Double.parseDouble(m.group(1));
      if (v <= 100) {
        return Answer.Accepted.of(v == Math.rint(v) ? Integer.toString((int) v) : Double.toString(v));
      }
    }
    return new Answer.Reprompt("Please give a share of users between 0 and 100, e.g. \"30%\", or \"all\".");
  }

  private static Answer choice(ReportField field, String text) {
    for (String c : field.choices()) {
      if (c.equalsIgnoreCase(text)) {
        return Answer.Accepted.of(c);
      }
    }
    return new Answer.Reprompt("Please choose one of: " + String.join(", ", field.choices())
        + Suggestions.closest(text, field.choices()).map(s -> ". Did you mean \"" + s + "\"?").orElse("."));
  }

  private Answer product(String text) {
    List<VersionSupport.Product> products = policy.versions().products();
    if (products.isEmpty()) {
      return Answer.Accepted.of(text);
    }
    for (VersionSupport.Product p : products) {
      if (p.id().equalsIgnoreCase(text) || p.name().equalsIgnoreCase(text)) {
        return Answer.Accepted.of(p.id());
      }
    }
    List<String> names = products.stream().map(VersionSupport.Product::name).toList();
    Map<String, String> aliases = new java.util.LinkedHashMap<>();
    products.forEach(p -> aliases(aliases, p.id(), p.name()));
    return new Answer.Reprompt("\"" + text + "\" is not a product this policy covers; choose one of: "
        + String.join(", ", names) + didYouMean(text, aliases));
  }

  private Answer version(String text, String product, LocalDate today) {
    Matcher m = VERSION.matcher(text);
    if (!m.matches()) {
      return new Answer.Reprompt("Please give the version number as shown in the product, e.g. \"2.1.1\".");
    }
    String version = m.group(1);
    if (product.isEmpty()) {
      return Answer.Accepted.of(version);
    }
    VersionSupport.Verdict verdict = policy.versions().verdict(product, version, today);
    return switch (verdict.status()) {
      case FULL -> Answer.Accepted.of(version);
      case LIMITED -> new Answer.Accepted(version, List.of("Limited support: " + verdict.reason() + "."));
      case UNSUPPORTED -> new Answer.Refused(verdict.reason() + ".");
      case UNKNOWN -> policy.versions().products().isEmpty()
          ? Answer.Accepted.of(version)
          : new Answer.Reprompt(verdict.reason() + ". Please check the version (Help > About in the product).");
    };
  }

  private Answer category(String text) {
    List<RequestCategory> categories = policy.categories();
    Optional<RequestCategory> byNumber = number(text, categories.size()).map(i -> categories.get(i - 1));
    if (byNumber.isPresent()) {
      return Answer.Accepted.of(byNumber.get().id());
    }
    for (RequestCategory c : categories) {
      if (c.id().equalsIgnoreCase(text) || c.name().equalsIgnoreCase(text) || c.id().replace('_', ' ').equalsIgnoreCase(text)) {
        return Answer.Accepted.of(c.id());
      }
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < categories.size(); i++) {
      names.add((i + 1) + ". " + categories.get(i).name());
    }
    Map<String, String> aliases = new java.util.LinkedHashMap<>();
    categories.forEach(c -> aliases(aliases, c.id(), c.name()));
    return new Answer.Reprompt("Please choose a category by number or name: " + String.join("; ", names)
        + didYouMean(text, aliases));
  }

  private Answer severity(String text) {
    Optional<Severity> s = policy.severity(text);
    if (s.isEmpty()) {
      s = policy.severities().stream().filter(x -> x.name().equalsIgnoreCase(text)).findFirst();
    }
    if (s.isEmpty()) {
      s = number(text.replaceFirst("(?i)^(severity|sev|level|priority)\\s*", ""), 9)
          .flatMap(level -> policy.severities().stream().filter(x -> x.level() == level).findFirst());
    }
    if (s.isPresent()) {
      return Answer.Accepted.of(s.get().id());
    }
    return new Answer.Reprompt("Please choose a level: " + String.join(", ", policy.severities().stream()
        .map(x -> x.id() + " (" + x.name() + ")").toList()) + ".");
  }

  private static Answer incident(String text, String lower) {
    if (NONE.contains(lower)) {
      return Answer.Accepted.of("");
    }
    Matcher m = INCIDENT.matcher(text);
    if (m.matches()) {
      return Answer.Accepted.of(m.group(1).toUpperCase(Locale.ROOT));
    }
    return new Answer.Reprompt("Please give an incident number such as ACME-42, or \"no\".");
  }

  /** Maps an id, a name and each longer word of the name to the name shown to people. */
  private static void aliases(Map<String, String> out, String id, String name) {
    out.putIfAbsent(id.toLowerCase(Locale.ROOT), name);
    out.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
    for (String word : name.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
      if (word.length() >= 4) {
        out.putIfAbsent(word, name);
      }
    }
  }

  private static String didYouMean(String typed, Map<String, String> aliases) {
    return Suggestions.closest(typed.toLowerCase(Locale.ROOT), aliases.keySet())
        .map(a -> ". Did you mean \"" + aliases.get(a) + "\"?").orElse(".");
  }

  private static Optional<Integer> number(String text, int max) {
    try {
      int n = Integer.parseInt(text.strip());
      return n >= 1 && n <= max ? Optional.of(n) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
