package org.supportbot.app.outbox;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.supportbot.app.Main;
import org.supportbot.config.load.ConfigException;
import org.supportbot.config.load.ConfigProblem;
import org.supportbot.config.load.SettingsLoader;
import org.supportbot.config.settings.BotSettings;
import org.supportbot.core.outbox.Backoff;
import org.supportbot.core.outbox.Outbox;
import org.supportbot.core.outbox.OutboxStore;
import org.supportbot.config.settings.PostgresLocation;
import org.supportbot.core.store.DeskStores;
import org.supportbot.core.store.postgres.DatabaseUnavailableException;
import org.supportbot.core.store.postgres.PostgresDatabase;
import org.supportbot.core.store.postgres.PostgresDeskStores;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.sqlite.SqliteDeskStores;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code supportbot outbox list|resend --config FILE}: lists the messages the outbox set aside (never
 * their text) and puts them back to be sent. Safe while {@code supportbot run} runs on the same
 * database: the running desk hands the resent messages out on its next tick.
 */
@Command(name = "outbox", mixinStandardHelpOptions = true,
    header = "List and resend the messages the platforms refused for good.",
    description = {"Messages the platforms refused for good (a channel gone or archived, the bot removed) are set",
        "aside and triage is told. Fix the cause, then send them again."},
    subcommands = {OutboxCommand.ListCommand.class, OutboxCommand.ResendCommand.class})
public final class OutboxCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: list or resend");
  }

  /** The settings file, shared by both subcommands. */
  static final class ConfigOption {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The settings file.")
    Path config;

    /** Where the PostgreSQL password is read from (SUPPORTBOT_DB_PASSWORD, PGPASSWORD); tests give their own. */
    Map<String, String> env = System.getenv();

    /**
     * Opens the settings' database (the SQLite file, or the PostgreSQL server of {@code database:
     * postgresql://...}), or prints one line saying why not and returns empty.
     */
    Optional<DeskStores> open(PrintWriter err) {
      BotSettings settings;
      try {
        settings = new SettingsLoader().load(config);
      } catch (ConfigException e) {
        for (ConfigProblem p : e.problems()) {
          err.println(p);
        }
        return Optional.empty();
      }
      if (settings.postgres().isPresent()) {
        try {
          return Optional.of(new PostgresDeskStores(PostgresDatabase.open(settings.postgres().get(),
              PostgresLocation.password(env), Optional.empty()), Clock.systemUTC()));
        } catch (DatabaseUnavailableException e) {
          err.println(SettingsLoader.problemAt(config, "database", e.getMessage()));
          return Optional.empty();
        }
      }
      Path db = settings.database();
      if (!Files.isRegularFile(db)) {
        err.println("error: the database " + db + " named in " + config + " does not exist; run `supportbot run"
            + " --config " + config + "` first, or fix database: in the settings");
        return Optional.empty();
      }
      return Optional.of(new SqliteDeskStores(SqliteDatabase.open(db, SqliteDatabase.Durability.NORMAL),
          Clock.systemUTC()));
    }
  }

  static Outbox outbox(DeskStores stores) {
    return new Outbox(stores.outbox(), Clock.systemUTC(), Backoff.DEFAULT);
  }

  /** {@code supportbot outbox list}: one line per set-aside message. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists the set-aside messages: id, lane, kind, attempts, when and why (never their text).")
  static final class ListCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin ConfigOption options = new ConfigOption();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Optional<DeskStores> db = options.open(spec.commandLine().getErr());
      if (db.isEmpty()) {
        return 1;
      }
      try (DeskStores d = db.get()) {
        List<OutboxStore.SetAside> all = outbox(d).setAside();
        if (all.isEmpty()) {
          out.println("No message is set aside.");
          return 0;
        }
        out.println("id\tlane\tkind\tattempts\tset aside at\treason");
        for (OutboxStore.SetAside s : all) {
          out.println(s.id() + "\t" + s.lane() + "\t" + s.kind() + "\t" + s.attempts() + "\t" + s.setAsideAt() + "\t"
              + s.reason());
        }
        out.println(all.size() + " set aside; send them again with `supportbot outbox resend --config "
            + options.config + " --all` (or --id N, --lane L) once the cause is fixed");
        return 0;
      }
    }
  }

  /** {@code supportbot outbox resend}: puts set-aside messages back in the outbox. */
  @Command(name = "resend", mixinStandardHelpOptions = true,
      description = "Puts set-aside messages back in the outbox; a running desk sends them on its next tick.")
  static final class ResendCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin ConfigOption options = new ConfigOption();

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    /** Which messages: exactly one of the three. */
    static final class Which {
      @Option(names = "--id", paramLabel = "N", description = "One message, by the id `outbox list` shows.")
      Long id;

      @Option(names = "--lane", paramLabel = "LANE", description = "Every message of one lane, e.g. slack/T1/C1.")
      String lane;

      @Option(names = "--all", description = "Every set-aside message.")
      boolean all;
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<DeskStores> db = options.open(err);
      if (db.isEmpty()) {
        return 1;
      }
      try (DeskStores d = db.get()) {
        Outbox outbox = outbox(d);
        List<OutboxStore.SetAside> all = outbox.setAside();
        List<Long> ids = all.stream().filter(s -> which.all || (which.id != null && s.id() == which.id)
            || (which.lane != null && s.lane().equals(which.lane))).map(OutboxStore.SetAside::id).toList();
        if (ids.isEmpty()) {
          err.println("error: no set-aside message " + (which.id != null ? "has id " + which.id
              : which.lane != null ? "is in lane " + which.lane : "to resend") + "; `supportbot outbox list --config "
              + options.config + "` shows them");
          return Main.EXIT_USAGE;
        }
        int moved = outbox.resend(ids);
        out.println(moved + " message(s) put back in the outbox; a running desk sends them on its next tick");
        return 0;
      }
    }
  }
}
