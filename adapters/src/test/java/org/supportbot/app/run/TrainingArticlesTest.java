package org.supportbot.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.kb.ingest.ArticleReader;
import org.supportbot.kb.ingest.KbDocument;

/** The training run's generated articles are valid articles, with and without markup, the same for a seed. */
class TrainingArticlesTest {
  @Test
  void everyGeneratedArticleReadsAsAnArticleAndMarkupIsParsedAway(@TempDir Path dir) throws IOException {
    new TrainingArticles(42).write(dir, 400);
    List<KbDocument> docs = ArticleReader.readFolder(dir);
    assertThat(docs).hasSize(400);
    assertThat(docs).extracting(KbDocument::id).doesNotHaveDuplicates().contains("train-0", "train-399");
    // every fourth has markup; what the parser leaves has none of it
    String marked = new TrainingArticles(42).article(3);
    assertThat(marked).contains("\n# ", "**", "`", "](https://", "```", "\n- ");
    KbDocument third = docs.stream().filter(d -> d.id().equals("train-3")).findFirst().orElseThrow();
    assertThat(third.body()).doesNotContain("**", "](", "```").contains("https://kb.example.com/");
    // every third names a product and versions
    assertThat(docs.stream().filter(d -> d.product().equals("agent")).count()).isEqualTo(134);
    assertThat(docs.stream().filter(d -> d.versions().equals(List.of("2.3", "2.4"))).count()).isEqualTo(134);
  }

  @Test
  void theSameSeedGivesTheSameArticles() {
    TrainingArticles a = new TrainingArticles(7);
    TrainingArticles b = new TrainingArticles(7);
    for (int i = 0; i < 20; i++) {
      assertThat(a.article(i)).isEqualTo(b.article(i));
    }
  }
}
