package org.supportbot.core.store.sqlite;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Whether a SQLite database already has every migration on the class path ({@code db/migration/V<n>__*.sql})
 * applied, as Flyway's history table records them. A restart of an up-to-date desk then skips Flyway, whose
 * cold start (loading and running its code for the first time) costs a fresh process half a second or more.
 * Anything else (a new file, a migration not yet applied, a failed one, a history this cannot read) leaves the
 * decision to Flyway, which migrates or names the problem as before.
 *
 * <p>What this does not do that Flyway's validation does: compare the checksums of applied migration files,
 * so an applied migration edited afterwards (a mistake in development; released migrations never change) is
 * not reported on a start that finds nothing to apply.
 */
final class Migrations {
  static final String LOCATION = "db/migration";
  private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__[^/]*\\.sql");

  private Migrations() {}

  /** True when every versioned migration on the class path is in the history as applied, and none failed. */
  static boolean applied(DataSource ds) {
    return applied(ds, Migrations.class.getClassLoader());
  }

  /** {@link #applied(DataSource)} for the migrations {@code loader} finds. */
  static boolean applied(DataSource ds, ClassLoader loader) {
    Set<Integer> bundled;
    try {
      bundled = bundled(loader);
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return false;
    }
    if (bundled.isEmpty()) {
      return false;
    }
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery(
          "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'flyway_schema_history'")) {
        if (!r.next() || r.getInt(1) == 0) {
          return false;
        }
      }
      Set<Integer> applied = new HashSet<>();
      try (ResultSet r = s.executeQuery("SELECT version, success FROM flyway_schema_history")) {
        while (r.next()) {
          if (!r.getBoolean(2)) {
            return false;
          }
          String version = r.getString(1);
          if (version != null) {
            applied.add(Integer.parseInt(version));
          }
        }
      }
      return applied.containsAll(bundled);
    } catch (SQLException | NumberFormatException e) {
      return false;
    }
  }

  /**
   * The versions of the migrations under {@link #LOCATION} in every folder and jar of {@code loader}.
   *
   * @throws IOException for a migration file this does not read as {@code V<n>__*.sql} (a repeatable or
   *     dotted version): Flyway decides then
   */
  static Set<Integer> bundled(ClassLoader loader) throws IOException, URISyntaxException {
    Set<Integer> versions = new HashSet<>();
    Enumeration<URL> places = loader.getResources(LOCATION);
    while (places.hasMoreElements()) {
      URL place = places.nextElement();
      switch (place.getProtocol()) {
        case "file" -> {
          try (var files = Files.list(Path.of(place.toURI()))) {
            files.forEach(f -> add(versions, f.getFileName().toString()));
          }
        }
        case "jar" -> {
          JarURLConnection connection = (JarURLConnection) place.openConnection();
          JarFile jar = connection.getJarFile();
          String prefix = LOCATION + "/";
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            String name = e.nextElement().getName();
            if (name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0) {
              add(versions, name.substring(prefix.length()));
            }
          }
        }
        default -> throw new IOException("migrations in a " + place.getProtocol() + ": location; Flyway decides");
      }
    }
    return versions;
  }

  private static void add(Set<Integer> versions, String fileName) {
    if (!fileName.endsWith(".sql")) {
      return;
    }
    Matcher m = VERSIONED.matcher(fileName);
    if (!m.matches()) {
      throw new IllegalArgumentException("a migration named " + fileName + " is not V<n>__*.sql; Flyway decides");
    }
    versions.add(Integer.parseInt(m.group(1)));
  }
}
