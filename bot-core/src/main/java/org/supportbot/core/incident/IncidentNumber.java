package org.supportbot.core.incident;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A human-friendly incident number: the organization's key and a sequence, e.g. {@code ACME-42}. */
public record IncidentNumber(String orgKey, int seq) implements Comparable<IncidentNumber> {
  private static final Pattern FORM = Pattern.compile("([A-Z][A-Z0-9]{1,9})-(\\d{1,9})");

  public IncidentNumber {
    Objects.requireNonNull(orgKey, "orgKey");
    if (seq < 1) {
      throw new IllegalArgumentException("incident numbers start at 1, got " + orgKey + "-" + seq);
    }
  }

  public static IncidentNumber parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("\"" + text + "\" is not an incident number; write the organization key, a dash"
          + " and the number, e.g. ACME-42");
    }
    return new IncidentNumber(m.group(1), Integer.parseInt(m.group(2)));
  }

  @Override
  public int compareTo(IncidentNumber o) {
    int c = orgKey.compareTo(o.orgKey);
    return c != 0 ? c : Integer.compare(seq, o.seq);
  }

  @Override
  public String toString() {
    return orgKey + "-" + seq;
  }
}
