package org.supportbot.kb.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.kb.SampleKb;
import org.supportbot.kb.Source;

class ArticleReaderTest {

  @Test
  void frontMatterFieldsAreRead() {
    KbDocument d = ArticleReader.parse("""
        ---
        id: kb-7
        title: "Printing fails with ERR_SPOOL_FULL"
        url: https://docs.example.com/kb-7
        tags: [printing, errors]
        product: Beacon
        versions: ["4.2.1", "4.3"]
        updated: 2026-04-01
        ---
        # Printing fails with ERR_SPOOL_FULL

        Empty `C:\\Spool\\queue` and restart.
        """, "kb-7.md", "kb-7");
    assertThat(d.id()).isEqualTo("kb-7");
    assertThat(d.source()).isEqualTo(Source.ARTICLE);
    assertThat(d.title()).isEqualTo("Printing fails with ERR_SPOOL_FULL");
    assertThat(d.url()).isEqualTo("https://docs.example.com/kb-7");
    assertThat(d.tags()).containsExactly("printing", "errors");
    assertThat(d.product()).isEqualTo("Beacon");
    assertThat(d.versions()).containsExactly("4.2.1", "4.3");
    assertThat(d.updated()).isEqualTo("2026-04-01");
    assertThat(d.body()).isEqualTo("Empty C:\\Spool\\queue and restart.");
  }

  @Test
  void codeBlocksKeepTheirTokensAndMarkupIsRemoved() {
    KbDocument d = ArticleReader.parse("""
        ---
        id: a
        title: T
        ---
        **Symptom**: the log shows

        ```text
        java.sql.SQLSyntaxErrorException: ORA-00942: table or view does not exist
        ```

        See [the guide](https://docs.example.com/guide) and `/etc/app/app.yml`.
        """, "a.md", "a");
    assertThat(d.body())
        .contains("java.sql.SQLSyntaxErrorException: ORA-00942: table or view does not exist")
        .contains("the guide (https://docs.example.com/guide)")
        .contains("/etc/app/app.yml")
        .doesNotContain("```", "**", "`");
  }

  @Test
  void sampleFolderIsReadSortedByPath() {
    List<KbDocument> docs = ArticleReader.readFolder(SampleKb.articles());
    assertThat(docs).hasSize(13);
    assertThat(docs).extracting(KbDocument::id).first().isEqualTo("beacon-001");
  }

  @Test
  void missingFrontMatterSaysHowToWriteIt() {
    assertThatThrownBy(() -> ArticleReader.parse("# Just a heading\n", "docs/x.md", "x"))
        .isInstanceOf(IngestException.class)
        .hasMessage("docs/x.md: no front matter; start the file with a \"---\" line, then \"id: x\" and"
            + " \"title: ...\", then another \"---\" line");
  }

  @Test
  void missingIdNamesTheFileAndSuggestsOne() {
    assertThatThrownBy(() -> ArticleReader.parse("---\ntitle: T\n---\nbody\n", "docs/y.md", "y"))
        .isInstanceOf(IngestException.class)
        .hasMessage("docs/y.md: front matter has no \"id\"; add \"id: y\"");
  }

  @Test
  void duplicateIdsInAFolderAreRejected(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("a.md"), "---\nid: same\ntitle: A\n---\nx\n");
    Files.writeString(dir.resolve("b.md"), "---\nid: same\ntitle: B\n---\ny\n");
    assertThatThrownBy(() -> ArticleReader.readFolder(dir))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("b.md: id \"same\" is already used by")
        .hasMessageContaining("give each article its own id");
  }

  @Test
  void ofSeveralBadFilesTheFirstByPathIsReported(@TempDir Path dir) throws IOException {
    for (int i = 0; i < 200; i++) {
      Files.writeString(dir.resolve(String.format("ok-%03d.md", i)), "---\nid: ok-" + i + "\ntitle: T\n---\nx\n");
    }
    Files.writeString(dir.resolve("bad-1.md"), "no front matter\n");
    Files.writeString(dir.resolve("zz-bad-2.md"), "no front matter either\n");
    assertThatThrownBy(() -> ArticleReader.readFolder(dir))
        .isInstanceOf(IngestException.class)
        .hasMessageStartingWith(dir.resolve("bad-1.md") + ": no front matter");
  }

  /** A file saved in another encoding (here Latin-1) is named with where its first byte that is not UTF-8 is. */
  @Test
  void aFileThatIsNotUtf8IsReportedWithWhereItStops(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("latin.md");
    Files.write(file, "---\nid: latin\ntitle: Caf\u00e9\n---\nbody\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> ArticleReader.read(file))
        .isInstanceOf(IngestException.class)
        .hasMessage(file + ": is not UTF-8 text (line 3, byte 25); save it as UTF-8, or move it out of the folder if it"
            + " is not an article");
  }

  @Test
  void missingFolderIsReported(@TempDir Path dir) {
    Path nowhere = dir.resolve("nope");
    assertThatThrownBy(() -> ArticleReader.readFolder(nowhere))
        .isInstanceOf(IngestException.class)
        .hasMessage(nowhere + ": articles folder does not exist or is not a folder; pass the folder that holds the *.md files");
  }
}
