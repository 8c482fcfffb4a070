package org.supportbot.core.store.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.supportbot.core.store.JdbcDatabase;

/**
 * One SQLite database file in WAL mode with one writer connection and {@value #READERS} reader connections
 * (WAL lets reads run side by side and beside the write), schema migrated by Flyway on open (Flyway is not
 * started when every migration is applied already; see {@link Migrations}).
 *
 * <p>Durability: {@link Durability#NORMAL} ({@code synchronous=NORMAL}) is the default. In WAL
 * mode it syncs at checkpoints, not at every commit: a committed transaction survives a process
 * crash (SIGKILL) because it is in the WAL file in the OS page cache, but the last transactions
 * may be lost on power loss or an OS crash. {@link Durability#FULL} syncs the WAL at every commit
 * and survives power loss, at the cost of one fsync per (group) commit.
 */
public final class SqliteDatabase implements JdbcDatabase, AutoCloseable {
  /** How hard each commit is pushed to disk. */
  public enum Durability {
    NORMAL,
    FULL
  }

  /** The default database file. */
  public static final Path DEFAULT_FILE = Path.of("data", "supportbot.db");

  /** Reader connections: reads of different threads run at once on them (one read at a time each). */
  static final int READERS = 4;

  private final Path file;
  private final Connection writer;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Map<String, PreparedStatement> writerStatements = new HashMap<>();
  /** The reader connections not in use. */
  private final java.util.concurrent.BlockingQueue<Reader> readers;
  /** The reader the current thread is reading on, so that a read inside a read uses it again. */
  private final ThreadLocal<Reader> reading = new ThreadLocal<>();

  /** A reader connection and the statements kept for it. */
  private record Reader(Connection connection, Map<String, PreparedStatement> statements) {}

  private SqliteDatabase(Path file, Connection writer, List<Connection> readers) {
    this.file = file;
    this.writer = writer;
    this.readers = new java.util.concurrent.ArrayBlockingQueue<>(readers.size());
    readers.forEach(r -> this.readers.add(new Reader(r, new HashMap<>())));
  }

