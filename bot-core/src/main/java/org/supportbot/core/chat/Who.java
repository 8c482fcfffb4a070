package org.supportbot.core.chat;

import java.util.Optional;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.directory.Engineer;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.Actor;

/**
 * Who is acting, for which organization, from where.
 *
 * @param channelOrg the organization the channel is bound to (none in a direct message)
 * @param engineer the vendor's engineer or manager acting, if the person is one
 * @param contact whether the person is a named contact of {@code channelOrg}
 */
record Who(Inbound in, Optional<Organization> channelOrg, Optional<Engineer> engineer, boolean contact) {

  boolean vendor() {
    return engineer.isPresent();
  }

  Actor actor() {
    return engineer.map(e -> new Actor(e.identity(), e.role() == Engineer.Role.MANAGER ? Actor.Role.MANAGER
        : Actor.Role.ENGINEER)).orElse(Actor.customer(in.person()));
  }

  /** Whether the channel the person acts in is bound to {@code organizationId}'s organization. */
  boolean inChannelOf(String organizationId) {
    return channelOrg.map(o -> o.id().equals(organizationId)).orElse(false);
  }
}
