package org.supportbot.kb.index;

import java.io.CharArrayReader;
import java.io.IOException;
import org.apache.lucene.analysis.CharArrayMap;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.FilteringTokenFilter;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The English normalisation of one word token (possessive removed, lower case, ASCII folding,
 * stop words dropped, Porter stem), with the result remembered per word. Each of those steps
 * depends on the token alone, so a word seen before costs one hash lookup instead of five filters;
 * a word seen for the first time goes through Lucene's own filters, so the output is exactly
 * theirs. Word frequencies are Zipfian: a few thousand words make up most of any text.
 */
final class EnglishTermFilter extends FilteringTokenFilter {
  /** Words remembered before the memory starts afresh (a few MB per analysing thread). */
  static final int MAX_REMEMBERED = 50_000;
  /** Longer tokens (long identifiers, pasted junk) are normalised every time. */
  private static final int MAX_REMEMBERED_LENGTH = 40;
  /** Marks a stop word; compared by identity, so an empty normalised term stays distinct. */
  private static final char[] DROPPED = new char[0];

  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final CharArrayMap<char[]> remembered = new CharArrayMap<>(1_024, false);
  private final Tokenizer word = new KeywordTokenizer();
  private final TokenStream normalise;
  private final CharTermAttribute normalised;

  EnglishTermFilter(TokenStream in, CharArraySet stopWords) {
    super(in);
    TokenStream ts = new EnglishPossessiveFilter(word);
    ts = new LowerCaseFilter(ts);
    ts = new ASCIIFoldingFilter(ts);
    ts = new StopFilter(ts, stopWords);
    normalise = new PorterStemFilter(ts);
    normalised = normalise.getAttribute(CharTermAttribute.class);
  }

  @Override
  protected boolean accept() throws IOException {
    char[] buffer = term.buffer();
    int length = term.length();
    char[] result = remembered.get(buffer, 0, length);
    if (result == null) {
      result = normalise(buffer, length);
      if (length <= MAX_REMEMBERED_LENGTH) {
        if (remembered.size() >= MAX_REMEMBERED) {
          remembered.clear();
        }
        char[] key = new char[length];
        System.arraycopy(buffer, 0, key, 0, length);
        remembered.put(key, result);
      }
    }
    if (result == DROPPED) {
      return false;
    }
    term.copyBuffer(result, 0, result.length);
    return true;
  }

  private char[] normalise(char[] buffer, int length) throws IOException {
    word.setReader(new CharArrayReader(buffer, 0, length));
    normalise.reset();
    char[] out = DROPPED;
    if (normalise.incrementToken()) {
      out = new char[normalised.length()];
      System.arraycopy(normalised.buffer(), 0, out, 0, out.length);
    }
    normalise.end();
    normalise.close();
    return out;
  }
}
