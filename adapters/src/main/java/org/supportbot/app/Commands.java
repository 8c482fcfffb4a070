package org.supportbot.app;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Command;

/** The top-level subcommands of {@code supportbot}, in the order {@code --help} lists them. */
final class Commands {
  private Commands() {}

  /** A subcommand's class (its {@code @Command} name) and how to make it. */
  private record Entry(Class<?> type, Supplier<Object> make) {
    String name() {
      return type.getAnnotation(Command.class).name();
    }
  }

  private static final List<Entry> ALL = List.of(
      new Entry(org.supportbot.app.console.DemoCommand.class, org.supportbot.app.console.DemoCommand::new),
      new Entry(org.supportbot.app.sla.SlaCommand.class, org.supportbot.app.sla.SlaCommand::new),
      new Entry(org.supportbot.app.policy.PolicyCommand.class, org.supportbot.app.policy.PolicyCommand::new),
      new Entry(org.supportbot.app.kb.KbCommand.class, org.supportbot.app.kb.KbCommand::new),
      new Entry(org.supportbot.app.run.RunCommand.class, org.supportbot.app.run.RunCommand::new),
      new Entry(org.supportbot.app.run.StartupTraining.class, org.supportbot.app.run.StartupTraining::new),
      new Entry(org.supportbot.app.outbox.OutboxCommand.class, org.supportbot.app.outbox.OutboxCommand::new),
      new Entry(org.supportbot.app.db.DbCommand.class, org.supportbot.app.db.DbCommand::new));

  static List<Object> all() {
    return ALL.stream().map(e -> e.make().get()).toList();
  }

  /**
   * The one subcommand named {@code name}, if there is one: a command line that runs only it need not
   * build the others (picocli reads every option of every command it is given, which costs a fresh
   * process about half a second).
   */
  static Optional<Object> named(String name) {
    return ALL.stream().filter(e -> e.name().equals(name)).findFirst().map(e -> e.make().get());
  }
}
