package org.supportbot.core.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.supportbot.config.settings.PostgresLocation;
import org.supportbot.core.store.JdbcDatabase;

/**
 * A desk's PostgreSQL database: a small pool of connections (HikariCP), the schema migrated by Flyway from
 * {@code db/postgresql} on open (Flyway's lock makes concurrent starts of several instances safe), and the
 * name this instance writes into the leases it takes.
 */
public final class PostgresDatabase implements JdbcDatabase, AutoCloseable {
  /** Connections per instance: one writer of the desk, the adapters' inbox and outbox, readers. */
  static final int POOL_SIZE = 8;

  /**
   * How long a lease on an inbox entry, a due timer or an outbox lane holds without being renewed: another
   * instance takes the work over once it lapses (the instance holding it died or hangs). An instance renews its
   * inbox leases every tick (1 s) and a lane's on every hand-out, so 20 s is 20 missed renewals; it bounds the
   * takeover after a {@code kill -9} to about 20 s plus one tick (measured: docs/postgresql.md, "Measured").
   */
  public static final java.time.Duration LEASE = java.time.Duration.ofSeconds(20);

  private final PostgresLocation location;
  private final HikariDataSource pool;
  private final String instance;

  private PostgresDatabase(PostgresLocation location, HikariDataSource pool, String instance) {
    this.location = location;
    this.pool = pool;
    this.instance = instance;
  }

  /**
   * Connects to {@code location} with {@code password} (from the environment; empty for servers that trust
   * the connection) and migrates the schema. {@code instance} names this process in the leases it takes;
   * empty picks a fresh name.
   *
   * @throws DatabaseUnavailableException when the server cannot be reached, refuses the login or the
   *     migration fails; its message is one line naming the fix
   */
  public static PostgresDatabase open(PostgresLocation location, Optional<String> password, Optional<String> instance) {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(password, "password");
    HikariConfig config = new HikariConfig();
    config.setPoolName("supportbot-db");
    config.setJdbcUrl(location.jdbcUrl());
    config.setUsername(location.user());
    password.ifPresent(config::setPassword);
    location.options().forEach(config::addDataSourceProperty);
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(1);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new DatabaseUnavailableException(explain(location, e), e);
    }
    try {
      migrate(pool);
    } catch (FlywayException e) {
      pool.close();
      throw new DatabaseUnavailableException("migrating the schema of " + location + " failed (" + firstLine(e)
          + "); check that the user may create tables in the database, or run again with --verbose", e);
    }
    String name = instance.orElseGet(() -> ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString()
        .substring(0, 8));
    return new PostgresDatabase(location, pool, name);
  }

  /**
   * Why {@code location} cannot be used (one line naming the fix), or empty when a login and a query succeed.
   * Changes nothing: no migration, one short-lived connection.
   */
  public static Optional<String> probe(PostgresLocation location, Optional<String> password) {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("user", location.user());
    password.ifPresent(pw -> p.setProperty("password", pw));
    location.options().forEach(p::setProperty);
    p.setProperty("connectTimeout", "10");
    try (Connection c = java.sql.DriverManager.getConnection(location.jdbcUrl(), p);
        var s = c.createStatement(); var rs = s.executeQuery("SELECT 1")) {
      rs.next();
      return Optional.empty();
    } catch (SQLException e) {
      return Optional.of(explain(location, e));
    }
  }

  /** Migrates the bot-core and adapter tables (every {@code db/postgresql} on the class path). */
  static void migrate(DataSource ds) {
    Flyway.configure().dataSource(ds).locations("classpath:db/postgresql").load().migrate();
  }

  /** One line for a failure to connect: PostgreSQL's SQLSTATE decides the fix; never the password. */
  static String explain(PostgresLocation location, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.equals("08004") && String.valueOf(s.getMessage()).contains("no password")) {
          return "PostgreSQL at " + location.host() + ":" + location.port() + " asks for the password of user "
              + location.user() + " and none is set; set SUPPORTBOT_DB_PASSWORD (or PGPASSWORD) in the environment";
        }
        if (state.startsWith("08")) {
          return "cannot reach PostgreSQL at " + location.host() + ":" + location.port() + " (" + state + ", "
              + (t.getCause() == null ? "connection failed" : t.getCause().getClass().getSimpleName()) + "); start the"
              + " server, or fix the host and port of the URL (database: in the settings)";
        }
        return switch (state) {
          case "28P01" -> "PostgreSQL refused the password of user " + location.user() + " at " + location
              + "; set the right one in SUPPORTBOT_DB_PASSWORD (or PGPASSWORD)";
          case "28000" -> "PostgreSQL does not let user " + location.user() + " log in to " + location + " ("
              + firstLine(s) + "); allow it in the server's pg_hba.conf, or set SUPPORTBOT_DB_PASSWORD if it needs one";
          case "3D000" -> "the database " + location.database() + " does not exist on " + location.host() + ":"
              + location.port() + "; create it, e.g. createdb -O " + location.user() + " " + location.database();
          case "42501" -> "user " + location.user() + " may not use " + location + "; grant it the database"
              + " (e.g. ALTER DATABASE " + location.database() + " OWNER TO " + location.user() + ")";
          case "53300" -> "PostgreSQL at " + location.host() + ":" + location.port() + " has no free connection"
              + " (too_many_connections); raise max_connections or run fewer instances";
          default -> "cannot connect to " + location + " (SQLSTATE " + state + "); run again with --verbose for the"
              + " details";
        };
      }
    }
    return "cannot connect to " + location + " (" + e.getClass().getSimpleName() + "); run again with --verbose for"
        + " the details";
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("").trim();
  }

  public PostgresLocation location() {
    return location;
  }

  /** This instance's name in the leases it takes. */
  public String instance() {
    return instance;
  }

  /** The pool, for tools that read or write tables directly (db copy). */
  public DataSource dataSource() {
    return pool;
  }

  /** Runs {@code work} in one transaction; commits, or rolls back on failure. */
  @Override
  public <T> T write(SqlWork<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        if (e instanceof RuntimeException re) {
          throw re;
        }
        throw (SQLException) e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("writing to " + location + " failed: " + firstLine(e), e);
    }
  }

  /**
   * Runs {@code work} holding the session advisory lock {@code key} on a connection of its own, so that no
   * other instance runs work under the same key meanwhile (it waits). The lock ends with the work, or with the
   * connection if this process dies. {@code work} takes its own connections from the pool.
   */
  public <T> T holding(long key, java.util.function.Supplier<T> work) {
    try (Connection c = pool.getConnection()) {
      try (var lock = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
        lock.setLong(1, key);
        lock.executeQuery().close();
      }
      try {
        return work.get();
      } finally {
        try (var unlock = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
          unlock.setLong(1, key);
          unlock.executeQuery().close();
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("locking on " + location + " failed: " + firstLine(e), e);
    }
  }

  /** Runs a read outside a transaction (sees every committed write). */
  @Override
  public <T> T read(SqlWork<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new IllegalStateException("reading " + location + " failed: " + firstLine(e), e);
    }
  }

  /** Why the database cannot be used right now (one line naming the fix), or empty when a query answers. */
  public Optional<String> unreachable() {
    try (Connection c = pool.getConnection(); var s = c.createStatement(); var rs = s.executeQuery("SELECT 1")) {
      rs.next();
      return Optional.empty();
    } catch (SQLException e) {
      return Optional.of(explain(location, e));
    }
  }


  @Override
  public void close() {
    pool.close();
  }
}
