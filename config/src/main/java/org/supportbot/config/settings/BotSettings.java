package org.supportbot.config.settings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The bot's settings. People and places are written {@code platform/workspace/id}, e.g.
 * {@code slack/T0123/U0456} for a Slack user or {@code discord/1234/5678} for a Discord channel.
 *
 * @param database the SQLite file (unused when {@code postgres} is set)
 * @param knowledgeBase the knowledge-base folder made by {@code supportbot kb index}, if any
 * @param policies a folder of policy files used instead of the bundled ones, if any
 * @param warningPercents pre-breach pings at these shares of each target
 * @param intakeExpiry how long an unfinished intake waits for an answer
 * @param digestAt when managers get the daily digest, in {@code digestZone}
 * @param triage the vendor's internal channel for new cases
 * @param managers who get breach pings and the digest
 * @param ops where the health and metrics endpoint listens, if anywhere
 * @param postgres the PostgreSQL server the desk lives on instead of the SQLite file, if {@code database:} names one
 * @param web where the web board listens, if anywhere
 * @param knowledgeSync the knowledge base's live sources and how often they are synced, if any
 */
public record BotSettings(Path database, Optional<Path> knowledgeBase, Optional<Path> policies,
    List<Integer> warningPercents, Duration intakeExpiry, LocalTime digestAt, ZoneId digestZone, String triage,
    List<String> managers, List<Organization> organizations, List<Engineer> engineers, Optional<Slack> slack,
    Optional<Discord> discord, Optional<Ops> ops, Optional<PostgresLocation> postgres, Optional<Web> web,
    Optional<KnowledgeSync> knowledgeSync) {

  /** Settings of a desk on its SQLite file, without a web board or live knowledge-base sources. */
  public BotSettings(Path database, Optional<Path> knowledgeBase, Optional<Path> policies,
      List<Integer> warningPercents, Duration intakeExpiry, LocalTime digestAt, ZoneId digestZone, String triage,
      List<String> managers, List<Organization> organizations, List<Engineer> engineers, Optional<Slack> slack,
      Optional<Discord> discord, Optional<Ops> ops) {
    this(database, knowledgeBase, policies, warningPercents, intakeExpiry, digestAt, digestZone, triage, managers,
        organizations, engineers, slack, discord, ops, Optional.empty(), Optional.empty(), Optional.empty());
  }

  public BotSettings {
    Objects.requireNonNull(postgres, "postgres");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(knowledgeBase, "knowledgeBase");
    Objects.requireNonNull(policies, "policies");
    warningPercents = List.copyOf(warningPercents);
    Objects.requireNonNull(intakeExpiry, "intakeExpiry");
    Objects.requireNonNull(digestAt, "digestAt");
    Objects.requireNonNull(digestZone, "digestZone");
    Objects.requireNonNull(triage, "triage");
    managers = List.copyOf(managers);
    organizations = List.copyOf(organizations);
    engineers = List.copyOf(engineers);
    Objects.requireNonNull(slack, "slack");
    Objects.requireNonNull(discord, "discord");
    Objects.requireNonNull(ops, "ops");
    Objects.requireNonNull(web, "web");
    Objects.requireNonNull(knowledgeSync, "knowledgeSync");
  }

  /**
   * The web board: sign-in links from {@code /board}, the board, case pages and reports.
   *
   * @param address the interface to listen on, an IP address ({@code 127.0.0.1} keeps it on this host)
   * @param port 0 picks a free port (printed at start)
   * @param publicUrl the address people open, e.g. {@code https://desk.example.com/}; sign-in links start with
   *     it, and an {@code https} URL makes the session cookie {@code Secure}; empty: the address and port
   *     the board listens on
   * @param idle a session ends after this long without a request
   */
  public record Web(String address, int port, Optional<URI> publicUrl, Duration idle) {
    /** How long a session lasts without a request, unless the settings say otherwise. */
    public static final Duration IDLE = Duration.ofMinutes(30);

    public Web {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(publicUrl, "publicUrl");
      if (!Objects.requireNonNull(idle, "idle").isPositive()) {
        throw new IllegalArgumentException("idle must be positive, got " + idle);
      }
    }
  }

  /**
   * The knowledge base's live sources, kept fresh while the bot runs ({@code knowledge_base:} as a mapping).
   *
   * @param articles a folder of Markdown articles, re-indexed when a file in it changes
   * @param forums Discourse sites synced incrementally
   * @param every how often the sources are checked ({@code sync: every 15 minutes})
   * @param maxAge {@code /health} is degraded once the oldest source's last successful sync is older than this
   * @param fullEvery how often each forum is reconciled in full, so that topics the site deleted, unlisted or
   *     made private leave the index ({@code full_sync: every 24 hours}); not shorter than {@code every}
   * @param fullChecks indexed topics a full sync checks one by one per round at least, more when that would not
   *     finish it before the next full sync is due ({@code full_sync_checks_per_round: 50})
   * @param maxFullAge {@code /health} is degraded once a forum's last complete full sync started longer ago than
   *     this ({@code max_full_sync_age}); not shorter than {@code fullEvery}
   */
  public record KnowledgeSync(Optional<Path> articles, List<URI> forums, Duration every, Duration maxAge,
      Duration fullEvery, int fullChecks, Duration maxFullAge) {
    /** How often the sources are synced when the settings do not say. */
    public static final Duration EVERY = Duration.ofMinutes(15);
    /** How often each forum is synced in full when the settings do not say (unless {@code every} is longer). */
    public static final Duration FULL_EVERY = Duration.ofHours(24);
    /**
     * Topics a full sync checks one by one per round when the settings do not say: below the request rates
     * Discourse allows by default (60 a minute for an API key, 50 in 10 seconds per address).
     */
    public static final int FULL_CHECKS = 50;

    /** Live sources with the default full-sync interval. */
    public KnowledgeSync(Optional<Path> articles, List<URI> forums, Duration every, Duration maxAge) {
      this(articles, forums, every, maxAge, defaultFullEvery(every));
    }

    /** Live sources with the default checks per round and full-sync age limit. */
    public KnowledgeSync(Optional<Path> articles, List<URI> forums, Duration every, Duration maxAge,
        Duration fullEvery) {
      this(articles, forums, every, maxAge, fullEvery, FULL_CHECKS, defaultMaxFullAge(every, fullEvery));
    }

    public KnowledgeSync {
      Objects.requireNonNull(articles, "articles");
      forums = List.copyOf(forums);
      if (!Objects.requireNonNull(every, "every").isPositive() || !Objects.requireNonNull(maxAge, "maxAge")
          .isPositive()) {
        throw new IllegalArgumentException("the sync interval and the age limit must be positive");
      }
      if (Objects.requireNonNull(fullEvery, "fullEvery").compareTo(every) < 0) {
        throw new IllegalArgumentException("the full-sync interval (" + fullEvery.toSeconds()
            + " s) must not be shorter than the sync interval (" + every.toSeconds() + " s)");
      }
      if (fullChecks < 1) {
        throw new IllegalArgumentException("the full-sync checks per round must be at least 1, got " + fullChecks);
      }
      if (Objects.requireNonNull(maxFullAge, "maxFullAge").compareTo(fullEvery) < 0) {
        throw new IllegalArgumentException("the full-sync age limit (" + maxFullAge.toSeconds()
            + " s) must not be shorter than the full-sync interval (" + fullEvery.toSeconds() + " s)");
      }
    }

    /** The default full-sync interval: {@link #FULL_EVERY}, or {@code every} if that is longer. */
    public static Duration defaultFullEvery(Duration every) {
      return every.compareTo(FULL_EVERY) > 0 ? every : FULL_EVERY;
    }

    /** The default full-sync age limit: two full-sync intervals and a round. */
    public static Duration defaultMaxFullAge(Duration every, Duration fullEvery) {
      return fullEvery.multipliedBy(2).plus(every);
    }

    /** The default age limit: three missed rounds. */
    public static Duration defaultMaxAge(Duration every) {
      return every.multipliedBy(3);
    }
  }

  /**
   * A customer organization bound to a support policy.
   *
   * @param key prefix of its case numbers, e.g. ACME
   * @param channels the chat channels bound to it
   * @param contacts its named contacts
   * @param pastDue whether its account is past due on payment (the policy's {@code requires_current_payment}
   *     says what follows)
   */
  public record Organization(String id, String key, String name, String policy, int commercialLicences,
      int evaluationLicences, int purchasedContacts, Set<String> contracts, Optional<LocalDate> configurationHandover,
      int freeTasks, List<String> channels, List<String> contacts, Optional<Escalation> escalation, boolean pastDue) {
    public Organization {
      contracts = Set.copyOf(contracts);
      channels = List.copyOf(channels);
      contacts = List.copyOf(contacts);
    }
  }

  /** Where the organization's escalations go. */
  public record Escalation(String channel, String onCallRole, String onCallLabel, Optional<String> accountManager) {}

  /** A person of the vendor. */
  public record Engineer(String identity, String name, boolean manager) {}

  /**
   * Slack: HTTP mode on {@code port} and {@code path} (request signatures checked), or Socket Mode.
   *
   * @param port 0 picks a free port (printed at start)
   * @param apiUrl where Slack's Web API is, ending in {@code /}; only for tests and proxies, empty for Slack itself
   * @param fileOnReaction the emoji (its name, without colons) whose reaction by an engineer on a
   *     customer's message files it on the customer's behalf; empty: reactions file nothing
   */
  public record Slack(boolean socketMode, int port, String path, Optional<URI> apiUrl, Optional<String> fileOnReaction) {
    public Slack(boolean socketMode, int port, String path, Optional<URI> apiUrl) {
      this(socketMode, port, path, apiUrl, Optional.empty());
    }

    public Slack {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(apiUrl, "apiUrl");
      Objects.requireNonNull(fileOnReaction, "fileOnReaction");
    }
  }

  /**
   * Discord: {@code messageContent} turns on the privileged intent to read replies typed in case threads.
   *
   * @param restUrl where the REST API is, ending in {@code /}; only for tests and proxies, empty for Discord itself
   * @param gatewayUrl where the gateway is; only for tests and proxies, empty for Discord itself
   * @param fileOnReaction the emoji (a Unicode emoji, or a custom emoji's name) whose reaction by an
   *     engineer on a customer's message files it on the customer's behalf; empty: reactions file nothing
   */
  public record Discord(boolean messageContent, Optional<URI> restUrl, Optional<URI> gatewayUrl,
      Optional<String> fileOnReaction, Optional<Shards> shards) {
    public Discord(boolean messageContent, Optional<URI> restUrl, Optional<URI> gatewayUrl) {
      this(messageContent, restUrl, gatewayUrl, Optional.empty());
    }

    public Discord(boolean messageContent, Optional<URI> restUrl, Optional<URI> gatewayUrl,
        Optional<String> fileOnReaction) {
      this(messageContent, restUrl, gatewayUrl, fileOnReaction, Optional.empty());
    }

    public Discord {
      Objects.requireNonNull(restUrl, "restUrl");
      Objects.requireNonNull(gatewayUrl, "gatewayUrl");
      Objects.requireNonNull(fileOnReaction, "fileOnReaction");
      Objects.requireNonNull(shards, "shards");
    }
  }

  /**
   * {@code discord.shards}: the bot's gateway split into {@code total} shards, of which this instance
   * connects {@code thisInstance}. A server (guild) belongs to shard {@code (guild_id >> 22) % total}, as
   * Discord assigns them; every shard must be held by exactly one instance for every server to be served.
   *
   * @param total how many shards the bot's gateway is split into, at least 1
   * @param thisInstance the shards this instance connects, sorted, each in {@code [0, total)}, not empty
   */
  public record Shards(int total, List<Integer> thisInstance) {
    public Shards {
      if (total < 1) {
        throw new IllegalArgumentException("total must be at least 1, got " + total);
      }
      thisInstance = List.copyOf(thisInstance);
      if (thisInstance.isEmpty()) {
        throw new IllegalArgumentException("this_instance must name at least one shard");
      }
      if (thisInstance.stream().distinct().count() != thisInstance.size()) {
        throw new IllegalArgumentException("this_instance names a shard twice: " + thisInstance);
      }
      for (int id : thisInstance) {
        if (id < 0 || id >= total) {
          throw new IllegalArgumentException("shard " + id + " is not in [0, " + total + ")");
        }
      }
      thisInstance = thisInstance.stream().sorted().toList();
    }

    /** The shard a server belongs to, as Discord assigns it: {@code (guild_id >> 22) % total}. */
    public int shardOf(long guildId) {
      return (int) ((guildId >>> 22) % total);
    }

    /** Whether this instance connects the shard of the server {@code guildId}. */
    public boolean holds(long guildId) {
      return thisInstance.contains(shardOf(guildId));
    }
  }

  /**
   * The operators' endpoint: {@code GET /health} and {@code GET /metrics}.
   *
   * @param address the interface to listen on, an IP address ({@code 127.0.0.1} keeps it on this host)
   * @param port 0 picks a free port (printed at start)
   * @param maxOutboxAge {@code /health} is degraded while the oldest undelivered message is older than this
   * @param maxFailing {@code /health} is degraded once a platform has refused every call for this long
   */
  public record Ops(String address, int port, Duration maxOutboxAge, Duration maxFailing) {
    /** How old the oldest undelivered message may be before {@code /health} reports it. */
    public static final Duration MAX_OUTBOX_AGE = Duration.ofMinutes(5);
    /** How long a platform may refuse every call before {@code /health} reports it. */
    public static final Duration MAX_FAILING = Duration.ofMinutes(2);

    public Ops {
      Objects.requireNonNull(address, "address");
      positive(maxOutboxAge, "maxOutboxAge");
      positive(maxFailing, "maxFailing");
    }

    /** The endpoint with the default health limits. */
    public Ops(String address, int port) {
      this(address, port, MAX_OUTBOX_AGE, MAX_FAILING);
    }

    private static void positive(Duration d, String name) {
      if (!Objects.requireNonNull(d, name).isPositive()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
    }
  }
}
