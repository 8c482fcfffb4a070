package org.supportbot.core.incident;

import java.util.Optional;
import org.supportbot.core.directory.Organization;

/** What the lifecycle may ask about the world beyond the case at hand. */
public interface CaseLookup {
  Optional<Incident> incident(IncidentNumber number);

  /** Reserves the next number of an organization. */
  IncidentNumber nextNumber(String orgKey);

  Optional<Organization> organization(String id);

  /** Free tasks left on the organization's service contract (Atollon). */
  int freeTasksLeft(Organization org);
}
