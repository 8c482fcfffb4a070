package org.supportbot.kb.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Normalizes version strings so that {@code v2.3.x}, {@code 2.3} and {@code 2.3.1} relate. */
public final class Versions {
  private Versions() {}

  /** Lower case, no leading {@code v}, no trailing {@code .x} / {@code .*}. */
  public static String normalize(String version) {
    String v = version == null ? "" : version.strip().toLowerCase(Locale.ROOT);
    if (v.startsWith("v") && v.length() > 1 && Character.isDigit(v.charAt(1))) {
      v = v.substring(1);
    }
    while (v.endsWith(".x") || v.endsWith(".*")) {
      v = v.substring(0, v.length() - 2);
    }
    return v;
  }

  /**
   * The version and its prefixes, most specific first: {@code 2.3.1} gives {@code 2.3.1, 2.3, 2};
   * a document for {@code 2.3} applies to a draft for {@code 2.3.1}.
   */
  public static List<String> withPrefixes(String version) {
    String v = normalize(version);
    List<String> out = new ArrayList<>();
    if (v.isEmpty()) {
      return out;
    }
    out.add(v);
    int dot = v.lastIndexOf('.');
    while (dot > 0) {
      v = v.substring(0, dot);
      out.add(v);
      dot = v.lastIndexOf('.');
    }
    return out;
  }
}
