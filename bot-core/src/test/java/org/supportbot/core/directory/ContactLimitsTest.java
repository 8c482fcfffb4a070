package org.supportbot.core.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.JdbcDirectoryStore;
import org.supportbot.core.testing.DeskFixture;

/** The seed policies' contact rules, enforced when a contact is added. */
class ContactLimitsTest {
  @TempDir
  Path dir;

  private ContactAdmission add(Directory d, Organization org, int i) {
    return d.addContact(new Contact(org.id(), new Identity("slack", "T1", "U" + i), "Person " + i));
  }

  @Test
  void atomrockAllowsOneContactPerActiveCommercialLicenceNotCountingEvaluations() {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("a.db"), SqliteDatabase.Durability.NORMAL)) {
      Directory d = new Directory(JdbcDirectoryStore.owned(db), DeskFixture.catalog()::get);
      Organization org = Organization.of("acme", "ACME", "Acme", "atomrock").withLicences(2, 5);
      d.register(org);
      assertThat(add(d, org, 1)).isInstanceOf(ContactAdmission.Admitted.class);
      assertThat(add(d, org, 2)).isInstanceOf(ContactAdmission.Admitted.class);
      assertThat(add(d, org, 1)).as("adding an existing contact again is harmless")
          .isInstanceOf(ContactAdmission.Admitted.class);
      assertThat(add(d, org, 3)).isEqualTo(new ContactAdmission.Refused("Acme already has 2 contacts, the limit under the"
          + " atomrock policy (one contact per active commercial licence (2, evaluation licences do not count))"
          + "; the agreement may set a different number. Remove a contact or raise the limit first."));
      assertThat(d.store().contacts(org.id())).hasSize(2);
      d.register(org.withLicences(3, 5));
      assertThat(add(d, org, 3)).isInstanceOf(ContactAdmission.Admitted.class);
    }
  }

  @Test
  void atheerAllowsOneNamedContactUnlessMoreArePurchased() {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("b.db"), SqliteDatabase.Durability.NORMAL)) {
      Directory d = new Directory(JdbcDirectoryStore.owned(db), DeskFixture.catalog()::get);
      Organization org = Organization.of("beta", "BETA", "Beta", "atheer");
      d.register(org);
      assertThat(add(d, org, 1)).isInstanceOf(ContactAdmission.Admitted.class);
      ContactAdmission refused = add(d, org, 2);
      assertThat(refused).isEqualTo(new ContactAdmission.Refused("Beta already has 1 contact, the limit under the atheer"
          + " policy (1 named contact); more contacts are available for an additional fee. Remove a contact or raise"
          + " the limit first."));
      d.register(org.withPurchasedContacts(1));
      assertThat(add(d, org, 2)).isEqualTo(new ContactAdmission.Admitted(
          new Contact("beta", new Identity("slack", "T1", "U2"), "Person 2"), 2, "1 named contact plus 1 purchased"));
      assertThat(add(d, org, 3)).isInstanceOf(ContactAdmission.Refused.class);
    }
  }

  @Test
  void resourceOptimizerAllowsAnyNumberOfAuthorisedContacts() {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("c.db"), SqliteDatabase.Durability.NORMAL)) {
      Directory d = new Directory(JdbcDirectoryStore.owned(db), DeskFixture.catalog()::get);
      Organization org = Organization.of("ro", "RO", "Ro Customer", "resource-optimizer");
      d.register(org);
      for (int i = 0; i < 40; i++) {
        assertThat(add(d, org, i)).isInstanceOf(ContactAdmission.Admitted.class);
      }
      assertThat(d.store().contacts(org.id())).hasSize(40);
    }
  }

  @Test
  void aContactOfAnUnknownOrganizationIsRefused() {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("d.db"), SqliteDatabase.Durability.NORMAL)) {
      Directory d = new Directory(JdbcDirectoryStore.owned(db), DeskFixture.catalog()::get);
      assertThat(d.addContact(new Contact("nobody", new Identity("slack", "T1", "U1"), "X")))
          .isEqualTo(new ContactAdmission.Refused("there is no organization \"nobody\"; register it first"));
    }
  }

  @Test
  void oneIdentityFormWorksAcrossPlatforms() {
    Identity slack = Identity.parse("slack/T123/U456");
    assertThat(slack).isEqualTo(new Identity("slack", "T123", "U456"));
    assertThat(Identity.parse(new Identity("discord", "guild-1", "987").toString()).platform()).isEqualTo("discord");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Identity.parse("U456"))
        .hasMessage("\"U456\" is not an identity; write platform/workspace/userId, e.g. slack/T123/U456");
  }

  @Test
  void organizationsAreFoundByTheirBoundChannel() {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("e.db"), SqliteDatabase.Durability.NORMAL)) {
      JdbcDirectoryStore store = JdbcDirectoryStore.owned(db);
      Directory d = new Directory(store, DeskFixture.catalog()::get);
      d.register(Organization.of("acme", "ACME", "Acme", "atomrock"));
      d.register(Organization.of("beta", "BETA", "Beta", "atheer"));
      assertThat(store.organizationByChannel("slack", "T1", "C1")).isEmpty();
      store.bindChannel("slack", "T1", "C1", "acme");
      assertThat(store.organizationByChannel("slack", "T1", "C1")).map(Organization::id).contains("acme");
      store.bindChannel("slack", "T1", "C1", "beta");
      assertThat(store.organizationByChannel("slack", "T1", "C1")).as("the cached binding was invalidated")
          .map(Organization::id).contains("beta");
    }
  }

  @Test
  void engineersAndManagersAreKnownByIdentity() {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("f.db"), SqliteDatabase.Durability.NORMAL)) {
      JdbcDirectoryStore store = JdbcDirectoryStore.owned(db);
      Identity onSlack = new Identity("slack", "T1", "U9");
      Identity onDiscord = new Identity("discord", "guild-7", "4411");
      store.saveEngineer(new Engineer(onSlack, "Erin", Engineer.Role.ENGINEER));
      store.saveEngineer(new Engineer(onDiscord, "Erin", Engineer.Role.MANAGER));
      assertThat(store.engineer(onSlack)).contains(new Engineer(onSlack, "Erin", Engineer.Role.ENGINEER));
      assertThat(store.engineer(onDiscord).map(Engineer::role)).contains(Engineer.Role.MANAGER);
      assertThat(store.engineer(new Identity("slack", "T1", "U10"))).isEmpty();
    }
  }
}
