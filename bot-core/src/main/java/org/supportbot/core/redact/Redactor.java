package org.supportbot.core.redact;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.supportbot.config.policy.Privacy;

/**
 * Removes secrets (tokens, keys, passwords, credentials in connection strings, private keys) and
 * personal data (e-mail addresses, phone numbers, payment card numbers) from text before it is
 * stored, indexed or logged. Each finding is replaced by a marker naming what was removed, e.g.
 * {@code [redacted: e-mail]}, so engineers know something was there. Thread-safe.
 *
 * <p>A policy may ask for more: IP addresses, host names and user names ({@link Privacy}), replaced
 * by the same kind of marker.
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
    PHONE("phone number"),
    IP_ADDRESS("IP address"),
    HOST_NAME("host name"),
    USER_NAME("user name");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String marker() {
      return "[redacted: " + label + "]";
    }

    /** What was removed, for people: "IP address". */
    public String label() {
      return label;
    }

    String plural() {
      return label.contains(" in ") ? label.replace(" in ", "s in ") + "s" : label + (label.endsWith("s") ? "es" : "s");
    }

    /** Identifying data removed only when a policy asks for it, as opposed to secrets and personal data. */
    public boolean identifying() {
      return this == IP_ADDRESS || this == HOST_NAME || this == USER_NAME;
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

    /** How many items were removed. */
    public int count() {
      return findings.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** What was removed, kind by kind in a fixed order: "2 IP addresses, 1 user name". */
    public String summary() {
      List<String> parts = new ArrayList<>();
      for (Kind k : Kind.values()) {
        Integer n = findings.get(k);
        if (n != null) {
          parts.add(n + " " + (n == 1 ? k.label() : k.plural()));
        }
      }
      return String.join(", ", parts);
    }

    /**
     * What the person who wrote the text is told, e.g. "I removed 2 items (1 IP address, 1 user
     * name) from your reply on RO-1 before keeping it, as the support policy asks for de-identified
     * logs." {@code where} names the text ("your answer", "your reply on RO-1").
     */
    public String notice(String where) {
      int n = count();
      boolean secrets = findings.keySet().stream().anyMatch(k -> !k.identifying());
      boolean identifying = findings.keySet().stream().anyMatch(Kind::identifying);
      return "I removed " + n + " item" + (n == 1 ? "" : "s") + " (" + summary() + ") from " + where
          + " before keeping it" + (identifying ? ", as the support policy asks for de-identified logs" : "")
          + (secrets ? "; please never paste secrets into chat." : ".");
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

  /**
   * Identifying data a policy may ask to remove from logs (Resource Optimizer, seed 001). Version
   * numbers (2.1.1, v10.2.0.1, "version 10.2.0.1") and case numbers (RO-12) are left alone: an
   * address needs four parts not preceded by "v" or a version word, a host name a known top-level
   * domain or an internal suffix (so Java class names and file names are not host names).
   */
  private static final List<Rule> IP_RULES = List.of(
      new Rule(Kind.IP_ADDRESS, Pattern.compile(
          "(?<![\\w.:-])(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}"
              + "(?![\\w-]|\\.\\d)"), 0),
      new Rule(Kind.IP_ADDRESS, Pattern.compile(
          "(?<![\\w:.-])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\\d{1,3}\\.){3}\\d{1,3})?(?:%[\\w.]+)?"
              + "(?![\\w:.-])"), 0));
  private static final List<Rule> HOST_RULES = List.of(
      new Rule(Kind.HOST_NAME, Pattern.compile(
          "(?i)(?<![\\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+"
              + "(?:com|net|org|io|dev|cloud|app|ai|co|biz|info|edu|gov|mil|us|uk|ca|au|nz|de|fr|nl|be|ch|at|se|no|dk|fi"
              + "|ie|it|es|pt|pl|cz|eu|jp|cn|in|sg|hk|kr|br|mx|za|ru"
              + "|internal|local|localdomain|lan|corp|intra|intranet|home|private|example|test)"
              + "(?![\\w-]|\\.[a-z0-9])\\.?"), 0));
  private static final List<Rule> USER_RULES = List.of(
      // user=alice, username: alice, login=alice, User Id=alice, owner=alice
      new Rule(Kind.USER_NAME, Pattern.compile(
          "(?i)(\\b(?:user(?:[ _-]?(?:name|id))?|login|logon|uid)[\"']?\\s*[:=]\\s*[\"']?)"
              + "(?!\\[redacted)[\\w.$-]+(?:\\\\[\\w.$-]+)?"), 1),
      // /home/alice, /Users/alice, C:\Users\alice, C:/Users/alice
      new Rule(Kind.USER_NAME, Pattern.compile(
          "((?:(?<![\\w.])/home/|(?<![\\w.])/Users/|(?i:\\b[A-Z]:[\\\\/](?:Users|Documents and Settings)[\\\\/])))"
              + "(?!\\[redacted)[\\w.$-]+"), 1),
      // CORP\alice (an upper-case domain, not a drive letter or a UNC share)
      new Rule(Kind.USER_NAME, Pattern.compile("((?<![\\w\\\\:/.])(?!HK(?:LM|CU|CR|CC|U)\\\\|HKEY_)[A-Z][A-Z0-9-]{1,14}\\\\)(?!\\[redacted)[A-Za-z][\\w.$-]*"), 1));

  private static final Pattern VERSION_BEFORE = Pattern.compile("(?i)(?:version|release|build|ver|rev)\\s*[:=]?\\s*$");

  private final List<Rule> rules;

  /** Removes secrets and personal data only. */
  public Redactor() {
    this(Set.of());
  }

  /** Removes secrets and personal data, and the identifying data a policy asks to remove. */
  public Redactor(Set<Privacy.DeIdentify> deIdentify) {
    List<Rule> all = new ArrayList<>(RULES);
    if (deIdentify.contains(Privacy.DeIdentify.USER_NAMES)) {
      all.addAll(USER_RULES);
    }
    if (deIdentify.contains(Privacy.DeIdentify.IP_ADDRESSES)) {
      all.addAll(IP_RULES);
    }
    if (deIdentify.contains(Privacy.DeIdentify.HOST_NAMES)) {
      all.addAll(HOST_RULES);
    }
    this.rules = List.copyOf(all);
  }

  /** Redacts {@code text}; null is treated as empty. */
  public Redaction redact(String text) {
    if (text == null || text.isEmpty()) {
      return new Redaction("", Map.of());
    }
    Map<Kind, Integer> findings = new EnumMap<>(Kind.class);
    String current = text;
    for (Rule rule : rules) {
      Matcher m = rule.pattern().matcher(current);
      StringBuilder out = new StringBuilder(current.length());
      boolean any = false;
      while (m.find()) {
        if (rule.kind() == Kind.PAYMENT_CARD && !luhn(m.group())
            || rule.kind() == Kind.IP_ADDRESS && !address(m.group(), current, m.start())) {
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

  /** An IPv4 address not written as a version, or a well-formed IPv6 address. */
  private static boolean address(String candidate, String text, int start) {
    if (!candidate.contains(":")) {
      return !VERSION_BEFORE.matcher(text.substring(Math.max(0, start - 12), start)).find();
    }
    String a = candidate.replaceFirst("%.*$", "");
    if (!a.matches(".*[0-9A-Fa-f].*") || a.indexOf("::") != a.lastIndexOf("::") || a.contains(":::")) {
      return false;
    }
    int groups = 0;
    for (String part : a.split(":", -1)) {
      if (part.contains(".")) {
        groups += 2; // an embedded IPv4 address
      } else if (!part.isEmpty()) {
        groups++;
      }
    }
    boolean compressed = a.contains("::");
    if (!compressed && (a.startsWith(":") || a.endsWith(":"))) {
      return false;
    }
    return compressed ? groups < 8 : groups == 8;
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
