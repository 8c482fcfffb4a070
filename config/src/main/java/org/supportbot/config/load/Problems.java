package org.supportbot.config.load;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one file so that all of them are reported together. */
final class Problems {
  private final String file;
  private final List<ConfigProblem> list = new ArrayList<>();

  Problems(String file) {
    this.file = file;
  }

  String file() {
    return file;
  }

  void add(int line, String path, String message) {
    list.add(new ConfigProblem(file, line, path, message));
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  int size() {
    return list.size();
  }

  List<ConfigProblem> all() {
    return List.copyOf(list);
  }
}
