package org.supportbot.app.policy;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.supportbot.config.load.ConfigException;
import org.supportbot.config.load.ConfigProblem;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.config.load.PolicyLoader;
import org.supportbot.config.policy.SupportPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code supportbot policy ...}: check and list support policies. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "Check and list support policies.",
    subcommands = {PolicyCommand.Check.class, PolicyCommand.ListPolicies.class})
public final class PolicyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Validates policy files and reports every problem at once. */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = {"Validate policy YAML files. Prints \"OK <id>\" per valid file, or every problem",
          "(file:line: path: what is wrong and how to fix it); exits 1 if any file is invalid."})
  public static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Policy files, e.g. config/policies/*.yaml")
    List<Path> files;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      PolicyLoader loader = new PolicyLoader();
      int bad = 0;
      for (Path f : files) {
        try {
          SupportPolicy p = loader.load(f);
          out.println("OK " + p.id());
        } catch (ConfigException e) {
          bad++;
          for (ConfigProblem problem : e.problems()) {
            err.println(problem);
          }
        }
      }
      out.flush();
      if (bad > 0) {
        err.println(bad + " of " + files.size() + " file" + (files.size() == 1 ? "" : "s") + " invalid");
      }
      return bad == 0 ? 0 : 1;
    }
  }

  /** Lists the policies shipped with the application. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the shipped policies with their levels and targets.")
  public static final class ListPolicies implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws ConfigException {
      PrintWriter out = spec.commandLine().getOut();
      for (SupportPolicy p : PolicyCatalog.bundled().all()) {
        out.println(p.id() + "  (" + p.vendor() + ", " + p.calendar().zone() + ")");
        p.severities().forEach(s -> out.println("  " + s.id() + "  " + s.name() + "  " + s.targets()));
      }
      return 0;
    }
  }
}
