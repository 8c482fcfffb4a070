package org.supportbot.kb.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;
import org.apache.lucene.analysis.tokenattributes.TermFrequencyAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.junit.jupiter.api.Test;
import org.supportbot.kb.Source;
import org.supportbot.kb.ingest.KbDocument;

/**
 * The counting analyzer gives each term of a text once with the number of times the per-token
 * analyzer gives it, and an index written with it holds the same terms, frequencies and field
 * lengths (BM25's norms) as one written token by token with positions.
 */
class CountingTokenizerTest {
  /** Words and separators that take every path of the chunk reader: plain words, joined, non-ASCII, long. */
  private static final String[] PIECES = {
    "the", "The", "a", "is", "not", "connection", "connections", "Connected", "John's", "users'", "café",
    "naïve", "ORA-00942", "4.2.1", "config.yml", "ERR_POOL_TIMEOUT_MS", "maxPoolSize", "/etc/app/app.yml",
    "C:\\ProgramData\\Beacon", "x", "42", "running", "generalizations", "it’s", "don't", "«quoted»",
    "(paren)", "e-mail", "über-cool", "日本語", "emoji😀", "ﬁle", "ß", "İstanbul", "\"said\"", "end.",
    "-5", "$10", "a_b", "_x_", "...", "--", "word,", "(v2),", "x".repeat(300), "y".repeat(20),
    "unremembered" + "z".repeat(10), "a\u0301b", "\u00a0", "\u2003", "\f", "\u000b",
  };
  private static final String[] SEPARATORS = {" ", " ", " ", "  ", "\n", "\t", "\r\n", ". ", "", "-", "_"};

