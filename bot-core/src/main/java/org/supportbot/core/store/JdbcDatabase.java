package org.supportbot.core.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What the stores that read and write the same SQL on either database need of it: a write in one transaction
 * and a read that sees every committed write. {@code SqliteDatabase} and {@code PostgresDatabase} implement it;
 * stores whose SQL is the same on both (conversations, Slack message refs) are written once against it.
 */
public interface JdbcDatabase {

  /** Runs {@code work} in one write transaction; commits, or rolls back on failure. */
  <T> T write(SqlWork<T> work);

  /** Runs a read that sees every committed write. */
  <T> T read(SqlWork<T> work);

  /** A unit of JDBC work. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }
}
