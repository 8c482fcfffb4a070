package org.supportbot.app.slack;

import java.util.Objects;
import java.util.Optional;

/**
 * Port: where the desk's named messages live in Slack. A case's thread is remembered under
 * {@code thread:ACME-1} and its status message under its replace key, {@code status:ACME-1}.
 */
public interface SlackMessageStore {

  /** A message in Slack: its channel and timestamp. */
  record Posted(String channel, String ts) {
    public Posted {
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(ts, "ts");
    }
  }

  Optional<Posted> find(String workspace, String name);

  /** Remembers (or moves) a named message. */
  void remember(String workspace, String name, Posted posted);

  /** The thread name whose root is {@code ts} in {@code channel}, e.g. "ACME-1". */
  Optional<String> threadAt(String workspace, String channel, String ts);
}
