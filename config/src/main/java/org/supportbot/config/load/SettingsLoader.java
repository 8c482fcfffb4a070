package org.supportbot.config.load;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.supportbot.config.settings.BotSettings;
import org.supportbot.config.settings.PostgresLocation;

/**
 * Reads the bot settings file and validates it, collecting every problem (file, line, path, fix)
 * before failing. Relative paths in the file are resolved against the file's folder. Policy ids
 * are checked by the caller against the loaded policies ({@link #checkPolicies}).
 */
public final class SettingsLoader {
  private static final Pattern ADDRESS = Pattern.compile("(slack|discord|console)/([^/\\s]+)/([^/\\s]+)");
  private static final Pattern KEY = Pattern.compile("[A-Z][A-Z0-9]{1,9}");
  private static final Pattern HEALTH_LIMIT = Pattern.compile("(\\d{1,5})\\s*(s|secs?|seconds?|m|mins?|minutes?|h|hours?)",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern EVERY = Pattern.compile("every\\s+(?:(\\d{1,5})\\s*)?(seconds?|minutes?|hours?)",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern SPAN = Pattern.compile("(\\d{1,4})\\s*(minutes?|hours?|days?)", Pattern.CASE_INSENSITIVE);
  private static final Pattern IP = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Set<String> CONTRACTS = Set.of("subscription", "saas", "service_contract");

  /** Loads a settings file. */
  public BotSettings load(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(List.of(new ConfigProblem(file.toString(), 0, "",
          "cannot be read (" + e.getClass().getSimpleName() + "); check the path given to --config")));
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(file.toString(), text, base == null ? Path.of("") : base);
  }

  /**
   * A problem found after loading (e.g. the database path cannot be written), placed at the line of
   * the top-level {@code key} in the settings file (no line when the key is absent: its default was used).
   */
  public static ConfigProblem problemAt(Path file, String key, String message) {
    int line = 0;
    try {
      YamlValue doc = YamlValue.document(file.toString(), Files.readString(file, StandardCharsets.UTF_8),
          new Problems(file.toString()), "");
      YamlValue v = doc.get(key);
      line = v.isMissing() ? 0 : v.line();
    } catch (IOException | ConfigException e) {
      // the file was loaded a moment ago; without its line the problem is still reported
    }
    return new ConfigProblem(file.toString(), line, key, message);
  }

  /** Parses settings text; {@code base} resolves relative paths. */
  public BotSettings parse(String name, String text, Path base) throws ConfigException {
    Problems problems = new Problems(name);
    YamlValue doc = YamlValue.document(name, text, problems,
        "a settings file must be a YAML mapping; see config/supportbot.example.yaml");
    doc.onlyKeys("database", "knowledge_base", "policies", "warnings", "intake_expiry", "digest", "triage", "managers",

        "organizations", "engineers", "slack", "discord", "ops", "web");
    String databaseText = doc.get("database").text("data/supportbot.db");
    Optional<PostgresLocation> postgres = Optional.empty();
    if (PostgresLocation.isUrl(databaseText)) {
      try {
        postgres = Optional.of(PostgresLocation.parse(databaseText));
      } catch (IllegalArgumentException e) {
        doc.get("database").problem("the PostgreSQL URL " + e.getMessage());
      }
      databaseText = "data/supportbot.db";
    }
    Path database = base.resolve(databaseText);
    YamlValue kbValue = doc.get("knowledge_base");
    Optional<Path> kb;
    Optional<BotSettings.KnowledgeSync> kbSync = Optional.empty();
    if (kbValue.isMap()) {
      kbValue.onlyKeys("index", "articles", "forums", "sync", "max_sync_age", "full_sync",
          "full_sync_checks_per_round", "max_full_sync_age");
      kb = kbValue.get("index").text(true, "name the folder made by supportbot kb index, e.g. index: ../data/kb").map(base::resolve);
      kbSync = knowledgeSync(kbValue, base);
    } else {
      kb = kbValue.text(false, "").map(base::resolve);
    }
    Optional<Path> policies = doc.get("policies").text(false, "").map(base::resolve);
    List<Integer> warnings = new ArrayList<>();
    YamlValue w = doc.get("warnings");
    if (w.isMissing()) {
      warnings.addAll(List.of(50, 75, 90));
    }
    for (YamlValue item : w.items()) {
      item.integer(true, 1, "write a share of the target, e.g. 75").ifPresent(p -> {
        if (p >= 100) {
          item.problem(p + " is not below 100; pre-breach warnings come before the breach, e.g. 50, 75, 90");
        } else {
          warnings.add(p);
        }
      });
    }
    Duration expiry = doc.get("intake_expiry").parse(false, "", SettingsLoader::span)
        .orElse(Duration.ofHours(24));
    YamlValue digest = doc.get("digest");
    digest.onlyKeys("at", "zone");
    LocalTime digestAt = digest.get("at").parse(false, "write a time like \"08:00\"", LocalTime::parse)
        .orElse(LocalTime.of(8, 0));
    ZoneId zone = digest.get("zone").parse(false, "write a zone id like America/New_York", SettingsLoader::zone)
        .orElse(ZoneId.of("UTC"));
    String triage = address(doc.get("triage"), true,
        "name the vendor's internal channel as platform/workspace/id, e.g. slack/T0123/C0456");
    List<String> managers = new ArrayList<>();
    for (YamlValue m : doc.get("managers").items()) {
      managers.add(address(m, true));
    }
    List<BotSettings.Organization> orgs = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Set<String> keys = new HashSet<>();
    Set<String> channels = new HashSet<>();
    for (YamlValue o : doc.require("organizations", "list at least one organization").items()) {
      organization(o, ids, keys, channels).ifPresent(orgs::add);
    }
    List<BotSettings.Engineer> engineers = new ArrayList<>();
    for (YamlValue e : doc.get("engineers").items()) {
      e.onlyKeys("id", "name", "role");
      String id = address(e.get("id"), true, "write the person as platform/workspace/user, e.g. slack/T0123/U0456");
      String role = e.get("role").text("engineer").toLowerCase(Locale.ROOT);
      if (!role.equals("engineer") && !role.equals("manager")) {
        e.get("role").problem("\"" + role + "\" is not a role; write engineer or manager");
      }
      engineers.add(new BotSettings.Engineer(id, e.get("name").text(""), role.equals("manager")));
    }
    Optional<BotSettings.Slack> slack = Optional.empty();
    YamlValue s = doc.get("slack");
    if (!s.isMissing()) {
      s.onlyKeys("mode", "port", "path", "api_url", "file_on_reaction");
      String mode = s.get("mode").text("http").toLowerCase(Locale.ROOT);
      if (!mode.equals("http") && !mode.equals("socket")) {
        s.get("mode").problem("\"" + mode + "\" is not a mode; write http (needs a public URL) or socket (Socket Mode)");
      }
      int port = port(s.get("port"), 3000);
      String path = s.get("path").text("/slack/events");
      if (!path.startsWith("/")) {
        s.get("path").problem("\"" + path + "\" is not a path; write the Request URL's path, e.g. /slack/events");
      }
      Optional<URI> api = url(s.get("api_url"), Set.of("http", "https"), "https://slack.com/api/");
      slack = Optional.of(new BotSettings.Slack(mode.equals("socket"), port, path, api, reaction(s.get("file_on_reaction"),
          SLACK_EMOJI, "an emoji's name as Slack writes it, without colons, e.g. ticket")));
    }
    Optional<BotSettings.Discord> discord = Optional.empty();
    YamlValue d = doc.get("discord");
    if (!d.isMissing()) {
      d.onlyKeys("message_content", "rest_url", "gateway_url", "file_on_reaction", "shards");
      discord = Optional.of(new BotSettings.Discord(d.get("message_content").bool(false),
          url(d.get("rest_url"), Set.of("http", "https"), "https://discord.com/api/v10/"),
          url(d.get("gateway_url"), Set.of("ws", "wss"), "wss://gateway.discord.gg/"),
          reaction(d.get("file_on_reaction"), DISCORD_EMOJI, "a Unicode emoji (e.g. \uD83C\uDFAB) or a custom emoji's"
              + " name (e.g. ticket)"),
          shards(d.get("shards"))));
    }
    Optional<BotSettings.Ops> ops = Optional.empty();
    YamlValue op = doc.get("ops");
    if (!op.isMissing()) {
      op.onlyKeys("address", "port", "health");
      String address = op.get("address").text("127.0.0.1").strip();
      if (!isIpAddress(address)) {
        op.get("address").problem("\"" + address + "\" is not an IP address; write 127.0.0.1 (this host only) or"
            + " 0.0.0.0 (every interface)");
      }
      YamlValue health = op.get("health");
      health.onlyKeys("max_outbox_age", "max_failing");
      Duration maxOutboxAge = health.get("max_outbox_age").parse(false, "", SettingsLoader::healthLimit)
          .orElse(BotSettings.Ops.MAX_OUTBOX_AGE);
      Duration maxFailing = health.get("max_failing").parse(false, "", SettingsLoader::healthLimit)
          .orElse(BotSettings.Ops.MAX_FAILING);
      ops = Optional.of(new BotSettings.Ops(address, port(op.get("port"), 9090), maxOutboxAge, maxFailing));
    }
    Optional<BotSettings.Web> web = web(doc.get("web"));
    if (!problems.isEmpty()) {
      throw new ConfigException(problems.all());
    }
    return new BotSettings(database, kb, policies, warnings, expiry, digestAt, zone, triage, managers, orgs, engineers,
        slack, discord, ops, postgres, web, kbSync);
  }

  /**
   * {@code discord.shards: {total: N, this_instance: [ids]}}: empty when absent (one shard, this instance).
   * Each problem names what is wrong and how to fix it; nothing is returned when any is found.
   */
  private static Optional<BotSettings.Shards> shards(YamlValue v) {
    if (v.isMissing()) {
      return Optional.empty();
    }
    String example = "e.g. shards: {total: 2, this_instance: [0]} here and {total: 2, this_instance: [1]} on the"
        + " other instance";
    if (!v.isMap()) {
      v.problem("must be a mapping of total and this_instance; " + example);
      return Optional.empty();
    }
    v.onlyKeys("total", "this_instance");
    Optional<Integer> total = v.get("total").integer(true, 1,
        "write how many shards the bot's gateway is split into, the same number on every instance, " + example);
    YamlValue mine = v.get("this_instance");
    if (mine.isMissing()) {
      mine.problem("is required; list the shards this instance connects, " + example);
      return Optional.empty();
    }
    List<YamlValue> items = mine.items();
    if (items.isEmpty() && mine.isList()) {
      mine.problem("is empty; list at least one shard this instance connects (an instance with no shard"
          + " would serve no server), " + example);
    }
    List<Integer> ids = new ArrayList<>();
    boolean ok = !items.isEmpty();
    for (YamlValue item : items) {
      Optional<Integer> id = item.integer(true, 0, "write a shard number from 0 to total - 1");
      if (id.isEmpty()) {
        ok = false;
      } else if (total.isPresent() && id.get() >= total.get()) {
        item.problem("shard " + id.get() + " is not below total (" + total.get() + "); shards are numbered 0 to "
            + (total.get() - 1));
        ok = false;
      } else if (ids.contains(id.get())) {
        item.problem("shard " + id.get() + " is listed twice; list each shard once");
        ok = false;
      } else {
        ids.add(id.get());
      }
    }
    if (total.isEmpty() || !ok) {
      return Optional.empty();
    }
    return Optional.of(new BotSettings.Shards(total.get(), ids));
  }

  /** {@code knowledge_base:} as a mapping: the live sources and their schedule. */
  private static Optional<BotSettings.KnowledgeSync> knowledgeSync(YamlValue v, Path base) {
    Optional<Path> articles = v.get("articles").text(false, "").map(base::resolve);
    List<URI> forums = new ArrayList<>();
    for (YamlValue f : v.get("forums").items()) {
      f.text(true, "write the forum's address, e.g. https://forum.example.com").ifPresent(t -> {
        try {
          URI u = new URI(t.strip());
          if (u.getScheme() == null || !Set.of("http", "https").contains(u.getScheme()) || u.getHost() == null) {
            f.problem("\"" + t + "\" is not an http(s) address; write the forum's address, e.g."
                + " https://forum.example.com");
          } else if (u.getUserInfo() != null || u.getQuery() != null) {
            f.problem("\"" + t + "\" carries credentials or a query; the API key comes from DISCOURSE_API_KEY only");
          } else {
            forums.add(u);
          }
        } catch (URISyntaxException e) {
          f.problem("\"" + t + "\" is not a URL; write the forum's address, e.g. https://forum.example.com");
        }
      });
    }
    if (articles.isEmpty() && forums.isEmpty() && v.get("sync").isMissing() && v.get("full_sync").isMissing()
        && v.get("full_sync_checks_per_round").isMissing() && v.get("max_full_sync_age").isMissing()) {
      return Optional.empty();
    }
    Optional<Duration> sync = v.get("sync").parse(false, "", SettingsLoader::every);
    boolean syncValid = sync.isPresent() || v.get("sync").isMissing();
    Duration every = sync.orElse(BotSettings.KnowledgeSync.EVERY);
    Duration maxAge = v.get("max_sync_age").parse(false, "", SettingsLoader::healthLimit)
        .orElse(BotSettings.KnowledgeSync.defaultMaxAge(every));
    if (maxAge.compareTo(every) <= 0) {
      v.get("max_sync_age").problem("a limit of " + maxAge.toSeconds() + " s is not longer than the sync interval ("
          + every.toSeconds() + " s), so health would be degraded between two rounds; write e.g. \""
          + BotSettings.KnowledgeSync.defaultMaxAge(every).toMinutes() + " minutes\"");
    }
    Optional<Duration> full = v.get("full_sync").parse(false, "", t -> every(t, "every 24 hours"));
    boolean fullValid = syncValid && (full.isPresent() || v.get("full_sync").isMissing());
    Duration fullEvery = full.orElse(BotSettings.KnowledgeSync.defaultFullEvery(every));
    if (fullEvery.compareTo(every) < 0) {
      if (syncValid) { // a bad sync is reported on its own
        v.get("full_sync").problem("a full sync every " + fullEvery.toSeconds() + " s is shorter than the sync"
            + " interval (" + every.toSeconds() + " s), but a full sync can only run in a round; write an interval"
            + " at least as long as sync, e.g. \"every 24 hours\", or leave full_sync out for that default");
      }
      fullEvery = every;
      fullValid = false;
    }
    int fullChecks = v.get("full_sync_checks_per_round").integer(false, 1, "write how many indexed topics a full"
        + " sync checks one by one per round at least (more when that would not finish it before the next is due),"
        + " e.g. " + BotSettings.KnowledgeSync.FULL_CHECKS)
        .orElse(BotSettings.KnowledgeSync.FULL_CHECKS);
    Duration maxFullAge = v.get("max_full_sync_age").parse(false, "", SettingsLoader::healthLimit)
        .orElse(BotSettings.KnowledgeSync.defaultMaxFullAge(every, fullEvery));
    if (maxFullAge.compareTo(fullEvery) < 0) {
      if (fullValid) { // a bad sync or full_sync is reported on its own
        v.get("max_full_sync_age").problem("a limit of " + maxFullAge.toSeconds() + " s is shorter than the"
            + " full-sync interval (" + fullEvery.toSeconds() + " s), so health would be degraded before a full sync"
            + " is even due; write e.g. \"" + limitText(BotSettings.KnowledgeSync.defaultMaxFullAge(every, fullEvery))
            + "\" or leave max_full_sync_age out for that default (two full-sync intervals and a sync)");
      }
      maxFullAge = fullEvery;
    }
    return Optional.of(new BotSettings.KnowledgeSync(articles, forums, every, maxAge, fullEvery, fullChecks,
        maxFullAge));
  }

  /**
   * {@code knowledge_base.sync} and {@code knowledge_base.full_sync}: "every 15 minutes", "every hour",
   * "every 30 seconds" (at least 10 seconds).
   */
  static Duration every(String text) {
    return every(text, "every 15 minutes");
  }

  /** The same, suggesting {@code example} when the text is not a schedule. */
  private static Duration every(String text, String example) {
    Matcher m = EVERY.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("\"" + text + "\" is not a schedule; write e.g. \"" + example + "\" or"
          + " \"every hour\" (every N seconds, minutes or hours)");
    }
    long n = m.group(1) == null ? 1 : Long.parseLong(m.group(1));
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    Duration d = unit.startsWith("s") ? Duration.ofSeconds(n) : unit.startsWith("m") ? Duration.ofMinutes(n)
        : Duration.ofHours(n);
    if (d.compareTo(Duration.ofSeconds(10)) < 0) {
      throw new IllegalArgumentException("\"" + text + "\" would ask the forums more often than every 10 seconds;"
          + " write e.g. \"every 15 minutes\"");
    }
    return d;
  }

  private static Optional<BotSettings.Organization> organization(YamlValue o, Set<String> ids, Set<String> keys,
      Set<String> channels) {
    o.onlyKeys("id", "key", "name", "policy", "commercial_licences", "evaluation_licences", "purchased_contacts",
        "contracts", "configuration_handover", "free_tasks", "channels", "contacts", "escalation", "past_due");
    String id = o.require("id", "write a short id such as acme").text("");
    if (!id.isEmpty() && !ids.add(id)) {
      o.get("id").problem("organization \"" + id + "\" appears twice; give each organization its own id");
    }
    String key = o.require("key", "write the prefix of its case numbers, e.g. ACME").text("");
    if (!key.isEmpty() && !KEY.matcher(key).matches()) {
      o.get("key").problem("\"" + key + "\" must be 2-10 upper-case letters or digits starting with a letter, e.g. ACME");
    } else if (!key.isEmpty() && !keys.add(key)) {
      o.get("key").problem("case prefix \"" + key + "\" is used twice; case numbers must not collide");
    }
    String policy = o.require("policy", "name the support policy it is bound to, e.g. atheer").text("");
    int commercial = o.get("commercial_licences").integer(false, 0, "write a whole number").orElse(0);
    int evaluation = o.get("evaluation_licences").integer(false, 0, "write a whole number").orElse(0);
    int purchased = o.get("purchased_contacts").integer(false, 0, "write a whole number").orElse(0);
    Set<String> contracts = new LinkedHashSet<>();
    for (YamlValue c : o.get("contracts").items()) {
      String t = c.text("").toLowerCase(Locale.ROOT);
      if (!CONTRACTS.contains(t)) {
        c.problem("\"" + t + "\" is not a contract type; write one of subscription, saas, service_contract");
      } else {
        contracts.add(t);
      }
    }
    Optional<LocalDate> handover = o.get("configuration_handover").parse(false, "write a date like 2026-01-31",
        LocalDate::parse);
    int freeTasks = o.get("free_tasks").integer(false, 0, "write a whole number").orElse(0);
    List<String> chans = new ArrayList<>();
    for (YamlValue c : o.get("channels").items()) {
      String a = address(c, true);
      if (!a.isEmpty() && !channels.add(a)) {
        c.problem("channel " + a + " is bound twice; a channel belongs to one organization");
      }
      chans.add(a);
    }
    List<String> contacts = new ArrayList<>();
    for (YamlValue c : o.get("contacts").items()) {
      contacts.add(address(c, true));
    }
    Optional<BotSettings.Escalation> escalation = Optional.empty();
    YamlValue e = o.get("escalation");
    if (!e.isMissing()) {
      e.onlyKeys("channel", "on_call_role", "on_call_label", "account_manager");
      String channel = address(e.get("channel"), true,
          "write the escalation channel as platform/workspace/channel, e.g. slack/T0123/C0456");
      String role = e.require("on_call_role", "write the platform's role or user-group id to mention").text("");
      YamlValue am = e.get("account_manager");
      Optional<String> manager = am.isMissing() ? Optional.empty() : Optional.of(address(am, true));
      escalation = Optional.of(new BotSettings.Escalation(channel, role, e.get("on_call_label").text(role), manager));
    }
    return Optional.of(new BotSettings.Organization(id, key, o.get("name").text(id), policy, commercial, evaluation,
        purchased, contracts, handover, freeTasks, chans, contacts, escalation, o.get("past_due").bool(false)));
  }

  /** Checks that every organization's policy is one of {@code known}; returns the problems (empty when fine). */
  public static List<String> checkPolicies(BotSettings settings, Set<String> known) {
    List<String> out = new ArrayList<>();
    for (BotSettings.Organization o : settings.organizations()) {
      if (!known.contains(o.policy())) {
        out.add("organization " + o.id() + ": policy \"" + o.policy() + "\" is not loaded"
            + Suggestions.closest(o.policy(), known).map(s -> "; did you mean \"" + s + "\"?").orElse("")
            + " (loaded: " + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
    return out;
  }

  private static String address(YamlValue v, boolean required) {
    return address(v, required, "write it as platform/workspace/id, e.g. slack/T0123/C0456");
  }

  /** An address; a missing required one is reported once, with {@code hint}. */
  private static String address(YamlValue v, boolean required, String hint) {
    Optional<String> t = v.text(required, hint);
    if (t.isEmpty()) {
      return "";
    }
    if (!ADDRESS.matcher(t.get().strip()).matches()) {
      v.problem("\"" + t.get() + "\" is not an address; write platform/workspace/id with platform slack, discord or"
          + " console, e.g. slack/T0123/C0456");
      return "";
    }
    return t.get().strip();
  }

  /** An IPv4 address (each part up to 255) or an IPv6 literal; host names are not looked up here. */
  private static boolean isIpAddress(String text) {
    Matcher m = IP.matcher(text);
    if (m.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(m.group(i)) > 255) {
          return false;
        }
      }
      return true;
    }
    return text.contains(":") && text.matches("[0-9A-Fa-f:.]+");
  }

  /** A TCP port; 0 asks the system for a free one. */
  /** {@code web: {address, port, public_url, idle}}: the web board, when present. */
  private static Optional<BotSettings.Web> web(YamlValue w) {
    if (w.isMissing()) {
      return Optional.empty();
    }
    w.onlyKeys("address", "port", "public_url", "idle");
    String address = w.get("address").text("127.0.0.1").strip();
    if (!isIpAddress(address)) {
      w.get("address").problem("\"" + address + "\" is not an IP address; write 127.0.0.1 (this host only) or"
          + " 0.0.0.0 (every interface)");
    }
    int port = port(w.get("port"), 8080);
    Optional<URI> url = w.get("public_url").parse(false, "", SettingsLoader::publicUrl);
    Duration idle = w.get("idle").parse(false, "", SettingsLoader::span).orElse(BotSettings.Web.IDLE);
    return Optional.of(new BotSettings.Web(address, port, url, idle));
  }

  /** The web board's public address: an absolute http(s) URL without credentials, query or fragment. */
  static URI publicUrl(String text) {
    String t = text.strip();
    String fix = "; write the address people open, e.g. https://desk.example.com/ or http://127.0.0.1:8080/";
    URI uri;
    try {
      uri = new URI(t.endsWith("/") ? t : t + "/");
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("\"" + t + "\" is not a URL" + fix);
    }
    if (uri.getScheme() == null || !Set.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
        || uri.getHost() == null || uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
      throw new IllegalArgumentException("\"" + t + "\" is not an http or https URL without credentials or query" + fix);
    }
    return uri;
  }

  private static int port(YamlValue v, int fallback) {
    Optional<Integer> port = v.integer(false, 0, "write a TCP port, e.g. " + fallback);
    if (port.isPresent() && port.get() > 65535) {
      v.problem(port.get() + " is not a TCP port; write a number from 1 to 65535 (0 picks a free one)");
      return fallback;
    }
    return port.orElse(fallback);
  }

  /**
   * An absolute URL with one of {@code schemes}, for pointing a platform client at a local server or a
   * proxy; a missing trailing slash is added, since the clients append method names and routes to it.
   */
  /** An emoji's name as Slack writes it: lower case letters, digits, {@code _}, {@code -}, {@code +} and {@code '}. */
  private static final Pattern SLACK_EMOJI = Pattern.compile("[a-z0-9_+'-]{1,100}");
  /** A Discord custom emoji's name, or a Unicode emoji (no letters, digits or spaces). */
  private static final Pattern DISCORD_EMOJI = Pattern.compile("[A-Za-z0-9_]{2,32}|[^\\p{L}\\p{N}\\s:]{1,16}");

  /** {@code file_on_reaction}: the emoji whose reaction files a message, without colons; empty when not set. */
  private static Optional<String> reaction(YamlValue v, Pattern form, String example) {
    Optional<String> text = v.text(false, "");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String t = text.get().strip().replaceAll("^:|:$", "");
    if (!form.matcher(t).matches()) {
      v.problem("\"" + text.get() + "\" is not an emoji; write " + example);
      return Optional.empty();
    }
    return Optional.of(t);
  }

  private static Optional<URI> url(YamlValue v, Set<String> schemes, String example) {
    Optional<String> text = v.text(false, "");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String t = text.get().strip();
    String fix = "; write an absolute " + String.join(" or ", schemes.stream().sorted().toList()) + " URL such as "
        + example + " (only for tests and proxies: leave it out to reach the platform itself)";
    try {
      URI uri = new URI(t.endsWith("/") ? t : t + "/");
      if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))
          || uri.getHost() == null) {
        v.problem("\"" + t + "\" is not a usable URL" + fix);
        return Optional.empty();
      }
      if (uri.getUserInfo() != null || uri.getQuery() != null) {
        v.problem("\"" + t + "\" carries credentials or a query; tokens come from the environment only" + fix);
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      v.problem("\"" + t + "\" is not a URL" + fix);
      return Optional.empty();
    }
  }

