package org.supportbot.core.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.supportbot.config.policy.Privacy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactorTest {
  private final Redactor redactor = new Redactor();

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      slack bot token          | export SLACK_BOT_TOKEN=xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp                    | export SLACK_BOT_TOKEN=[redacted: token]
      bare slack token         | token is xoxb-1234567890-0987654321-AbCdEfGhIjKl ok                                    | token is [redacted: token] ok
      github token             | git clone https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/x/y              | git clone https://[redacted: token]@github.com/x/y
      aws access key id        | key AKIAIOSFODNN7EXAMPLE was rejected                                                  | key [redacted: cloud key] was rejected
      bearer header            | Authorization: Bearer abcdef0123456789abcdef.ghijk                                      | Authorization: Bearer [redacted: token]
      jwt                      | cookie=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U | cookie=[redacted: token]
      password assignment      | db.password = hunter2!x                                                                 | db.password = [redacted: secret]
      json secret              | `{"client_secret": "s3cr3t-value", "user": "bob"}`                                    | `{"client_secret": [redacted: secret], "user": "bob"}`
      jdbc url with password   | jdbc:postgresql://app:Sup3rS3cret@db.internal:5432/prod                                 | jdbc:postgresql://app:[redacted: password in URL]@db.internal:5432/prod
      ado connection string    | Server=db;User Id=sa;Password=P@ss;w0rd                                                 | Server=db;User Id=sa;Password=[redacted: secret];w0rd
      email                    | contact jane.doe+support@example.co.uk for access                                      | contact [redacted: e-mail] for access
      us phone                 | call me at (415) 555-0132 today                                                         | call me at [redacted: phone number] today
      international phone      | mobile +44 20 7946 0958.                                                                | mobile [redacted: phone number].
      card number              | card 4111 1111 1111 1111 declined                                                       | card [redacted: card number] declined
      """)
  void secretsAndPersonalDataAreReplacedByAMarker(String name, String input, String expected) {
    assertThat(redactor.clean(input)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      version numbers      | upgraded from 2.1.0 to 2.1.11 and 10.3.2
      dates and times      | failed at 2026-11-23T14:00:00Z and 2026-11-24 09:15
      error codes          | ORA-00942: table or view does not exist (SQLSTATE 42P01) HTTP 503
      file paths           | see /var/log/beacon/server.log line 1234567 and C:\\Program Files\\Beacon\\app.exe
      java exception       | java.lang.IllegalStateException: Connection pool exhausted (max=50)
      ip and port          | connect to 10.0.12.7:5432 timed out after 30000 ms
      uuid                 | request 3f2b8c1e-9a4d-4b7e-8f00-1c2d3e4f5a6b failed
      password mentioned   | the password reset page shows an error
      invalid card         | order number 1234 5678 9012 3456 shipped
      """)
  void ordinarySupportTextIsLeftAlone(String name, String input) {
    assertThat(redactor.redact(input).changed()).as(input).isFalse();
  }

  @Test
  void aPrivateKeyBlockIsRemovedWhole() {
    String text = "here:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----\nthanks";
    assertThat(redactor.clean(text)).isEqualTo("here:\n[redacted: private key]\nthanks");
  }

  @Test
  void findingsAreCountedByKind() {
    var r = redactor.redact("a@example.com, b@example.org, password=x1");
    assertThat(r.findings()).containsEntry(Redactor.Kind.EMAIL, 2).containsEntry(Redactor.Kind.SECRET_VALUE, 1);
    assertThat(r.text()).doesNotContain("example.com").doesNotContain("x1");
  }

  @Test
  void redactingTwiceChangesNothingMore() {
    String once = redactor.clean("password: abc; mail me@example.com; xoxp-1234567890-abcdefghij");
    assertThat(redactor.redact(once).changed()).isFalse();
  }

  private final Redactor deIdentifying = new Redactor(java.util.EnumSet.allOf(Privacy.DeIdentify.class));

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      ipv4 and port        | connect to 10.0.12.7:5432 timed out                         | connect to [redacted: IP address]:5432 timed out
      ipv6 compressed      | peer 2001:db8::8a2e:370:7334 reset                          | peer [redacted: IP address] reset
      ipv6 loopback url    | GET http://[::1]:8080/health                                | GET http://[[redacted: IP address]]:8080/health
      ipv6 full            | from fe80:0:0:0:202:b3ff:fe1e:8329%eth0 ok                  | from [redacted: IP address] ok
      fqdn                 | resolving db01.prod.acme-corp.com failed                    | resolving [redacted: host name] failed
      internal host        | jdbc:postgresql://app:pw@db.internal:5432/prod              | jdbc:postgresql://app:[redacted: password in URL]@[redacted: host name]:5432/prod
      user key value       | auth failed for user=alice from 10.1.2.3                    | auth failed for user=[redacted: user name] from [redacted: IP address]
      user name colon      | `"username": "bob.smith"`                                   | `"username": "[redacted: user name]"`
      unix home            | open /home/alice/.config/agent.yaml                         | open /home/[redacted: user name]/.config/agent.yaml
      mac home             | cat /Users/jdoe/Library/Logs/agent.log                      | cat /Users/[redacted: user name]/Library/Logs/agent.log
      windows profile      | C:\\Users\\alice\\AppData\\Local\\agent.log          | C:\\Users\\[redacted: user name]\\AppData\\Local\\agent.log
      domain account       | logon failure for CORP\\alice at 09:15:02                  | logon failure for CORP\\[redacted: user name] at 09:15:02
      """)
  void aPolicyAskingForDeIdentifiedLogsAlsoLosesAddressesHostsAndUserNames(String name, String input, String expected) {
    assertThat(deIdentifying.clean(input)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      version numbers      | upgraded from 2.1.1 to 2.1.11 and then 10.3.2
      version word         | running version 10.2.0.1 (build: 4.4.1.0) and v10.2.0.1
      case numbers         | same as RO-12 and RO-7, see ACME-42
      times and macs       | at 12:30:45 the NIC 00:1a:2b:3c:4d:5e went down
      java names           | java.lang.IllegalStateException in org.supportbot.core.Foo
      file names           | attached server.log, config.yaml, app.exe and README.md
      scoped names         | std::vector and Foo::Bar failed
      registry and unc     | HKLM\\SOFTWARE\\Agent and \\\\FILES\\share
      prose                | the user cannot log in since the upgrade
      """)
  void deIdentifyingLeavesVersionsCaseNumbersAndCodeAlone(String name, String input) {
    assertThat(deIdentifying.redact(input).changed()).as(input).isFalse();
  }

  @Test
  void deIdentifyingIsCountedByKindAndIdempotent() {
    var r = deIdentifying.redact("10.0.0.1 and 10.0.0.2 on web.acme.example for user=alice");
    assertThat(r.findings()).containsEntry(Redactor.Kind.IP_ADDRESS, 2).containsEntry(Redactor.Kind.HOST_NAME, 1)
        .containsEntry(Redactor.Kind.USER_NAME, 1);
    assertThat(deIdentifying.redact(r.text()).changed()).isFalse();
    assertThat(redactor.redact("10.0.0.1 on web.acme.example for user=alice").changed()).isFalse();
  }
}
