package org.supportbot.app.console;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.supportbot.core.chat.DeskSettings;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.ContactAdmission;
import org.supportbot.core.directory.Directory;
import org.supportbot.core.directory.Engineer;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.ChatPlace;

/**
 * The sample workspace of the demo: five customer organizations, one on each seed policy, their
 * support channels and named contacts, and the vendor's engineers and managers.
 */
final class DemoWorld {
  static final String PLATFORM = "console";
  static final String WORKSPACE = "demo";

  /** An organization of the demo, its channel and its contacts' handles. */
  record Customer(Organization org, String channel, List<String> contacts) {}

  static final List<Customer> CUSTOMERS = List.of(
      new Customer(Organization.of("acme", "ACME", "Acme Corp", "atheer").withPurchasedContacts(1),
          "acme-support", List.of("ana@acme", "carl@acme")),
      new Customer(Organization.of("globex", "GLOBEX", "Globex", "alectrona"), "globex-support", List.of("gina@globex")),
      new Customer(Organization.of("initech", "INITECH", "Initech", "atomrock").withLicences(2, 1),
          "initech-support", List.of("ian@initech")),
      new Customer(Organization.of("umbrella", "UMB", "Umbrella", "resource-optimizer"), "umbrella-support",
          List.of("uma@umbrella")),
      new Customer(Organization.of("hooli", "HOOLI", "Hooli", "atollon")
          .withContracts(Set.of("service_contract"), Optional.empty(), 2), "hooli-support", List.of("hal@hooli")));

  /** Handles of the vendor's people and their roles. */
  static final Map<String, Engineer.Role> VENDOR = vendor();

  /** People who are in a customer's channel but are not named contacts. */
  static final List<String> GUESTS = List.of("stranger@acme");

  static final String TRIAGE = "triage";
  static final String ESCALATIONS = "escalations";

  private static Map<String, Engineer.Role> vendor() {
    Map<String, Engineer.Role> m = new LinkedHashMap<>();
    m.put("eve", Engineer.Role.ENGINEER);
    m.put("sam", Engineer.Role.ENGINEER);
    m.put("max", Engineer.Role.MANAGER);
    m.put("alice", Engineer.Role.MANAGER);
    return m;
  }

  static Identity person(String handle) {
    return new Identity(PLATFORM, WORKSPACE, handle);
  }

  static ChatPlace channel(String name) {
    return new ChatPlace(PLATFORM, WORKSPACE, name, "");
  }

  /** Every handle the demo knows, vendor first. */
  static List<String> handles() {
    List<String> all = new java.util.ArrayList<>(VENDOR.keySet());
    CUSTOMERS.forEach(c -> all.addAll(c.contacts()));
    all.addAll(GUESTS);
    return all;
  }

  /** Every channel the demo knows. */
  static List<String> channels() {
    List<String> all = new java.util.ArrayList<>();
    CUSTOMERS.forEach(c -> all.add(c.channel()));
    all.add(TRIAGE);
    all.add(ESCALATIONS);
    return all;
  }

  /** Registers organizations, channels, contacts and engineers; safe to run again on the same database. */
  static void populate(Directory directory) {
    for (Customer c : CUSTOMERS) {
      directory.register(c.org());
      directory.store().bindChannel(PLATFORM, WORKSPACE, c.channel(), c.org().id());
      for (String handle : c.contacts()) {
        ContactAdmission a = directory.addContact(new Contact(c.org().id(), person(handle), handle));
        if (a instanceof ContactAdmission.Refused r) {
          throw new IllegalStateException("demo contact " + handle + " refused: " + r.reason());
        }
      }
    }
    VENDOR.forEach((handle, role) -> directory.store().saveEngineer(new Engineer(person(handle), handle, role)));
  }

  static DeskSettings settings() {
    Map<String, DeskSettings.OrgRouting> routing = new LinkedHashMap<>();
    for (Customer c : CUSTOMERS) {
      routing.put(c.org().id(), new DeskSettings.OrgRouting(channel(ESCALATIONS), "oncall", "on-call",
          Optional.of(person("alice"))));
    }
    return new DeskSettings(channel(TRIAGE), List.of(person("max")), routing, Duration.ofHours(24), LocalTime.of(8, 0),
        ZoneId.of("America/Los_Angeles"));
  }
}
