package org.supportbot.core.store.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * One SQLite database file in WAL mode with one writer connection and one reader connection,
 * schema migrated by Flyway on open.
 *
 * <p>Durability: {@link Durability#NORMAL} ({@code synchronous=NORMAL}) is the default. In WAL
 * mode it syncs at checkpoints, not at every commit: a committed transaction survives a process
 * crash (SIGKILL) because it is in the WAL file in the OS page cache, but the last transactions
 * may be lost on power loss or an OS crash. {@link Durability#FULL} syncs the WAL at every commit
 * and survives power loss, at the cost of one fsync per (group) commit.
 */
public final class SqliteDatabase implements AutoCloseable {
  /** How hard each commit is pushed to disk. */
  public enum Durability {
    NORMAL,
    FULL
  }

  /** The default database file. */
  public static final Path DEFAULT_FILE = Path.of("data", "supportbot.db");

  private final Path file;
  private final Connection writer;
  private final Connection reader;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ReentrantLock readLock = new ReentrantLock();
  private final Map<String, PreparedStatement> writerStatements = new HashMap<>();
  private final Map<String, PreparedStatement> readerStatements = new HashMap<>();

  private SqliteDatabase(Path file, Connection writer, Connection reader) {
    this.file = file;
    this.writer = writer;
    this.reader = reader;
  }

  /** Opens (creating and migrating as needed) the database at {@code file}. */
  public static SqliteDatabase open(Path file, Durability durability) {
    Objects.requireNonNull(file, "file");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the folder of the database " + file + "; check permissions", e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(durability == Durability.FULL ? SQLiteConfig.SynchronousMode.FULL
        : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(10_000);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    try {
      Connection w = ds.getConnection();
      w.setAutoCommit(false);
      Connection r = ds.getConnection();
      r.setAutoCommit(true);
      try (Statement s = w.createStatement()) {
        // checkpoint every 4,000 WAL pages (16 MB), and keep 64 MB of pages in memory (default 2 MB)
        s.execute("PRAGMA wal_autocheckpoint=4000");
        s.execute("PRAGMA cache_size=-65536");
      }
      return new SqliteDatabase(file, w, r);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the database " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /** Runs {@code work} in one write transaction; commits, or rolls back on failure. */
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
    } else if (c == reader && readLock.isHeldByCurrentThread()) {
      cache = readerStatements;
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

  /** Runs a read on the reader connection (sees every committed write). */
  public <T> T read(SqlWork<T> work) {
    readLock.lock();
    try {
      return work.run(reader);
    } catch (SQLException e) {
      throw new IllegalStateException("reading " + file + " failed: " + e.getMessage(), e);
    } finally {
      readLock.unlock();
    }
  }

  /** A unit of JDBC work. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  @Override
  public void close() {
    writeLock.lock();
    readLock.lock();
    try {
      for (PreparedStatement ps : writerStatements.values()) {
        ps.close();
      }
      for (PreparedStatement ps : readerStatements.values()) {
        ps.close();
      }
      writerStatements.clear();
      readerStatements.clear();
      reader.close();
      writer.close();
    } catch (SQLException e) {
      throw new IllegalStateException("closing " + file + " failed: " + e.getMessage(), e);
    } finally {
      readLock.unlock();
      writeLock.unlock();
    }
  }
}
