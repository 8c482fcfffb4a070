package org.supportbot.kb.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.supportbot.kb.DeflectionReport;
import org.supportbot.kb.DeflectionReport.DocumentRate;
import org.supportbot.kb.DeflectionReport.Rate;
import org.supportbot.kb.Feedback;
import org.supportbot.kb.KbException;
import org.supportbot.kb.Source;

/**
 * Feedback as one JSON object per line in {@code feedback.jsonl}; every append is written
 * through to disk before {@link #append} returns. A line that cannot be parsed is reported with
 * its line number.
 */
public final class FeedbackStore {
  /** The file name inside the knowledge-base folder. */
  public static final String FILE_NAME = "feedback.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  public FeedbackStore(Path file) {
    this.file = file;
  }

  /** The store of a knowledge-base folder. */
  public static FeedbackStore in(Path kbDir) {
    return new FeedbackStore(kbDir.resolve(FILE_NAME));
  }

  public synchronized void append(Feedback f) {
    ObjectNode o = JSON.createObjectNode();
    o.put("case", f.caseId());
    o.put("id", f.suggestionId());
    o.put("source", f.source().label());
    o.put("verdict", f.verdict().name().toLowerCase(java.util.Locale.ROOT));
    o.put("at", f.at().toString());
    if (!f.draft().isEmpty()) {
      o.put("draft", f.draft());
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, JSON.writeValueAsString(o) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new KbException(file + ": cannot record feedback (" + e.getMessage() + "); check that the folder is writable", e);
    }
  }

  /** Every recorded verdict, oldest first. */
  public synchronized List<Feedback> all() {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KbException(file + ": cannot read feedback: " + e.getMessage(), e);
    }
    List<Feedback> out = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode n = JSON.readTree(line);
        out.add(new Feedback(
            n.path("case").asText(), n.path("id").asText(), Source.parse(n.path("source").asText()),
            Feedback.Verdict.valueOf(n.path("verdict").asText().toUpperCase(java.util.Locale.ROOT)),
            Instant.parse(n.path("at").asText()), n.path("draft").asText("")));
      } catch (JsonProcessingException | IllegalArgumentException | DateTimeParseException e) {
        throw new KbException(file + ":" + (i + 1) + ": not a feedback record (" + e.getMessage()
            + "); fix or delete that line", e);
      }
    }
    return out;
  }

  /**
   * Deflection: a case is deflected when any suggestion shown for it was marked solved. Per
   * source, a case counts for every source it gave feedback on; per document, the rate is solved
   * verdicts over all verdicts on that document.
   */
  public DeflectionReport report() {
    List<Feedback> all = all();
    Map<String, Boolean> cases = new LinkedHashMap<>();
    Map<Source, Map<String, Boolean>> casesBySource = new EnumMap<>(Source.class);
    Map<String, int[]> byDoc = new HashMap<>();
    Map<String, Source> docSource = new HashMap<>();
    Map<String, String> docId = new HashMap<>();
    for (Feedback f : all) {
      boolean solved = f.verdict() == Feedback.Verdict.SOLVED;
      cases.merge(f.caseId(), solved, Boolean::logicalOr);
      casesBySource.computeIfAbsent(f.source(), s -> new HashMap<>()).merge(f.caseId(), solved, Boolean::logicalOr);
      String key = f.source().label() + ":" + f.suggestionId();
      int[] c = byDoc.computeIfAbsent(key, k -> new int[2]);
      c[0]++;
      if (solved) {
        c[1]++;
      }
      docSource.put(key, f.source());
      docId.put(key, f.suggestionId());
    }
    Map<Source, Rate> bySource = new EnumMap<>(Source.class);
    for (Source s : Source.values()) {
      Map<String, Boolean> m = casesBySource.getOrDefault(s, Map.of());
      bySource.put(s, new Rate(m.size(), (int) m.values().stream().filter(b -> b).count()));
    }
    List<DocumentRate> docs = new ArrayList<>();
    Set<String> keys = new HashSet<>(byDoc.keySet());
    for (String k : keys) {
      int[] c = byDoc.get(k);
      docs.add(new DocumentRate(docSource.get(k), docId.get(k), new Rate(c[0], c[1])));
    }
    docs.sort(Comparator.comparingInt((DocumentRate d) -> -d.rate().solved())
        .thenComparingInt(d -> -d.rate().total())
        .thenComparing(d -> d.source().label() + ":" + d.id()));
    Rate overall = new Rate(cases.size(), (int) cases.values().stream().filter(b -> b).count());
    return new DeflectionReport(overall, bySource, docs);
  }
}
