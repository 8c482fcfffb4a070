package org.supportbot.kb.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TextExtractionTest {

  static Stream<Arguments> markdown() {
    return Stream.of(
        Arguments.of("**bold**, *italic*, _under_ and __strong__", "bold, italic, under and strong"),
        Arguments.of("See [the guide](https://docs.example.com/guide \"Guide\").",
            "See the guide (https://docs.example.com/guide)."),
        Arguments.of("<https://docs.example.com/x>", "https://docs.example.com/x"),
        Arguments.of("![the pool diagram](img/pool.png)", "the pool diagram"),
        Arguments.of("# Heading\n\n- first\n- second\n\n1. one\n\n> quoted", "Heading\nfirst\nsecond\none\nquoted"),
        Arguments.of("Run `rm -rf /tmp/*.lock` then `a*b*c`.", "Run rm -rf /tmp/*.lock then a*b*c."),
        Arguments.of("line one\nline two  \nline three", "line one\nline two\nline three"),
        Arguments.of("Use ~~tildes~~ or <del>tags</del>.", "Use ~~tildes~~ or <del>tags</del>."),
        Arguments.of("above\n\n---\n\nbelow", "above\nbelow"),
        Arguments.of("", ""));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("markdown")
  void markupIsRemovedAndTextKept(String markdown, String text) {
    assertThat(TextExtraction.markdownToText(markdown)).isEqualTo(text);
  }

  /** The regular-expression version {@link TextExtraction#tidy} replaced, as the oracle. */
  static String tidyByRegex(String text) {
    String s = text.replace('\u00a0', ' ').replaceAll("[ \\t\\x0B\\f]+", " ").replaceAll("\\n\\s*\\n+", "\n");
    StringBuilder out = new StringBuilder();
    for (String line : s.split("\n")) {
      String t = line.strip();
      if (!t.isEmpty()) {
        if (!out.isEmpty()) {
          out.append('\n');
        }
        out.append(t);
      }
    }
    return out.toString();
  }

  @Test
  void tidyGivesWhatTheRegularExpressionsGaveOnRandomText() {
    char[] alphabet = {' ', ' ', '\t', '\u000B', '\f', '\u00a0', '\n', '\n', '\r', '\u2003', '\u3000', '\u001C',
        '\uD83D', '\uDE00', 'a', 'b', '.', 'x'};
    SplittableRandom rnd = new SplittableRandom(19);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder b = new StringBuilder();
      for (int i = rnd.nextInt(40); i > 0; i--) {
        b.append(alphabet[rnd.nextInt(alphabet.length)]);
      }
      String text = b.toString();
      assertThat(TextExtraction.tidy(text)).as("%s", text.chars().mapToObj(Integer::toHexString).toList())
          .isEqualTo(tidyByRegex(text));
    }
  }

  @Test
  void codeBlocksKeepEveryCharacterThatLooksLikeMarkup() {
    String code = """
        int **pp = *p; // *not* emphasis
        # not a heading
        - not a list item
        > not a quote
        [not](a link) `not code` __init__""";
    String fenced = "Before:\n\n```c\n" + code + "\n```\n\nAfter.";
    String indented = "Before:\n\n" + code.lines().map(l -> "    " + l).reduce((a, b) -> a + "\n" + b).orElseThrow()
        + "\n\nAfter.";
    assertThat(TextExtraction.markdownToText(fenced)).isEqualTo("Before:\n" + code + "\nAfter.");
    assertThat(TextExtraction.markdownToText(indented)).isEqualTo("Before:\n" + code + "\nAfter.");
  }

  /** Pieces of prose, and of everything that is or looks like Markdown syntax. */
  private static final String[] PROSE = {
    "word", "Connection", "refused", "4.2.1", "e-mail", "it's", "(paren)", "\"quoted\"", "a,b", "end.", "why?",
    "50%", "$10", "a/b", "user@example.com", "https://example.com/x?y=1", "café", "x^2", "{json}", "a|b", "!",
    "1.", "2)", "- item", "+ item", "* item", "# Heading", "> quote", "`code`", "**bold**", "_em_", "[link](u)",
    "<b>", "&amp;", "a\\b", "===", "---", "~~~", "    indented", "\t", "\f", "\u00a0", "\u000b", " ", "  ", "\n",
    "\n\n", "\n   ", "\n-", "\n3", "\n+", "1990", "-5",
  };

  /** The rule for text that holds no Markdown syntax, written plainly (the oracle). */
  private static boolean withoutMarkup(String text) {
    boolean lineStart = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ("\\`*_[]<>&#=~\r\0".indexOf(c) >= 0) {
        return false;
      }
      if (lineStart && c != ' ' && c != '\t') {
        if (c == '-' || c == '+' || Character.isDigit(c) && c < 128) {
          return false;
        }
        lineStart = false;
      }
      if (c == '\n') {
        lineStart = true;
      }
    }
    return true;
  }

  @Test
  void markdownWithoutMarkupIsTakenAsItIsAndReadsAsTheParserReadsIt() {
    SplittableRandom rnd = new SplittableRandom(12);
    int plain = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      for (int w = rnd.nextInt(40); w > 0; w--) {
        b.append(PROSE[rnd.nextInt(PROSE.length)]).append(rnd.nextInt(3) == 0 ? "" : " ");
      }
      String text = b.toString();
      String fast = TextExtraction.tidyWithoutMarkup(text);
      assertThat(fast).as("[%s]", text).isEqualTo(withoutMarkup(text) ? TextExtraction.tidy(text) : null);
      if (fast != null) {
        plain++;
        assertThat(fast).as("[%s]", text).isEqualTo(TextExtraction.parsed(text));
      }
      assertThat(TextExtraction.markdownToText(text)).as("[%s]", text).isEqualTo(TextExtraction.parsed(text));
    }
    assertThat(plain).as("texts taken as they are").isGreaterThan(500);
    for (String markup : new String[] {"# Title", "a *b*", "- a", "  10. ten", "x\n===", "<div>", "a &amp; b",
        "[a]: http://x", "a\\\nb", "```\ncode\n```", "~~~", "a\r\nb", "ok\n\t+ item"}) {
      assertThat(TextExtraction.tidyWithoutMarkup(markup)).as(markup).isNull();
    }
  }
}
