package org.supportbot.app.policy;

import java.nio.file.Path;
import java.util.List;
import org.supportbot.config.load.ConfigException;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.config.load.PolicyLoader;
import org.supportbot.config.load.Suggestions;
import org.supportbot.config.policy.SupportPolicy;

/** Finds a policy named on the command line: a shipped policy's id, or a YAML file. */
public final class PolicyResolver {
  private PolicyResolver() {}

  /** A policy that could not be found; the message names the valid choices. */
  public static final class UnknownPolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    UnknownPolicyException(String message) {
      super(message);
    }
  }

  public static SupportPolicy resolve(String idOrFile) throws UnknownPolicyException, ConfigException {
    if (PolicyCatalog.isFile(idOrFile)) {
      return new PolicyLoader().load(Path.of(idOrFile));
    }
    PolicyCatalog catalog = PolicyCatalog.bundled();
    if (looksLikeAFile(idOrFile)) {
      throw new UnknownPolicyException("the policy file \"" + idOrFile + "\" does not exist"
          + (java.nio.file.Files.exists(Path.of(idOrFile)) ? " as a file" : "") + "; give the path of a policy YAML file"
          + " or a shipped policy id: " + String.join(", ", catalog.ids()));
    }
    return catalog.get(idOrFile).orElseThrow(() -> {
      List<String> ids = catalog.ids();
      String hint = Suggestions.closest(idOrFile, ids).map(s -> " Did you mean \"" + s + "\"?").orElse("");
      return new UnknownPolicyException("unknown policy \"" + idOrFile + "\"." + hint + " Valid policies: "
          + String.join(", ", ids) + " (or the path of a policy YAML file)");
    });
  }

  /** A path rather than an id: it names a folder or ends like a YAML file. */
  private static boolean looksLikeAFile(String idOrFile) {
    String lower = idOrFile.toLowerCase(java.util.Locale.ROOT);
    return idOrFile.contains("/") || idOrFile.contains("\\") || lower.endsWith(".yaml") || lower.endsWith(".yml");
  }
}
