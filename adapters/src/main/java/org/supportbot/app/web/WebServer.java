package org.supportbot.app.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.supportbot.config.policy.SupportPolicy;
import org.supportbot.core.chat.BoardLinks;
import org.supportbot.core.chatstate.ConversationStore;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.directory.DirectoryStore;
import org.supportbot.core.directory.Engineer;
import org.supportbot.core.directory.Identity;
import org.supportbot.core.directory.Organization;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentSnapshot;
import org.supportbot.kb.DeflectionReport;

/**
 * The web board on the JDK's HTTP server. Pages are rendered by precompiled jte templates (HTML
 * escaped by default); static files (the style sheet, the page script, Chart.js from its WebJar)
 * come from the jar. Every page but sign-in needs a session; a case another person may not see is
 * 404, whether it exists or not. POSTs must come from this site (their {@code Origin}) and carry
 * the session's form token.
 */
public final class WebServer implements BoardLinks, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
  static final String COOKIE = "sb_session";
  private static final String HTML = "text/html; charset=utf-8";
  private static final String CHART_JS = "/META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How often an open live stream sends a comment, so proxies keep it open. */
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final IncidentDesk incidents;
  private final DirectoryStore directory;
  private final Clock clock;
  private final URI publicUrl;
  private final boolean secure;
  private final SignIns signIns;
  private final Board board;
  private final Reports reports;
  private final Live live;
  private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

  /**
   * What the web board needs from the desk; {@code ratings} gives the satisfaction ratings given in
   * {@code [from, to)} ({@code ConversationStore::ratings}).
   */
  public record Parts(IncidentDesk incidents, DirectoryStore directory, Function<String, Optional<SupportPolicy>> policies,
      Supplier<Optional<DeflectionReport>> deflection, Clock clock,
      java.util.function.BiFunction<java.time.Instant, java.time.Instant, List<ConversationStore.Rating>> ratings) {
    /** A board without satisfaction ratings (none were given). */
    public Parts(IncidentDesk incidents, DirectoryStore directory, Function<String, Optional<SupportPolicy>> policies,
        Supplier<Optional<DeflectionReport>> deflection, Clock clock) {
      this(incidents, directory, policies, deflection, clock, (from, to) -> List.of());
    }

    public Parts {
      Objects.requireNonNull(ratings, "ratings");
      Objects.requireNonNull(incidents, "incidents");
      Objects.requireNonNull(directory, "directory");
      Objects.requireNonNull(policies, "policies");
      Objects.requireNonNull(deflection, "deflection");
      Objects.requireNonNull(clock, "clock");
    }
  }

  /**
   * Binds {@code bind} (port 0 picks a free one) and starts serving; links start with {@code publicUrl},
   * or with the bound address when it is empty.
   */
  public static WebServer start(InetSocketAddress bind, Optional<URI> publicUrl, Duration idle, Parts parts)
      throws IOException {
    HttpServer http = HttpServer.create(bind, 64);
    URI url = publicUrl.orElseGet(() -> URI.create("http://" + hostPort(http.getAddress()) + "/"));
    WebServer s = new WebServer(http, url, idle, parts);
    http.start();
    return s;
  }

  private WebServer(HttpServer server, URI publicUrl, Duration idle, Parts parts) {
    this.server = server;
    this.publicUrl = publicUrl.toString().endsWith("/") ? publicUrl : URI.create(publicUrl + "/");
    this.secure = "https".equalsIgnoreCase(publicUrl.getScheme());
    this.incidents = parts.incidents();
    this.directory = parts.directory();
    this.clock = parts.clock();
    this.signIns = new SignIns(clock, idle);
    this.board = new Board(incidents, directory, parts.policies());
    this.reports = new Reports(incidents, parts.deflection(), parts.ratings());
    this.live = new Live(incidents);
    server.setExecutor(executor);
    server.createContext("/", this::serve);
  }

  /** The bound address, with the real port when 0 was asked for. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Where people open the board. */
  public URI publicUrl() {
    return publicUrl;
  }

  /** How many boards hold a live stream open. */
  public int liveBoards() {
    return live.subscribers();
  }

  // ---- sign-in links -------------------------------------------------------------------------------

  /** A one-time sign-in link for {@code viewer}. */
  public URI signInLink(Viewer viewer) {
    return publicUrl.resolve("signin?token=" + signIns.issue(viewer));
  }

  @Override
  public String answer(Identity person, Optional<Engineer> engineer, Optional<Organization> contactOf) {
    Viewer v;
    if (engineer.isPresent()) {
      v = Viewer.vendor(person, engineer.get().name(), engineer.get().role() == Engineer.Role.MANAGER);
    } else if (contactOf.isPresent()) {
      v = Viewer.contact(person, directory.contact(contactOf.get().id(), person).map(c -> c.name())
          .orElse(person.userId()), contactOf.get().id(), contactOf.get().name());
    } else {
      return "The web board is for the vendor's engineers and for named contacts of an organization. Type /board in"
          + " your organization's support channel if you are one of its named contacts.";
    }
    return "Your sign-in link to the web board (" + v.role().label() + "; works once, for "
        + SignIns.LINK_LIFETIME.toMinutes() + " minutes; do not share it): " + signInLink(v);
  }

  /** Deflection as the knowledge base's feedback file records it, when there is a knowledge base. */
  public static Supplier<Optional<DeflectionReport>> deflection(Optional<java.nio.file.Path> kbDir) {
    return () -> kbDir.filter(java.nio.file.Files::isDirectory)
        .map(dir -> org.supportbot.kb.feedback.FeedbackStore.in(dir).report());
  }

  // ---- requests ------------------------------------------------------------------------------------

  /** A request as the handlers see it. */
  private record Request(HttpExchange x, String method, String path, Map<String, String> query) {}

  /** A clear refusal, rendered as a page (or JSON under /api/). */
  private static final class Refusal extends RuntimeException {
    final int status;
    final String title;

    Refusal(int status, String title, String message) {
      super(message, null, false, false);
      this.status = status;
      this.title = title;
    }
  }

  private void serve(HttpExchange x) {
    try (x) {
      Request r = new Request(x, x.getRequestMethod(), x.getRequestURI().getPath(), query(x.getRequestURI()));
      try {
        route(r);
      } catch (Refusal f) {
        refuse(r, f);
      }
    } catch (IOException e) {
      LOG.debug("web: the client went away ({})", e.getClass().getSimpleName());
    } catch (RuntimeException e) {
      LOG.error("web: answering {} failed", x.getRequestURI().getPath(), e);
    }
  }

  private void route(Request r) throws IOException {
    String p = r.path();
    if (p.startsWith("/static/")) {
      staticFile(r);
      return;
    }
    switch (p) {
      case "/" -> redirect(r, "/board");
      case "/signin" -> signIn(r);
      case "/signout" -> signOut(r);
      case "/board" -> boardPage(r);
      case "/board/rows" -> boardRows(r);
      case "/events" -> events(r);
      case "/reports" -> reportsPage(r);
      case "/api/cases" -> apiCases(r);
      default -> {
        if (p.startsWith("/cases/")) {
          casePage(r, p.substring("/cases/".length()));
        } else if (p.startsWith("/api/cases/")) {
          apiCase(r, p.substring("/api/cases/".length()));
        } else {
          throw new Refusal(404, "Not found", "There is no page " + p + " here. The board is at /board.");
        }
      }
    }
  }

  private void signIn(Request r) throws IOException {
    if (r.method().equals("GET")) {
      String token = r.query().get("token");
      Optional<SignIns.LinkProblem> problem = signIns.check(token);
      if (problem.isPresent()) {
        throw linkRefusal(problem.get());
      }
      page(r, 200, "signin.jte", Map.of("token", token));
      return;
    }
    requirePost(r);
    Map<String, String> form = form(r);
    requireSameOrigin(r);
    SignIns.Redeemed done = signIns.redeem(form.get("token"));
    if (done.problem().isPresent()) {
      throw linkRefusal(done.problem().get());
    }
    r.x().getResponseHeaders().add("Set-Cookie", COOKIE + "=" + done.sessionId().orElseThrow()
        + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
    redirect(r, "/board");
  }

  private static Refusal linkRefusal(SignIns.LinkProblem p) {
    return switch (p) {
      case UNKNOWN -> new Refusal(400, "This sign-in link is not valid",
          "The link is broken or was not issued by this desk. Type /board in chat for a new one.");
      case EXPIRED -> new Refusal(410, "This sign-in link has expired",
          "Sign-in links work for " + SignIns.LINK_LIFETIME.toMinutes() + " minutes. Type /board in chat for a new one.");
      case USED -> new Refusal(410, "This sign-in link was already used",
          "Each link signs in once. Type /board in chat for a new one.");
    };
  }

  private void signOut(Request r) throws IOException {
    requirePost(r);
    Map<String, String> form = form(r);
    requireSameOrigin(r);
    SignIns.Session s = session(r);
    requireToken(s, form);
    signIns.signOut(s);
    clearCookie(r);
    page(r, 200, "signedout.jte", Map.of());
  }

  private void boardPage(Request r) throws IOException {
    SignIns.Session s = session(r);
    requireGet(r);
    Board.View v = board.view(s.viewer(), Board.Filter.of(r.query()), clock.instant());
    page(r, 200, "board.jte", Map.of("view", v, "csrf", s.csrf()));
  }

  private void boardRows(Request r) throws IOException {
    SignIns.Session s = session(r);
    requireGet(r);
    Board.View v = board.view(s.viewer(), Board.Filter.of(r.query()), clock.instant());
    page(r, 200, "rows.jte", Map.of("view", v));
  }

  private void casePage(Request r, String rest) throws IOException {
    SignIns.Session s = session(r);
    requireGet(r);
    String number = rest;
    String export = "";
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      number = rest.substring(0, slash);
      export = rest.substring(slash + 1);
    }
    CaseFile f = caseFile(s.viewer(), number);
    switch (export) {
      case "" -> page(r, 200, "case.jte", Map.of("file", f, "viewer", s.viewer(), "csrf", s.csrf()));
      case "export.md" -> download(r, "text/markdown; charset=utf-8", f.row().number() + ".md", f.markdown());
      case "export.html" -> download(r, HTML, f.row().number() + ".html", render("export.jte", Map.of("file", f)));
      case "time.csv" -> download(r, "text/csv; charset=utf-8", f.row().number() + "-time.csv", TimeCsv.of(f));
      default -> throw new Refusal(404, "Not found", "A case offers export.md, export.html and time.csv.");
    }
  }

  /** The case, when {@code viewer} may see it; otherwise the same 404 as for a case that does not exist. */
  private CaseFile caseFile(Viewer viewer, String number) {
    Optional<IncidentSnapshot> s;
    try {
      s = incidents.incident(IncidentNumber.parse(number.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      s = Optional.empty();
    }
    if (s.isEmpty() || !viewer.sees(s.get())) {
      throw new Refusal(404, "No such case", "There is no case " + clip(number) + " for you to see. Check the number"
          + " on the board.");
    }
    IncidentSnapshot snap = s.get();
    Instant now = clock.instant();
    return CaseFile.of(board, board.row(viewer, snap, now), snap, incidents.log(snap.number()),
        incidents.rebuild(snap.number()), now);
  }

  private void reportsPage(Request r) throws IOException {
    SignIns.Session s = session(r);
    requireGet(r);
    page(r, 200, "reports.jte", Map.of("view", reports.view(s.viewer(), clock.instant()), "csrf", s.csrf()));
  }

  private void apiCases(Request r) throws IOException {
    SignIns.Session s = session(r);
    requireGet(r);
    Board.View v = board.view(s.viewer(), Board.Filter.of(r.query()), clock.instant());
    ObjectNode root = JSON.createObjectNode().put("now", v.now().toString());
    ArrayNode cases = root.putArray("cases");
    v.rows().forEach(row -> rowJson(cases.addObject(), row));
    send(r, 200, "application/json", JSON.writeValueAsString(root));
  }

  private void apiCase(Request r, String number) throws IOException {
    SignIns.Session s = session(r);
    requireGet(r);
    CaseFile f = caseFile(s.viewer(), number);
    ObjectNode root = rowJson(JSON.createObjectNode(), f.row());
    root.put("billedMinutes", f.billed().toMinutes());
    f.resolution().ifPresent(x -> root.put("resolution", x));
    ArrayNode log = root.putArray("transcript");
    f.transcript().forEach(l -> log.addObject().put("at", l.at().toString()).put("who", l.who()).put("side", l.side())
        .put("what", l.what()).put("text", l.text()));
    send(r, 200, "application/json", JSON.writeValueAsString(root));
  }

  private static ObjectNode rowJson(ObjectNode o, Board.Row row) {
    o.put("number", row.number()).put("title", row.title()).put("organization", row.organizationId())
        .put("policy", row.policy()).put("severity", row.severityId()).put("state", row.state())
        .put("owner", row.owner()).put("urgency", row.urgency().css());
    row.nextTarget().ifPresent(t -> o.put("nextTarget", t));
    row.deadline().ifPresent(d -> o.put("deadline", d.toString()));
    return o;
  }

  /** Server-sent events: {@code change} with a case number, for each change of a case the viewer may see. */
  private void events(Request r) throws IOException {
    SignIns.Session s = session(r);
    requireGet(r);
    HttpExchange x = r.x();
    x.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.sendResponseHeaders(200, 0);
    Live.Subscriber sub = live.subscribe(s.viewer());
    try (OutputStream out = x.getResponseBody()) {
      out.write(("retry: 2000\n: live updates for " + s.viewer().role().label() + "\n\n")
          .getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (signIns.live(s)) {
        Optional<String> n = sub.next(HEARTBEAT);
        out.write((n.map(c -> "event: change\ndata: " + c + "\n\n").orElse(": still here\n\n"))
            .getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      out.write("event: signedout\ndata: -\n\n".getBytes(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      live.unsubscribe(sub);
    }
  }

  // ---- security ----------------------------------------------------------------------------------

  private SignIns.Session session(Request r) {
    Optional<String> cookie = cookie(r.x(), COOKIE);
    if (cookie.isEmpty()) {
      throw new Refusal(401, "Please sign in", "Type /board in your support chat for a sign-in link.");
    }
    Optional<SignIns.Session> s = signIns.session(cookie.get());
    if (s.isEmpty()) {
      clearCookie(r);
      throw new Refusal(401, "Your session is not valid",
          "It ended (signed out or idle too long) or was never issued by this desk. Type /board in chat for a new"
              + " sign-in link.");
    }
    return s.get();
  }

  /** A POST must come from a page of this site: its {@code Origin} is this site's. */
  private void requireSameOrigin(Request r) {
    String origin = r.x().getRequestHeaders().getFirst("Origin");
    String host = r.x().getRequestHeaders().getFirst("Host");
    String mine = origin(publicUrl);
    boolean same = origin != null && (origin.equalsIgnoreCase(mine)
        || host != null && (origin.equalsIgnoreCase("http://" + host) || origin.equalsIgnoreCase("https://" + host)));
    if (!same) {
      throw new Refusal(403, "Cross-site request refused",
          "This form must be sent from the board's own pages (" + mine + "), not from another site.");
    }
  }

  private static void requireToken(SignIns.Session s, Map<String, String> form) {
    if (!SignIns.same(s.csrf(), form.get("csrf"))) {
      throw new Refusal(403, "Cross-site request refused",
          "The form's token does not match your session. Reload the page and try again.");
    }
  }

  private static void requireGet(Request r) {
    if (!r.method().equals("GET") && !r.method().equals("HEAD")) {
      r.x().getResponseHeaders().set("Allow", "GET");
      throw new Refusal(405, "Method not allowed", "This page only answers GET.");
    }
  }

  private static void requirePost(Request r) {
    if (!r.method().equals("POST")) {
      r.x().getResponseHeaders().set("Allow", r.path().equals("/signin") ? "GET, POST" : "POST");
      throw new Refusal(405, "Method not allowed", "Send this with the page's button.");
    }
  }

  private void clearCookie(Request r) {
    r.x().getResponseHeaders().add("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
        + (secure ? "; Secure" : ""));
  }

  static Optional<String> cookie(HttpExchange x, String name) {
    List<String> headers = x.getRequestHeaders().getOrDefault("Cookie", List.of());
    for (String h : headers) {
      for (String part : h.split(";")) {
        String p = part.strip();
        if (p.startsWith(name + "=")) {
          return Optional.of(p.substring(name.length() + 1));
        }
      }
    }
    return Optional.empty();
  }

  private static String origin(URI u) {
    return u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost().toLowerCase(Locale.ROOT)
        + (u.getPort() < 0 ? "" : ":" + u.getPort());
  }

  // ---- responses -----------------------------------------------------------------------------------

  private void refuse(Request r, Refusal f) throws IOException {
    if (r.path().startsWith("/api/") || r.path().equals("/events") || r.path().equals("/board/rows")) {
      ObjectNode o = JSON.createObjectNode().put("error", f.title).put("fix", f.getMessage());
      send(r, f.status, "application/json", JSON.writeValueAsString(o));
      return;
    }
    page(r, f.status, "refusal.jte", Map.of("title", f.title, "message", f.getMessage(), "status", f.status));
  }

  private String render(String template, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    templates.render(template, params, out);
    return out.toString();
  }

  private void page(Request r, int status, String template, Map<String, Object> params) throws IOException {
    send(r, status, HTML, render(template, params));
  }

  private void download(Request r, String type, String name, String body) throws IOException {
    r.x().getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + name + "\"");
    send(r, 200, type, body);
  }

  private void redirect(Request r, String to) throws IOException {
    r.x().getResponseHeaders().set("Location", to);
    headers(r.x());
    r.x().sendResponseHeaders(303, -1);
  }

  private void send(Request r, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    send(r, status, type, bytes);
  }

  private void send(Request r, int status, String type, byte[] bytes) throws IOException {
    HttpExchange x = r.x();
    x.getResponseHeaders().set("Content-Type", type);
    headers(x);
    if (r.method().equals("HEAD")) {
      x.sendResponseHeaders(status, -1);
      return;
    }
    x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void headers(HttpExchange x) {
    var h = x.getResponseHeaders();
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    // same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on our own forms
    h.set("Referrer-Policy", "same-origin");
    h.set("X-Frame-Options", "DENY");
    h.set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
        + " connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
  }

  private static final Map<String, String> STATIC = Map.of(
      "/static/board.css", "text/css; charset=utf-8",
      "/static/board.js", "text/javascript; charset=utf-8",
      "/static/chart.umd.js", "text/javascript; charset=utf-8");

  private void staticFile(Request r) throws IOException {
    requireGet(r);
    String type = STATIC.get(r.path());
    if (type == null) {
      throw new Refusal(404, "Not found", "No such file.");
    }
    String resource = r.path().equals("/static/chart.umd.js") ? CHART_JS : "/org/supportbot/app/web" + r.path();
    try (InputStream in = WebServer.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + resource + "; rebuild it with ./mvnw package");
      }
      byte[] bytes = in.readAllBytes();
      HttpExchange x = r.x();
      x.getResponseHeaders().set("Content-Type", type);
      headers(x);
      x.getResponseHeaders().set("Cache-Control", "public, max-age=3600");
      x.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  // ---- parsing -------------------------------------------------------------------------------------

  private static Map<String, String> query(URI uri) {
    return pairs(uri.getRawQuery());
  }

  private static Map<String, String> form(Request r) throws IOException {
    byte[] body = r.x().getRequestBody().readNBytes(16 * 1024);
    return pairs(new String(body, StandardCharsets.UTF_8));
  }

  private static Map<String, String> pairs(String raw) {
    Map<String, String> m = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return m;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      try {
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        m.putIfAbsent(k, v);
      } catch (IllegalArgumentException e) {
        throw new Refusal(400, "Bad request", "The address or form is not properly encoded.");
      }
    }
    return m;
  }

  private static String clip(String s) {
    String t = s.length() > 40 ? s.substring(0, 40) + "…" : s;
    return t.replaceAll("[^A-Za-z0-9-]", "?");
  }

  static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  @Override
  public void close() {
    live.close();
    server.stop(0);
    executor.shutdownNow();
  }

  /** For the benchmark: the board for {@code viewer}, rendered as the page is. */
  public String renderBoard(Viewer viewer) {
    Board.View v = board.view(viewer, Board.Filter.ALL, clock.instant());
    return render("board.jte", Map.of("view", v, "csrf", "-"));
  }
}