  static Duration span(String text) {
    Matcher m = SPAN.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("\"" + text + "\" is not a duration; write e.g. \"30 minutes\", \"24 hours\" or"
          + " \"2 days\"");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    Duration d = unit.startsWith("minute") ? Duration.ofMinutes(n) : unit.startsWith("hour") ? Duration.ofHours(n)
        : Duration.ofDays(n);
    if (d.isZero()) {
      throw new IllegalArgumentException("a duration of zero would end every intake at once; write e.g. \"24 hours\"");
    }
    return d;
  }

  /** A limit of {@code ops.health}: "90 seconds", "5 minutes", "1 hour", or short: "90s", "5m", "1h". */
  /** {@code d} in the grammar of {@link #healthLimit}, in the largest unit that divides it. */
  static String limitText(Duration d) {
    long s = d.toSeconds();
    return s % 3600 == 0 ? s / 3600 + " hours" : s % 60 == 0 ? s / 60 + " minutes" : s + " seconds";
  }

  static Duration healthLimit(String text) {
    Matcher m = HEALTH_LIMIT.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("\"" + text + "\" is not a duration; write e.g. \"90 seconds\", \"5 minutes\""
          + " or \"1 hour\" (or 90s, 5m, 1h)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    Duration d = unit.startsWith("s") ? Duration.ofSeconds(n) : unit.startsWith("m") ? Duration.ofMinutes(n)
        : Duration.ofHours(n);
    if (d.isZero()) {
      throw new IllegalArgumentException("a limit of zero would report the desk degraded at all times; write e.g."
          + " \"5 minutes\"");
    }
    return d;
  }

  private static ZoneId zone(String text) {
    try {
      return ZoneId.of(text.strip());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("\"" + text + "\" is not a time zone; write a zone id like America/New_York");
    }
  }
}
