package org.supportbot.kb.index;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.TermFrequencyAttribute;

/**
 * The stemmed analyzer ({@link SupportAnalyzers#stemmed()}) at index time, for fields indexed
 * without positions: it reads the whole text, counts its terms, and gives each distinct term once
 * with its number of occurrences as its {@link TermFrequencyAttribute}. Lucene then adds a term to
 * its in-memory postings once per document rather than once per occurrence (that hash lookup and
 * postings write, per token, were a third of indexing), and the field's length (the sum of the
 * frequencies, which BM25 reads) and each term's frequency are what the per-token analyzer gives.
 *
 * <p>Most words never go through the tokenizer either. No token of {@link StandardTokenizer}
 * spans ASCII white space, and none starts between two ASCII letters or digits (Unicode word-break
 * rules WB5 and WB8-WB10 join them), so the text is read as white-space-separated chunks: a chunk
 * of one run of ASCII letters and digits with only ASCII punctuation around it (not {@code _},
 * which joins) is that one token, looked up in the {@link WordMemory} straight from the text; any
 * other chunk (two runs, non-ASCII, longer than the longest token) is tokenized on its own. (The
 * same reading as {@link StemmedMatcher}'s.) {@code CountingTokenizerTest} compares terms,
 * frequencies and lengths with the per-token analyzer on random text over a hostile alphabet.
 */
final class CountingTokenizer extends Tokenizer {
  /**
   * Slots of the word memory of the texts (title, question, answer, body): 4 MB per indexing thread, a
   * numbering slot being half a normalising one. The memory is direct-mapped, so words that share a slot
   * evict each other: with 1 << 16 slots, tokenizing the generated corpus's texts (25,514 distinct words)
   * took 7% longer (16.3 against 15.2 microseconds a text; 1 << 18 slots no faster than 1 << 17).
   */
  static final int REMEMBERED = 1 << 17;
  /** Slots of the tags' word memory: a few words a document, 512 KB per indexing thread. */
  static final int TAGS_REMEMBERED = 1 << 14;

  /** The term as the index stores it, UTF-8: each numbered term is encoded once, not once per text. */
  private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
  private final TermFrequencyAttribute frequency = addAttribute(TermFrequencyAttribute.class);
  private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
  private final WordMemory memory;
  private final StandardTokenizer chunks = new StandardTokenizer();
  private final CharsReader chunkReader = new CharsReader();
  private final CharTermAttribute chunkTerm = chunks.addAttribute(CharTermAttribute.class);
  private final WholeText text = new WholeText();
  /** Occurrences of each numbered term in this text; zero again once given out. */
  private int[] counts = new int[1024];
  /**
   * The numbers of this text's terms, in order of first occurrence. Sized for long texts: growing it
   * in the middle of a build made the JIT throw away and recompile {@link #count} (an untaken branch).
   */
  private int[] seen = new int[4096];
  private int seenCount;
  private int next;

  /** Where the exact tokens of the texts go, or null. */
  private final ExactCollector exact;
  /** Whether this text's exact tokens are all in {@link #exact}, as {@link ExactTokenizer} would cut them. */
  private boolean whole;

  /**
   * The exact-token field's mode ({@link #forExactTokens}): the numbers of the exact tokens, null for the
   * stemmed fields. Not stemmed, so numbered apart from the word memory's terms.
   */
  private final TermNumbers exactIds;
  /** The document and texts whose exact tokens the next text gives ({@link #exactTokensOf}). */
  private long exactDocument;
  private List<String> exactTexts = List.of();
  private final ExactTokenizer exactFallback;
  private final CharTermAttribute exactFallbackTerm;

  /**
   * @param remembered slots of the word memory, a power of two
   * @param exact where to put the texts' exact tokens ({@link ExactTokenizer}'s), or null
   */
  CountingTokenizer(CharArraySet stopWords, int remembered, ExactCollector exact) {
    this.memory = new WordMemory(stopWords, remembered, true);
    this.exact = exact;
    this.exactIds = null;
    this.exactFallback = null;
    this.exactFallbackTerm = null;
  }

  private CountingTokenizer() {
    this.memory = null;
    this.exact = null;
    this.exactIds = new TermNumbers();
    this.exactFallback = new ExactTokenizer();
    this.exactFallbackTerm = exactFallback.getAttribute(CharTermAttribute.class);
  }

  /**
   * A tokenizer for the exact-token field: for each document ({@link #exactTokensOf}) it gives each distinct
   * exact token of the document's texts once, with its number of occurrences, taken from this thread's
   * {@link ExactCollector} when it gathered them while the stemmed fields were read, else read from the
   * texts by {@link ExactTokenizer}. The same class as the stemmed fields' tokenizer: with a token stream
   * class of its own, Lucene's inversion saw several kinds of stream and the JIT compiled it for all of
   * them (a cold build of 100,000 files took about 0.5 CPU-s longer). Not thread-safe.
   */
  static CountingTokenizer forExactTokens() {
    return new CountingTokenizer();
  }

  /**
   * Makes the next text this tokenizer gives the exact tokens of a document: {@code document} is the number
   * {@link ExactCollector#begin} gave it, {@code texts} its non-empty texts in the order their stemmed fields
   * come. Returns this tokenizer, to be the field's token stream. Exact-token mode only.
   */
  CountingTokenizer exactTokensOf(long document, List<String> texts) {
    this.exactDocument = document;
    this.exactTexts = texts;
    setReader(NO_TEXT);
    return this;
  }

  /** The reader of the exact-token mode, which reads no text of its own. */
  private static final java.io.Reader NO_TEXT = java.io.Reader.nullReader();

