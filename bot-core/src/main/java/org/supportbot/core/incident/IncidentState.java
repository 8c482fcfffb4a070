package org.supportbot.core.incident;

import java.util.Locale;

/** Where a case stands. */
public enum IncidentState {
  NEW,
  ACKNOWLEDGED,
  IN_PROGRESS,
  WAITING_ON_CUSTOMER,
  RESOLVED,
  CLOSED,
  DROPPED;

  /** Whether work on the case is still going on (not resolved, closed or dropped). */
  public boolean active() {
    return this == NEW || this == ACKNOWLEDGED || this == IN_PROGRESS || this == WAITING_ON_CUSTOMER;
  }

  /** Whether the case is finished for good unless reopened. */
  public boolean terminal() {
    return this == CLOSED || this == DROPPED;
  }

  public String label() {
    return this == WAITING_ON_CUSTOMER ? "waiting on the customer" : name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
