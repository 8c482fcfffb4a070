package org.supportbot.core.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** {@link Migrations}: when a start may skip Flyway, and that anything unclear leaves it to Flyway. */
class MigrationsTest {
  @TempDir Path dir;

  private SQLiteDataSource source(Path file) {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + file);
    return ds;
  }

  @Test
  void aNewFileNeedsFlywayAndAMigratedOneDoesNot() throws Exception {
    Path file = dir.resolve("bot.db");
    assertThat(Migrations.applied(source(file))).as("no history table yet").isFalse();
    SqliteDatabase.open(file, SqliteDatabase.Durability.NORMAL).close();
    assertThat(Migrations.applied(source(file))).isTrue();
    // opened again without Flyway, the database is complete and usable
    SqliteDatabase again = SqliteDatabase.open(file, SqliteDatabase.Durability.NORMAL);
    again.close();
    assertThat(Migrations.applied(source(file))).isTrue();
  }

  @Test
  void aMigrationOnTheClassPathNotInTheHistoryNeedsFlyway() throws Exception {
    Path file = dir.resolve("bot.db");
    SqliteDatabase.open(file, SqliteDatabase.Durability.NORMAL).close();
    Path extra = Files.createDirectories(dir.resolve("extra/db/migration"));
    Files.writeString(extra.resolve("V999__later.sql"), "CREATE TABLE later (id INTEGER);");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("extra").toUri().toURL()},
        Migrations.class.getClassLoader())) {
      assertThat(Migrations.bundled(loader)).contains(1, 999);
      assertThat(Migrations.applied(source(file), loader)).isFalse();
    }
  }

  @Test
  void aFailedMigrationInTheHistoryNeedsFlyway() throws Exception {
    Path file = dir.resolve("bot.db");
    SqliteDatabase.open(file, SqliteDatabase.Durability.NORMAL).close();
    try (Connection c = source(file).getConnection(); Statement s = c.createStatement()) {
      s.execute("UPDATE flyway_schema_history SET success = 0 WHERE version = '1'");
    }
    assertThat(Migrations.applied(source(file))).isFalse();
  }

  @Test
  void aFileThatIsNotSqliteIsLeftToFlyway() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.db"), "plain text, long enough to hold a header of sixteen bytes");
    assertThat(Migrations.applied(source(file))).isFalse();
  }

  @Test
  void migrationsAreReadFromJarsAndUnknownNamesAreLeftToFlyway() throws Exception {
    Path jar = dir.resolve("m.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String name : new String[] {"db/migration/", "db/migration/V3__a.sql", "db/migration/V12__b.sql", "db/migration/README",
          "db/migration/sub/V77__nested.sql", "other/V5__elsewhere.sql"}) {
        out.putNextEntry(new JarEntry(name));
        if (!name.endsWith("/")) { // a folder's entry (as jar tools write them) has no content
          out.write("SELECT 1;".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        out.closeEntry();
      }
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      assertThat(Migrations.bundled(loader)).containsExactlyInAnyOrder(3, 12);
    }
    Path odd = Files.createDirectories(dir.resolve("odd/db/migration"));
    Files.writeString(odd.resolve("R__views.sql"), "SELECT 1;");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("odd").toUri().toURL()}, null)) {
      assertThatThrownBy(() -> Migrations.bundled(loader)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a migration named R__views.sql is not V<n>__*.sql; Flyway decides");
    }
  }
}
