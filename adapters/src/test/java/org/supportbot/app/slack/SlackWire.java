package org.supportbot.app.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.supportbot.core.testing.Await;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CopyOnWriteArrayList;
import org.supportbot.app.platform.DeskLink;
import org.supportbot.app.platform.OutboundRouter;
import org.supportbot.app.platform.PlatformMetrics;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.core.chat.DeskSettings;
import org.supportbot.core.chat.SupportDesk;
import org.supportbot.core.conversation.Inbound;
import org.supportbot.core.conversation.KnowledgeSuggestions;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.directory.Contact;
import org.supportbot.core.directory.Directory;
import org.supportbot.core.directory.Engineer;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.ChatPlace;
import org.supportbot.core.incident.TimerPlan;
import org.supportbot.core.outbox.Backoff;
import org.supportbot.core.outbox.Outbox;
import org.supportbot.core.store.JdbcConversationStore;
import org.supportbot.core.store.sqlite.SqliteDatabase;
import org.supportbot.core.store.JdbcDirectoryStore;
import org.supportbot.core.store.sqlite.SqliteIncidentStore;
import org.supportbot.core.store.sqlite.SqliteOutboxStore;
import org.supportbot.core.store.sqlite.SqliteTimerStore;
import org.supportbot.core.testing.DeskFixture;
import org.supportbot.core.testing.MutableClock;

/**
 * The Slack adapter wired as in production, against {@link RecordingSlackApi} on loopback: a real
 * desk on a SQLite file, Acme (Atheer policy) bound to channel C0ACME of the vendor's workspace,
 * a named contact at the vendor's team (Ana) and one from the customer's own organization in the
 * Slack Connect channel (Carl, team T0CUSTOMER), an engineer (Eve), and signed HTTP requests.
 */
final class SlackWire implements AutoCloseable {
  static final String TOKEN = "xoxb-test-0000-token";
  static final String SECRET = "test-signing-secret-0123456789abcdef";
  static final String TEAM = RecordingSlackApi.TEAM;
  static final String CUSTOMER_TEAM = "T0CUSTOMER";
  static final String ACME = "C0ACME";
  /** The settings' file_on_reaction emoji. */
  static final String REACTION = "ticket";
  static final String TRIAGE = "C0TRIAGE";
  static final String ESCALATIONS = "C0ESC";
  static final String ON_CALL = "S0ONCALL";
  static final Identity ANA = new Identity("slack", TEAM, "U0ANA");
  static final Identity CARL = new Identity("slack", CUSTOMER_TEAM, "U0CARL");
  static final Identity EVE = new Identity("slack", TEAM, "U0EVE");
  static final Identity MAX = new Identity("slack", TEAM, "U0MAX");
  /** Monday 23 November 2026, 09:00 in Los Angeles: Atheer's business hours. */
  static final Instant START = Instant.parse("2026-11-23T17:00:00Z");

