package org.supportbot.kb.ingest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
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
    return HASHER.get().hash(id, source.label(), title, url, String.join("\u0001", tags), product,
        String.join("\u0001", versions), updated, question, acceptedAnswer, body);
  }

  /** One hasher per thread: a digest and an encoder with its buffer, not a copy of each text per document. */
  private static final ThreadLocal<Hasher> HASHER = ThreadLocal.withInitial(Hasher::new);

  /**
   * SHA-256 of the texts' UTF-8 bytes, each followed by a zero byte; the bytes are what {@code
   * String.getBytes(UTF_8)} gives (a lone surrogate becomes {@code ?}), encoded through one buffer.
   */
  private static final class Hasher {
    private final MessageDigest md;
    private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer buffer = ByteBuffer.allocate(8192);

    Hasher() {
      try {
        md = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing from this JDK", e);
      }
    }

    String hash(String... parts) {
      md.reset();
      for (String part : parts) {
        CharBuffer in = CharBuffer.wrap(part);
        utf8.reset();
        while (true) {
          CoderResult r = utf8.encode(in, buffer, true);
          drain();
          if (r.isUnderflow()) {
            break;
          }
        }
        while (utf8.flush(buffer).isOverflow()) {
          drain();
        }
        drain();
        md.update((byte) 0);
      }
      return HexFormat.of().formatHex(md.digest(), 0, 16);
    }

    private void drain() {
      md.update(buffer.array(), 0, buffer.position());
      buffer.clear();
    }
  }
}
