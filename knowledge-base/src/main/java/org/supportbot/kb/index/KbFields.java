package org.supportbot.kb.index;

import java.util.List;

/** Field names of the index. */
public final class KbFields {
  /** {@code source:id}, the unique key (indexed, stored). */
  public static final String KEY = "key";
  public static final String ID = "id";
  public static final String SOURCE = "source";
  public static final String URL = "url";
  public static final String HASH = "hash";
  public static final String UPDATED = "updated";
  /** Lower-cased product name, or {@link #NONE} when the document applies to every product. */
  public static final String PRODUCT = "product";
  /** Normalized version, or {@link #NONE} when the document applies to every version. */
  public static final String VERSION = "version";
  /**
   * The text snippets are cut from, as an uncompressed binary doc value: reading it for a hit is one
   * bulk copy, where a stored field of up to 8,000 characters had to be decompressed byte by byte
   * (and made every stored-field read of the document, for its id or title too, decompress it).
   */
  public static final String SNIPPET_TEXT = "snippet_text";
  /** The same text as a stored field, in indexes built before 2026-12-03 (still read where present). */
  public static final String SNIPPET_SOURCE = "snippet_src";
  /**
   * What a hit shows (id, source, title, link; {@link HitFields}) as an uncompressed binary doc
   * value, since 2026-12-04: reading it for each of a search's hits is one bulk copy, where the
   * stored fields decompress their block up to the document (a tenth of a search's time). The
   * same values stay stored fields too; indexes built before are read from those.
   */
  public static final String HIT = "hit";

  /** Searched with the stemming analyzer. */
  public static final String TITLE = "title";
  public static final String TAGS = "tags";
  public static final String QUESTION = "question";
  /**
   * An accepted answer's own field in indexes built before 2026-12-03; since then the accepted
   * answer is indexed in {@link #BODY}. The searcher still reads this field where an index has it.
   */
  public static final String ANSWER = "answer";
  public static final String BODY = "body";
  /** Searched with the exact analyzer: identifiers, versions, codes, paths from every text. */
  public static final String CODE = "code";

  /** Sentence embedding of title and question (only in indexes built with embeddings). */
  public static final String VECTOR = "vector";

  /** Marker for "applies to all" in {@link #PRODUCT} and {@link #VERSION}. */
  public static final String NONE = "_any";

  public static final List<String> STEMMED = List.of(TITLE, TAGS, QUESTION, BODY);

  private KbFields() {}
}
