package org.supportbot.kb.index;

import java.io.IOException;
import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.TermFrequencyAttribute;
import org.apache.lucene.util.AttributeSource;
import org.apache.lucene.util.BytesRef;

/**
 * The exact-token field of one document, indexed without positions: each distinct exact token of
 * its texts once, with its number of occurrences. The tokens come from this thread's {@link
 * ExactCollector} when it gathered them for this document while the stemmed fields were read, else
 * from {@link ExactTokenizer} over the texts. The same terms, frequencies and field length as the
 * texts given to {@link ExactTokenizer} one value each ({@code CodeFieldTest}).
 */
final class CodeTokens extends TokenStream {
  /** Attributes shared by every document's stream on a thread: a stream is made per document. */
  private static final ThreadLocal<AttributeSource> ATTRIBUTES = ThreadLocal.withInitial(() -> {
    AttributeSource a = new AttributeSource();
    a.addAttribute(BytesTermAttribute.class);
    a.addAttribute(TermFrequencyAttribute.class);
    return a;
  });
  private static final ThreadLocal<ExactTokenizer> FALLBACK = ThreadLocal.withInitial(ExactTokenizer::new);

  private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
  private final TermFrequencyAttribute frequency = addAttribute(TermFrequencyAttribute.class);
  private final long document;
  private final List<String> texts;
  private final Map<String, int[]> counts = new HashMap<>();
  private java.util.Iterator<Map.Entry<String, int[]>> next;

  /**
   * @param document the number {@link ExactCollector#begin} gave this document
   * @param texts the document's non-empty texts, in the order their stemmed fields come
   */
  CodeTokens(long document, List<String> texts) {
    super(ATTRIBUTES.get());
    this.document = document;
    this.texts = List.copyOf(texts);
  }

  @Override
  public void reset() throws IOException {
    super.reset();
    counts.clear();
    boolean gathered = ExactCollector.current().tokensOf(document, texts.size(),
        (b, off, len) -> counts.computeIfAbsent(new String(b, off, len), k -> new int[1])[0]++);
    if (!gathered) {
      counts.clear();
      ExactTokenizer exact = FALLBACK.get();
      CharTermAttribute t = exact.getAttribute(CharTermAttribute.class);
      for (String text : texts) {
        exact.setReader(new StringReader(text));
        exact.reset();
        while (exact.incrementToken()) {
          counts.computeIfAbsent(t.toString(), k -> new int[1])[0]++;
        }
        exact.end();
        exact.close();
      }
    }
    next = counts.entrySet().iterator();
  }

  @Override
  public boolean incrementToken() {
    if (!next.hasNext()) {
      return false;
    }
    clearAttributes();
    Map.Entry<String, int[]> e = next.next();
    term.setBytesRef(new BytesRef(e.getKey()));
    frequency.setTermFrequency(e.getValue()[0]);
    return true;
  }
}
