package org.supportbot.kb.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.kb.Source;
import org.supportbot.kb.TestArticles;
import org.supportbot.kb.ingest.IngestException;
import org.supportbot.kb.search.KbSearcher;
import org.supportbot.kb.search.SearchHit;
import org.supportbot.kb.search.SearchRequest;
import org.supportbot.kb.search.SearchSettings;

class IncrementalIndexTest {
  @TempDir Path kb;
  @TempDir Path articles;

  private IndexReport index() {
    return KbIndexing.indexFolders(kb, articles, null, "", false, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
  }

  private List<String> search(String text) {
    try (KbSearcher s = KbSearcher.open(KbIndexing.luceneDir(kb), SearchSettings.defaults().lexicalOnly())) {
      return s.search(SearchRequest.of(text), 5, false).stream().map(SearchHit::id).toList();
    }
  }

  private void threeArticles() {
    TestArticles.write(articles, "a1", "Printer offline", "", "Turn the printer off and on.");
    TestArticles.write(articles, "a2", "Scanner jams", "", "Open the scanner lid and remove the paper.");
    TestArticles.write(articles, "a3", "Fax busy tone", "", "Check the fax line.");
  }

  @Test
  void aRebuildAndAnIdGivenTwiceInOnePassLeaveOneDocumentPerKey() {
    threeArticles();
    index();
    KbIndexing.indexFolders(kb, articles, null, "", true, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    // new documents are added without a delete-by-key, except an id that comes twice in one pass
    org.supportbot.kb.ingest.KbDocument first = new org.supportbot.kb.ingest.KbDocument(
        "t1", Source.FORUM, "Modem blinking", "", List.of(), "", List.of(), "", "Lights blink.", "", "Reset it.");
    org.supportbot.kb.ingest.KbDocument again = new org.supportbot.kb.ingest.KbDocument(
        "t1", Source.FORUM, "Modem blinking red", "", List.of(), "", List.of(), "", "Lights blink.", "", "Call us.");
    KbIndexing.index(kb, null, List.of(first, again), false, KbIndexing.Mode.LEXICAL, IndexProgress.NONE);
    try (KbSearcher s = KbSearcher.open(KbIndexing.luceneDir(kb), SearchSettings.defaults().lexicalOnly())) {
      assertThat(s.size()).isEqualTo(4);
      assertThat(s.search(SearchRequest.of("printer offline"), 5, false)).extracting(SearchHit::id).containsExactly("a1");
      assertThat(s.search(SearchRequest.of("modem blinking"), 5, false)).extracting(SearchHit::id).containsExactly("t1");
    }
  }

  @Test
  void changedAndDeletedArticlesAreUpdatedAndTheRestSkipped() throws IOException {
    threeArticles();
    assertThat(index()).extracting(IndexReport::added, IndexReport::updated, IndexReport::unchanged, IndexReport::deleted)
        .containsExactly(3, 0, 0, 0);

    TestArticles.write(articles, "a2", "Scanner jams", "", "Open the scanner lid and pull out the crumpled sheet.");
    Files.delete(articles.resolve("a3.md"));
    TestArticles.write(articles, "a4", "Toner low warning", "", "Replace the toner cartridge.");

    assertThat(index()).extracting(IndexReport::added, IndexReport::updated, IndexReport::unchanged, IndexReport::deleted)
        .containsExactly(1, 1, 1, 1);
    assertThat(search("crumpled sheet")).containsExactly("a2");
    assertThat(search("fax")).isEmpty();
    assertThat(search("toner cartridge")).containsExactly("a4");
    try (KbSearcher s = KbSearcher.open(KbIndexing.luceneDir(kb), SearchSettings.defaults().lexicalOnly())) {
      assertThat(s.size()).isEqualTo(3);
    }
  }

  @Test
  void runWithNothingChangedWritesNothing() {
    threeArticles();
    index();
    assertThat(index()).extracting(IndexReport::added, IndexReport::updated, IndexReport::unchanged, IndexReport::deleted)
        .containsExactly(0, 0, 3, 0);
  }

  @Test
  void aBrokenArticleLeavesTheIndexAsItWas() throws IOException {
    threeArticles();
    index();
    TestArticles.write(articles, "a2", "Scanner jams", "", "A new text that must not be indexed.");
    Files.writeString(articles.resolve("broken.md"), "no front matter here\n");
    assertThatThrownBy(this::index).isInstanceOf(IngestException.class).hasMessageContaining("broken.md: no front matter");
    assertThat(search("scanner lid")).containsExactly("a2");
    assertThat(search("must not be indexed")).isEmpty();
  }

  /** 1,200 articles (indexed on every core, read as they are indexed) whose text names their number. */
  private void manyArticles() {
    for (int i = 0; i < 1_200; i++) {
      TestArticles.write(articles, String.format("m%04d", i), "Article " + i, "", "Body of article number" + i + ".");
    }
  }

  @Test
  void problemsFarIntoAFolderReadAsItIsIndexedAreTheFirstInPathOrderAndChangeNothing() throws IOException {
    manyArticles();
    assertThat(index().added()).isEqualTo(1_200);
    TestArticles.write(articles, "m0005", "Article 5", "", "A new text that must not be indexed.");
    // two problems at the end of the folder: the later file of an id used twice, and a file without front matter
    Files.writeString(articles.resolve("m1300.md"), Files.readString(articles.resolve("m0007.md")));
    Files.writeString(articles.resolve("m1350.md"), "no front matter here\n");
    Files.delete(articles.resolve("m0009.md"));
    assertThatThrownBy(this::index).isInstanceOf(IngestException.class)
        .hasMessage(articles.resolve("m1300.md") + ": id \"m0007\" is already used by " + articles.resolve("m0007.md")
            + "; give each article its own id");
    assertThat(search("must not be indexed")).isEmpty();
    assertThat(search("number5")).containsExactly("m0005");
    assertThat(search("number9")).containsExactly("m0009");
    try (KbSearcher s = KbSearcher.open(KbIndexing.luceneDir(kb), SearchSettings.defaults().lexicalOnly())) {
      assertThat(s.size()).isEqualTo(1_200);
    }
    Files.delete(articles.resolve("m1300.md"));
    assertThatThrownBy(this::index).hasMessageContaining("m1350.md: no front matter");
    Files.delete(articles.resolve("m1350.md"));
    assertThat(index()).extracting(IndexReport::added, IndexReport::updated, IndexReport::unchanged, IndexReport::deleted)
        .containsExactly(0, 1, 1_198, 1);
    assertThat(search("must not be indexed")).containsExactly("m0005");
  }

  @Test
  void aBadFolderLeavesNoNewIndexBehind() throws IOException {
    manyArticles();
    Files.writeString(articles.resolve("m0600.md"), "---\ntitle: no id\n---\nbody\n");
    Path fresh = kb.resolve("new-kb");
    assertThatThrownBy(() -> KbIndexing.indexFolders(fresh, articles, null, "", false, KbIndexing.Mode.LEXICAL,
        IndexProgress.NONE)).hasMessageContaining("m0600.md: front matter has no \"id\"");
    assertThat(fresh).doesNotExist();
  }

  @Test
  void writerDeletesOneDocumentWithoutTouchingOthers() {
    threeArticles();
    index();
    try (KbIndexWriter w = KbIndexWriter.open(KbIndexing.luceneDir(kb))) {
      w.delete(Source.ARTICLE, "a1");
      w.commit(java.util.Map.of());
    }
    assertThat(search("printer")).isEmpty();
    assertThat(search("scanner")).containsExactly("a2");
  }

  @Test
  void switchingToEmbeddingsNeedsARebuild() {
    threeArticles();
    index();
    assertThatThrownBy(() -> KbIndexing.indexFolders(kb, articles, null, "", false, KbIndexing.Mode.SEMANTIC, IndexProgress.NONE))
        .hasMessageContaining("the index was built without embeddings")
        .hasMessageContaining("add --rebuild");
  }

  @Test
  void progressIsReportedPerDocument() {
    threeArticles();
    RecordingProgress p = new RecordingProgress();
    index(p);
    assertThat(p.tasks).containsExactly("indexing articles/3");
    assertThat(p.steps).isEqualTo(3);
  }

  private void index(IndexProgress p) {
    KbIndexing.indexFolders(kb, articles, null, "", true, KbIndexing.Mode.LEXICAL, p);
  }

  static final class RecordingProgress implements IndexProgress {
    final List<String> tasks = new java.util.ArrayList<>();
    int steps;

    @Override
    public void start(String task, long total) {
      tasks.add(task + "/" + total);
    }

    @Override
    public void step() {
      steps++;
    }

    @Override
    public void close() {}
  }
}
