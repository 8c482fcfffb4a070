package org.supportbot.core.chat;

import java.util.Optional;
import org.supportbot.core.directory.Engineer;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;

/**
 * Answers {@code /board}: a one-time sign-in link to the web board for the person asking. The desk
 * says who that is in the directory: one of the vendor's people, or a named contact of the
 * organization whose channel the command was typed in.
 */
@FunctionalInterface
public interface BoardLinks {
  /**
   * The reply to {@code /board}, shown only to {@code person}.
   *
   * @param engineer the person as one of the vendor's engineers or managers, if they are one
   * @param contactOf the organization of the channel, when the person is one of its named contacts
   */
  String answer(Identity person, Optional<Engineer> engineer, Optional<Organization> contactOf);

  /** The answer of a desk that serves no web board. */
  BoardLinks OFF = (person, engineer, contactOf) -> "This desk does not serve the web board. An operator turns it on"
      + " with web: {address, port, public_url} in the settings.";
}
