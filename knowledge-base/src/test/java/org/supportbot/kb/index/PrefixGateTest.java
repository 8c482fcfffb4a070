package org.supportbot.kb.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.junit.jupiter.api.Test;
import org.supportbot.kb.eval.KbEvalData;

/**
 * {@link PrefixGate} never stops a token whose normalised term is wanted, and {@link StemmedMatcher}
 * finds exactly the matches of a full pass of the stemmed analyzer.
 */
class PrefixGateTest {
  /** Letters the stemmer treats specially (vowels, y, suffix letters), both cases, and the apostrophe. */
  private static final String ALPHABET = "aeiyYosSbdglntz'";

  private final Analyzer stemmed = SupportAnalyzers.stemmed();

  /** Every word-like token, normalised by the stemmed analyzer, must pass a gate set to its own term. */
  private void assertPasses(String token, PrefixGate gate) throws IOException {
    List<String> terms = terms(token);
    // a string the tokenizer splits (or drops) is not a token; its pieces are checked on their own
    if (terms.size() != 1 || !tokens(token).equals(List.of(token))) {
      return;
    }
    gate.allow(Set.of(terms.get(0)));
    assertThat(gate.mayMatch(token.toCharArray(), token.length()))
        .as("token %s normalised to %s", token, terms.get(0))
        .isTrue();
  }

