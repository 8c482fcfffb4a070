package org.supportbot.core.directory;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Port: where organizations, contacts, channel bindings and engineers are kept. */
public interface DirectoryStore {
  void saveOrganization(Organization org);

  Optional<Organization> organization(String id);

  /** Binds a chat channel to an organization: cases filed there belong to it. */
  void bindChannel(String platform, String workspace, String channel, String organizationId);

  Optional<Organization> organizationByChannel(String platform, String workspace, String channel);

  /** Every bound channel with its organization, by platform, workspace and channel. */
  List<Bound> channels();

  /** A channel bound to an organization. */
  record Bound(String platform, String workspace, String channel, Organization organization) {}

  /**
   * Adds a contact unless the organization already has {@code limit} contacts; the count and the
   * insert happen atomically. Returns the number of contacts afterwards, or empty when refused.
   */
  OptionalInt addContact(Contact contact, OptionalInt limit);

  List<Contact> contacts(String organizationId);

  Optional<Contact> contact(String organizationId, Identity identity);

  void saveEngineer(Engineer engineer);

  Optional<Engineer> engineer(Identity identity);
}
