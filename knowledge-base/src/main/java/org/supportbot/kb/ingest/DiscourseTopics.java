package org.supportbot.kb.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.supportbot.kb.Source;

/**
 * Reads forum topics in the shape Discourse returns for {@code GET /t/{id}.json}: {@code id},
 * {@code title}, {@code slug}, {@code tags}, {@code post_stream.posts[]} with {@code cooked} HTML.
 * The first post is the question; the accepted answer is the post flagged
 * {@code accepted_answer: true} or named by the topic's {@code accepted_answer.post_number}.
 */
public final class DiscourseTopics {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DiscourseTopics() {}

  /** All {@code *.json} files under {@code dir}, sorted by path. */
  public static List<KbDocument> readFolder(Path dir, String baseUrl) {
    if (!Files.isDirectory(dir)) {
      throw new IngestException(
          dir + ": forum folder does not exist or is not a folder; pass the folder that holds the topic *.json files");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(p -> p.getFileName().toString().endsWith(".json"))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new IngestException(dir + ": cannot list forum topics: " + e.getMessage(), e);
    }
    List<KbDocument> docs = new ArrayList<>(files.size());
    Map<String, Path> seen = new HashMap<>();
    for (Path file : files) {
      String text;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw new IngestException(file + ": cannot read forum topic: " + e.getMessage(), e);
      }
      KbDocument doc = parse(text, file.toString(), baseUrl);
      Path earlier = seen.putIfAbsent(doc.id(), file);
      if (earlier != null) {
        throw new IngestException(
            file + ": topic id " + doc.id() + " is also in " + earlier + "; keep one file per topic");
      }
      docs.add(doc);
    }
    return docs;
  }

  /** Parses one topic's JSON; {@code where} names it in error messages. */
  public static KbDocument parse(String json, String where, String baseUrl) {
    return parse(readTree(json, where), where, baseUrl);
  }

  /** One topic's JSON as a tree, or a message naming {@code where} when it is not a JSON object. */
  public static JsonNode readTree(String json, String where) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IngestException(
          where + ": not valid JSON (" + e.getOriginalMessage() + " at line "
              + e.getLocation().getLineNr() + "); expected a Discourse topic as returned by GET /t/{id}.json", e);
    }
    if (root == null || !root.isObject()) {
      throw new IngestException(where + ": expected a JSON object (a Discourse topic), found " + (root == null ? "nothing" : root.getNodeType()));
    }
    return root;
  }

  /** Parses one topic already read as a JSON tree. */
  public static KbDocument parse(JsonNode root, String where, String baseUrl) {
    JsonNode idNode = root.get("id");
    if (idNode == null || !(idNode.isIntegralNumber() || idNode.isTextual()) || idNode.asText().isBlank()) {
      throw new IngestException(where + ": topic has no \"id\"; a Discourse topic JSON has \"id\": <number>");
    }
    String id = idNode.asText();
    String title = text(root, "title");
    if (title.isEmpty()) {
      title = text(root, "fancy_title");
    }
    if (title.isEmpty()) {
      throw new IngestException(where + ": topic " + id + " has no \"title\"");
    }
    JsonNode posts = root.path("post_stream").path("posts");
    if (!posts.isArray() || posts.isEmpty()) {
      throw new IngestException(
          where + ": topic " + id + " has no \"post_stream.posts\"; fetch it with GET /t/" + id + ".json, which includes the posts");
    }
    int acceptedNumber = root.path("accepted_answer").path("post_number").asInt(-1);
    String question = "";
    String accepted = "";
    StringBuilder rest = new StringBuilder();
    String updated = text(root, "last_posted_at");
    if (updated.isEmpty()) {
      updated = text(root, "bumped_at");
    }
    String latestPost = "";
    for (JsonNode post : posts) {
      int number = post.path("post_number").asInt(-1);
      String body = TextExtraction.htmlToText(post.path("cooked").asText(""));
      String created = text(post, "created_at");
      if (latestPost.compareTo(created) < 0) {
        latestPost = created;
      }
      if (question.isEmpty() && (number == 1 || number == -1)) {
        question = body;
      } else if (post.path("accepted_answer").asBoolean(false) || (acceptedNumber > 0 && number == acceptedNumber)) {
        accepted = body;
      } else if (!body.isEmpty()) {
        if (!rest.isEmpty()) {
          rest.append('\n');
        }
        rest.append(body);
      }
    }
    if (updated.isEmpty()) {
      updated = latestPost;
    }
    List<String> tags = new ArrayList<>();
    for (JsonNode t : root.path("tags")) {
      String tag = t.isObject() ? t.path("name").asText("") : t.asText("");
      if (!tag.isBlank()) {
        tags.add(tag);
      }
    }
    String slug = text(root, "slug");
    String url = baseUrl == null ? "" : stripSlash(baseUrl);
    url = url + "/t/" + (slug.isEmpty() ? "topic" : slug) + "/" + id;
    return new KbDocument(id, Source.FORUM, title, url, tags, "", List.of(), updated, question, accepted, rest.toString());
  }

  private static String stripSlash(String s) {
    String t = s.strip();
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? "" : v.asText("").strip();
  }
}
