package org.supportbot.kb.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.supportbot.kb.Source;
import org.supportbot.kb.ingest.KbDocument;

/** A hit's fields survive the doc value, which is exactly as long as its encoding. */
class HitFieldsTest {
  private static final String[] PIECES = {"a", "é", "日本", "😀", "https://kb.example.com/x?y=1", " ", "x".repeat(200)};

  private static String text(SplittableRandom rnd, int max) {
    StringBuilder b = new StringBuilder();
    for (int i = rnd.nextInt(max + 1); i > 0; i--) {
      b.append(PIECES[rnd.nextInt(PIECES.length)]);
    }
    return b.toString();
  }

  @Test
  void roundTripsEveryValueAtEveryLength() {
    SplittableRandom rnd = new SplittableRandom(2);
    for (int i = 0; i < 2_000; i++) {
      String title = "t" + text(rnd, i % 100 == 0 ? 200 : 8); // some titles over 16,383 UTF-8 bytes
      KbDocument d = new KbDocument("id-" + text(rnd, 3), Source.FORUM, title, text(rnd, 4), List.of(), "",
          List.of(), "", "", "", "body");
      BytesRef value = HitFields.encode(d);
      assertThat(value.offset + value.length).isEqualTo(value.bytes.length);
      assertThat(HitFields.decode(value)).isEqualTo(new HitFields(d.id(), "forum", d.title(), d.url()));
    }
  }
}
