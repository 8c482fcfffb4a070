package org.supportbot.app.slack;

import com.slack.api.Slack;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.auth.AuthTestResponse;
import com.slack.api.socket_mode.SocketModeClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.supportbot.app.platform.DeskLink;
import org.supportbot.app.platform.LaneWorkers;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.chat.SupportDesk;
import org.supportbot.core.directory.DirectoryStore;
import org.supportbot.core.inbox.InboxStore;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.sqlite.SqliteInboxStore;

/**
 * Starts the Slack side of {@code supportbot run}: checks the bot token and its scopes with
 * {@code auth.test}, then wires the gateway, the Bolt app and either the signed HTTP endpoint or
 * a Socket Mode connection around an existing desk. Problems come back as one-line {@link SlackSetupException}s.
 */
public final class SlackRunner {

  /** Scopes the desk cannot work without (see config/slack-app-manifest.yaml). */
  public static final List<String> REQUIRED_SCOPES = List.of("commands", "chat:write", "channels:history");

  private static final Logger LOG = LoggerFactory.getLogger(SlackRunner.class);

  private SlackRunner() {}

  /** The running adapter and its endpoint; closing stops taking requests, then finishes queued work. */
  public record Running(SlackAdapter adapter, SlackHttpEndpoint endpoint) implements AutoCloseable {
    /** HTTP mode has no connection of its own: it is up while the endpoint serves. */
    public boolean connected() {
      return endpoint.serving();
    }

    @Override
    public void close() {
      endpoint.close();
      adapter.close();
    }
  }

  /**
   * What the Slack side needs before the desk: the token checked ({@code auth.test}) and Bolt's app built.
   * Neither needs the database, so {@code run} makes them beside the database open and the desk.
   */
  public record Prepared(Slack slack, String team, com.slack.api.bolt.App app) {
    public Prepared {
      Objects.requireNonNull(slack, "slack");
      Objects.requireNonNull(team, "team");
      Objects.requireNonNull(app, "app");
    }
  }

  /**
   * Checks the token and its scopes and builds Bolt's app.
   *
   * @throws SlackSetupException when the token is rejected or a required scope is missing
   */
  public static Prepared prepare(SlackSettings settings, Slack slack) {
    String team = checkInstall(slack.methods(settings.botToken()));
    return new Prepared(slack, team, SlackAdapter.boltApp(settings, slack));
  }

