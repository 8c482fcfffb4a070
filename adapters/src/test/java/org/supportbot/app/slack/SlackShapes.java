package org.supportbot.app.slack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * The request corpus under {@code src/test/resources/slack-shapes/} (see its README): each file read
 * into the body and content type Slack would post, with its placeholders filled in.
 */
final class SlackShapes {
  private SlackShapes() {}

  /** One request as Slack would post it. */
  record Shape(String file, String contentType, String body) {}

  static Path dir() {
    try {
      return Path.of(SlackShapes.class.getResource("/slack-shapes/README.md").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every request file of the corpus, by name. */
  static List<String> files() {
    try (Stream<Path> files = Files.list(dir())) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("README.md")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads {@code file}, replacing each {@code {{NAME}}} by {@code vars.get(NAME)}; in JSON the value
   * is escaped as the inside of a JSON string.
   */
  static Shape load(String file, Map<String, String> vars) {
    String text;
    try {
      text = Files.readString(dir().resolve(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    boolean json = file.endsWith(".json");
    for (Map.Entry<String, String> v : vars.entrySet()) {
      text = text.replace("{{" + v.getKey() + "}}", json ? jsonInside(v.getValue()) : v.getValue());
    }
    if (file.endsWith(".payload.json")) {
      return new Shape(file, SlackWire.FORM, "payload=" + URLEncoder.encode(text, StandardCharsets.UTF_8));
    }
    if (json) {
      return new Shape(file, SlackWire.JSON, text);
    }
    if (file.endsWith(".form")) {
      StringJoiner form = new StringJoiner("&");
      for (String line : text.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        int eq = line.indexOf('=');
        form.add(line.substring(0, eq) + "=" + URLEncoder.encode(line.substring(eq + 1), StandardCharsets.UTF_8));
      }
      return new Shape(file, SlackWire.FORM, form.toString());
    }
    if (file.endsWith(".raw")) {
      return new Shape(file, SlackWire.FORM, text);
    }
    throw new IllegalArgumentException(file + ": unknown kind; name it .json, .payload.json, .form or .raw");
  }

  private static String jsonInside(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
