package org.supportbot.bench.kb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.supportbot.kb.Source;
import org.supportbot.kb.ingest.KbDocument;

/**
 * Generated knowledge-base documents of realistic length. The vocabulary and its frequencies are
 * taken from the evaluation corpora in {@code ../shared/data/kb-eval} (StackFAQ articles and
 * SemEval forum topics) when that folder is found above the working directory, otherwise from the
 * sample knowledge base bundled in the knowledge-base module. Words are drawn by rank from a Zipf
 * distribution (exponent 1.07, as measured on English text), so frequent words are frequent and
 * most words are rare. Each document has a title of 5-12 words, a question of 30-90 words, an
 * accepted answer of 40-120 words (on half the documents), and a body of 120-300 words: about 330
 * words, close to the corpora's averages (StackFAQ articles about 450 words, forum topics about
 * 400). One document in five quotes an error code ({@code ERR-1234}) and a version
 * ({@code 4.2.1}). Everything is seeded: the same seed gives the same corpus.
 */
public final class KbCorpus {
  private static final Pattern WORD = Pattern.compile("[A-Za-z][A-Za-z'-]{1,20}");
  private static final double ZIPF_EXPONENT = 1.07;

  private final String[] words;
  private final double[] cumulative;

  private KbCorpus(List<String> byFrequency) {
    this.words = byFrequency.toArray(String[]::new);
    this.cumulative = new double[words.length];
    double sum = 0;
    for (int i = 0; i < words.length; i++) {
      sum += 1 / Math.pow(i + 1, ZIPF_EXPONENT);
      cumulative[i] = sum;
    }
    for (int i = 0; i < words.length; i++) {
      cumulative[i] /= sum;
    }
  }

  /**
   * Where the vocabulary comes from: the kb-eval folder, or the bundled sample (a much smaller
   * vocabulary, so an easier corpus) when that folder is not found above the working directory.
   */
  public static String vocabularySource() {
    Path data = evalData();
    return data == null ? "the bundled sample articles (kb-eval not found: run from the repository)" : data.toString();
  }

  /** The vocabulary of the evaluation corpora, or of the bundled sample if they are absent. */
  public static KbCorpus load() {
    Map<String, Integer> counts = new HashMap<>();
    Path data = evalData();
    if (data != null) {
      try (Stream<Path> files = Files.walk(data)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".md") || p.toString().endsWith(".json")).toList()) {
          count(Files.readString(f, StandardCharsets.UTF_8).replaceAll("<[^>]+>", " "), counts);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      for (int i = 1; i <= 12; i++) {
        count(resource(String.format("/sample-kb/articles/beacon-%03d.md", i)), counts);
      }
    }
    List<String> vocab = new ArrayList<>(counts.keySet());
    vocab.sort((a, b) -> counts.get(b) - counts.get(a) != 0 ? counts.get(b) - counts.get(a) : a.compareTo(b));
    return new KbCorpus(vocab);
  }

  /** The {@code ../shared/data/kb-eval} folder beside the repository, if any. */
  static Path evalData() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.exists(d.resolve("mvnw")) && d.getParent() != null) {
        Path data = d.getParent().resolve("shared/data/kb-eval");
        return Files.isDirectory(data) ? data : null;
      }
    }
    return null;
  }

  private static String resource(String name) {
    try (InputStream in = KbCorpus.class.getResourceAsStream(name)) {
      return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void count(String text, Map<String, Integer> counts) {
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      counts.merge(m.group().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
    }
  }

  public int vocabularySize() {
    return words.length;
  }

  /** A word drawn by Zipfian rank. */
  String word(SplittableRandom rnd) {
    double u = rnd.nextDouble();
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] < u) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return words[lo];
  }

  /** {@code min..max} words, with a full stop every 8-20 words. */
  public String text(SplittableRandom rnd, int min, int max) {
    int n = min + rnd.nextInt(max - min + 1);
    StringBuilder b = new StringBuilder(n * 7);
    int sentence = 8 + rnd.nextInt(13);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append(--sentence == 0 ? ". " : " ");
        if (sentence == 0) {
          sentence = 8 + rnd.nextInt(13);
        }
      }
      b.append(word(rnd));
    }
    return b.append('.').toString();
  }

  /** Document {@code i} of the corpus with this seed (the same every time). */
  public KbDocument document(long seed, int i) {
    SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + i);
    String title = text(rnd, 5, 12);
    title = title.substring(0, title.length() - 1);
    String question = text(rnd, 30, 90);
    if (rnd.nextInt(5) == 0) {
      question += " The log says ERR-" + (1000 + rnd.nextInt(9000)) + " on version " + (1 + rnd.nextInt(5)) + "."
          + rnd.nextInt(10) + "." + rnd.nextInt(10) + ".";
    }
    String answer = rnd.nextBoolean() ? text(rnd, 40, 120) : "";
    String body = text(rnd, 120, 300);
    boolean forum = rnd.nextInt(3) == 0;
    String id = (forum ? "" : "gen-") + i;
    return new KbDocument(id, forum ? Source.FORUM : Source.ARTICLE, title, "https://kb.example.com/" + id,
        List.of(word(rnd), word(rnd)), "", List.of(), "2026-01-01", forum ? question : "", answer,
        forum ? body : question + "\n" + body);
  }

  /** Documents {@code 0..n-1}. */
  public List<KbDocument> documents(long seed, int n) {
    List<KbDocument> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(document(seed, i));
    }
    return out;
  }

  /** A query of 4-25 words, as customers write them. */
  public String query(SplittableRandom rnd) {
    return text(rnd, 4, 25);
  }
}
