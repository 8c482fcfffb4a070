package org.supportbot.kb.index;

/** Told how far an indexing run is; a console implementation draws a progress bar. */
public interface IndexProgress extends AutoCloseable {
  /** Does nothing. */
  IndexProgress NONE = new IndexProgress() {
    @Override
    public void start(String task, long total) {}

    @Override
    public void step() {}

    @Override
    public void close() {}
  };

  void start(String task, long total);

  void step();

  @Override
  void close();
}
