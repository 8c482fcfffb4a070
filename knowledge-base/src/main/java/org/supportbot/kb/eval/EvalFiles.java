package org.supportbot.kb.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.supportbot.kb.KbException;

/** Readers for the evaluation files: queries TSV, TREC-style qrels, candidate lists. */
public final class EvalFiles {
  private EvalFiles() {}

  /** {@code query_id<TAB>text} lines, in file order. */
  public static Map<String, String> queries(Path file) {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> lines = lines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      int tab = line.indexOf('\t');
      if (tab <= 0) {
        throw new KbException(file + ":" + (i + 1) + ": expected \"query_id<TAB>text\", found no tab");
      }
      out.put(line.substring(0, tab).strip(), line.substring(tab + 1).strip());
    }
    return out;
  }

  /** {@code query_id 0 doc_id relevance} lines: relevance by document id, per query. */
  public static Map<String, Map<String, Integer>> qrels(Path file) {
    Map<String, Map<String, Integer>> out = new HashMap<>();
    List<String> lines = lines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\\s+");
      if (f.length != 4) {
        throw new KbException(file + ":" + (i + 1) + ": expected \"query_id 0 doc_id relevance\", found " + f.length + " fields");
      }
      int rel;
      try {
        rel = Integer.parseInt(f[3]);
      } catch (NumberFormatException e) {
        throw new KbException(file + ":" + (i + 1) + ": relevance \"" + f[3] + "\" is not a whole number", e);
      }
      out.computeIfAbsent(f[0], k -> new HashMap<>()).put(f[2], rel);
    }
    return out;
  }

  /** {@code query_id<TAB>id id id ...} lines: each query's candidate documents, in order. */
  public static Map<String, List<String>> candidates(Path file) {
    Map<String, List<String>> out = new HashMap<>();
    List<String> lines = lines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\\s+");
      if (f.length < 2) {
        throw new KbException(file + ":" + (i + 1) + ": expected \"query_id<TAB>doc_id doc_id ...\"");
      }
      out.put(f[0], new ArrayList<>(Arrays.asList(f).subList(1, f.length)));
    }
    return out;
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KbException(file + ": cannot read (" + e.getMessage() + "); check the path", e);
    }
  }
}
