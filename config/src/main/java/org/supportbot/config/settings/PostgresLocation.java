package org.supportbot.config.settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a PostgreSQL desk lives, as written in the settings: {@code postgresql://host[:port]/database?user=NAME}
 * (optional {@code sslmode}, {@code sslrootcert}, {@code application_name}). Never a password: that comes from the
 * environment ({@link #PASSWORD_VARIABLES}), so the settings file can be shared and committed.
 *
 * @param host the server's host name or address
 * @param port its port (5432 when the URL names none)
 * @param database the database name
 * @param user the role to log in as
 * @param options the other connection options, in the JDBC driver's names (e.g. {@code sslmode})
 */
public record PostgresLocation(String host, int port, String database, String user, Map<String, String> options) {

  /** Where the password is read from, first one set wins. */
  public static final List<String> PASSWORD_VARIABLES = List.of("SUPPORTBOT_DB_PASSWORD", "PGPASSWORD");

  /** The URL options accepted, with the JDBC driver's name for each. */
  private static final Map<String, String> OPTIONS = Map.of(
      "sslmode", "sslmode", "sslrootcert", "sslrootcert", "application_name", "ApplicationName");

  public PostgresLocation {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(user, "user");
    options = Map.copyOf(options);
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("a PostgreSQL port is between 1 and 65535, got " + port);
    }
  }

  /** Whether a {@code database:} value names a PostgreSQL server rather than a SQLite file. */
  public static boolean isUrl(String text) {
    return text.startsWith("postgresql:") || text.startsWith("postgres:");
  }

  /**
   * Parses a {@code postgresql://} URL.
   *
   * @throws IllegalArgumentException with a one-line message naming what is wrong and how to write it
   */
  public static PostgresLocation parse(String text) {
    String example = "write it like postgresql://db.example.com:5432/supportbot?user=supportbot";
    URI uri;
    try {
      uri = new URI(text.startsWith("postgres:") ? "postgresql:" + text.substring("postgres:".length()) : text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("is not a PostgreSQL URL (" + e.getReason() + "); " + example);
    }
    if (!"postgresql".equals(uri.getScheme()) || uri.getRawAuthority() == null) {
      throw new IllegalArgumentException("is not a PostgreSQL URL; " + example);
    }
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && userInfo.contains(":")) {
      throw new IllegalArgumentException("holds a password; remove it from the URL and set " + PASSWORD_VARIABLES.get(0)
          + " (or PGPASSWORD) in the environment instead: passwords never go in the settings file");
    }
    String host = uri.getHost();
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("names no host; " + example);
    }
    int port = uri.getPort() == -1 ? 5432 : uri.getPort();
    String path = uri.getPath() == null ? "" : uri.getPath();
    String database = path.startsWith("/") ? path.substring(1) : path;
    if (database.isBlank() || database.contains("/")) {
      throw new IllegalArgumentException("names no database (the part after the host, e.g. /supportbot); " + example);
    }
    String user = userInfo == null ? null : decode(userInfo);
    Map<String, String> options = new LinkedHashMap<>();
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (name.equalsIgnoreCase("password")) {
          throw new IllegalArgumentException("holds a password; remove password= from the URL and set "
              + PASSWORD_VARIABLES.get(0) + " (or PGPASSWORD) in the environment instead: passwords never go in the"
              + " settings file");
        }
        if (name.equals("user")) {
          user = value;
        } else if (OPTIONS.containsKey(name)) {
          options.put(OPTIONS.get(name), value);
        } else {
          throw new IllegalArgumentException("has an unknown option \"" + name + "\"; the options are user, "
              + String.join(", ", OPTIONS.keySet().stream().sorted().toList()));
        }
      }
    }
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("names no user; add ?user=NAME, e.g. " + example.substring("write it like ".length()));
    }
    return new PostgresLocation(host, port, database, user, options);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** The JDBC URL (without user or password; the driver gets those as properties). */
  public String jdbcUrl() {
    StringBuilder url = new StringBuilder("jdbc:postgresql://")
        .append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port).append('/').append(database);
    return url.toString();
  }

  /** The location as an operator reads it: no password, ever. */
  @Override
  public String toString() {
    return "postgresql://" + user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
  }

  /** The password from the first of {@link #PASSWORD_VARIABLES} set in {@code env}, if any. */
  public static java.util.Optional<String> password(Map<String, String> env) {
    for (String name : PASSWORD_VARIABLES) {
      String v = env.get(name);
      if (v != null && !v.isEmpty()) {
        return java.util.Optional.of(v);
      }
    }
    return java.util.Optional.empty();
  }
}
