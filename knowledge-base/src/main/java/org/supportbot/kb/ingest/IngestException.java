package org.supportbot.kb.ingest;

import org.supportbot.kb.KbException;

/** A source file cannot be read; the message names the file, the problem and the fix. */
public class IngestException extends KbException {
  public IngestException(String message) {
    super(message);
  }

  public IngestException(String message, Throwable cause) {
    super(message, cause);
  }
}