  private static String text(SplittableRandom rnd, int words) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < words; i++) {
      b.append(PIECES[rnd.nextInt(PIECES.length)]);
      if (rnd.nextInt(5) == 0) {
        b.append(Integer.toString(rnd.nextInt(1 << 20), 36)); // made-up words evict remembered ones
      }
      b.append(SEPARATORS[rnd.nextInt(SEPARATORS.length)]);
    }
    return b.toString();
  }

  /** Each term with its frequency: counted as the analyzer gives them (1 per token unless it says otherwise). */
  private static Map<String, Integer> counts(Analyzer a, String text) throws IOException {
    Map<String, Integer> out = new TreeMap<>();
    try (TokenStream ts = a.tokenStream(KbFields.BODY, text)) {
      TermToBytesRefAttribute term = ts.addAttribute(TermToBytesRefAttribute.class);
      TermFrequencyAttribute freq = ts.addAttribute(TermFrequencyAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.merge(term.getBytesRef().utf8ToString(), freq.getTermFrequency(), Integer::sum);
      }
      ts.end();
    }
    return out;
  }

  @Test
  void countsWhatThePerTokenAnalyzerGives() throws IOException {
    Analyzer counting = SupportAnalyzers.counting(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
    Analyzer perToken = SupportAnalyzers.stemmed();
    SplittableRandom rnd = new SplittableRandom(20_261_204L);
    long terms = 0;
    for (int i = 0; i < 3_000; i++) {
      String text = text(rnd, rnd.nextInt(400));
      Map<String, Integer> expected = counts(perToken, text);
      assertThat(counts(counting, text)).as("text %s", text).isEqualTo(expected);
      terms += expected.size();
    }
    assertThat(terms).as("enough distinct made-up words to evict remembered words").isGreaterThan(200_000);
  }

  @Test
  void handlesEdgeTexts() throws IOException {
    Analyzer counting = SupportAnalyzers.counting(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
    Analyzer perToken = SupportAnalyzers.stemmed();
    for (String text : new String[] {"", " ", "\n\n", "the a is", "'s", "s's", "x".repeat(255), "x".repeat(256),
        "(" + "x".repeat(254) + ")", "a".repeat(15) + " " + "a".repeat(15), "connection connection connection"}) {
      assertThat(counts(counting, text)).as("text [%s]", text).isEqualTo(counts(perToken, text));
    }
    assertThat(counts(counting, "connection Connections connected, the connection"))
        .isEqualTo(Map.of("connect", 4));
    // more distinct terms than the tokenizer has room for up front, twice in a row (its list grows)
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 9_000; i++) {
      many.append("word").append(i % 6_000).append(i % 3 == 0 ? ", " : " ");
    }
    for (int round = 0; round < 2; round++) {
      Map<String, Integer> got = counts(counting, many.toString());
      assertThat(got).hasSize(6_000).isEqualTo(counts(perToken, many.toString()));
    }
  }

  @Test
  void theSnippetTextIsTheTextsJoinedAndCutNeverInsideASurrogatePair() {
    SplittableRandom rnd = new SplittableRandom(3);
    for (int i = 0; i < 300; i++) {
      String q = rnd.nextInt(4) == 0 ? " " : text(rnd, rnd.nextInt(300));
      String a = rnd.nextInt(3) == 0 ? "" : text(rnd, rnd.nextInt(300));
      String b = text(rnd, rnd.nextInt(2_000));
      String joined = String.join("\n", List.of(q, a, b).stream().filter(t -> !t.isBlank()).toList());
      String expected = joined.substring(0, Math.min(joined.length(), KbIndexWriter.SNIPPET_SOURCE_CHARS));
      if (expected.length() < joined.length() && Character.isHighSurrogate(expected.charAt(expected.length() - 1))) {
        expected = expected.substring(0, expected.length() - 1);
      }
      assertThat(KbIndexWriter.snippetText(q, a, b).utf8ToString()).isEqualTo(expected);
    }
    String cut = "x".repeat(KbIndexWriter.SNIPPET_SOURCE_CHARS - 1) + "😀 after";
    assertThat(KbIndexWriter.snippetText(cut, "", "").utf8ToString()).isEqualTo("x".repeat(KbIndexWriter.SNIPPET_SOURCE_CHARS - 1));
    assertThat(KbIndexWriter.snippetText("", " ", "").length).isZero();
    // several texts past the limit: cut inside the second, never inside its surrogate pair
    int n = KbIndexWriter.SNIPPET_SOURCE_CHARS;
    String first = "q".repeat(5_000);
    assertThat(KbIndexWriter.snippetText(first, "a".repeat(5_000), "body").utf8ToString())
        .isEqualTo(first + "\n" + "a".repeat(n - 5_001));
    String pairAtCut = "a".repeat(n - 5_002) + "😀" + "tail";
    assertThat(KbIndexWriter.snippetText(first, pairAtCut, "").utf8ToString())
        .isEqualTo(first + "\n" + "a".repeat(n - 5_002));
    // the limit reached by the new line itself: the next text adds nothing after it
    assertThat(KbIndexWriter.snippetText("x".repeat(n - 1), "more", "").utf8ToString())
        .isEqualTo("x".repeat(n - 1) + "\n");
    // a lone surrogate (broken text) is encoded as '?', the JDK's replacement
    assertThat(KbIndexWriter.snippetText("a\uD800b", "", "").utf8ToString()).isEqualTo("a?b");
  }

  @Test
  void anIndexWithoutPositionsHoldsTheSameTermsFrequenciesAndLengths() throws IOException {
    SplittableRandom rnd = new SplittableRandom(7);
    List<Document> counted = new ArrayList<>();
    List<Document> positional = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      KbDocument k = new KbDocument("d" + i, Source.FORUM, text(rnd, 8), "", List.of("setup", "how-to"), "",
          List.of(), "", text(rnd, rnd.nextInt(3) == 0 ? 0 : 40), text(rnd, rnd.nextInt(2) == 0 ? 0 : 40),
          text(rnd, 120));
      counted.add(KbIndexWriter.toLucene(k, "hash", false));
      // the reference: token by token, with positions, the accepted answer and body joined in one value
      Document reference = KbIndexWriter.toLucene(k, "hash", true);
      reference.removeFields(KbFields.BODY);
      String body = String.join("\n", List.of(k.acceptedAnswer(), k.body()).stream().filter(t -> !t.isBlank()).toList());
      if (!body.isEmpty()) {
        reference.add(new TextField(KbFields.BODY, body, Field.Store.NO));
      }
      positional.add(reference);
    }
    for (String field : KbFields.STEMMED) {
      List<String> expected = CodeFieldTest.contents(positional, SupportAnalyzers.forIndex(), field);
      assertThat(expected.stream().filter(s -> s.startsWith("norm")).count()).as(field).isGreaterThan(100);
      assertThat(CodeFieldTest.contents(counted, SupportAnalyzers.forIndex(() -> true), field))
          .as(field).isEqualTo(expected);
    }
  }
}
