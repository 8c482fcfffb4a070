package org.supportbot.config.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A YAML node together with its path in the document; reading it records a problem (with the
 * node's line) instead of throwing, so a loader can keep going and report everything at once.
 * A missing value is represented by a {@code YamlValue} whose node is null.
 */
final class YamlValue {
  private final Node node;
  private final String path;
  private final int parentLine;
  private final Problems problems;

  YamlValue(Node node, String path, int parentLine, Problems problems) {
    this.node = node;
    this.path = path;
    this.parentLine = parentLine;
    this.problems = problems;
  }

  /**
   * The root mapping of a YAML text, or a {@link ConfigException} when the text is not YAML or not a
   * mapping ({@code notAMapping} says what the file must look like).
   */
  static YamlValue document(String name, String text, Problems problems, String notAMapping) throws ConfigException {
    Node root;
    try {
      root = new org.snakeyaml.engine.v2.api.lowlevel.Compose(
          org.snakeyaml.engine.v2.api.LoadSettings.builder().setLabel(name).build()).composeString(text).orElse(null);
    } catch (org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      throw new ConfigException(List.of(new ConfigProblem(name, line, "",
          "is not valid YAML: " + e.getProblem() + "; check indentation and quoting near this line")));
    } catch (org.snakeyaml.engine.v2.exceptions.YamlEngineException e) {
      throw new ConfigException(List.of(new ConfigProblem(name, 0, "", "is not valid YAML: " + e.getMessage())));
    }
    YamlValue doc = new YamlValue(root, "", 1, problems);
    if (doc.isMissing() || !doc.isMap()) {
      throw new ConfigException(List.of(new ConfigProblem(name, 1, "", notAMapping)));
    }
    return doc;
  }

  String path() {
    return path;
  }

  int line() {
    if (node == null) {
      return parentLine;
    }
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(parentLine);
  }

  boolean isMissing() {
    return node == null || (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL));
  }

  boolean isMap() {
    return node instanceof MappingNode;
  }

  boolean isList() {
    return node instanceof SequenceNode;
  }

  void problem(String message) {
    problems.add(line(), path, message);
  }

  /** A child of a mapping; missing (not an error) when absent. */
  YamlValue get(String key) {
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
          return new YamlValue(t.getValueNode(), join(key), line(), problems);
        }
      }
    }
    return new YamlValue(null, join(key), line(), problems);
  }

  /** Like {@link #get} but records "missing" when the key is absent. */
  YamlValue require(String key, String hint) {
    YamlValue v = get(key);
    if (!isMissing() && isMap() && v.isMissing()) {
      problems.add(line(), v.path, "is required; " + hint);
    }
    return v;
  }

  /** Records every key that is not in {@code allowed}, with a suggestion. */
  void onlyKeys(String... allowed) {
    if (!(node instanceof MappingNode m)) {
      return;
    }
    List<String> names = Arrays.asList(allowed);
    for (NodeTuple t : m.getValue()) {
      String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
      if (!names.contains(key)) {
        int l = t.getKeyNode().getStartMark().map(mk -> mk.getLine() + 1).orElse(line());
        String suggestion = Suggestions.closest(key, names).map(s -> "did you mean \"" + s + "\"? ").orElse("");
        problems.add(l, join(key), "unknown key; " + suggestion + "allowed here: " + String.join(", ", names));
      }
    }
  }

  /** The entries of a mapping in document order; records a problem when this is not a mapping. */
  Map<String, YamlValue> entries() {
    Map<String, YamlValue> out = new LinkedHashMap<>();
    if (isMissing()) {
      return out;
    }
    if (!(node instanceof MappingNode m)) {
      problem("must be a mapping of key: value lines");
      return out;
    }
    for (NodeTuple t : m.getValue()) {
      String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
      if (out.containsKey(key)) {
        problems.add(t.getKeyNode().getStartMark().map(mk -> mk.getLine() + 1).orElse(line()), join(key),
            "appears twice; keep one");
      }
      out.put(key, new YamlValue(t.getValueNode(), join(key), line(), problems));
    }
    return out;
  }

  /** The items of a list; a single scalar counts as a one-item list. */
  List<YamlValue> items() {
    List<YamlValue> out = new ArrayList<>();
    if (isMissing()) {
      return out;
    }
    if (node instanceof SequenceNode s) {
      int i = 0;
      for (Node n : s.getValue()) {
        out.add(new YamlValue(n, path + "[" + i++ + "]", line(), problems));
      }
    } else if (node instanceof ScalarNode) {
      out.add(this);
    } else {
      problem("must be a list, e.g. [a, b] or lines starting with \"- \"");
    }
    return out;
  }

  /** The scalar text, or empty (recording a problem if {@code required}). */
  Optional<String> text(boolean required, String hint) {
    if (isMissing()) {
      if (required) {
        problem("is required; " + hint);
      }
      return Optional.empty();
    }
    if (node instanceof ScalarNode s) {
      return Optional.of(s.getValue());
    }
    problem("must be a single value, not a " + (isMap() ? "mapping" : "list") + "; " + hint);
    return Optional.empty();
  }

  String text(String fallback) {
    return text(false, "").orElse(fallback);
  }

  String requireText(String hint) {
    return text(true, hint).orElse("");
  }

  boolean bool(boolean fallback) {
    Optional<String> t = text(false, "");
    if (t.isEmpty()) {
      return fallback;
    }
    return switch (t.get().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> {
        problem("\"" + t.get() + "\" is not true or false; write true or false");
        yield fallback;
      }
    };
  }

  Optional<Integer> integer(boolean required, int min, String hint) {
    Optional<String> t = text(required, hint);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    try {
      int v = Integer.parseInt(t.get().trim());
      if (v < min) {
        problem(v + " is too small; it must be at least " + min);
        return Optional.empty();
      }
      return Optional.of(v);
    } catch (NumberFormatException e) {
      problem("\"" + t.get() + "\" is not a whole number; " + hint);
      return Optional.empty();
    }
  }

  /** Parses the scalar with {@code parser}; an {@link IllegalArgumentException}'s message becomes the problem. */
  <T> Optional<T> parse(boolean required, String hint, Function<String, T> parser) {
    Optional<String> t = text(required, hint);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parser.apply(t.get().trim()));
    } catch (RuntimeException e) {
      String msg = e.getMessage() == null ? "\"" + t.get() + "\" is not valid" : e.getMessage();
      problem(msg.contains(hint) ? msg : msg + (hint.isEmpty() ? "" : "; " + hint));
      return Optional.empty();
    }
  }

  /** Reads one of an enum's constants, written in lower case with underscores. */
  <E extends Enum<E>> Optional<E> enumValue(Class<E> type, boolean required) {
    List<String> names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    Optional<String> t = text(required, "one of: " + String.join(", ", names));
    if (t.isEmpty()) {
      return Optional.empty();
    }
    String key = t.get().trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(key)) {
        return Optional.of(e);
      }
    }
    String suggestion = Suggestions.closest(key, names).map(s -> "did you mean \"" + s + "\"? ").orElse("");
    problem("\"" + t.get() + "\" is not allowed here; " + suggestion + "use one of: " + String.join(", ", names));
    return Optional.empty();
  }

  private String join(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
