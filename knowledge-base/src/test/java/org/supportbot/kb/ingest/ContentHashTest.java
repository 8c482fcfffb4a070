package org.supportbot.kb.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.supportbot.kb.Source;

/** The content hash is what it was (SHA-256 of each text's {@code getBytes(UTF_8)}), so indexed documents stay unchanged. */
class ContentHashTest {
  private static final String[] PIECES = {"word", " ", "\n", "café", "日本語", "😀", "\uD800", "\uDC00", "x\uD83D",
      "ORA-00942", "", "a".repeat(9_000)};

  /** The hash as it was computed before it went through one encoder per thread. */
  private static String oracle(KbDocument d) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (String part : List.of(d.id(), d.source().label(), d.title(), d.url(), String.join("\u0001", d.tags()),
        d.product(), String.join("\u0001", d.versions()), d.updated(), d.question(), d.acceptedAnswer(), d.body())) {
      md.update(part.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
    }
    return HexFormat.of().formatHex(md.digest(), 0, 16);
  }

  private static String text(SplittableRandom rnd) {
    StringBuilder b = new StringBuilder();
    for (int i = rnd.nextInt(12); i > 0; i--) {
      b.append(PIECES[rnd.nextInt(PIECES.length)]);
    }
    return b.toString();
  }

  @Test
  void isTheSha256OfEachTextsUtf8BytesAsBefore() throws Exception {
    SplittableRandom rnd = new SplittableRandom(9);
    for (int i = 0; i < 2_000; i++) {
      KbDocument d = new KbDocument("id" + i, i % 2 == 0 ? Source.ARTICLE : Source.FORUM, "t" + text(rnd), text(rnd),
          List.of(text(rnd), "b"), text(rnd), List.of("4.2"), text(rnd), text(rnd), text(rnd), text(rnd));
      assertThat(d.contentHash()).isEqualTo(oracle(d));
    }
  }
}
