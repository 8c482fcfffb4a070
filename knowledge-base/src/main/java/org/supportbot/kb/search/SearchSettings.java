package org.supportbot.kb.search;

/**
 * How a query is weighted. Each query term is scored in every text field with BM25; the fields
 * are combined per term as a disjunction-max with tie-breaker {@code tie} (tie 1 is a plain sum).
 *
 * @param title weight of the title (an article's title is a paraphrase of its question)
 * @param tags weight of the tags
 * @param question weight of a forum topic's first post
 * @param body weight of the rest: article body, accepted answer, other replies (an accepted
 *     answer shares the body field: one clause fewer per query word, and the kb-eval figures are
 *     the same, see docs/knowledge-base.md)
 * @param code weight of exact identifier / version / error-code / path tokens
 * @param phrase weight of the error text matched as a phrase
 * @param tie disjunction-max tie-breaker
 * @param k1 BM25 term saturation
 * @param b BM25 length normalization of long fields
 * @param shortB BM25 length normalization of titles and tags
 * @param queryStopWords drop question phrasing ("how do I", "is it possible") from queries
 * @param lead weight of the words of a query's first sentence when more text follows it (a
 *     subject line or a ticket title; see {@link LeadSentence}); 1 weights them like the rest
 * @param floor with embeddings: the cosine similarity of the best hit below which
 *     {@code suggest} returns nothing (0 disables)
 * @param lexicalFloor without embeddings: the BM25 score relative to the query's best possible
 *     score below which {@code suggest} returns nothing (0 disables)
 * @param prfDocs pseudo-relevance feedback: number of top documents to take terms from (0 = off)
 * @param prfTerms pseudo-relevance feedback: number of expansion terms
 * @param prfWeight weight of the expansion terms relative to the original query
 * @param semantic weight of the cosine similarity of sentence embeddings, added to the BM25
 *     score divided by the query's best BM25 score (0 = lexical only; ignored when the index has
 *     no embeddings)
 */
public record SearchSettings(
    float title,
    float tags,
    float question,
    float body,
    float code,
    float phrase,
    float tie,
    float k1,
    float b,
    float shortB,
    boolean queryStopWords,
    float lead,
    double floor,
    double lexicalFloor,
    int prfDocs,
    int prfTerms,
    float prfWeight,
    float semantic) {

  public SearchSettings {
    for (float f : new float[] {title, tags, question, body, code, phrase, tie, k1, b, shortB, lead, prfWeight, semantic}) {
      if (!(f >= 0) || Float.isInfinite(f)) {
        throw new IllegalArgumentException("search weights must be finite and >= 0");
      }
    }
    if (b > 1 || shortB > 1 || tie > 1) {
      throw new IllegalArgumentException("b, shortB and tie must be at most 1");
    }
    if (!(floor >= 0) || floor > 1 || !(lexicalFloor >= 0) || lexicalFloor > 1) {
      throw new IllegalArgumentException("floors must be in [0, 1], were " + floor + " and " + lexicalFloor);
    }
    if (prfDocs < 0 || prfTerms < 0) {
      throw new IllegalArgumentException("PRF counts must be >= 0, were " + prfDocs + " and " + prfTerms);
    }
  }

  /**
   * Confidence floor with embeddings: the cosine at which the top hit is as likely relevant as not,
   * fitted on the SemEval train split (docs/knowledge-base.md, "Confidence floor"; {@code kb eval} prints the fit).
   */
  public static final double DEFAULT_FLOOR = 0.44;
  /** Confidence floor of the lexical mode (share of the best possible BM25 score), fitted the same way. */
  public static final double DEFAULT_LEXICAL_FLOOR = 0.073;

  /** The tuned defaults (see the README's "Knowledge base" section for how they were chosen). */
  public static SearchSettings defaults() {
    return new SearchSettings(2.0f, 0.5f, 1.5f, 0.7f, 0.5f, 1.0f, 1.0f, 1.2f, 0.75f, 0.5f, true, 1.5f,
        DEFAULT_FLOOR, DEFAULT_LEXICAL_FLOOR, 0, 0, 0.3f, 2.0f);
  }

  /** Plain BM25: title and body, English analysis, default parameters, no extras. */
  public static SearchSettings plain() {
    return new SearchSettings(1f, 0f, 1f, 1f, 0f, 0f, 1f, 1.2f, 0.75f, 0.75f, false, 1f, 0.0, 0.0, 0, 0, 0f, 0f);
  }

  /** The same weights with other confidence floors (0 disables a floor). */
  public SearchSettings withFloors(double newFloor, double newLexicalFloor) {
    return new SearchSettings(title, tags, question, body, code, phrase, tie, k1, b, shortB,
        queryStopWords, lead, newFloor, newLexicalFloor, prfDocs, prfTerms, prfWeight, semantic);
  }

  /** The same weights without embeddings. */
  public SearchSettings lexicalOnly() {
    return withSemantic(0f);
  }

  public SearchSettings withSemantic(float weight) {
    return new SearchSettings(title, tags, question, body, code, phrase, tie, k1, b, shortB,
        queryStopWords, lead, floor, lexicalFloor, prfDocs, prfTerms, prfWeight, weight);
  }
}