  /**
   * Checks the token with {@code auth.test} and returns the installing workspace's team id.
   *
   * @throws SlackSetupException when the token is rejected or a required scope is missing
   */
  public static String checkInstall(MethodsClient api) {
    AuthTestResponse r;
    try {
      r = api.authTest(b -> b);
    } catch (IOException | SlackApiException e) {
      throw new SlackSetupException("unreachable", List.of(), "cannot reach Slack's Web API to check "
          + SlackSettings.BOT_TOKEN + " (" + e.getClass().getSimpleName() + "); check the network or proxy settings");
    }
    if (!r.isOk()) {
      throw new SlackSetupException(r.getError(), List.of(), "Slack rejected " + SlackSettings.BOT_TOKEN + " ("
          + r.getError() + "); copy the Bot User OAuth Token (xoxb-...) from your app's OAuth & Permissions page,"
          + " reinstalling the app if it was revoked");
    }
    Map<String, List<String>> headers = r.getHttpResponseHeaders() == null ? Map.of() : r.getHttpResponseHeaders();
    Optional<List<String>> granted = headers.entrySet().stream().filter(e -> e.getKey() != null
            && e.getKey().equalsIgnoreCase("x-oauth-scopes")).findFirst()
        .map(e -> e.getValue().stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::strip).toList());
    if (granted.isPresent()) {
      List<String> missing = REQUIRED_SCOPES.stream().filter(s -> !granted.get().contains(s)).toList();
      if (!missing.isEmpty()) {
        throw new SlackSetupException("missing_scope", missing, "the Slack app lacks the scope" + (missing.size() == 1
            ? " " : "s ") + String.join(", ", missing) + "; add " + (missing.size() == 1 ? "it" : "them")
            + " under OAuth & Permissions (config/slack-app-manifest.yaml lists them all) and reinstall the app");
      }
    }
    return r.getTeamId();
  }

  /**
   * Starts Slack's HTTP mode for {@code desk}.
   *
   * @param bind where the Request URL is served; Slack must reach it over HTTPS through a proxy
   * @param path the Request URL's path, e.g. {@code /slack/events}
   */
  public static Running startHttp(SlackSettings settings, Slack slack, InetSocketAddress bind, String path,
      SupportDesk desk, DirectoryStore directory, Function<String, Optional<SupportPolicy>> policies, SqliteDatabase db,
      Clock clock) throws IOException {
    return startHttp(settings, slack, bind, path, desk, directory, policies, db, clock, DeskLink.standalone());
  }

  /** {@link #startHttp(SlackSettings, Slack, InetSocketAddress, String, SupportDesk, DirectoryStore, Function,
   * SqliteDatabase, Clock)} linked into a process that may run other adapters on the same desk. */
  public static Running startHttp(SlackSettings settings, Slack slack, InetSocketAddress bind, String path,
      SupportDesk desk, DirectoryStore directory, Function<String, Optional<SupportPolicy>> policies, SqliteDatabase db,
      Clock clock, DeskLink link) throws IOException {
    return startHttp(settings, slack, bind, path, desk, directory, policies, new JdbcSlackMessageStore(db),
        new SqliteInboxStore(db, clock), clock, link);
  }

  /** {@link #startHttp(SlackSettings, Slack, InetSocketAddress, String, SupportDesk, DirectoryStore, Function,
   * SqliteDatabase, Clock, DeskLink)} on the message refs and inbox of any database (SQLite or PostgreSQL). */
  public static Running startHttp(SlackSettings settings, Slack slack, InetSocketAddress bind, String path,
      SupportDesk desk, DirectoryStore directory, Function<String, Optional<SupportPolicy>> policies,
      SlackMessageStore messages, InboxStore inbox, Clock clock, DeskLink link) throws IOException {
    return startHttp(settings, prepare(settings, slack), bind, path, desk, directory, policies, messages, inbox, clock,
        link);
  }

  /** HTTP mode on what {@link #prepare} made. */
  public static Running startHttp(SlackSettings settings, Prepared prepared, InetSocketAddress bind, String path,
      SupportDesk desk, DirectoryStore directory, Function<String, Optional<SupportPolicy>> policies,
      SlackMessageStore messages, InboxStore inbox, Clock clock, DeskLink link) throws IOException {
    SlackAdapter adapter = adapter(settings, prepared, desk, directory, policies, messages, inbox, clock, link);
    SlackHttpEndpoint endpoint = new SlackHttpEndpoint(adapter.app(), new SlackRequestVerifier(settings.signingSecret(),
        clock), bind, path, () -> health(adapter.gateway()));
    return new Running(adapter, endpoint.start());
  }

  /** The running adapter and its Socket Mode connection. */
  public record SocketRunning(SlackAdapter adapter, SocketModeApp socket) implements AutoCloseable {
    /** Whether the Socket Mode WebSocket is open. */
    public boolean connected() {
      return !socket.isClientStopped() && socket.getClient() != null && socket.getClient().verifyConnection();
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (Exception e) {
        LOG.warn("slack: closing the Socket Mode connection failed: {}", e.getClass().getSimpleName());
      }
      adapter.close();
    }
  }

  /**
   * Starts Socket Mode for {@code desk}: no public URL; Slack's events and interactions arrive
   * over a WebSocket opened with the app-level token ({@code SLACK_APP_TOKEN}, scope
   * {@code connections:write}). Requests on the socket are not signed, so no verifier runs.
   */
  public static SocketRunning startSocketMode(SlackSettings settings, Slack slack, SupportDesk desk,
      DirectoryStore directory, Function<String, Optional<SupportPolicy>> policies, SqliteDatabase db, Clock clock)
      throws Exception {
    return startSocketMode(settings, slack, desk, directory, policies, db, clock, DeskLink.standalone());
  }

  /** {@link #startSocketMode(SlackSettings, Slack, SupportDesk, DirectoryStore, Function, SqliteDatabase, Clock)}
   * linked into a process that may run other adapters on the same desk. */
  public static SocketRunning startSocketMode(SlackSettings settings, Slack slack, SupportDesk desk,
      DirectoryStore directory, Function<String, Optional<SupportPolicy>> policies, SqliteDatabase db, Clock clock,
      DeskLink link) throws Exception {
    return startSocketMode(settings, slack, desk, directory, policies, new JdbcSlackMessageStore(db),
        new SqliteInboxStore(db, clock), clock, link);
  }

  /** {@link #startSocketMode(SlackSettings, Slack, SupportDesk, DirectoryStore, Function, SqliteDatabase, Clock,
   * DeskLink)} on the message refs and inbox of any database (SQLite or PostgreSQL). */
  public static SocketRunning startSocketMode(SlackSettings settings, Slack slack, SupportDesk desk,
      DirectoryStore directory, Function<String, Optional<SupportPolicy>> policies, SlackMessageStore messages,
      InboxStore inbox, Clock clock, DeskLink link) throws Exception {
    return startSocketMode(settings, prepare(settings, slack), desk, directory, policies, messages, inbox, clock, link);
  }

  /** Socket Mode on what {@link #prepare} made. */
  public static SocketRunning startSocketMode(SlackSettings settings, Prepared prepared, SupportDesk desk,
      DirectoryStore directory, Function<String, Optional<SupportPolicy>> policies, SlackMessageStore messages,
      InboxStore inbox, Clock clock, DeskLink link) throws Exception {
    String appToken = settings.appToken().orElseThrow(() -> new SlackSetupException("missing_app_token", List.of(),
        SlackSettings.APP_TOKEN + " is not set; create an app-level token with the connections:write scope under"
            + " Basic Information > App-Level Tokens, or use HTTP mode"));
    SlackAdapter adapter = adapter(settings, prepared, desk, directory, policies, messages, inbox, clock, link);
    SocketModeApp socket = new SocketModeApp(appToken, SocketModeClient.Backend.JavaWebSocket, adapter.app());
    socket.startAsync();
    return new SocketRunning(adapter, socket);
  }

  private static SlackAdapter adapter(SlackSettings settings, Prepared prepared, SupportDesk desk,
      DirectoryStore directory, Function<String, Optional<SupportPolicy>> policies, SlackMessageStore messages,
      InboxStore inbox, Clock clock, DeskLink link) {
    Objects.requireNonNull(settings, "settings");
    Slack slack = prepared.slack();
    String team = prepared.team();
    MethodsClient api = slack.methods(settings.botToken());
    SlackChatGateway gateway = new SlackChatGateway(api, settings.botToken(), messages, new SlackRenderer(), clock,
        settings.updates(), SlackChatGateway.PostLimits.CHAT_POST_MESSAGE, LaneWorkers.pooled("slack", LaneWorkers.DEFAULT_MAX_CALLS));
    SlackAdapter adapter = new SlackAdapter(settings, prepared.app(), slack, team, desk, directory, policies, gateway,
        messages, inbox, clock, link);
    adapter.recover();
    return adapter;
  }

  /** The health body: Web API calls and failures, status updates held or coalesced, posts held, retried or delayed, and 429s. */
  static String health(SlackChatGateway gateway) {
    return "{\"status\":\"ok\",\"slack_api_calls\":" + gateway.calls() + ",\"slack_api_errors\":" + gateway.errors()
        + ",\"status_updates_held\":" + gateway.held() + ",\"status_updates_coalesced\":" + gateway.coalesced()
        + ",\"posts_held\":" + gateway.postsHeld() + ",\"posts_retried\":" + gateway.postsRetried()
        + ",\"posts_delayed\":" + gateway.postsDelayed() + ",\"rate_limited\":" + gateway.rateLimited() + "}";
  }
}
