package org.supportbot.app.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.users.UsersInfoResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.directory.Identity;

/**
 * Which workspace a Slack user belongs to, for payloads that do not say: some message events in a
 * Slack Connect channel ({@code thread_broadcast}, {@code file_share}) carry neither {@code user_team}
 * nor {@code team}, and the "File as incident" shortcut's {@code user} has no {@code team_id}.
 * Assuming the installing workspace there would make a customer's contact a stranger, so the
 * translation marks the person's workspace {@link #UNKNOWN} and this class asks Slack
 * ({@code users.info}, whose {@code user.team_id} is the person's own team, also for a Slack Connect
 * guest) when the inbound is processed, after the HTTP acknowledgement.
 *
 * <p>Answers are cached (Caffeine, on the adapter's clock) for {@link #KEEP}; a failed or slow
 * lookup (past {@code timeout}) is not cached: that inbound is taken as the home workspace's and a
 * warning names the user id and the reason, and the next inbound from the person asks again.
 */
final class SlackUserTeams {
  private static final Logger LOG = LoggerFactory.getLogger(SlackUserTeams.class);

  /** The workspace of an identity whose team the payload did not give; never a real team id. */
  static final String UNKNOWN = "team-unknown";

  /** How long an answer is kept: people rarely change workspaces, but a guest may become a member. */
  static final Duration KEEP = Duration.ofHours(6);

  private final MethodsClient api;
  private final String homeTeam;
  private final Duration timeout;
  private final Cache<String, String> teams;

  /**
   * @param api the Web API with the bot token (scope {@code users:read})
   * @param homeTeam the installing workspace, the answer when Slack cannot be asked
   * @param timeout how long the desk waits for {@code users.info}
   */
  SlackUserTeams(MethodsClient api, String homeTeam, Duration timeout, Clock clock) {
    this.api = Objects.requireNonNull(api, "api");
    this.homeTeam = Objects.requireNonNull(homeTeam, "homeTeam");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(clock, "clock");
    Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    this.teams = Caffeine.newBuilder().maximumSize(50_000).expireAfterWrite(KEEP).ticker(ticker).build();
  }

  /** {@code in} with its person's workspace filled in when the payload left it {@link #UNKNOWN}. */
  Inbound resolve(Inbound in) {
    Identity person = in.person();
    Inbound.Input input = in.input();
    if (input instanceof Inbound.FileMessage m && m.author().workspace().equals(UNKNOWN)) {
      input = new Inbound.FileMessage(new Identity(m.author().platform(), teamOf(m.author().userId()),
          m.author().userId()), m.text());
    }
    if (!person.workspace().equals(UNKNOWN)) {
      return input == in.input() ? in : new Inbound(in.key(), person, in.place(), in.direct(), in.at(), in.message(), input);
    }
    return new Inbound(in.key(), new Identity(person.platform(), teamOf(person.userId()), person.userId()), in.place(),
        in.direct(), in.at(), in.message(), input);
  }

  /** The team of {@code userId}: cached, else asked of Slack, else the home workspace. */
  String teamOf(String userId) {
    String known = teams.getIfPresent(userId);
    if (known != null) {
      return known;
    }
    String why;
    try {
      UsersInfoResponse r = CompletableFuture.supplyAsync(() -> ask(userId), Thread::startVirtualThread)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (r.isOk() && r.getUser() != null && r.getUser().getTeamId() != null && !r.getUser().getTeamId().isBlank()) {
        teams.put(userId, r.getUser().getTeamId());
        return r.getUser().getTeamId();
      }
      why = r.isOk() ? "the answer has no team_id" : "Slack answered " + r.getError();
    } catch (TimeoutException e) {
      why = "no answer within " + timeout.toMillis() + " ms";
    } catch (ExecutionException e) {
      why = e.getCause().getClass().getSimpleName();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      why = "interrupted";
    }
    LOG.warn("slack: could not learn the workspace of user {} from users.info ({}); taken as the installing"
        + " workspace {}, so a Slack Connect contact may be refused this time", userId, why, homeTeam);
    return homeTeam;
  }

  private UsersInfoResponse ask(String userId) {
    try {
      return api.usersInfo(r -> r.user(userId));
    } catch (Exception e) {
      throw new java.util.concurrent.CompletionException(e);
    }
  }
}
