/**
 * Optional sentence embeddings for semantic matching: the all-MiniLM-L6-v2 model (quantized ONNX)
 * that ships inside a Maven Central artifact, so nothing is downloaded at run time.
 */
package org.supportbot.kb.embed;
