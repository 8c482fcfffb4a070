package org.supportbot.core.redact;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets (tokens, keys, passwords, credentials in connection strings, private keys) and
 * personal data (e-mail addresses, phone numbers, payment card numbers) from text before it is
 * stored, indexed or logged. Each finding is replaced by a marker naming what was removed, e.g.
 * {@code [redacted: e-mail]}, so engineers know something was there. Thread-safe.
 *
 * <p>Rules run in a fixed order, most specific first, so a password inside a connection string is
 * reported as a credential once and not matched again by the e-mail rule.
 */
public final class Redactor {

  /** What a finding was. */
  public enum Kind {
    PRIVATE_KEY("private key"),
    CREDENTIAL_IN_URL("password in URL"),
    TOKEN("token"),
    CLOUD_KEY("cloud key"),
    SECRET_VALUE("secret"),
    EMAIL("e-mail"),
    PAYMENT_CARD("card number"),
    PHONE("phone number");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String marker() {
      return "[redacted: " + label + "]";
    }
  }

  /** The redacted text and how many findings of each kind were removed. */
  public record Redaction(String text, Map<Kind, Integer> findings) {
    public Redaction {
      findings = Map.copyOf(findings);
    }

    public boolean changed() {
      return !findings.isEmpty();
    }
  }

  private record Rule(Kind kind, Pattern pattern, int keepGroup) {}

  private static final List<Rule> RULES = List.of(
      new Rule(Kind.PRIVATE_KEY, Pattern.compile(
          "-----BEGIN (?:[A-Z ]+ )?PRIVATE KEY-----[\\s\\S]*?(?:-----END (?:[A-Z ]+ )?PRIVATE KEY-----|\\z)"), 0),
      // scheme://user:password@host -> keep scheme://user:, drop the password
      new Rule(Kind.CREDENTIAL_IN_URL, Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s:/@]+:)[^\\s@/]+(?=@)"), 1),
      new Rule(Kind.TOKEN, Pattern.compile("\\b(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,}"), 0),
      new Rule(Kind.TOKEN, Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_-]{20,})"), 0),
      new Rule(Kind.TOKEN, Pattern.compile("\\b(?:sk|rk|pk)_(?:live|test)_[0-9a-zA-Z]{16,}"), 0),
      new Rule(Kind.TOKEN, Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"), 0),
      new Rule(Kind.TOKEN, Pattern.compile("\\b[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,}"), 0),
      new Rule(Kind.TOKEN, Pattern.compile("(?i)(\\b(?:bearer|basic|token)\\s+)[A-Za-z0-9._~+/-]{12,}=*"), 1),
      new Rule(Kind.CLOUD_KEY, Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b"), 0),
      new Rule(Kind.CLOUD_KEY, Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}"), 0),
      // key = value, key: value, "key": "value", Password=...; in connection strings
      new Rule(Kind.SECRET_VALUE, Pattern.compile(
          "(?i)(\\b[\\w.-]*(?:password|passwd|pwd|passphrase|secret|api[_-]?key|apikey|access[_-]?key|access[_-]?token"
              + "|auth[_-]?token|refresh[_-]?token|client[_-]?secret|private[_-]?key|signing[_-]?secret|credentials?)"
              + "[\"']?\\s*[:=]\\s*)(\"[^\"\\n]*\"|'[^'\\n]*'|[^\\s;,&\"'}]+)"), 1),
      new Rule(Kind.EMAIL, Pattern.compile("\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}\\b"), 0),
      new Rule(Kind.PAYMENT_CARD, Pattern.compile("\\b(?:\\d[ -]?){12,18}\\d\\b"), 0),
      new Rule(Kind.PHONE, Pattern.compile(
          "(?<![\\w.+-])(?:\\+\\d{1,3}[\\s.-]?(?:\\(\\d{1,4}\\)[\\s.-]?)?\\d{1,4}(?:[\\s.-]?\\d{2,4}){2,4}"
              + "|\\(\\d{3}\\)\\s?\\d{3}[\\s.-]\\d{4}|\\b\\d{3}[.-]\\d{3}[.-]\\d{4})(?![\\w.-]*\\d)"), 0));

  /** Redacts {@code text}; null is treated as empty. */
  public Redaction redact(String text) {
    if (text == null || text.isEmpty()) {
      return new Redaction("", Map.of());
    }
    Map<Kind, Integer> findings = new EnumMap<>(Kind.class);
    String current = text;
    for (Rule rule : RULES) {
      Matcher m = rule.pattern().matcher(current);
      StringBuilder out = new StringBuilder(current.length());
      boolean any = false;
      while (m.find()) {
        if (rule.kind() == Kind.PAYMENT_CARD && !luhn(m.group())) {
          continue;
        }
        if (m.group().contains("[redacted: ")
            || rule.keepGroup() > 0 && current.startsWith("[redacted: ", m.end(rule.keepGroup()))) {
          continue;
        }
        any = true;
        findings.merge(rule.kind(), 1, Integer::sum);
        String kept = rule.keepGroup() > 0 ? m.group(rule.keepGroup()) : "";
        m.appendReplacement(out, Matcher.quoteReplacement(kept + rule.kind().marker()));
      }
      if (any) {
        m.appendTail(out);
        current = out.toString();
      }
    }
    return new Redaction(current, findings);
  }

  /** Convenience for callers that only need the text. */
  public String clean(String text) {
    return redact(text).text();
  }

  /** Redacts every string of a list, in order. */
  public List<String> cleanAll(List<String> texts) {
    List<String> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(clean(t));
    }
    return out;
  }

  private static boolean luhn(String candidate) {
    String digits = candidate.replaceAll("[ -]", "");
    if (digits.length() < 13 || digits.length() > 19) {
      return false;
    }
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }
}
