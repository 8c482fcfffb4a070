package org.supportbot.config.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A set of loaded policies by id: the ones shipped inside the application (the five seed
 * policies under {@code config/policies/}) or those of a folder.
 */
public final class PolicyCatalog {
  private static final String INDEX = "policies/INDEX";
  private final Map<String, org.supportbot.config.policy.SupportPolicy> byId;

  private PolicyCatalog(Map<String, org.supportbot.config.policy.SupportPolicy> byId) {
    this.byId = Collections.unmodifiableMap(new TreeMap<>(byId));
  }

  /** The policies shipped in the application. */
  public static PolicyCatalog bundled() throws ConfigException {
    PolicyLoader loader = new PolicyLoader();
    Map<String, org.supportbot.config.policy.SupportPolicy> out = new LinkedHashMap<>();
    List<ConfigProblem> problems = new ArrayList<>();
    for (String id : bundledIds()) {
      String name = "policies/" + id + ".yaml";
      try (InputStream in = PolicyCatalog.class.getClassLoader().getResourceAsStream(name)) {
        if (in == null) {
          problems.add(new ConfigProblem(name, 0, "", "is listed in " + INDEX + " but not packaged; rebuild the application"));
          continue;
        }
        org.supportbot.config.policy.SupportPolicy p = loader.parse("config/" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        out.put(p.id(), p);
      } catch (IOException e) {
        problems.add(new ConfigProblem(name, 0, "", "cannot be read from the application: " + e.getMessage()));
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new PolicyCatalog(out);
  }

  /** The policies of every YAML file in a folder. */
  public static PolicyCatalog of(Path dir) throws ConfigException {
    Map<String, org.supportbot.config.policy.SupportPolicy> out = new LinkedHashMap<>();
    for (org.supportbot.config.policy.SupportPolicy p : new PolicyLoader().loadAll(dir)) {
      out.put(p.id(), p);
    }
    return new PolicyCatalog(out);
  }

  /** Ids of the shipped policies, from the packaged index. */
  public static List<String> bundledIds() {
    try (InputStream in = PolicyCatalog.class.getClassLoader().getResourceAsStream(INDEX)) {
      if (in == null) {
        return List.of();
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
          .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  public Optional<org.supportbot.config.policy.SupportPolicy> get(String id) {
    org.supportbot.config.policy.SupportPolicy exact = byId.get(id);
    if (exact != null) {
      return Optional.of(exact);
    }
    return byId.values().stream().filter(p -> p.id().equalsIgnoreCase(id)).findFirst();
  }

  public List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  public List<org.supportbot.config.policy.SupportPolicy> all() {
    return List.copyOf(byId.values());
  }

  /** Whether a path names an existing file, for commands that take a policy id or a file. */
  public static boolean isFile(String idOrFile) {
    return Files.isRegularFile(Path.of(idOrFile));
  }
}
