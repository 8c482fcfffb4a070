package org.supportbot.kb.ingest;

import static org.assertj.core.api.Assertions.assertThat;

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
}
