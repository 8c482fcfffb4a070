package org.supportbot.kb.search;

import java.util.List;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.en.EnglishAnalyzer;

/**
 * Words that phrase a question or a request rather than say what it is about ("how can I", "is it
 * possible to", "please help"). Removed from queries only, never from the index.
 */
final class QueryStopWords {
  static final CharArraySet WORDS;

  static {
    CharArraySet set = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, true);
    set.addAll(List.of(
        "i", "me", "my", "mine", "myself", "we", "us", "our", "you", "your", "he", "him", "his",
        "she", "her", "its", "them", "what", "which", "who", "whom", "whose", "when", "where",
        "why", "how", "am", "been", "being", "do", "does", "did", "doing", "done", "have", "has",
        "had", "having", "can", "could", "would", "should", "shall", "may", "might", "must",
        "from", "so", "than", "too", "very", "just", "also", "any", "anyone", "anybody",
        "someone", "somebody", "some", "please", "thanks", "thank", "hi", "hello", "hey",
        "guys", "dear", "all", "possible", "way", "ways", "there", "here", "about", "out", "up",
        "get", "got", "know", "let", "tell", "need", "want", "like", "help", "advise", "advice",
        "suggest", "regards", "im", "ive", "dont", "cant", "i'm", "i've", "don't", "can't", "it's",
        "thing", "things", "one", "anything", "something", "else", "much", "many", "more",
        "most", "other", "only", "own", "same", "each", "few", "both", "again", "further",
        "once", "now", "then", "because", "while", "during", "before", "after", "above", "below",
        "over", "under", "between", "through", "were", "was", "same", "etc", "eg", "ie", "pls",
        "plz", "kindly", "question", "questions", "answer", "answers", "info", "information"));
    WORDS = CharArraySet.unmodifiableSet(set);
  }

  private QueryStopWords() {}
}
