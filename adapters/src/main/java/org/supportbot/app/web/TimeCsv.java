package org.supportbot.app.web;

import java.util.List;

/**
 * Atollon time entries of a case as CSV (RFC 4180): one line per {@code /time} entry. A cell that a
 * spreadsheet would read as a formula (starting with {@code = + - @}) is prefixed with {@code '}.
 */
final class TimeCsv {
  private TimeCsv() {}

  static String of(CaseFile f) {
    StringBuilder b = new StringBuilder();
    line(b, List.of("case", "organization", "date", "engineer", "worked_minutes", "billed_minutes", "communication",
        "zone", "chargeable", "free_task", "reason", "note"));
    for (CaseFile.TimeEntry t : f.time()) {
      line(b, List.of(f.row().number(), f.row().organization(), t.at().toString(), t.engineer(),
          Long.toString(t.worked().toMinutes()), Long.toString(t.billed().toMinutes()), Boolean.toString(t.communication()),
          t.zone(), Boolean.toString(t.chargeable()), Boolean.toString(t.freeTask()), t.reason(), t.note()));
    }
    return b.toString();
  }

  private static void line(StringBuilder b, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(cell(cells.get(i)));
    }
    b.append("\r\n");
  }

  static String cell(String raw) {
    String v = !raw.isEmpty() && "=+-@\t\r".indexOf(raw.charAt(0)) >= 0 ? "'" + raw : raw;
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }
}
