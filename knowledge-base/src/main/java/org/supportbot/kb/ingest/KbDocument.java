package org.supportbot.kb.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.supportbot.kb.Source;

/**
 * One searchable document, source-neutral.
 *
 * @param question the text of the question (a forum topic's first post; empty for articles)
 * @param acceptedAnswer the accepted answer's text, if any
 * @param body everything else: an article's body, a topic's other replies
 * @param updated when the source last changed (ISO-8601), or empty
 */
public record KbDocument(
    String id,
    Source source,
    String title,
    String url,
    List<String> tags,
    String product,
    List<String> versions,
    String updated,
    String question,
    String acceptedAnswer,
    String body) {

  public KbDocument {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("document id is blank");
    }
    Objects.requireNonNull(source, "source");
    id = id.strip();
    title = Objects.requireNonNullElse(title, "");
    url = Objects.requireNonNullElse(url, "");
    tags = List.copyOf(Objects.requireNonNullElse(tags, List.of()));
    product = Objects.requireNonNullElse(product, "").strip();
    versions = List.copyOf(Objects.requireNonNullElse(versions, List.of()));
    updated = Objects.requireNonNullElse(updated, "");
    question = Objects.requireNonNullElse(question, "");
    acceptedAnswer = Objects.requireNonNullElse(acceptedAnswer, "");
    body = Objects.requireNonNullElse(body, "");
  }

  /** The key that identifies the document in the index: {@code article:faq-001}, {@code forum:42}. */
  public String key() {
    return key(source, id);
  }

  /** The index key for a source and id. */
  public static String key(Source source, String id) {
    return source.label() + ":" + id;
  }

  /** A digest of every field, so that unchanged documents are not re-indexed. */
  public String contentHash() {
    MessageDigest md = SHA_256.get();
    md.reset();
    for (String part : List.of(id, source.label(), title, url, String.join("\u0001", tags), product,
        String.join("\u0001", versions), updated, question, acceptedAnswer, body)) {
      md.update(part.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
    }
    return HexFormat.of().formatHex(md.digest(), 0, 16);
  }

  /** One digest per thread, rather than a look-up among the security providers per document. */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  });
}
