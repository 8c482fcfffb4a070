package org.supportbot.config.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.supportbot.config.settings.BotSettings;
import org.supportbot.config.settings.PostgresLocation;

class DatabaseSettingTest {

  private static BotSettings parse(String database) throws ConfigException {
    return new SettingsLoader().parse("bot.yaml", "database: \"" + database + "\"\n" + """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        """, Path.of("/srv"));
  }

  private static String problem(String database) {
    try {
      parse(database);
    } catch (ConfigException e) {
      assertThat(e.problems()).hasSize(1);
      return e.problems().get(0).toString();
    }
    throw new AssertionError("no problem reported for " + database);
  }

  @Test
  void aFileIsTheDefaultAndAPathStaysAFile() throws Exception {
    BotSettings s = new SettingsLoader().parse("bot.yaml", """
        triage: slack/T1/C0
        organizations: [{ id: acme, key: ACME, policy: atheer }]
        """, Path.of("/srv"));
    assertThat(s.database()).isEqualTo(Path.of("/srv/data/supportbot.db"));
    assertThat(s.postgres()).isEmpty();
    assertThat(parse("desk/main.db").database()).isEqualTo(Path.of("/srv/desk/main.db"));
    assertThat(parse("desk/main.db").postgres()).isEmpty();
  }

  @Test
  void aPostgresqlUrlNamesTheServerTheUserAndTheOptions() throws Exception {
    PostgresLocation p = parse("postgresql://db.example.com:6543/desk?user=bot&sslmode=verify-full&application_name=sb")
        .postgres().orElseThrow();
    assertThat(p).isEqualTo(new PostgresLocation("db.example.com", 6543, "desk", "bot",
        Map.of("sslmode", "verify-full", "ApplicationName", "sb")));
    assertThat(p.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/desk");
    assertThat(p.toString()).isEqualTo("postgresql://bot@db.example.com:6543/desk");
    PostgresLocation defaults = parse("postgres://bot@10.0.0.5/desk").postgres().orElseThrow();
    assertThat(defaults.port()).isEqualTo(5432);
    assertThat(defaults.user()).isEqualTo("bot");
  }

  @Test
  void aPasswordInTheUrlIsRefusedWithWhereItGoesInstead() {
    assertThat(problem("postgresql://bot:s3cret@db/desk")).isEqualTo("bot.yaml:1: database: the PostgreSQL URL holds a"
        + " password; remove it from the URL and set SUPPORTBOT_DB_PASSWORD (or PGPASSWORD) in the environment instead:"
        + " passwords never go in the settings file").doesNotContain("s3cret");
    assertThat(problem("postgresql://db/desk?user=bot&password=s3cret")).contains("remove password= from the URL")
        .contains("SUPPORTBOT_DB_PASSWORD").doesNotContain("s3cret");
  }

  @Test
  void aBadUrlSaysWhatIsMissing() {
    assertThat(problem("postgresql://db.example.com/desk")).endsWith("names no user; add ?user=NAME, e.g."
        + " postgresql://db.example.com:5432/supportbot?user=supportbot");
    assertThat(problem("postgresql://db.example.com?user=bot")).contains("names no database");
    assertThat(problem("postgresql://db/desk?user=bot&pool=9")).contains("unknown option \"pool\"")
        .contains("application_name, sslmode, sslrootcert");
  }

  @Test
  void thePasswordComesFromTheEnvironmentFirstTheBotsVariable() {
    assertThat(PostgresLocation.password(Map.of("PGPASSWORD", "b", "SUPPORTBOT_DB_PASSWORD", "a"))).contains("a");
    assertThat(PostgresLocation.password(Map.of("PGPASSWORD", "b"))).contains("b");
    assertThat(PostgresLocation.password(Map.of())).isEmpty();
  }
}
