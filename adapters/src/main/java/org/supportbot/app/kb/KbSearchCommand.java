package org.supportbot.app.kb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.supportbot.kb.IncidentDraft;
import org.supportbot.kb.KbException;
import org.supportbot.kb.LuceneKnowledgeBase;
import org.supportbot.kb.Suggestion;
import org.supportbot.kb.eval.EvalFiles;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.search.KbSearcher;
import org.supportbot.kb.search.SearchHit;
import org.supportbot.kb.search.SearchRequest;
import org.supportbot.kb.search.SearchSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code supportbot kb search}: one question for people, or a batch of queries for evaluation. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Searches the knowledge base.",
      "With TEXT: the suggestions the bot would show (confidence floor applied, snippets).",
      "With --queries FILE.tsv (query_id<TAB>text lines): one JSON object per line,",
      "{\"query_id\":...,\"results\":[{\"id\",\"source\",\"title\",\"url\",\"score\"}]}, no floor."
    })
final class KbSearchCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--index", required = true, paramLabel = "DIR", description = "Knowledge-base folder.")
  Path index;

  @Option(names = "--top", paramLabel = "N", defaultValue = "5", description = "Number of results (default: ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--json", description = "JSON output.")
  boolean json;

  @Option(names = "--queries", paramLabel = "FILE", description = "Batch mode: a query_id<TAB>text file.")
  Path queries;

  @Option(names = "--error", paramLabel = "TEXT", defaultValue = "", description = "A pasted error message (matched token for token).")
  String errorText;

  @Option(names = "--product", paramLabel = "NAME", defaultValue = "", description = "Only documents for this product (or for all).")
  String product;

  @Option(names = "--version", paramLabel = "VERSION", defaultValue = "", description = "Only documents for this version (or for all).")
  String version;

  @Option(names = "--lexical", description = "BM25 only, even if the index has embeddings.")
  boolean lexical;

  @Parameters(paramLabel = "TEXT", arity = "0..*", description = "The question.")
  List<String> text;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (top < 1 || top > LuceneKnowledgeBase.MAX_K) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--top must be between 1 and " + LuceneKnowledgeBase.MAX_K);
    }
    boolean hasText = text != null && !text.isEmpty();
    if ((queries == null) == !hasText && errorText.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "give either TEXT or --queries FILE");
    }
    SearchSettings settings = lexical ? SearchSettings.defaults().lexicalOnly() : SearchSettings.defaults();
    try {
      if (queries != null) {
        batch(out, settings);
      } else {
        single(out, settings, hasText ? String.join(" ", text) : "");
      }
      out.flush();
      return 0;
    } catch (KbException e) {
      err.println("error: " + e.getMessage());
      return KbCommand.EXIT_FAILED;
    }
  }

  private void batch(PrintWriter out, SearchSettings settings) throws Exception {
    Map<String, String> qs = EvalFiles.queries(queries);
    try (KbSearcher searcher = KbSearcher.open(KbIndexing.luceneDir(index), settings)) {
      for (Map.Entry<String, String> q : qs.entrySet()) {
        ObjectNode line = JSON.createObjectNode();
        line.put("query_id", q.getKey());
        ArrayNode results = line.putArray("results");
        SearchRequest request = new SearchRequest(q.getValue(), "", product, version, java.util.Set.of());
        for (SearchHit h : searcher.search(request, top, false)) {
          ObjectNode r = results.addObject();
          r.put("id", h.id());
          r.put("source", h.source().label());
          r.put("title", h.title());
          r.put("url", h.url());
          r.put("score", Math.round(h.score() * 10000.0) / 10000.0);
        }
        out.println(JSON.writeValueAsString(line));
      }
    }
  }

  private void single(PrintWriter out, SearchSettings settings, String q) throws Exception {
    try (LuceneKnowledgeBase kb = LuceneKnowledgeBase.open(index, settings, Clock.systemUTC())) {
      List<Suggestion> found = kb.suggest(new IncidentDraft("", q, errorText, product, version), top);
      if (json) {
        ObjectNode root = JSON.createObjectNode();
        root.put("query", q);
        ArrayNode results = root.putArray("results");
        for (Suggestion s : found) {
          ObjectNode r = results.addObject();
          r.put("id", s.id());
          r.put("source", s.source().label());
          r.put("title", s.title());
          r.put("url", s.url());
          r.put("snippet", s.snippet());
          r.put("score", Math.round(s.score() * 10000.0) / 10000.0);
        }
        out.println(JSON.writeValueAsString(root));
        return;
      }
      if (found.isEmpty()) {
        out.println("No confident match. Try other words, or file the case.");
        return;
      }
      int i = 1;
      for (Suggestion s : found) {
        out.printf("%d. [%s %s] %s  (score %.3f)%n", i++, s.source().label(), s.id(), s.title(), s.score());
        if (!s.url().isEmpty()) {
          out.println("   " + s.url());
        }
        if (!s.snippet().isEmpty()) {
          out.println("   " + s.snippet());
        }
      }
    }
  }
}
