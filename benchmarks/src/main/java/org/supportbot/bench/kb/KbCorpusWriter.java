package org.supportbot.bench.kb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.supportbot.kb.ingest.KbDocument;

/**
 * Writes the generated corpus ({@link KbCorpus}, seed 42) as Markdown articles with front matter,
 * to try a full rebuild from files with the real command and watch its progress bar:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.supportbot.bench.kb.KbCorpusWriter /tmp/kb-gen 100000
 * java -jar adapters/target/supportbot.jar kb index --rebuild --lexical-only --articles /tmp/kb-gen --index /tmp/kb-gen-index
 * </pre>
 */
public final class KbCorpusWriter {
  private KbCorpusWriter() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2 && args.length != 3) {
      System.err.println("usage: KbCorpusWriter DIR COUNT [MARKUP_EVERY]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    write(dir, n, args.length == 3 ? Integer.parseInt(args[2]) : 0);
    System.out.println("wrote " + n + " articles to " + dir);
  }

  /** Writes documents {@code 0..n-1} of the corpus (seed 42) as {@code gen-NNNNNN.md} into {@code dir}. */
  static void write(Path dir, int n) throws IOException {
    write(dir, n, 0);
  }

  /**
   * The same, with Markdown markup in every {@code 1/markupEvery}-th document (none when 0): a
   * heading, a bullet list of the answer's first sentences, an emphasised word, inline code and a
   * link, as help-centre articles have them. Such documents go through the CommonMark parser; the
   * others, plain prose, are only tidied.
   */
  static void write(Path dir, int n, int markupEvery) throws IOException {
    Files.createDirectories(dir);
    KbCorpus corpus = KbCorpus.load();
    for (int i = 0; i < n; i++) {
      KbDocument d = corpus.document(42, i);
      boolean markup = markupEvery > 0 && i % markupEvery == 0;
      String question = d.question().isEmpty() ? "" : (markup ? "# " + d.title() + "\n\n" : "") + d.question() + "\n\n";
      String answer = d.acceptedAnswer().isEmpty() ? "" : (markup ? bullets(d.acceptedAnswer()) : d.acceptedAnswer()) + "\n\n";
      String body = markup ? marked(d.body()) : d.body();
      String text = "---\nid: gen-" + i + "\ntitle: \"" + d.title() + "\"\nurl: " + d.url() + "\ntags: ["
          + String.join(", ", d.tags()) + "]\n---\n" + question + answer + body + "\n";
      Files.writeString(dir.resolve(String.format("gen-%06d.md", i)), text);
    }
  }

  /** The text's sentences as a bullet list. */
  private static String bullets(String text) {
    StringBuilder b = new StringBuilder();
    for (String sentence : text.split("(?<=[.?!]) ")) {
      b.append("- ").append(sentence).append('\n');
    }
    return b.toString().strip();
  }

  /** The text with every tenth word marked up: emphasised, inline code or a link, in turn. */
  private static String marked(String text) {
    String[] words = text.split(" ");
    for (int w = 1; w < words.length; w += 10) {
      words[w] = switch (w / 10 % 3) {
        case 0 -> "**" + words[w] + "**";
        case 1 -> "`" + words[w] + "`";
        default -> "[" + words[w] + "](https://kb.example.com/" + w + ")";
      };
    }
    return String.join(" ", words);
  }
}
