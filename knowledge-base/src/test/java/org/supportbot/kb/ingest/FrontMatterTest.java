package org.supportbot.kb.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@link FrontMatter}'s direct reading gives what the YAML parser gives, or leaves it to the parser. */
class FrontMatterTest {
  private static final String[] KEYS = {
    "id", "title", "url", "tags", "product", "products", "versions", "updated", "true", "Null", "a-b", "a_b",
    "1x", " id", "id ", "ID",
  };
  private static final String[] VALUES = {
    "gen-1", "How do I reset?", "\"How do I: reset?\"", "\"a \\\" b\"", "\"a \\n b\"", "[a, b]", "[a,b]", "[]",
    "[ a ]", "[1, b]", "[true]", "[a, b c]", "[a, \"b\"]", "[a, ]", "[a", "a]", "true", "True", "FALSE", "null", "~",
    "123", "007", "1.5", "1e3", "0x1F", "0o17", "-1", "+1", ".5", "2026-01-01", "v2.3", "a: b", "a:b", "a:", "a #c",
    "a#c", "'single'", "'it''s'", "x, y", "café", "Ǆ", "ΣΑΣ", "\"tab\tin\"", "\"\"", "\"  spaced  \"", "a  b",
    "|", ">", "&anchor x", "*alias", "!tag x", "!!str 1", "@x", "`x`", "%x", "-x", "- x", "? x", "{a: b}",
    "\"😀\"", "😀", "https://kb.example.com/x?a=1", "https://kb.example.com/gen-7", "on", "yes", "No", "NULL",
    "Null", "nulls", "truth", ".inf", ".NaN", "a\u2028b", "\"a\u0085b\"", "\"a\u2028b\"", "a'b", "a!b", "\"#1\"",
    "a;b", "a%b", "a+b", "(x)", "x(y)", "\"\uFEFFx\"", "x\uFEFF", "\"a\u0001b\"", "a\rb", "beacon, beacon-cloud",
    "[beacon, beacon-cloud]", "[4.2, 5]", "[v4.2, v5]", "[x.y, a_b, c-d]", "[ÜBER, café]", "[a b]", "[\"a\"]", "",
    "[user's, i'm]", "[black']", "['a]", "[a'', b]", "[a''b]", "[it's:x]",
  };
  /** Values as articles usually have them. */
  private static final String[] USUAL = {
    "gen-1", "How do I reset?", "\"How do I: reset?\"", "[a, b]", "[x.y, a_b, c-d]", "https://kb.example.com/gen-7",
    "café", "beacon, beacon-cloud", "[beacon, beacon-cloud]", "[v4.2, v5]", "\"Sync stops (ERR-4821)\"",
    "[user's, guide]",
  };
  private static final String[] SPACES = {" ", " ", " ", "  ", "", "\t"};

  private static String randomFrontMatter(SplittableRandom rnd) {
    StringBuilder b = new StringBuilder();
    int lines = 1 + rnd.nextInt(6);
    for (int i = 0; i < lines; i++) {
      switch (rnd.nextInt(40)) {
        case 0 -> b.append("# a comment\n");
        case 1 -> b.append("\n");
        case 2 -> b.append("  - indented\n");
        default -> { }
      }
      b.append(rnd.nextInt(4) == 0 ? KEYS[rnd.nextInt(KEYS.length)] : KEYS[rnd.nextInt(8)]).append(':')
          .append(SPACES[rnd.nextInt(SPACES.length)])
          .append(rnd.nextInt(3) > 0 ? USUAL[rnd.nextInt(USUAL.length)] : VALUES[rnd.nextInt(VALUES.length)])
          .append(rnd.nextInt(8) == 0 ? " " : "");
      if (i < lines - 1) {
        b.append('\n');
      }
    }
    return b.toString();
  }

  /** Where the direct reading answers, the parser accepts the text and reads the same mapping. */
  private static boolean sameAsYaml(String yaml) {
    Map<String, Object> simple = FrontMatter.simple(yaml);
    if (simple == null) {
      return false;
    }
    assertThat(FrontMatter.yaml(yaml, "test")).as("front matter %s", yaml).isEqualTo(simple);
    return true;
  }

  @Test
  void directReadingAgreesWithTheYamlParserOnRandomFrontMatter() {
    SplittableRandom rnd = new SplittableRandom(20_261_204L);
    int direct = 0;
    int total = 30_000;
    for (int n = 0; n < total; n++) {
      direct += sameAsYaml(randomFrontMatter(rnd)) ? 1 : 0;
    }
    assertThat(direct).as("front matters read directly").isBetween(total / 10, total * 9 / 10);
  }

  @Test
  void readsTheUsualFrontMatterDirectly() {
    String yaml = "id: gen-7\ntitle: \"Why does sync stop: ERR-4821?\"\nurl: https://kb.example.com/gen-7\n"
        + "tags: [sync, beacon-cloud]\nproducts: [beacon, beacon-cloud]\nversions: [v4.2, v5]";
    assertThat(sameAsYaml(yaml)).isTrue();
    assertThat(FrontMatter.simple(yaml)).containsEntry("title", "Why does sync stop: ERR-4821?")
        .containsEntry("tags", List.of("sync", "beacon-cloud"));
  }

  @Test
  void leavesNumbersBooleansNullsAndRepeatedKeysToTheParser() {
    for (String yaml : new String[] {"id: 12", "id: 007", "id: true", "id: Null", "id: ~", "versions: [4.2]", "id: a\nid: b",
        "id: a # note", "id: a\n\ntitle: b", "tags:\n  - a"}) {
      assertThat(FrontMatter.simple(yaml)).as(yaml).isNull();
    }
    assertThat(FrontMatter.parse("id: 12", "x.md").get("id")).isEqualTo(12);
    assertThatThrownBy(() -> FrontMatter.parse("id: a\nid: b", "x.md")).isInstanceOf(IngestException.class)
        .hasMessageContaining("x.md: front matter is not valid YAML at line 3, column 1: found duplicate key id;"
            + " give each key once");
  }

  /** A broken value is named by the file's line and column, with what to do about it. */
  @Test
  void aBrokenValueIsReportedAtItsLineInTheFileWithTheFix() {
    assertThatThrownBy(() -> ArticleReader.parse("---\nid: a\ntitle: [unclosed\n---\nbody\n", "a.md", "a"))
        .isInstanceOf(IngestException.class)
        .hasMessageStartingWith("a.md: front matter is not valid YAML at line 3, column 17: expected ',' or ']'")
        .hasMessageContaining("needs double quotes around it");
    assertThatThrownBy(() -> ArticleReader.parse("---\nid: a\ntitle: Error: disk full\n---\n", "b.md", "b"))
        .hasMessageStartingWith("b.md: front matter is not valid YAML at line 3, column 13: ")
        .hasMessageContaining("(title: \"Error: disk full\")");
  }

  @Test
  void agreesWithTheParserOnTheKbEvalArticles() throws IOException {
    Path articles = Path.of("..", "..", "shared", "data", "kb-eval", "stackfaq", "articles");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(articles), "kb-eval data beside the repository");
    int direct = 0;
    try (Stream<Path> files = Files.list(articles)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".md")).sorted().limit(400).toList()) {
        String s = Files.readString(f).replace("\r\n", "\n");
        direct += sameAsYaml(s.substring(4, s.indexOf("\n---", 3))) ? 1 : 0;
      }
    }
    assertThat(direct).as("kb-eval articles read directly").isPositive();
  }
}
