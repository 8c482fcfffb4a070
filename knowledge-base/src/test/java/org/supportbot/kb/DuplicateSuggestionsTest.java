package org.supportbot.kb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.kb.index.IndexProgress;
import org.supportbot.kb.index.KbIndexing;
import org.supportbot.kb.search.SearchSettings;

/** A thread kept under two ids is suggested once, and the list is still filled to k. */
class DuplicateSuggestionsTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void aThreadStoredTwiceIsSuggestedOnce() throws IOException {
    Path forum = Files.createDirectories(dir.resolve("forum"));
    try (Stream<Path> files = Files.list(SampleKb.forum())) {
      for (Path f : files.toList()) {
        Files.copy(f, forum.resolve(f.getFileName()));
      }
    }
    String topic = Files.readString(SampleKb.forum().resolve("1002.json"));
    Files.writeString(forum.resolve("2002.json"), topic.replace("\"id\": 1002", "\"id\": 2002"));
    Files.writeString(forum.resolve("3002.json"), topic.replace("\"id\": 1002", "\"id\": 3002")
        .replace("\"title\": \"SSO with Azure AD: redirect loop after login\"",
            "\"title\": \"Azure AD sign-in keeps redirecting\""));
    Path kbDir = dir.resolve("kb");
    KbIndexing.indexFolders(kbDir, SampleKb.articles(), forum, "https://forum.beacon.example", false,
        KbIndexing.Mode.LEXICAL, IndexProgress.NONE);

    try (LuceneKnowledgeBase kb = LuceneKnowledgeBase.open(kbDir, SearchSettings.defaults().withFloors(0, 0), CLOCK)) {
      List<Suggestion> s = kb.suggest(IncidentDraft.ofText("after Azure AD sign in we end up in an endless redirect loop"), 4);

      assertThat(s).hasSize(4);
      assertThat(s).extracting(Suggestion::id).filteredOn(id -> id.equals("1002") || id.equals("2002")).hasSize(1);
      assertThat(s).extracting(Suggestion::id).contains("3002"); // same body under another title: not taken for a copy
      assertThat(s).extracting(Suggestion::id).doesNotHaveDuplicates();
    }
  }
}
