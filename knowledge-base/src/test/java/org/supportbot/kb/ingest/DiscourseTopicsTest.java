package org.supportbot.kb.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.supportbot.kb.SampleKb;
import org.supportbot.kb.Source;

class DiscourseTopicsTest {
  private static final String TOPIC = """
      {"id": 77, "title": "Import dies with ORA-00942", "slug": "import-dies", "tags": ["db", {"name": "oracle"}],
       "last_posted_at": "2026-02-03T15:40:00Z",
       "accepted_answer": {"post_number": 3},
       "post_stream": {"posts": [
         {"post_number": 1, "username": "ann", "created_at": "2026-02-03T09:00:00Z",
          "cooked": "<p>Nightly import fails:</p><pre><code>ORA-00942: table or view does not exist\\n  at com.acme.Import.run(Import.java:42)</code></pre><p>Ideas &amp; hints?</p>"},
         {"post_number": 2, "username": "bo", "created_at": "2026-02-03T10:00:00Z",
          "cooked": "<aside class=\\"quote\\"><blockquote><p>Nightly import fails</p></blockquote></aside><p>Same here.</p>"},
         {"post_number": 3, "username": "cy", "created_at": "2026-02-03T15:40:00Z",
          "cooked": "<p>Grant <code>SELECT</code> on <a href=\\"https://docs.example.com/grants\\">the staging schema</a>.</p>"}
       ]}}
      """;

  @Test
  void firstPostIsTheQuestionAndTheAcceptedAnswerIsSeparate() {
    KbDocument d = DiscourseTopics.parse(TOPIC, "77.json", "https://forum.example.com/");
    assertThat(d.id()).isEqualTo("77");
    assertThat(d.source()).isEqualTo(Source.FORUM);
    assertThat(d.url()).isEqualTo("https://forum.example.com/t/import-dies/77");
    assertThat(d.tags()).containsExactly("db", "oracle");
    assertThat(d.updated()).isEqualTo("2026-02-03T15:40:00Z");
    assertThat(d.question()).startsWith("Nightly import fails:").contains("Ideas & hints?");
    assertThat(d.acceptedAnswer()).isEqualTo("Grant SELECT on the staging schema (https://docs.example.com/grants).");
    assertThat(d.body()).isEqualTo("Same here.");
  }

  @Test
  void htmlBecomesTextAndCodeKeepsEveryToken() {
    KbDocument d = DiscourseTopics.parse(TOPIC, "77.json", "");
    assertThat(d.question())
        .contains("ORA-00942: table or view does not exist")
        .contains("at com.acme.Import.run(Import.java:42)")
        .doesNotContain("<", ">", "&amp;");
  }

  @Test
  void sampleForumFolderIsRead() {
    List<KbDocument> docs = DiscourseTopics.readFolder(SampleKb.forum(), "https://forum.beacon.example");
    assertThat(docs).extracting(KbDocument::id).containsExactly("1001", "1002", "1003", "1004", "1005");
    assertThat(docs.get(0).acceptedAnswer()).contains("collector.keepalive_seconds: 60");
  }

  @Test
  void malformedJsonNamesTheFileAndLine() {
    assertThatThrownBy(() -> DiscourseTopics.parse("{\"id\": 1,\n \"title\": }", "forum/1.json", ""))
        .isInstanceOf(IngestException.class)
        .hasMessageStartingWith("forum/1.json: not valid JSON (")
        .hasMessageContaining("at line 2")
        .hasMessageEndingWith("expected a Discourse topic as returned by GET /t/{id}.json");
  }

  @Test
  void topicWithoutPostsSaysHowToFetchIt() {
    assertThatThrownBy(() -> DiscourseTopics.parse("{\"id\": 5, \"title\": \"x\"}", "5.json", ""))
        .isInstanceOf(IngestException.class)
        .hasMessage("5.json: topic 5 has no \"post_stream.posts\"; fetch it with GET /t/5.json, which includes the posts");
  }
}
