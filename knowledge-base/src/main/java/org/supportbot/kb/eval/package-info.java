/**
 * Measuring suggestion quality on labelled questions: query and qrels files, the SemEval re-rank
 * protocol, and MAP@10, MRR@10, P@1, Recall@5 and nDCG@10.
 */
package org.supportbot.kb.eval;
