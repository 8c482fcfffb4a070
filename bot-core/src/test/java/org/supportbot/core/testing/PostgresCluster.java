package org.supportbot.core.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.supportbot.config.settings.PostgresLocation;

/**
 * A throw-away PostgreSQL cluster for tests: the machine's own server binaries ({@code /usr/lib/postgresql/N/bin},
 * Debian's {@code postgresql} package, which {@code .ci/run} installs), a fresh data folder under the temp dir, a
 * free loopback port, its unix socket in that folder, password login (scram-sha-256) for the role
 * {@code supportbot}. One cluster per test JVM, started on first use and stopped at exit; each test takes a
 * {@link #newDatabase() fresh database}. initdb refuses to run as root, so as root the server runs as the
 * {@code postgres} user (runuser).
 */
public final class PostgresCluster {
  /** The role the tests log in as (the cluster's superuser). */
  public static final String USER = "supportbot";

  private static PostgresCluster shared;

  private final Path bin;
  private final Path dir;
  private final int port;
  private final String password;
  private final AtomicInteger databases = new AtomicInteger();

  private PostgresCluster(Path bin, Path dir, int port, String password) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.password = password;
  }

  /** The cluster of this JVM, started on first use. */
  public static synchronized PostgresCluster shared() {
    if (shared == null) {
      shared = start();
      PostgresCluster c = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(c::stop, "postgres-test-cluster-stop"));
    }
    return shared;
  }

  /** The newest {@code /usr/lib/postgresql/N/bin} holding initdb, pg_ctl and postgres. */
  static Path binaries() {
    Path root = Path.of("/usr/lib/postgresql");
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb"))
            && Files.isExecutable(b.resolve("pg_ctl")) && Files.isExecutable(b.resolve("postgres"))).forEach(found::add);
      } catch (IOException e) {
        throw new IllegalStateException("cannot list " + root + ": " + e.getMessage(), e);
      }
    }
    return found.stream().max(Comparator.comparingInt(PostgresCluster::version)).orElseThrow(() ->
        new IllegalStateException("the PostgreSQL tests need the server binaries in /usr/lib/postgresql/N/bin (initdb,"
            + " pg_ctl, postgres), and there are none; install them with `apt-get install -y --no-install-recommends"
            + " postgresql` (.ci/run does this)"));
  }

  private static int version(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static PostgresCluster start() {
    Path bin = binaries();
    try {
      Path dir = Files.createTempDirectory("supportbot-pg");
      byte[] secret = new byte[12];
      new SecureRandom().nextBytes(secret);
      String password = HexFormat.of().formatHex(secret);
      Path pwfile = dir.resolve("pw");
      Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
      if (root()) {
        chown(dir, "postgres");
        chown(pwfile, "postgres");
      }
      run(bin, dir, List.of("initdb", "-D", dir.resolve("data").toString(), "-U", USER, "--pwfile=" + pwfile,
          "--auth-host=scram-sha-256", "--auth-local=trust", "--locale=C", "--encoding=UTF8", "--no-sync"));
      Files.delete(pwfile);
      IOException last = null;
      for (int attempt = 0; attempt < 5; attempt++) {
        int port = freePort();
        try {
          run(bin, dir, List.of("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(),
              "-w", "-t", "120", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                  + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", "start"));
          return new PostgresCluster(bin, dir, port, password);
        } catch (IOException e) {
          last = e; // the port was taken between the probe and the start; try another
        }
      }
      throw new IllegalStateException("the test PostgreSQL did not start: " + last.getMessage(), last);
    } catch (IOException e) {
      throw new IllegalStateException("the test PostgreSQL did not start: " + e.getMessage(), e);
    }
  }

  private static void chown(Path p, String user) throws IOException {
    UserPrincipalLookupService users = p.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal owner = users.lookupPrincipalByName(user);
    GroupPrincipal group = users.lookupPrincipalByGroupName(user);
    PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
    view.setOwner(owner);
    view.setGroup(group);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Runs a server tool (as the postgres user when root); its output goes to a file in the cluster folder. */
  private static void run(Path bin, Path dir, List<String> command) throws IOException {
    List<String> full = new ArrayList<>();
    if (root()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.add(bin.resolve(command.get(0)).toString());
    full.addAll(command.subList(1, command.size()));
    Path out = Files.createTempFile("supportbot-pg-" + command.get(0), ".out");
    Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      if (!p.waitFor(180, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command.get(0) + " did not finish within 180 s");
      }
      if (p.exitValue() != 0) {
        String log = Files.exists(dir.resolve("log")) ? Files.readString(dir.resolve("log")) : "";
        throw new IOException(command.get(0) + " failed (exit " + p.exitValue() + "): " + Files.readString(out) + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(command.get(0) + " was interrupted", e);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  public int port() {
    return port;
  }

  /** The password of {@link #USER}, as an operator would put it in the environment. */
  public String password() {
    return password;
  }

  /** The environment a supportbot process needs to log in ({@code SUPPORTBOT_DB_PASSWORD}). */
  public Map<String, String> env() {
    return Map.of("SUPPORTBOT_DB_PASSWORD", password);
  }

  /** Creates an empty database and returns where it is. */
  public PostgresLocation newDatabase() {
    String name = "desk" + databases.incrementAndGet();
    try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the test database " + name + ": " + e.getMessage(), e);
    }
    return location(name);
  }

  /** The location of database {@code name} on this cluster. */
  public PostgresLocation location(String name) {
    return new PostgresLocation("127.0.0.1", port, name, USER, Map.of());
  }

  /** A plain JDBC connection to database {@code name}, for checks outside the stores. */
  public Connection connect(String name) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", USER);
    p.setProperty("password", password);
    return DriverManager.getConnection(location(name).jdbcUrl(), p);
  }

  /** Stops the server (immediately: nothing in it is kept) and deletes its folder. */
  void stop() {
    try {
      run(bin, dir, List.of("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
    } catch (IOException e) {
      System.err.println("the test PostgreSQL did not stop: " + e.getMessage());
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("cannot delete " + dir + ": " + e.getMessage());
    }
  }
}