  @Test
  void everyShortStringOverTheStemmersSpecialLettersPassesTheGateOfItsOwnTerm() throws IOException {
    PrefixGate gate = new PrefixGate(new org.apache.lucene.analysis.core.KeywordTokenizer());
    int checked = 0;
    for (int len = 1; len <= 5; len++) {
      int combinations = (int) Math.pow(ALPHABET.length(), len);
      char[] word = new char[len];
      for (int n = 0; n < combinations; n++) {
        int rest = n;
        for (int i = 0; i < len; i++) {
          word[i] = ALPHABET.charAt(rest % ALPHABET.length());
          rest /= ALPHABET.length();
        }
        assertPasses(new String(word), gate);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(1_000_000);
  }

  @Test
  void everyWordOfTheEvaluationCorporaPassesTheGateOfItsOwnTerm() throws IOException {
    Path data = KbEvalData.find().orElse(null);
    Set<String> words = new HashSet<>(List.of(
        "eying", "dying", "ays", "ies", "aing", "eing", "John's", "o'clock", "café", "Ünïcode", "ﬁle",
        "ＦＵＬＬ", "ß", "İstanbul", "naïve", "Æsir", "generalizations", "happily", "skies", "ponies",
        "agreed", "feed", "hopping", "filing", "sized", "rational", "conditional", "ORA-00942", "4.2.1"));
    if (data != null) {
      try (Stream<Path> files = Files.walk(data)) {
        for (Path f : files.filter(Files::isRegularFile).limit(3_000).toList()) {
          words.addAll(tokens(Files.readString(f)));
        }
      }
      assertThat(words).hasSizeGreaterThan(10_000);
    }
    PrefixGate gate = new PrefixGate(new org.apache.lucene.analysis.core.KeywordTokenizer());
    for (String w : words) {
      assertPasses(w, gate);
    }
  }

  @Test
  void theGateStopsTokensThatCannotMatch() {
    PrefixGate gate = new PrefixGate(new org.apache.lucene.analysis.core.KeywordTokenizer());
    gate.allow(Set.of("connect", "pool"));
    assertThat(gate.mayMatch("Connection".toCharArray(), 10)).isTrue();
    assertThat(gate.mayMatch("pools".toCharArray(), 5)).isTrue();
    assertThat(gate.mayMatch("timeout".toCharArray(), 7)).isFalse();
    assertThat(gate.mayMatch("cable".toCharArray(), 5)).isFalse();
    assertThat(gate.mayMatch("été".toCharArray(), 3)).isTrue();
    gate.allow(Set.of("ei"));
    assertThat(gate.mayMatch("eying".toCharArray(), 5)).isTrue();
  }

  @Test
  void theMatcherFindsWhatTheFullAnalyzerFinds() throws IOException {
    SplittableRandom rnd = new SplittableRandom(11);
    String[] words = {
      "the", "Connection", "connections", "refused", "pool", "Pooling", "timeout", "eying", "ties",
      "café", "John's", "ORA-00942", "config.yml", "4.2.1", "happily", "running", "über-cool", "日本語",
      "it’s", "don't", "ＦＵＬＬ", "ﬁle", "skies", "Sky", "a", "I", "x",
    };
    StemmedMatcher matcher = new StemmedMatcher();
    for (int round = 0; round < 300; round++) {
      StringBuilder text = new StringBuilder();
      int n = 1 + rnd.nextInt(200);
      for (int i = 0; i < n; i++) {
        text.append(words[rnd.nextInt(words.length)]).append(rnd.nextInt(8) == 0 ? ". " : " ");
      }
      List<String> all = terms(text.toString());
      Set<String> wanted = new HashSet<>();
      for (int i = 0; i < 1 + rnd.nextInt(6) && !all.isEmpty(); i++) {
        wanted.add(all.get(rnd.nextInt(all.size())));
      }
      if (rnd.nextInt(5) == 0) {
        wanted.add("zzznotthere");
      }
      List<int[]> got = new ArrayList<>();
      matcher.collect(text.toString(), wanted, got);
      assertThat(got.stream().map(m -> m[0] + "-" + m[1] + ":" + m[2]).toList())
          .as("text %s, wanted %s", text, wanted)
          .isEqualTo(fullPass(text.toString(), wanted));
    }
  }

  @Test
  void theMatcherFindsWhatTheFullAnalyzerFindsInTextsOfAnyCharacters() throws IOException {
    // separators of every kind, joiners (. ' _ : -), digits, non-ASCII letters, ideographs, a
    // combining mark, a soft hyphen, an emoji keycap and runs longer than the longest token
    String[] pieces = {
      " ", "  ", "\n", "\r\n", "\t", ".", ",", "'", "’", "_", ":", "-", "/", "(", ")", "\"", "#", "@",
      "a", "I", "s", "x", "y", "1", "42", "3.14", "co", "Conn", "connection", "pool", "Pools", "eying",
      "the", "THE", "café", "e\u0301", "\u00AD", "日本", "\u3000", "\u00A0", "1\uFE0F\u20E3", "ß", "İ",
      "ＦＵＬＬ", "ﬁ", "über", "ORA-00942", "config.yml", "x".repeat(300), "ab".repeat(140) + ".c",
    };
    SplittableRandom rnd = new SplittableRandom(23);
    StemmedMatcher matcher = new StemmedMatcher();
    for (int round = 0; round < 2_000; round++) {
      StringBuilder text = new StringBuilder();
      int n = 1 + rnd.nextInt(120);
      for (int i = 0; i < n; i++) {
        text.append(pieces[rnd.nextInt(pieces.length)]);
      }
      List<String> all = terms(text.toString());
      Set<String> wanted = new HashSet<>();
      for (int i = 0; i < 1 + rnd.nextInt(4) && !all.isEmpty(); i++) {
        wanted.add(all.get(rnd.nextInt(all.size())));
      }
      if (wanted.isEmpty() || rnd.nextInt(4) == 0) {
        wanted.add(rnd.nextBoolean() ? "zzznotthere" : "x");
      }
      List<int[]> got = new ArrayList<>();
      matcher.collect(text.toString(), wanted, got);
      assertThat(got.stream().map(m -> m[0] + "-" + m[1] + ":" + m[2]).toList())
          .as("text %s, wanted %s", text, wanted)
          .isEqualTo(fullPass(text.toString(), wanted));
    }
  }

  @Test
  void theMatcherFindsWhatTheFullAnalyzerFindsInTheEvaluationCorpora() throws IOException {
    Path data = KbEvalData.find().orElse(null);
    org.junit.jupiter.api.Assumptions.assumeTrue(data != null, "kb-eval data not beside the repository");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(data)) {
      files = walk.filter(Files::isRegularFile).sorted().limit(400).toList();
    }
    SplittableRandom rnd = new SplittableRandom(5);
    StemmedMatcher matcher = new StemmedMatcher();
    int matched = 0;
    for (Path f : files) {
      String text = Files.readString(f);
      List<String> all = terms(text);
      if (all.isEmpty()) {
        continue;
      }
      Set<String> wanted = new HashSet<>();
      for (int i = 0; i < 1 + rnd.nextInt(8); i++) {
        wanted.add(all.get(rnd.nextInt(all.size())));
      }
      List<int[]> got = new ArrayList<>();
      matcher.collect(text, wanted, got);
      assertThat(got.stream().map(m -> m[0] + "-" + m[1] + ":" + m[2]).toList())
          .as("%s, wanted %s", f, wanted)
          .isEqualTo(fullPass(text, wanted));
      matched += got.size();
    }
    assertThat(matched).isGreaterThan(1_000);
  }

  private record Token(String term, int start, int end) {}

  /** The stemmed analyzer's tokens of a text, with their offsets. */
  private List<Token> analyse(String text) throws IOException {
    List<Token> out = new ArrayList<>();
    try (TokenStream ts = stemmed.tokenStream("body", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      OffsetAttribute off = ts.addAttribute(OffsetAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(new Token(term.toString(), off.startOffset(), off.endOffset()));
      }
      ts.end();
    }
    return out;
  }

  /** The matches of a full pass of the stemmed analyzer, as the matcher reports them. */
  private List<String> fullPass(String text, Set<String> wanted) throws IOException {
    return analyse(text).stream().filter(t -> wanted.contains(t.term()))
        .map(t -> t.start() + "-" + t.end() + ":" + t.term().hashCode()).toList();
  }

  /** The stemmed analyzer's terms of a text. */
  private List<String> terms(String text) throws IOException {
    return analyse(text).stream().map(Token::term).toList();
  }

  /** The tokenizer's raw tokens of a text (before any normalisation). */
  private static List<String> tokens(String text) throws IOException {
    List<String> out = new ArrayList<>();
    try (org.apache.lucene.analysis.standard.StandardTokenizer t = new org.apache.lucene.analysis.standard.StandardTokenizer()) {
      t.setReader(new java.io.StringReader(text));
      CharTermAttribute term = t.addAttribute(CharTermAttribute.class);
      t.reset();
      while (t.incrementToken()) {
        out.add(term.toString());
      }
      t.end();
    }
    return out;
  }
}
