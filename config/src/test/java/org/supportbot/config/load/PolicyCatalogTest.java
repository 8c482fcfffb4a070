package org.supportbot.config.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PolicyCatalogTest {
  @Test
  void everyPolicyFileIsListedInTheIndexAndShipped() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("policies"))) {
      var onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
      assertThat(PolicyCatalog.bundledIds()).containsExactlyElementsOf(onDisk);
    }
    assertThat(PolicyCatalog.bundled().ids())
        .containsExactly("alectrona", "atheer", "atollon", "atomrock", "resource-optimizer");
  }
}
