package org.supportbot.kb.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The YAML front matter of an article. Most front matter is a few {@code key: value} lines whose
 * values are plain words, double-quoted text or a {@code [a, b]} list: those are read directly,
 * with exactly the values the YAML parser gives them (a third of reading an article went into
 * setting up the parser per file). Anything else (comments, blank or indented lines, block lists,
 * escapes, values YAML would read as numbers, booleans or null, repeated keys) goes to the YAML
 * parser. {@code FrontMatterTest} compares the two readings on random front matter.
 */
final class FrontMatter {
  /** Settings of the parser; immutable, shared (a {@link Load} is made per file). */
  private static final LoadSettings YAML = LoadSettings.builder().build();
  /** Plain values YAML resolves to something other than text (compared in lower case). */
  private static final Set<String> NOT_TEXT = Set.of("true", "false", "null");

  private FrontMatter() {}

  /** The front matter's mapping (values are strings, lists or what YAML makes of them). */
  static Map<?, ?> parse(String yaml, String where) {
    Map<String, Object> simple = simple(yaml);
    return simple != null ? simple : yaml(yaml, where);
  }

  /** What the YAML parser reads. */
  static Map<?, ?> yaml(String yaml, String where) {
    try {
      Object loaded = new Load(YAML).loadFromString(yaml);
      if (loaded == null) {
        return Map.of();
      } else if (loaded instanceof Map<?, ?> m) {
        return m;
      }
      throw new IngestException(where + ": front matter is not a set of \"key: value\" lines");
    } catch (org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException e) {
      // the front matter starts on the file's second line, after "---"; the parser counts lines and columns from 0
      String at = e.getProblemMark().map(m -> " at line " + (m.getLine() + 2) + ", column " + (m.getColumn() + 1))
          .orElse("");
      String fix = e instanceof org.snakeyaml.engine.v2.exceptions.DuplicateKeyException
          ? "; give each key once"
          : "; a value holding \": \" or \" #\", or starting with [, {, *, &, ! or a quote, needs double quotes"
              + " around it (title: \"Error: disk full\")";
      throw new IngestException(where + ": front matter is not valid YAML" + at + ": " + e.getProblem() + fix, e);
    } catch (YamlEngineException e) {
      throw new IngestException(
          where + ": front matter is not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
    }
  }

  /** The mapping when every line is a simple {@code key: value}, else null (then YAML decides). */
  static Map<String, Object> simple(String yaml) {
    if (yaml.isEmpty()) {
      return null;
    }
    Map<String, Object> out = new HashMap<>();
    int from = 0;
    while (from <= yaml.length()) {
      int to = yaml.indexOf('\n', from);
      if (to < 0) {
        to = yaml.length();
      }
      int colon = key(yaml, from, to);
      if (colon < 0) {
        return null;
      }
      String key = yaml.substring(from, colon);
      int v = colon + 1;
      if (v >= to || yaml.charAt(v) != ' ') {
        return null;
      }
      while (v < to && yaml.charAt(v) == ' ') {
        v++;
      }
      int end = to;
      while (end > v && yaml.charAt(end - 1) == ' ') {
        end--;
      }
      Object value = value(yaml, v, end);
      if (value == null || out.put(key, value) != null) {
        return null;
      }
      from = to + 1;
    }
    return out;
  }

  /** The index of the colon after a key of ASCII letters, digits, {@code _} and {@code -}, else -1. */
  private static int key(String s, int from, int to) {
    if (from >= to || !asciiLetter(s.charAt(from))) {
      return -1;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == ':') {
        return notText(s.substring(from, i)) ? -1 : i;
      }
      if (!asciiLetter(c) && !asciiDigit(c) && c != '_' && c != '-') {
        return -1;
      }
    }
    return -1;
  }

  /** A value as YAML reads it, or null when it is not one of the simple forms. */
  private static Object value(String s, int from, int to) {
    if (from >= to) {
      return null;
    }
    char first = s.charAt(from);
    if (first == '"') {
      return quoted(s, from, to);
    }
    if (first == '[') {
      if (s.charAt(to - 1) != ']') {
        return null;
      }
      List<String> items = new ArrayList<>();
      int a = from + 1;
      int b = to - 1;
      while (a < b && s.charAt(a) == ' ') {
        a++;
      }
      if (a == b) {
        return items;
      }
      while (true) {
        int comma = s.indexOf(',', a);
        int itemEnd = comma < 0 || comma > b ? b : comma;
        int x = a;
        int y = itemEnd;
        while (x < y && s.charAt(x) == ' ') {
          x++;
        }
        while (y > x && s.charAt(y - 1) == ' ') {
          y--;
        }
        String item = item(s, x, y);
        if (item == null) {
          return null;
        }
        items.add(item);
        if (itemEnd == b) {
          return items;
        }
        a = itemEnd + 1;
      }
    }
    return plain(s, from, to);
  }

  /** A double-quoted value without escapes, on one line, nothing after the closing quote. */
  private static String quoted(String s, int from, int to) {
    if (to - from < 2 || s.charAt(to - 1) != '"') {
      return null;
    }
    for (int i = from + 1; i < to - 1; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\' || !printable(c)) {
        return null;
      }
    }
    return s.substring(from + 1, to - 1);
  }

  /**
   * A plain value: starts with a letter, holds letters, digits, spaces and {@code _ . / - , ( ) ' ?
   * ! + ; %}, and colons not followed by a space; not a word YAML reads as a boolean or null.
   */
  private static String plain(String s, int from, int to) {
    if (!letter(s.charAt(from))) {
      return null;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      boolean ok = letter(c) || asciiDigit(c) || switch (c) {
        case ' ', '_', '.', '/', '-', ',', '(', ')', '\'', '?', '!', '+', ';', '%' -> true;
        case ':' -> i + 1 < to && s.charAt(i + 1) != ' ';
        default -> false;
      };
      if (!ok) {
        return null;
      }
    }
    String v = s.substring(from, to);
    return notText(v) ? null : v;
  }

  /**
   * A plain item of a {@code [a, b]} list: starts with a letter, then letters, digits, {@code _ . -}
   * and apostrophes ({@code [user's, i'm]}: a quote opens a quoted scalar only at an item's start).
   */
  private static String item(String s, int from, int to) {
    if (from >= to || !letter(s.charAt(from))) {
      return null;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!letter(c) && !asciiDigit(c) && c != '_' && c != '.' && c != '-' && c != '\'') {
        return null;
      }
    }
    String v = s.substring(from, to);
    return notText(v) ? null : v;
  }

  /** Whether YAML reads the plain word as a boolean or null rather than text. */
  private static boolean notText(String word) {
    return (word.length() == 4 || word.length() == 5) && NOT_TEXT.contains(word.toLowerCase(Locale.ROOT));
  }

  private static boolean asciiLetter(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  private static boolean asciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** An ASCII letter, or a letter of the Basic Multilingual Plane beyond Latin-1's symbols. */
  private static boolean letter(char c) {
    return asciiLetter(c) || c >= 0xC0 && !Character.isSurrogate(c) && Character.isLetter(c);
  }

  /** Printable in YAML and no BOM, line break or surrogate: ASCII from space, and U+00A0-U+FFFD. */
  private static boolean printable(char c) {
    return c >= 0x20 && c < 0x7F || c >= 0xA0 && c <= 0xFFFD && c != 0xFEFF && !Character.isSurrogate(c)
        && c != 0x2028 && c != 0x2029;
  }
}