  /**
   * Why the bot could not use {@code file} as its database, with the fix, or empty when it looks usable:
   * an existing file must be a SQLite database (or empty) that can be written, in a folder that can be
   * written (SQLite keeps its {@code -wal} and {@code -shm} files beside it); a missing one must be
   * creatable, its nearest existing ancestor a writable folder. Nothing is created or changed.
   */
  public static Optional<String> unusable(Path file) {
    Path f = file.toAbsolutePath().normalize();
    if (Files.isDirectory(f)) {
      return Optional.of(file + " is a folder; write the path of a file in it, e.g. " + file.resolve("supportbot.db"));
    }
    Path parent = f.getParent();
    if (Files.exists(f)) {
      if (!Files.isRegularFile(f) || !Files.isReadable(f) || !Files.isWritable(f)) {
        return Optional.of(file + " cannot be written by this user; give it write permission or choose another path");
      }
      if (!isSqliteOrEmpty(f)) {
        return Optional.of(file + " is not a SQLite database; point database: at the bot's database file, or at a new"
            + " path to start an empty one");
      }
      if (parent != null && !Files.isWritable(parent)) {
        return Optional.of("the folder " + parent + " cannot be written by this user (SQLite keeps its -wal and -shm"
            + " files beside the database); give it write permission or choose another path");
      }
      return Optional.empty();
    }
    Path existing = parent;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return Optional.of(file + " cannot be created: no folder of its path exists; choose a path in a writable folder");
    }
    if (!Files.isDirectory(existing)) {
      return Optional.of(file + " cannot be created: " + existing + " is a file, not a folder; choose a path in a"
          + " writable folder, e.g. data/supportbot.db beside the settings file");
    }
    if (!Files.isWritable(existing)) {
      return Optional.of(file + " cannot be created: the folder " + existing + " cannot be written by this user; give"
          + " it write permission or choose another path");
    }
    return Optional.empty();
  }

  /** SQLite's files start with this header; an empty file is a new database. */
  private static boolean isSqliteOrEmpty(Path f) {
    byte[] header = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try (var in = Files.newInputStream(f)) {
      byte[] head = in.readNBytes(header.length);
      return head.length == 0 || java.util.Arrays.equals(head, header);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Opens (creating and migrating as needed) the database at {@code file}.
   *
   * @throws DatabaseOpenException when the file cannot be created, opened or migrated; its message is one line
   *     naming the fix
   */
  public static SqliteDatabase open(Path file, Durability durability) {
    Objects.requireNonNull(file, "file");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new DatabaseOpenException(file, unusable(file).orElse("cannot create the folder of the database " + file
          + " (" + e.getClass().getSimpleName() + "); choose a path in a writable folder"), e);
    }
    try {
      return connect(file, durability);
    } catch (org.flywaydb.core.api.FlywayException | IllegalStateException e) {
      throw new DatabaseOpenException(file, openFailure(file, e), e);
    }
  }

  /** One line for a failure to open or migrate: SQLite's result code decides the fix. */
  private static String openFailure(Path file, Exception e) {
    Optional<String> unusable = unusable(file);
    if (unusable.isPresent()) {
      return unusable.get();
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.sqlite.SQLiteException s) {
        return switch (s.getResultCode()) {
          case SQLITE_NOTADB -> file + " is not a SQLite database; point database: at the bot's database file, or at"
              + " a new path to start an empty one";
          case SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_PERM, SQLITE_READONLY_DIRECTORY -> file + " cannot be opened"
              + " for writing (" + s.getResultCode().name() + "); give this user write permission on it and its folder,"
              + " or choose another path";
          case SQLITE_BUSY, SQLITE_LOCKED -> file + " is locked by another process; stop the other supportbot using it";
          case SQLITE_CORRUPT -> file + " is corrupt (SQLITE_CORRUPT); restore it from a backup";
          case SQLITE_FULL -> "the disk holding " + file + " is full; free some space";
          default -> "cannot open the database " + file + " (" + s.getResultCode().name() + "); run again with"
              + " --verbose for the details";
        };
      }
    }
    return "cannot open the database " + file + " (" + e.getClass().getSimpleName() + "); run again with --verbose for"
        + " the details";
  }

  private static SqliteDatabase connect(Path file, Durability durability) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(durability == Durability.FULL ? SQLiteConfig.SynchronousMode.FULL
        : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(10_000);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    if (!Migrations.applied(ds)) {
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    }
    try {
      Connection w = ds.getConnection();
      w.setAutoCommit(false);
      List<Connection> readers = new java.util.ArrayList<>();
      for (int i = 0; i < READERS; i++) {
        Connection r = ds.getConnection();
        r.setAutoCommit(true);
        try (Statement s = r.createStatement()) {
          s.execute("PRAGMA cache_size=-16384"); // 16 MB of pages each
        }
        readers.add(r);
      }
      try (Statement s = w.createStatement()) {
        // checkpoint every 4,000 WAL pages (16 MB), and keep 64 MB of pages in memory (default 2 MB)
        s.execute("PRAGMA wal_autocheckpoint=4000");
        s.execute("PRAGMA cache_size=-65536");
      }
      return new SqliteDatabase(file, w, readers);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the database " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /** Runs {@code work} in one write transaction; commits, or rolls back on failure. */
  @Override
  public <T> T write(SqlWork<T> work) {
    writeLock.lock();
    try {
      try {
        T result = work.run(writer);
        writer.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          writer.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        if (e instanceof RuntimeException re) {
          throw re;
        }
        throw new IllegalStateException("writing to " + file + " failed: " + e.getMessage(), e);
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * A prepared statement of the connection {@code c} given to {@link #write} or {@link #read},
   * kept for reuse (do not close it); only inside that call. Preparing the same few statements
   * for every commit costs more than running them.
   */
  public PreparedStatement prepared(Connection c, String sql) throws SQLException {
    Map<String, PreparedStatement> cache;
    if (c == writer && writeLock.isHeldByCurrentThread()) {
      cache = writerStatements;
    } else if (reading.get() != null && reading.get().connection() == c) {
      cache = reading.get().statements();
    } else {
      throw new IllegalStateException("kept statements are only for the connection of a running read or write");
    }
    PreparedStatement ps = cache.get(sql);
    if (ps == null) {
      ps = c.prepareStatement(sql);
      cache.put(sql, ps);
    }
    return ps;
  }

  /** Runs a read on a reader connection (sees every committed write). */
  @Override
  public <T> T read(SqlWork<T> work) {
    Reader held = reading.get();
    if (held != null) {
      return run(work, held); // a read inside a read: on the same connection
    }
    Reader r;
    try {
      r = readers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to read " + file, e);
    }
    reading.set(r);
    try {
      return run(work, r);
    } finally {
      reading.remove();
      readers.add(r);
    }
  }

  private <T> T run(SqlWork<T> work, Reader r) {
    try {
      return work.run(r.connection());
    } catch (SQLException e) {
      throw new IllegalStateException("reading " + file + " failed: " + e.getMessage(), e);
    }
  }


  @Override
  public void close() {
    writeLock.lock();
    List<Reader> all = new java.util.ArrayList<>();
    try {
      // every reader back in the queue: reads under way finish first
      while (all.size() < READERS) {
        all.add(readers.take());
      }
      for (PreparedStatement ps : writerStatements.values()) {
        ps.close();
      }
      writerStatements.clear();
      for (Reader r : all) {
        for (PreparedStatement ps : r.statements().values()) {
          ps.close();
        }
        r.statements().clear();
        r.connection().close();
      }
      writer.close();
    } catch (SQLException e) {
      throw new IllegalStateException("closing " + file + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while closing " + file, e);
    } finally {
      readers.addAll(all); // closed: a read after this fails as on a closed connection, it does not wait
      writeLock.unlock();
    }
  }
}
