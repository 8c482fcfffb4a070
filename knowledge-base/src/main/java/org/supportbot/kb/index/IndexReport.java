package org.supportbot.kb.index;

/** What an indexing run changed. */
public record IndexReport(int added, int updated, int unchanged, int deleted, long nanos) {
  public IndexReport {
    if (added < 0 || updated < 0 || unchanged < 0 || deleted < 0 || nanos < 0) {
      throw new IllegalArgumentException("negative count in index report");
    }
  }

  /** Combines two runs. */
  public IndexReport plus(IndexReport o) {
    return new IndexReport(
        added + o.added, updated + o.updated, unchanged + o.unchanged, deleted + o.deleted, nanos + o.nanos);
  }

  @Override
  public String toString() {
    return String.format(
        "%d added, %d updated, %d unchanged, %d deleted in %.1f s",
        added, updated, unchanged, deleted, nanos / 1e9);
  }
}
