package org.supportbot.bench.kb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.supportbot.kb.Source;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.ingest.KbDocument;
import org.supportbot.kb.search.KbSearcher;
import org.supportbot.kb.search.SearchHit;
import org.supportbot.kb.search.SearchRequest;
import org.supportbot.kb.search.SearchSettings;
/**
 * Search with a pasted error text (the intake's error question): lexical mode over {@code n}
 * generated documents, 2,000 queries whose error text is five consecutive words of a document's
 * body (a quoted message) and whose text is a generated query; p50 and p99 of two rounds. The
 * phrase is found in the best 100 matches' own text ({@code ErrorPhrase}); run the same class
 * against an older jar to compare.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.supportbot.bench.kb.ErrorTextSearch 100000
 * </pre>
 */
public final class ErrorTextSearch {
  private ErrorTextSearch() {}

  public static void main(String[] a) throws Exception {
    if (a.length != 1) {
      System.err.println("usage: ErrorTextSearch DOCS");
      System.exit(2);
    }
    int n = Integer.parseInt(a[0]);
    KbCorpus corpus = KbCorpus.load();
    List<KbDocument> docs = corpus.documents(42, n);
    Path kb = Files.createTempDirectory("kb-err");
    KbIndexing.index(kb, docs.stream().filter(d -> d.source() == Source.ARTICLE).toList(),
        docs.stream().filter(d -> d.source() == Source.FORUM).toList(), true, KbIndexing.Mode.LEXICAL,
        IndexProgress.NONE);
    SplittableRandom rnd = new SplittableRandom(7);
    List<SearchRequest> reqs = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      // an error text: five consecutive words of a document's body (a quoted message)
      KbDocument d = docs.get(rnd.nextInt(docs.size()));
      String[] w = d.body().split("\\s+");
      int at = rnd.nextInt(Math.max(1, w.length - 5));
      String err = String.join(" ", Arrays.copyOfRange(w, at, Math.min(w.length, at + 5)));
      reqs.add(new SearchRequest(corpus.query(rnd), err, "", "", Set.of()));
    }
    try (KbSearcher s = KbSearcher.open(KbIndexing.luceneDir(kb), SearchSettings.defaults().lexicalOnly())) {
      for (int round = 0; round < 2; round++) {
        long[] t = new long[reqs.size()];
        int hitsFound = 0;
        for (int i = 0; i < reqs.size(); i++) {
          long t0 = System.nanoTime();
          List<SearchHit> h = s.search(reqs.get(i), 5, s.floor());
          t[i] = System.nanoTime() - t0;
          hitsFound += h.size();
        }
        Arrays.sort(t);
        System.out.printf(Locale.ROOT, "%,d docs, with an error text: p50 %.3f ms, p99 %.3f ms (%d hits shown)%n",
            n, t[t.length / 2] / 1e6, t[t.length * 99 / 100] / 1e6, hitsFound);
      }
    } finally {
      KbBench.deleteTree(kb);
    }
  }
}
