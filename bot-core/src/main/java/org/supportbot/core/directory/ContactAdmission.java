package org.supportbot.core.directory;

/** The result of adding a contact to an organization. */
public sealed interface ContactAdmission {
  /** The contact was added (or already was one). */
  record Admitted(Contact contact, int contacts, String limit) implements ContactAdmission {}

  /** The contact was not added; {@code reason} says why and what to do. */
  record Refused(String reason) implements ContactAdmission {}
}