  final MutableClock clock = new MutableClock(START);
  /** The local Web API; null when it runs in another process. */
  final RecordingSlackApi api;
  private final boolean ownsApi;
  final SqliteDatabase db;
  final SlackMessageStore messages;
  final SlackAdapter adapter;
  final SlackHttpEndpoint endpoint;
  final SlackRunner.Running running;
  final SlackRunner.SocketRunning socket;
  /** The desk behind the adapter. */
  /** Holds the desk at its first lookup of an inbound, to keep it in flight (see SlackShutdownTest). */
  final org.supportbot.core.testing.HeldDirectoryStore held;
  final SupportDesk desk;
  /** Every inbound the adapter handed to the desk, in order (HTTP mode), as the person it resolved them to. */
  final List<Inbound> handled = new CopyOnWriteArrayList<>();
  private final PlatformMetrics recorder = new PlatformMetrics() {
    @Override
    public void handled(String platform, Inbound in, boolean ok, Duration took) {
      handled.add(in);
    }

    @Override
    public void rateLimited(String platform) {}

    @Override
    public void bucketEmptied(String platform) {}
  };
  final SlackRequestVerifier signer = new SlackRequestVerifier(SECRET, clock);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Await.HUNG).build();
  private static final ObjectMapper json = new ObjectMapper();

  static final String APP_TOKEN = "xapp-test-socket-token";

  /** HTTP mode. */
  SlackWire(Path dir, SlackChatGateway.UpdateLimits limits) throws Exception {
    this(dir, limits, null, KnowledgeSuggestions.NONE);
  }

  SlackWire(Path dir, SlackChatGateway.UpdateLimits limits, String socketUrl) throws Exception {
    this(dir, limits, socketUrl, KnowledgeSuggestions.NONE);
  }

  /**
   * Socket Mode when {@code socketUrl} is given (apps.connections.open answers with it); the desk
   * suggests from {@code knowledge}.
   */
  SlackWire(Path dir, SlackChatGateway.UpdateLimits limits, String socketUrl, KnowledgeSuggestions knowledge)
      throws Exception {
    this(dir, limits, socketUrl, knowledge, new RecordingSlackApi(TOKEN), null, true);
  }

  /**
   * HTTP mode on {@code dir}'s database against a Web API that outlives this wire (a restart keeps its
   * recorded calls and scripted history); closing the wire leaves it open.
   */
  SlackWire(Path dir, SlackChatGateway.UpdateLimits limits, RecordingSlackApi shared) throws Exception {
    this(dir, limits, null, KnowledgeSuggestions.NONE, shared, null, false);
  }

  /** HTTP mode against a Web API served by another process, at {@code apiPrefix} (for {@link SlackCrashWorker}). */
  SlackWire(Path dir, String apiPrefix) throws Exception {
    this(dir, new SlackChatGateway.UpdateLimits(Duration.ZERO, 50), null, KnowledgeSuggestions.NONE, null, apiPrefix,
        false);
  }

  private SlackWire(Path dir, SlackChatGateway.UpdateLimits limits, String socketUrl, KnowledgeSuggestions knowledge,
      RecordingSlackApi api, String apiPrefix, boolean ownsApi) throws Exception {
    PolicyCatalog catalog = DeskFixture.catalog();
    this.api = api;
    this.ownsApi = ownsApi;
    if (api != null) {
      for (Identity person : List.of(ANA, CARL, EVE, MAX)) {
        api.knowUser(person.userId(), person.workspace());
      }
    }
    db = SqliteDatabase.open(dir.resolve("desk.db"), SqliteDatabase.Durability.NORMAL);
    held = org.supportbot.core.testing.HeldDirectoryStore.wrap(JdbcDirectoryStore.owned(db));
    Directory directory = new Directory(held.store(), catalog::get);
    directory.register(Organization.of("acme", "ACME", "Acme Corp", "atheer").withPurchasedContacts(1));
    directory.store().bindChannel("slack", TEAM, ACME, "acme");
    directory.addContact(new Contact("acme", ANA, "ana"));
    directory.addContact(new Contact("acme", CARL, "carl"));
    directory.store().saveEngineer(new Engineer(EVE, "eve", Engineer.Role.ENGINEER));
    directory.store().saveEngineer(new Engineer(MAX, "max", Engineer.Role.MANAGER));
    SupportDesk.EventFeed feed = new SupportDesk.EventFeed();
    IncidentDesk incidents = new IncidentDesk(new SqliteIncidentStore(db), new SqliteTimerStore(db), directory,
        catalog::get, new TimerPlan(List.of(50, 75, 90)), clock, feed);
    DeskSettings settings = new DeskSettings(place(TRIAGE), List.of(MAX),
        Map.of("acme", new DeskSettings.OrgRouting(place(ESCALATIONS), ON_CALL, "on-call", Optional.of(MAX))),
        Duration.ofHours(24), LocalTime.of(8, 0), ZoneId.of("America/Los_Angeles"));
    desk = new SupportDesk(incidents, feed,
        new Outbox(new SqliteOutboxStore(db), clock, Backoff.DEFAULT), directory, catalog::get, knowledge,
        new JdbcConversationStore(db), settings, clock);
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(api != null ? api.prefix() : apiPrefix);
    // a call the fake hangs stays under way until the test lets it go, however busy the machine
    config.setHttpClientReadTimeoutMillis(120_000);
    config.setHttpClientCallTimeoutMillis(120_000);
    Slack slack = Slack.getInstance(config);
    // ticks are driven by the tests, never by wall time
    SlackSettings slackSettings = new SlackSettings(TOKEN, SECRET, Optional.of(APP_TOKEN), Duration.ofHours(1), limits,
        Optional.of(REACTION));
    if (socketUrl == null) {
      running = SlackRunner.startHttp(slackSettings, slack, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
          "/slack/events", desk, directory.store(), catalog::get, db, clock,
          new DeskLink(recorder, new OutboundRouter(), true));
      socket = null;
      adapter = running.adapter();
      endpoint = running.endpoint();
    } else {
      api.openSocketsAt(APP_TOKEN, socketUrl);
      running = null;
      endpoint = null;
      socket = SlackRunner.startSocketMode(slackSettings, slack, desk, directory.store(), catalog::get, db, clock);
      adapter = socket.adapter();
    }
    messages = new JdbcSlackMessageStore(db);
  }

  static ChatPlace place(String channel) {
    return new ChatPlace("slack", TEAM, channel, "");
  }

  // ---- requests as Slack sends them -----------------------------------------------------------

  /** A signed POST, its timestamp {@code skew} away from the test clock. */
  HttpResponse<String> post(String contentType, String body, Duration skew, boolean validSignature,
      Map<String, String> extra) throws IOException, InterruptedException {
    String ts = Long.toString(clock.instant().plus(skew).getEpochSecond());
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String signature = validSignature ? signer.signatureFor(ts, bytes)
        : new SlackRequestVerifier("not-the-secret", clock).signatureFor(ts, bytes);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.address().getPort()
            + "/slack/events"))
        .timeout(Await.HUNG)
        .header("Content-Type", contentType)
        .header("X-Slack-Request-Timestamp", ts)
        .header("X-Slack-Signature", signature)
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    extra.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String contentType, String body) throws IOException, InterruptedException {
    return post(contentType, body, Duration.ZERO, true, Map.of());
  }

  static final String FORM = "application/x-www-form-urlencoded";
  static final String JSON = "application/json";

  /** A slash command, form-encoded as Slack posts it. */
  static String slashCommand(Identity user, String channel, String command, String text, String trigger) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("token", "legacy-verification-token");
    f.put("team_id", user.workspace());
    f.put("team_domain", "vendor");
    f.put("channel_id", channel);
    f.put("channel_name", "acme-support");
    f.put("user_id", user.userId());
    f.put("user_name", user.userId().toLowerCase());
    f.put("command", command);
    f.put("text", text);
    f.put("api_app_id", "A0APP");
    f.put("is_enterprise_install", "false");
    f.put("response_url", "http://127.0.0.1:9/commands/" + trigger);
    f.put("trigger_id", trigger);
    return form(f);
  }

  static String form(Map<String, String> fields) {
    StringJoiner j = new StringJoiner("&");
    fields.forEach((k, v) -> j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return j.toString();
  }

  /** An interactivity payload ({@code payload=<json>}), as Slack posts block actions, views and shortcuts. */
  static String interactive(ObjectNode payload) {
    return "payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8);
  }

  static ObjectNode user(ObjectNode parent, Identity who) {
    return parent.putObject("user").put("id", who.userId()).put("username", who.userId().toLowerCase())
        .put("name", who.userId().toLowerCase()).put("team_id", who.workspace());
  }

  /** A view_submission of the intake modal with these answers. */
  static ObjectNode viewSubmission(Identity who, String viewId, String privateMetadata, Map<String, String> typed,
      Map<String, String> selected) {
    ObjectNode p = json.createObjectNode().put("type", "view_submission");
    p.putObject("team").put("id", TEAM).put("domain", "vendor");
    user(p, who);
    p.put("api_app_id", "A0APP").put("token", "legacy-verification-token").put("trigger_id", "7000.1.view" + viewId);
    ObjectNode view = p.putObject("view").put("id", viewId).put("team_id", TEAM).put("type", "modal")
        .put("callback_id", SlackIntakeModal.CALLBACK).put("private_metadata", privateMetadata)
        .put("hash", "1764000000.abc").put("app_id", "A0APP").put("bot_id", "B0BOT");
    view.putObject("title").put("type", "plain_text").put("text", "Support request");
    view.putArray("blocks");
    ObjectNode values = view.putObject("state").putObject("values");
    typed.forEach((id, v) -> values.putObject(id).putObject(id).put("type", "plain_text_input").put("value", v));
    selected.forEach((id, v) -> {
      ObjectNode s = values.putObject(id).putObject(id).put("type", "static_select");
      s.putObject("selected_option").put("value", v).putObject("text").put("type", "plain_text").put("text", v);
    });
    p.putArray("response_urls");
    return p;
  }

  /** A block_actions payload: {@code who} clicked {@code actionId} on message {@code messageTs}. */
  ObjectNode blockAction(Identity who, String channel, String messageTs, String threadTs, boolean ephemeral,
      String actionId, String value, String trigger) {
    ObjectNode p = json.createObjectNode().put("type", "block_actions");
    user(p, who);
    p.put("api_app_id", "A0APP").put("token", "legacy-verification-token").put("trigger_id", trigger);
    ObjectNode container = p.putObject("container").put("type", "message").put("message_ts", messageTs)
        .put("channel_id", channel).put("is_ephemeral", ephemeral);
    if (threadTs != null) {
      container.put("thread_ts", threadTs);
    }
    p.putObject("team").put("id", TEAM).put("domain", "vendor");
    p.putObject("channel").put("id", channel).put("name", "acme-support");
    p.put("response_url", "http://127.0.0.1:9/actions/" + trigger);
    ObjectNode a = p.putArray("actions").addObject().put("action_id", actionId).put("block_id", "b1")
        .put("value", value).put("type", "button").put("action_ts", "1764000100.000001");
    a.putObject("text").put("type", "plain_text").put("text", "Claim");
    return p;
  }

  /** A message_action ("File as incident") on a message. */
  ObjectNode messageShortcut(Identity who, String channel, Identity author, String messageTs, String text,
      String trigger) {
    ObjectNode p = json.createObjectNode().put("type", "message_action").put("token", "legacy-verification-token")
        .put("action_ts", "1764000200.000001").put("callback_id", SlackAdapter.FILE_AS_INCIDENT)
        .put("trigger_id", trigger).put("message_ts", messageTs)
        .put("response_url", "http://127.0.0.1:9/shortcut/" + trigger);
    p.putObject("team").put("id", TEAM).put("domain", "vendor");
    user(p, who);
    p.putObject("channel").put("id", channel).put("name", "acme-support");
    p.putObject("message").put("type", "message").put("user", author.userId()).put("user_team", author.workspace())
        .put("team", author.workspace()).put("ts", messageTs).put("text", text);
    return p;
  }

  /** A reaction_added event: {@code who} reacted with {@code emoji} on {@code author}'s message {@code ts}. */
  String reactionEvent(String eventId, Identity who, String emoji, Identity author, String channel, String ts) {
    ObjectNode p = json.createObjectNode().put("token", "legacy-verification-token").put("team_id", TEAM)
        .put("api_app_id", "A0APP").put("type", "event_callback").put("event_id", eventId)
        .put("event_time", clock.instant().getEpochSecond());
    ObjectNode e = p.putObject("event").put("type", "reaction_added").put("user", who.userId()).put("reaction", emoji)
        .put("item_user", author.userId()).put("event_ts", "1764000900.000100");
    e.putObject("item").put("type", "message").put("channel", channel).put("ts", ts);
    p.putArray("authorizations").addObject().putNull("enterprise_id").put("team_id", TEAM)
        .put("user_id", RecordingSlackApi.BOT_USER).put("is_bot", true).put("is_enterprise_install", false);
    return p.toString();
  }

  /**
   * An Events API message event in the Slack Connect channel: the author is from {@code author}'s
   * team, the app's authorization is the vendor's.
   */
  String messageEvent(String eventId, Identity author, String channel, String ts, String threadTs, String text) {
    return messageEvent(clock.instant(), eventId, author, channel, ts, threadTs, text);
  }

  /** {@link #messageEvent(String, Identity, String, String, String, String)} sent at {@code at}. */
  static String messageEvent(Instant at, String eventId, Identity author, String channel, String ts, String threadTs,
      String text) {
    ObjectNode p = json.createObjectNode().put("token", "legacy-verification-token").put("team_id", author.workspace())
        .put("context_team_id", TEAM).put("api_app_id", "A0APP").put("type", "event_callback")
        .put("event_id", eventId).put("event_time", at.getEpochSecond())
        .put("is_ext_shared_channel", true).put("event_context", "4-eyJldCI6Im1lc3NhZ2UifQ");
    ObjectNode e = p.putObject("event").put("type", "message").put("channel", channel).put("user", author.userId())
        .put("text", text).put("ts", ts).put("team", author.workspace()).put("user_team", author.workspace())
        .put("source_team", author.workspace()).put("channel_type", "channel").put("event_ts", ts);
    if (threadTs != null) {
      e.put("thread_ts", threadTs);
    }
    p.putArray("authorizations").addObject().putNull("enterprise_id").put("team_id", TEAM)
        .put("user_id", RecordingSlackApi.BOT_USER).put("is_bot", true).put("is_enterprise_install", false);
    return p.toString();
  }

  /** Private metadata of an intake modal opened in the Acme channel, as SlackIntakeModal writes it. */
  static final String ACME_INTAKE_METADATA = "{\"workspace\":\"" + TEAM + "\",\"channel\":\"" + ACME
      + "\",\"message\":\"\"}";

  /**
   * Files case ACME-1 as Ana through /support and the intake modal (Atheer's answers, severity P1);
   * returns the ts of its thread's root.
   */
  String fileAcmeCase() throws Exception {
    post(FORM, slashCommand(ANA, ACME, "/support", "", "1001.2002.file-acme"));
    settle();
    String metadata = json.readTree(api.calls("views.open").getLast().param("view")).path("private_metadata").asText();
    post(FORM, interactive(viewSubmission(ANA, "V0FILEACME", metadata, typedAnswers(), selectedAnswers())));
    settle();
    return messages.find(TEAM, "thread:ACME-1").orElseThrow().ts();
  }

  /** Atheer's typed answers in the intake modal; logs and existing_incident are optional, left empty. */
  static Map<String, String> typedAnswers() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("product", "Beacon");
    m.put("version", "3.2.1");
    m.put("description", "The Beacon agent fails to start with BCN-4012: connection refused on every server");
    m.put("expected_result", "the agent starts");
    m.put("steps_to_reproduce", "systemctl start beacon-agent");
    m.put("error_messages", "BCN-4012: connection refused");
    m.put("users_affected", "all");
    m.put("business_impact", "nothing is monitored, no workaround");
    return m;
  }

  /** Atheer's selected answers in the intake modal: an incident, reproducible, severity P1. */
  static Map<String, String> selectedAnswers() {
    return Map.of("category", "incident", "reproducible", "yes", "severity", "P1");
  }

  void settle() throws Exception {
    adapter.awaitIdle(Await.HUNG);
  }

  @Override
  public void close() {
    if (running != null) {
      running.close();
    }
    if (socket != null) {
      socket.close();
    }
    if (ownsApi) {
      api.close();
    }
    db.close();
  }
}