  @Override
  public void reset() throws IOException {
    super.reset();
    // a text that was not given out to its end leaves counts behind
    for (int i = next; i < seenCount; i++) {
      counts[seen[i]] = 0;
    }
    seenCount = 0;
    next = 0;
    clearAttributes(); // once per text: end() of the last one set the position increment to 0
    if (exactIds != null) {
      countExactTokens();
      return;
    }
    memory.trim();
    text.read(input);
    whole = true;
    count();
    if (exact != null) {
      exact.textRead(whole);
    }
  }

  @Override
  public boolean incrementToken() {
    if (next < seenCount) {
      int id = seen[next++];
      // no clearAttributes() per term (reset did it): the term and its frequency are all that change
      term.setBytesRef(exactIds == null ? memory.term(id) : exactIds.term(id));
      frequency.setTermFrequency(counts[id]);
      counts[id] = 0;
      return true;
    }
    return false;
  }

  /** Counts the document's exact tokens: gathered while its stemmed fields were read, else read again. */
  private void countExactTokens() throws IOException {
    exactIds.clearIfFull(); // between documents: no number is held
    if (ExactCollector.current().tokensOf(exactDocument, exactTexts.size(), this::countExact)) {
      return;
    }
    for (String t : exactTexts) { // not gathered, or not completely: read again (tokensOf took nothing)
      exactFallback.setReader(new java.io.StringReader(t));
      try {
        exactFallback.reset();
        while (exactFallback.incrementToken()) {
          countExact(exactFallbackTerm.buffer(), 0, exactFallbackTerm.length());
        }
        exactFallback.end();
      } finally {
        exactFallback.close();
      }
    }
  }

  /** Counts one exact token. */
  private void countExact(char[] buffer, int off, int len) {
    counted(exactIds.number(buffer, off, len), exactIds.size());
  }

  @Override
  public void end() throws IOException {
    super.end();
    int last = correctOffset(text.length());
    offset.setOffset(last, last);
  }

  /** Counts the terms of every chunk of the text. */
  private void count() throws IOException {
    char[] chars = text.chars();
    int n = text.length();
    int maxToken = chunks.getMaxTokenLength();
    int i = 0;
    while (i < n) {
      while (i < n && StemmedMatcher.isSpace(chars[i])) {
        i++;
      }
      int start = i;
      boolean afterWordChar = false;
      boolean plain = true;
      int runs = 0;
      int runStart = -1;
      int runEnd = -1;
      int hash = 0; // the last run's hash (WordMemory.hash), computed on the way
      int exactClasses = 0; // ExactTokenizer's classes of the chunk's chars
      for (; i < n && !StemmedMatcher.isSpace(chars[i]); i++) {
        char c = chars[i];
        exactClasses |= c < 128 ? ExactTokenizer.ASCII[c]
            : Character.isWhitespace(c) ? ExactTokenizer.SPACE : ExactTokenizer.OTHER;
        boolean wordChar = c < 128 && StemmedMatcher.WORD[c];
        if (wordChar) {
          if (!afterWordChar) {
            runs++;
            runStart = i;
            hash = 0;
          }
          hash = 31 * hash + c;
          runEnd = i + 1;
        } else if (c >= 128 || c == '_') {
          plain = false;
        }
        afterWordChar = wordChar;
      }
      if (i == start) {
        continue;
      }
      if (exact != null) {
        exact(chars, start, i, exactClasses);
      }
      if (plain && runs <= 1 && i - start <= maxToken) {
        if (runs == 1) {
          add(chars, runStart, runEnd - runStart, hash);
        }
      } else {
        chunks.setReader(chunkReader.reset(chars, start, i - start));
        try {
          chunks.reset();
          while (chunks.incrementToken()) {
            add(chunkTerm.buffer(), 0, chunkTerm.length(),
                WordMemory.hash(chunkTerm.buffer(), 0, chunkTerm.length()));
          }
          chunks.end();
        } finally {
          chunks.close();
        }
      }
    }
  }

  /**
   * The exact token of the chunk {@code chars[start, end)}, if it has one, as {@link ExactTokenizer}
   * gives it: the chunk is its white-space token unless it holds other white space (form feed, a
   * Unicode space) or is longer than its longest token, and then the text is not {@link #whole}.
   */
  private void exact(char[] chars, int start, int end, int classes) {
    if ((classes & ExactTokenizer.SPACE) != 0 || end - start > ExactTokenizer.MAX_TOKEN) {
      whole = false;
      return;
    }
    if ((classes & ExactTokenizer.OTHER) == 0) {
      return; // lower-case letters and punctuation: never an exact token
    }
    while (start < end && ExactTokenizer.trimmed(chars[start])) {
      start++;
    }
    while (end > start && ExactTokenizer.trimmed(chars[end - 1])) {
      end--;
    }
    if (start < end && ExactTokenizer.looksExact(chars, start, end - start)) {
      exact.add(chars, start, end);
    }
  }

  private void add(char[] buffer, int off, int len, int hash) throws IOException {
    int id = memory.termId(buffer, off, len, hash);
    if (id != WordMemory.STOP_WORD) {
      counted(id, memory.numbered());
    }
  }

  /** One more occurrence of the term numbered {@code id}, of {@code numbered} terms numbered so far. */
  private void counted(int id, int numbered) {
    if (id >= counts.length) {
      counts = Arrays.copyOf(counts, Math.max(id + 1, numbered * 2));
    }
    if (counts[id]++ == 0) {
      if (seenCount == seen.length) {
        seen = Arrays.copyOf(seen, seenCount * 2);
      }
      seen[seenCount++] = id;
    }
  }
}
