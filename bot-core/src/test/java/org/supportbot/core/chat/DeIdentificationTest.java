package org.supportbot.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.supportbot.core.chat.ChatFixture.EVE;
import static org.supportbot.core.chat.ChatFixture.text;
import static org.supportbot.core.chat.ChatFixture.thread;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.conversation.Outbound;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.IncidentEvent;
import org.supportbot.core.incident.IncidentNumber;

/**
 * Resource Optimizer (seed 001) asks for "log files (de-identified of sensitive data if
 * appropriate)": under its policy ({@code privacy.de_identify}) IP addresses, host names and user
 * names pasted at intake and in the case thread are replaced before they are stored, the customer is
 * told what was removed, and no reply echoes them. Atheer's policy does not ask for it.
 */
class DeIdentificationTest {

  /** Monday 23 November 2026, 17:00 UTC: 09:00 in Los Angeles. */
  private static final Instant MONDAY = Instant.parse("2026-11-23T17:00:00Z");
  private static final IncidentNumber UMB_1 = new IncidentNumber("UMB", 1);
  private static final Identity UNA = ChatFixture.id("una");
  private static final ChatPlace UMBRELLA = ChatFixture.place("umbrella");
  private static final String LOG = "2026-11-23 08:59:01 ERROR agent 2.1.1 user=una.k from 10.20.30.40"
      + " (fe80::1ff:fe23:4567:890a) could not reach sched01.umbrella-corp.com; profile /home/una.k/.optimizer"
      + " as UMBRELLA\\svc-optim, see RO-12";

  @TempDir Path dir;

  private static ChatFixture desk(Path file) {
    ChatFixture f = new ChatFixture(file, MONDAY);
    f.directory.register(Organization.of("umbrella", "UMB", "Umbrella", "resource-optimizer")
        .withContracts(Set.of("subscription"), Optional.empty(), 0));
    f.directory.store().bindChannel("test", "W", "umbrella", "umbrella");
    f.directory.addContact(new Contact("umbrella", UNA, UNA.userId()));
    return f;
  }

  /** Files a Resource Optimizer case, pasting {@code LOG} as the log files; the answer's replies. */
  private static List<Outbound> fileWithLog(ChatFixture f) {
    f.command(UNA, UMBRELLA, "/support");
    var policy = ChatFixture.CATALOG.get("resource-optimizer").orElseThrow();
    var product = policy.versions().products().get(0);
    List<Outbound> logReply = List.of();
    for (var field : policy.report()) {
      List<Outbound> out = f.say(UNA, UMBRELLA, switch (field.id()) {
        case "product" -> product.id();
        case "version" -> product.releases().get(product.releases().size() - 1).version();
        case "category" -> "defect";
        case "logs" -> LOG;
        case "reproducible" -> "yes";
        case "users_affected" -> "10";
        case "severity" -> "S3";
        case "existing_incident" -> "no";
        default -> "The scheduler stops after the upgrade to 2.1.1";
      });
      if (field.id().equals("logs")) {
        logReply = out;
      }
    }
    return logReply;
  }

