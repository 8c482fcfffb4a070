package org.supportbot.app.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Generated Markdown articles for the launcher's training run ({@link StartupTraining}), so that its AOT cache
 * holds the profiles of {@code kb index} as well as those of {@code run}: enough of them for the indexing code
 * to get hot, and every path it takes on real articles. Most are plain prose; every fourth has Markdown
 * markup (heading, bullet list, emphasis, inline code, a link, a fenced code block), which goes through the
 * Markdown parser. Words are drawn from English stop words, support words with inflections (stemming), made-up
 * words (new to the word memory), identifiers, versions and paths (the exact-token field) and a few accented
 * words (the tokenizer's non-ASCII path); front matter has tags, and some articles a product and versions. The
 * same seed gives the same articles.
 */
final class TrainingArticles {
  private static final String[] COMMON = ("the a to and of in is it for on that with you your this be are not can"
      + " when if after before from by at or as was has have do does will should then than but").split(" ");
  private static final String[] SUPPORT = ("sync agent server restart restarted restarting timeout timeouts login"
      + " logins password passwords certificate certificates upgrade upgraded upgrading backup backups queue queued"
      + " printer printers license licences error errors failing failed connection connections install installed"
      + " installer setting settings user users account accounts report reports export exported import importing"
      + " dashboard database databases cluster clusters node nodes memory disk disks network proxy proxies token"
      + " tokens schedule scheduled job jobs").split(" ");
  private static final String[] CODES = ("ERR-4821 ERR_CONN_REFUSED v2.3.1 10.4.0-rc1 config.yml /var/log/agent.log"
      + " HTTP-503 0x80070005 C:\\Program\\Agent sync.timeout_ms").split(" ");
  private static final String[] ACCENTED = "café naïve résumé Zürich façade".split(" ");
  private static final String[] SYLLABLES = ("ka lo mi ne ru sa te vo zi pe da fu go hi ja ku").split(" ");

  private final SplittableRandom rnd;

  TrainingArticles(long seed) {
    this.rnd = new SplittableRandom(seed);
  }

  /** Writes {@code count} articles as {@code train-NNNNNN.md} into {@code dir}. */
  void write(Path dir, int count) throws IOException {
    Files.createDirectories(dir);
    for (int i = 0; i < count; i++) {
      Files.writeString(dir.resolve(String.format(Locale.ROOT, "train-%06d.md", i)), article(i));
    }
  }

  /** The text of article {@code i}, front matter and body. */
  String article(int i) {
    StringBuilder t = new StringBuilder(plainWord());
    for (int w = 0, n = 3 + rnd.nextInt(8); w < n; w++) {
      t.append(' ').append(plainWord());
    }
    String title = t.toString(); // no code or path: a backslash would be an escape in the quoted YAML title
    StringBuilder b = new StringBuilder(2_048);
    b.append("---\nid: train-").append(i).append("\ntitle: \"").append(title).append("\"\n")
        .append("url: https://kb.example.com/train/").append(i).append('\n')
        .append("tags: [").append(plainWord()).append(", ").append(SUPPORT[rnd.nextInt(SUPPORT.length)]).append("]\n");
    if (i % 3 == 0) {
      b.append("product: agent\nversions: [\"2.3\", \"2.4\"]\n");
    }
    b.append("---\n");
    boolean markup = i % 4 == 3;
    if (markup) {
      b.append("# ").append(title).append("\n\n");
    }
    for (int p = 0, paragraphs = 2 + rnd.nextInt(3); p < paragraphs; p++) {
      for (int s = 0, sentences = 3 + rnd.nextInt(4); s < sentences; s++) {
        b.append(markup && s == 1 ? marked() : sentence(6 + rnd.nextInt(12))).append(". ");
      }
      b.append("\n\n");
      if (markup && p == 0) {
        for (int item = 0; item < 3; item++) {
          b.append("- ").append(sentence(4 + rnd.nextInt(6))).append('\n');
        }
        b.append("\n```\n").append(CODES[rnd.nextInt(CODES.length)]).append(" ").append(word()).append("\n```\n\n");
      }
    }
    return b.toString();
  }

  /** A sentence with emphasis, inline code and a link in it. */
  private String marked() {
    return sentence(3) + " **" + word() + "** `" + CODES[rnd.nextInt(CODES.length)] + "` [" + word()
        + "](https://kb.example.com/" + rnd.nextInt(1_000) + ") " + sentence(3);
  }

  private String sentence(int words) {
    StringBuilder b = new StringBuilder();
    for (int w = 0; w < words; w++) {
      if (w > 0) {
        b.append(' ');
      }
      b.append(word());
    }
    return b.toString();
  }

  /** A word that is no code or path. */
  private String plainWord() {
    String w = word();
    while (w.chars().anyMatch(c -> !Character.isLetter(c))) {
      w = word();
    }
    return w;
  }

  private String word() {
    int r = rnd.nextInt(100);
    if (r < 45) {
      return COMMON[rnd.nextInt(COMMON.length)];
    } else if (r < 75) {
      return SUPPORT[rnd.nextInt(SUPPORT.length)];
    } else if (r < 96) {
      StringBuilder made = new StringBuilder();
      for (int s = 0, n = 2 + rnd.nextInt(3); s < n; s++) {
        made.append(SYLLABLES[rnd.nextInt(SYLLABLES.length)]);
      }
      return made.toString();
    } else if (r < 99) {
      return CODES[rnd.nextInt(CODES.length)];
    }
    return ACCENTED[rnd.nextInt(ACCENTED.length)];
  }
}
