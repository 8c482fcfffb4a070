package org.supportbot.kb;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The sample knowledge base shipped in the module's resources. */
public final class SampleKb {
  private SampleKb() {}

  public static Path articles() {
    return resource("/sample-kb/articles");
  }

  public static Path forum() {
    return resource("/sample-kb/forum");
  }

  private static Path resource(String name) {
    try {
      return Path.of(SampleKb.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
