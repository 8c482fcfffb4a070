package org.supportbot.kb.index;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on a console stream (me.tongfei progressbar), for long index rebuilds. */
public final class ConsoleProgress implements IndexProgress {
  private final PrintStream stream;
  private ProgressBar bar;

  public ConsoleProgress(PrintStream stream) {
    this.stream = stream;
  }

  @Override
  public void start(String task, long total) {
    close();
    bar = new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250)
        .setConsumer(new ConsoleProgressBarConsumer(stream))
        .showSpeed()
        .build();
  }

  @Override
  public void step() {
    if (bar != null) {
      bar.step();
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
