package org.supportbot.app;

import java.util.List;

/** The top-level subcommands of {@code supportbot}, in the order {@code --help} lists them. */
final class Commands {
  private Commands() {}

  static List<Object> all() {
    return List.of(
        new org.supportbot.app.console.DemoCommand(),
        new org.supportbot.app.sla.SlaCommand(),
        new org.supportbot.app.policy.PolicyCommand(),
        new org.supportbot.app.kb.KbCommand(),
        new org.supportbot.app.run.RunCommand(),
        new org.supportbot.app.outbox.OutboxCommand(),
        new org.supportbot.app.db.DbCommand());
  }
}
