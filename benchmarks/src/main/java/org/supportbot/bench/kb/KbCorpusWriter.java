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
    if (args.length != 2) {
      System.err.println("usage: KbCorpusWriter DIR COUNT");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    write(dir, n);
    System.out.println("wrote " + n + " articles to " + dir);
  }

  /** Writes documents {@code 0..n-1} of the corpus (seed 42) as {@code gen-NNNNNN.md} into {@code dir}. */
  static void write(Path dir, int n) throws IOException {
    Files.createDirectories(dir);
    KbCorpus corpus = KbCorpus.load();
    for (int i = 0; i < n; i++) {
      KbDocument d = corpus.document(42, i);
      String text = "---\nid: gen-" + i + "\ntitle: \"" + d.title() + "\"\nurl: " + d.url() + "\ntags: ["
          + String.join(", ", d.tags()) + "]\n---\n" + (d.question().isEmpty() ? "" : d.question() + "\n\n")
          + (d.acceptedAnswer().isEmpty() ? "" : d.acceptedAnswer() + "\n\n") + d.body() + "\n";
      Files.writeString(dir.resolve(String.format("gen-%06d.md", i)), text);
    }
  }
}
