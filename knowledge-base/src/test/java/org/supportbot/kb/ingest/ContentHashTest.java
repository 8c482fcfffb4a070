package org.supportbot.kb.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.supportbot.kb.Source;

/**
 * The content hash stays what indexes already hold (SHA-256 of each field's UTF-8 bytes, a lone
 * surrogate as {@code ?}): a change to it would re-index every document of every index once.
 */
class ContentHashTest {
  @Test
  void staysWhatIndexesHold() {
    assertThat(new KbDocument("beacon-001", Source.ARTICLE, "Agent fails to start", "https://kb/x",
        List.of("agent", "startup"), "beacon", List.of("4.2"), "2026-11-02", "", "", "Check BCN-4012.").contentHash())
        .isEqualTo("e507deb6d1e62bf00c7581f47184401e");
    assertThat(new KbDocument("42", Source.FORUM, "café 😀", "", List.of(), "", List.of(), "", "q \uD800 lone",
        "answer", "body").contentHash()).isEqualTo("f555edff4cb3cc007a11680a5ae72807");
  }

  @Test
  void changesWithAnyField() {
    KbDocument d = new KbDocument("1", Source.FORUM, "t", "u", List.of("a"), "p", List.of("1"), "d", "q", "a", "b");
    assertThat(List.of(
        new KbDocument("1", Source.FORUM, "t", "u", List.of("a"), "p", List.of("1"), "d", "q", "a", "b!"),
        new KbDocument("1", Source.FORUM, "t", "u", List.of("a"), "p", List.of("1"), "d", "q", "a!", "b"),
        new KbDocument("1", Source.FORUM, "t", "u", List.of("a", "b"), "p", List.of("1"), "d", "q", "a", "b"),
        new KbDocument("1", Source.ARTICLE, "t", "u", List.of("a"), "p", List.of("1"), "d", "q", "a", "b"),
        // a text moved from one field to the next is another document: fields are separated
        new KbDocument("1", Source.FORUM, "t", "u", List.of("a"), "p", List.of("1"), "d", "qa", "", "b")))
        .extracting(KbDocument::contentHash).doesNotContain(d.contentHash()).doesNotHaveDuplicates();
  }
}
