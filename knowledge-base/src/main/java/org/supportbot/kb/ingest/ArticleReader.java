package org.supportbot.kb.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.supportbot.kb.Source;

/**
 * Reads a folder of Markdown articles. Each file starts with YAML front matter between two
 * {@code ---} lines: {@code id} and {@code title} are required; {@code url}, {@code tags},
 * {@code product}, {@code versions} and {@code updated} are optional.
 */
public final class ArticleReader {

  private ArticleReader() {}

  /** The {@code *.md} files under {@code dir} (recursively), sorted by path. */
  public static List<Path> files(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IngestException(
          dir + ": articles folder does not exist or is not a folder; pass the folder that holds the *.md files");
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.getFileName().toString().endsWith(".md"))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new IngestException(dir + ": cannot list articles: " + e.getMessage(), e);
    }
  }

  /**
   * Every article of {@link #files}, in path order; the first problem in path order (a bad file, an
   * id used twice) is thrown, as a sequential read would meet it.
   */
  public static List<KbDocument> readFolder(Path dir) {
    List<Path> files = files(dir);
    // read and parsed on every core (Markdown and YAML parsing are most of a rebuild's reading);
    // errors are reported in path order, as a sequential read would meet them
    List<Object> parsed = files.parallelStream().map(file -> {
      try {
        return (Object) read(file);
      } catch (IngestException e) {
        return e;
      }
    }).toList();
    List<KbDocument> docs = new ArrayList<>(files.size());
    Map<String, Path> seen = new HashMap<>();
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      if (parsed.get(i) instanceof IngestException e) {
        throw e;
      }
      KbDocument doc = (KbDocument) parsed.get(i);
      Path earlier = seen.putIfAbsent(doc.id(), file);
      if (earlier != null) {
        throw new IngestException(
            file + ": id \"" + doc.id() + "\" is already used by " + earlier + "; give each article its own id");
      }
      docs.add(doc);
    }
    return docs;
  }

  /** Reads one article; its path names it in error messages. */
  public static KbDocument read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IngestException(file + ": is not UTF-8 text" + firstBadByte(file)
          + "; save it as UTF-8, or move it out of the folder if it is not an article", e);
    } catch (IOException e) {
      throw new IngestException(file + ": cannot read article: " + e.getMessage(), e);
    }
    return parse(text, file.toString(), suggestedId(file));
  }

  /** Where a file stops being UTF-8 (" (line L, byte B)"), or nothing when it cannot be told. */
  private static String firstBadByte(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
      java.nio.charset.CoderResult r = StandardCharsets.UTF_8.newDecoder()
          .decode(in, java.nio.CharBuffer.allocate(bytes.length), true);
      if (!r.isError()) {
        return "";
      }
      int at = in.position();
      int line = 1;
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      return " (line " + line + ", byte " + (at + 1) + ")";
    } catch (IOException e) {
      return "";
    }
  }

  /** Parses article text; {@code where} names it in error messages. */
  public static KbDocument parse(String text, String where, String suggestedId) {
    String s = text.startsWith("\uFEFF") ? text.substring(1) : text;
    s = s.replace("\r\n", "\n");
    if (!s.startsWith("---\n")) {
      throw new IngestException(
          where + ": no front matter; start the file with a \"---\" line, then \"id: " + suggestedId
              + "\" and \"title: ...\", then another \"---\" line");
    }
    int end = s.indexOf("\n---", 3);
    if (end < 0) {
      throw new IngestException(where + ": front matter is not closed; add a \"---\" line after it");
    }
    String yaml = s.substring(4, end);
    int bodyStart = s.indexOf('\n', end + 4);
    String body = bodyStart < 0 ? "" : s.substring(bodyStart + 1);
    Map<?, ?> meta = FrontMatter.parse(yaml, where);
    String id = scalar(meta, "id");
    if (id.isEmpty()) {
      throw new IngestException(where + ": front matter has no \"id\"; add \"id: " + suggestedId + "\"");
    }
    String title = scalar(meta, "title");
    if (title.isEmpty()) {
      throw new IngestException(where + ": front matter has no \"title\"; add \"title: <the question it answers>\"");
    }
    String bodyText = TextExtraction.markdownToText(body);
    // The body often repeats the title as its first heading; drop the repetition.
    if (bodyText.startsWith(title)) {
      bodyText = bodyText.substring(title.length()).strip();
    }
    return new KbDocument(
        id,
        Source.ARTICLE,
        title,
        scalar(meta, "url"),
        list(meta, "tags"),
        // product: beacon, or products: [beacon, beacon-cloud] for an article that applies to several
        meta.containsKey("products") ? String.join(",", list(meta, "products")) : scalar(meta, "product"),
        list(meta, "versions"),
        scalar(meta, "updated"),
        "",
        "",
        bodyText);
  }

  private static String suggestedId(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
  }

  private static String scalar(Map<?, ?> meta, String key) {
    Object v = meta.get(key);
    return v == null ? "" : String.valueOf(v).strip();
  }

  private static List<String> list(Map<?, ?> meta, String key) {
    Object v = meta.get(key);
    List<String> out = new ArrayList<>();
    if (v instanceof List<?> l) {
      for (Object o : l) {
        if (o != null && !String.valueOf(o).isBlank()) {
          out.add(String.valueOf(o).strip());
        }
      }
    } else if (v != null) {
      for (String part : String.valueOf(v).split(",")) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
    }
    return out;
  }
}