  private static String files(Path dir) throws Exception {
    StringBuilder all = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        all.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
      }
    }
    return all.toString();
  }

  @Test
  void pastedLogsAreDeIdentifiedAtIntakeAndTheCustomerIsToldWhatWasRemoved() throws Exception {
    try (ChatFixture f = desk(dir.resolve("desk.db"))) {
      List<Outbound> said = fileWithLog(f);
      assertThat(said.get(0).plainText()).isEqualTo("I removed 6 items (2 IP addresses, 1 host name, 3 user names)"
          + " from your answer before keeping it, as the support policy asks for de-identified logs.");
      var filed = (IncidentEvent.Filed) f.incidents.log(UMB_1).get(0);
      assertThat(filed.fields().get("logs")).isEqualTo("2026-11-23 08:59:01 ERROR agent 2.1.1"
          + " user=[redacted: user name] from [redacted: IP address] ([redacted: IP address]) could not reach"
          + " [redacted: host name]; profile /home/[redacted: user name]/.optimizer as UMBRELLA\\[redacted: user name],"
          + " see RO-12");
      assertThat(filed.fields().get("description")).isEqualTo("The scheduler stops after the upgrade to 2.1.1");
    }
    assertThat(files(dir)).doesNotContain("10.20.30.40", "fe80::1ff", "sched01", "umbrella-corp", "una.k", "svc-optim");
  }

  @Test
  void aReplyInTheCaseThreadIsDeIdentifiedAndTheCustomerIsToldToo() throws Exception {
    try (ChatFixture f = desk(dir.resolve("desk.db"))) {
      fileWithLog(f);
      ChatPlace caseThread = thread(UMBRELLA, "UMB-1");
      List<Outbound> out = f.say(UNA, caseThread, "It happens on db2.umbrella.internal as well, user: una.k");
      // the notice comes first; Resource Optimizer's hours are closed at 17:00 UTC, which the next reply says
      assertThat(out).filteredOn(o -> o.kind() == Outbound.Kind.REPLY).first().extracting(Outbound::plainText)
          .isEqualTo("I removed 2 items (1 host name, 1 user name) from your message on UMB-1 before keeping it,"
              + " as the support policy asks for de-identified logs.");
      var reply = f.incidents.log(UMB_1).stream().filter(e -> e instanceof IncidentEvent.CustomerReplied)
          .map(e -> ((IncidentEvent.CustomerReplied) e).text()).toList();
      assertThat(reply).containsExactly("It happens on [redacted: host name] as well, user: [redacted: user name]");
      // an engineer's update in the thread is de-identified the same way
      List<Outbound> update = f.command(EVE, caseThread, "/update UMB-1 restarted the agent on 10.20.30.41");
      assertThat(update).filteredOn(o -> o.kind() == Outbound.Kind.REPLY).extracting(Outbound::plainText)
          .containsExactly("I removed 1 item (1 IP address) from your command on UMB-1 before keeping it, as the"
              + " support policy asks for de-identified logs.");
      assertThat(text(update)).doesNotContain("10.20.30.41");
    }
    assertThat(files(dir)).doesNotContain("db2.umbrella", "una.k", "10.20.30.41");
  }

  @Test
  void errorRepliesNeverEchoARedactedValue() throws Exception {
    List<Outbound> replies = new java.util.ArrayList<>();
    try (ChatFixture f = desk(dir.resolve("desk.db"))) {
      fileWithLog(f);
      ChatPlace caseThread = thread(UMBRELLA, "UMB-1");
      replies.addAll(f.command(EVE, caseThread, "/time UMB-1 sched01.umbrella-corp.com 25m"));
      replies.addAll(f.command(EVE, caseThread, "/severity 10.20.30.40 it is worse"));
      replies.addAll(f.command(EVE, caseThread, "/resolve user=una.k restarted"));
      replies.addAll(f.command(EVE, caseThread, "/merge UMB-1 /home/una.k"));
    }
    assertThat(replies).isNotEmpty().allSatisfy(o -> assertThat(o.kind()).isEqualTo(Outbound.Kind.REPLY));
    assertThat(text(replies)).contains("[redacted: ").doesNotContain("sched01", "umbrella-corp", "10.20.30.40", "una.k");
    assertThat(files(dir)).doesNotContain("sched01", "umbrella-corp", "10.20.30.40", "una.k");
  }

  @Test
  void aPolicyThatDoesNotAskKeepsAddressesAndHostNames() {
    try (ChatFixture f = new ChatFixture(dir.resolve("desk.db"), MONDAY)) {
      f.fileAtheer("Agents on 10.20.30.40 cannot reach beacon.acme.example", "10", "P3");
      var filed = (IncidentEvent.Filed) f.incidents.log(new IncidentNumber("ACME", 1)).get(0);
      assertThat(filed.fields().get("description")).isEqualTo("Agents on 10.20.30.40 cannot reach beacon.acme.example");
    }
  }
}
