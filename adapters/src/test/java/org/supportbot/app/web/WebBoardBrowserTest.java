package org.supportbot.app.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.supportbot.app.console.ConsoleWorkspace;
import org.supportbot.app.console.DemoDesk;
import org.supportbot.config.load.PolicyCatalog;
import org.supportbot.core.incident.IncidentNumber;
import org.supportbot.core.incident.IncidentSnapshot;

/**
 * The web board in a real headless Chromium, against the demo's desk (a real SQLite file, the sample
 * cases, the web server on loopback): sign-in with a link taken from a chat message, the board and
 * its live updates when a case is claimed in chat, a case page and its export, the reports, the
 * screenshots (in target/screenshots, or docs/images with -Dsupportbot.screenshots=docs), the cross-tenant matrix, and the refusals.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebBoardBrowserTest {
  /**
   * Tuesday 1 December 2026, 13:00 in New York: the sample's older cases span the two weeks before
   * (Thanksgiving among them), its recent ones the last three days.
   */
  private static final Instant BEGIN = Instant.parse("2026-12-01T18:00:00Z");
  /** A row of the reports' satisfaction table: its organization. */
  private static final Pattern SATISFACTION_ROW = Pattern.compile("<tr><th>\\d{4}-\\d{2}</th><td>([^<]+)</td>");
  private static final Pattern LINK = Pattern.compile("(http://\\S+/signin\\?token=[0-9a-f]{64})");
  private static final Map<String, String> CONTACTS = Map.of("acme", "ana@acme", "globex", "gina@globex",
      "initech", "ian@initech", "umbrella", "uma@umbrella", "hooli", "hal@hooli");
  private static final Map<String, String> CHANNELS = Map.of("acme", "acme-support", "globex", "globex-support",
      "initech", "initech-support", "umbrella", "umbrella-support", "hooli", "hooli-support");

  private static Path data;
  private static DemoDesk demo;
  private static StringWriter chat;
  private static ConsoleWorkspace workspace;
  private static String base;
  private ChromeDriver driver;
  private Path downloads;

  @BeforeAll
  static void openDemo() throws Exception {
    String missing = Browser.missing();
    if (missing != null) {
      fail(missing);
    }
    data = Files.createTempDirectory("web-board-test");
    demo = DemoDesk.open(data, BEGIN, PolicyCatalog.bundled(), OptionalInt.of(0));
    chat = new StringWriter();
    workspace = demo.workspace(new PrintWriter(chat, true), "web-test", ZoneId.of("America/Los_Angeles"));
    base = demo.web().orElseThrow().publicUrl().toString().replaceAll("/$", "");
  }

  @AfterAll
  static void closeDemo() {
    if (demo != null) {
      demo.close();
    }
  }

  @BeforeEach
  void startBrowser() throws IOException {
    Path profile = Files.createTempDirectory(data, "profile");
    downloads = Files.createTempDirectory(data, "downloads");
    driver = Browser.start(profile, downloads, 1280, 900);
  }

  @AfterEach
  void stopBrowser() {
    if (driver != null) {
      driver.quit();
    }
  }

  /** Types lines in the chat workspace as {@code person} in {@code channel}; returns what the desk printed. */
  private static String chat(String person, String channel, String... lines) {
    int from = chat.getBuffer().length();
    workspace.line("/as " + person);
    workspace.line("/channel " + channel);
    for (String l : lines) {
      workspace.line(l);
    }
    return chat.getBuffer().substring(from);
  }

  /** {@code /board} in chat; the link in the desk's reply. */
  private static String linkFromChat(String person, String channel) {
    String said = chat(person, channel, "/board");
    Matcher m = LINK.matcher(said);
    assertThat(m.find()).as("the desk's reply to /board carries a sign-in link:\n" + said).isTrue();
    assertThat(said).contains("only " + person + " sees this");
    return m.group(1);
  }

  /** Waits on a condition; a row replaced by a live update while it was read is read again. */
  private WebDriverWait waiting() {
    WebDriverWait w = new WebDriverWait(driver, Browser.WAIT);
    w.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    return w;
  }

  /**
   * Waits until the page's heading holds {@code text}, read in one script run on the current
   * document: an element found before a navigation is never read after it (ChromeDriver reports
   * such a read as an inspector error, not always as a stale element).
   */
  private void headingShows(String text) {
    WebDriverWait w = waiting();
    w.ignoring(org.openqa.selenium.JavascriptException.class);
    w.until(d -> String.valueOf(((JavascriptExecutor) d).executeScript(
        "var h = document.querySelector('h1'); return h ? h.textContent : '';")).contains(text));
  }

  private void signIn(String link) {
    driver.get(link);
    waiting().until(ExpectedConditions.elementToBeClickable(By.id("signin"))).click();
    waiting().until(ExpectedConditions.titleContains("Board"));
  }

  private WebElement row(String number) {
    return driver.findElement(By.cssSelector("tr[data-case='" + number + "']"));
  }

  /** A GET made by the page itself (with its cookie): status and body. */
  @SuppressWarnings("unchecked")
  private List<Object> fetch(String path) {
    return (List<Object>) ((JavascriptExecutor) driver).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch(arguments[0], {credentials: 'same-origin', cache: 'no-store'})"
            + ".then(r => r.text().then(t => done([r.status, t]))).catch(e => done([0, String(e)]));", path);
  }

  /**
   * Where the screenshots go: {@code target/screenshots} of this module, so that a test run leaves the
   * work tree clean; with {@code -Dsupportbot.screenshots=docs} the README's own, {@code docs/images}.
   */
  private static Path images() {
    if (!"docs".equals(System.getProperty("supportbot.screenshots", ""))) {
      return Path.of("target", "screenshots").toAbsolutePath();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("config").resolve("slack-app-manifest.yaml"))) {
        return dir.resolve("docs").resolve("images");
      }
    }
    throw new IllegalStateException("the repository root is not above " + Path.of("").toAbsolutePath());
  }

  private void screenshot(String name) throws IOException {
    Path dir = images();
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), driver.getScreenshotAs(OutputType.BYTES));
  }

  // ---- the board -----------------------------------------------------------------------------------

  @Test
  @Order(1)
  void aManagerSignsInFromChatAndSeesAClaimInChatReachTheOpenBoard() throws IOException {
    signIn(linkFromChat("max", "triage"));
    assertThat(driver.findElement(By.cssSelector("header .who")).getText()).contains("max").contains("manager");
    // every organization's open cases, breached first
    String board = driver.findElement(By.id("rows")).getText();
    assertThat(board).contains("ACME-").contains("GLOBEX-").contains("INITECH-").contains("UMB-").contains("HOOLI-")
        .contains("Beacon agents stop reporting after upgrade").contains("Checkout API returns 502 for every order");
    List<WebElement> rows = driver.findElements(By.cssSelector("#rows tr[data-case]"));
    List<String> urgencies = rows.stream().map(r -> r.getAttribute("class").split(" ")[0]).toList();
    assertThat(urgencies).isSortedAccordingTo(java.util.Comparator.comparingInt(
        u -> List.of("breached", "at-risk", "on-track", "no-deadline").indexOf(u)));
    assertThat(urgencies).contains("breached", "at-risk", "on-track");
    screenshot("board.png");

    // a new case from chat, then an engineer claims and acknowledges it in chat: the open board follows
    waiting().until(d -> "open".equals(((JavascriptExecutor) d).executeScript("return document.body.dataset.live")));
    chat("gina@globex", "globex-support", "/support", "Beacon", "none", "incident",
        "The collector rejects every agent with BCN-4090 idle timeout after five minutes", "still need help",
        "agents stay connected", "wait five minutes after the agent starts", "BCN-4090: idle timeout", "none", "yes",
        "most dashboards are empty, no workaround", "high", "no");
    String filed = newestGlobexCase();
    waiting().until(d -> !d.findElements(By.cssSelector("tr[data-case='" + filed + "']")).isEmpty());
    assertThat(row(filed).findElement(By.cssSelector(".owner")).getText()).isEqualTo("unassigned");
    String deadlineBefore = row(filed).findElement(By.cssSelector("time.countdown")).getAttribute("data-deadline");
    String countdownBefore = row(filed).findElement(By.cssSelector("time.countdown")).getText();
    assertThat(countdownBefore).startsWith("in ");

    chat("eve", "triage", "/claim " + filed);
    waiting().until(d -> row(filed).findElement(By.cssSelector(".owner")).getText().equals("eve"));
    chat("eve", "globex-support", "/ack " + filed + " Looking at it now.");
    waiting().until(d -> !deadlineBefore.equals(
        row(filed).findElement(By.cssSelector("time.countdown")).getAttribute("data-deadline")));
    waiting().until(d -> !row(filed).findElement(By.cssSelector("time.countdown")).getText().equals(countdownBefore));
  }

  /** The open case of the demo's sample with this title. */
  private static String numbered(String title) {
    return demo.incidents.queue(1000).stream().filter(s -> s.title().equals(title)).findFirst()
        .orElseThrow(() -> new AssertionError("no open sample case \"" + title + "\"")).number().toString();
  }

  private static String newestGlobexCase() {
    String last = null;
    for (int i = 1; i < 100; i++) {
      if (demo.incidents.incident(IncidentNumber.parse("GLOBEX-" + i)).isEmpty()) {
        break;
      }
      last = "GLOBEX-" + i;
    }
    assertThat(last).as("a Globex case was filed").isNotNull();
    return last;
  }

  @Test
  @Order(2)
  void aCasePageShowsTheTranscriptAndClocksAndExports() throws IOException {
    signIn(linkFromChat("max", "triage"));
    String hooli = numbered("Invoices are not synchronised to the ledger");
    driver.findElement(By.linkText(hooli)).click();
    waiting().until(ExpectedConditions.titleContains(hooli));
    String page = driver.findElement(By.tagName("main")).getText();
    assertThat(page).contains("Invoices are not synchronised to the ledger").contains("claimed")
        .contains("traced the sync job").contains("Billed").contains("1h 30m");
    assertThat(driver.findElements(By.cssSelector("svg.timeline rect.seg"))).isNotEmpty();
    assertThat(driver.findElements(By.cssSelector("ol.segments li"))).isNotEmpty();

    driver.findElement(By.id("export-md")).click();
    Path md = downloads.resolve(hooli + ".md");
    new FluentWait<>(md).withTimeout(Browser.WAIT).pollingEvery(Duration.ofMillis(100))
        .until(p -> Files.isRegularFile(p) && size(p) > 0);
    String text = Files.readString(md, StandardCharsets.UTF_8);
    assertThat(text).startsWith("# " + hooli + ": Invoices are not synchronised to the ledger").contains("## Transcript")
        .contains("traced the sync job");

    List<Object> csv = fetch("/cases/" + hooli + "/time.csv");
    assertThat(csv.get(0)).isEqualTo(200L);
    assertThat((String) csv.get(1)).startsWith("case,organization,date,engineer").contains(hooli + ",Hooli");
    List<Object> html = fetch("/cases/" + hooli + "/export.html");
    assertThat((String) html.get(1)).contains("<h1>" + hooli + ": Invoices are not synchronised to the ledger</h1>");

    // the screenshot: a breached case whose running clock counted in and out of support hours
    driver.get(base + "/cases/" + numbered("Optimizer run never finishes for plant 7"));
    assertThat(driver.findElements(By.cssSelector("svg.timeline rect.seg.counted"))).isNotEmpty();
    assertThat(driver.findElements(By.cssSelector("svg.timeline rect.seg.out-of-hours"))).isNotEmpty();
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1400));
    screenshot("case.png");
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  @Test
  @Order(3)
  void theReportsDrawTheirChartsFromTheBundledLibrary() throws IOException {
    signIn(linkFromChat("alice", "triage"));
    driver.findElement(By.linkText("Reports")).click();
    waiting().until(d -> "drawn".equals(((JavascriptExecutor) d).executeScript("return document.body.dataset.charts")));
    assertThat(driver.findElement(By.id("chart-attainment")).getAttribute("data-drawn")).isEqualTo("true");
    assertThat(driver.findElement(By.id("chart-billing")).getAttribute("data-drawn")).isEqualTo("true");
    assertThat(driver.findElement(By.id("chart-satisfaction")).getAttribute("data-drawn")).isEqualTo("true");
    String page = driver.findElement(By.tagName("main")).getText();
    assertThat(page).contains("SLA attainment per week").contains("atollon").contains("Backlog over time");
    // satisfaction per organization, engineer and month: the vendor sees every organization's ratings
    List<WebElement> rated = driver.findElements(By.cssSelector("#satisfaction tbody tr"));
    assertThat(rated).extracting(r -> r.findElements(By.tagName("td")).get(0).getText())
        .containsAll(CONTACTS.keySet());
    assertThat(rated).extracting(r -> r.findElements(By.tagName("td")).get(1).getText()).contains("eve", "sam");
    assertThat(rated).allSatisfy(r -> {
      assertThat(r.findElement(By.tagName("th")).getText()).matches("\\d{4}-\\d{2}");
      assertThat(r.findElements(By.tagName("td")).get(3).getText()).matches("[1-5]\\.\\d");
    });
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1600));
    waiting().until(d -> "drawn".equals(((JavascriptExecutor) d).executeScript("return document.body.dataset.charts")));
    screenshot("reports.png");
  }

  @Test
  @Order(4)
  void anEngineerSeesEveryOpenCaseTheirOwnFirst() {
    String refused = chat("stranger@acme", "acme-support", "/board");
    assertThat(refused).contains("The web board is for the vendor's engineers and for named contacts");
    assertThat(LINK.matcher(refused).find()).isFalse();

    signIn(linkFromChat("sam", "triage"));
    List<WebElement> rows = driver.findElements(By.cssSelector("#rows tr[data-case]"));
    assertThat(rows).isNotEmpty();
    assertThat(rows.getFirst().getAttribute("class")).contains("own");
    assertThat(rows.getFirst().findElement(By.cssSelector(".owner")).getText()).isEqualTo("sam");
    assertThat(driver.findElement(By.id("rows")).getText()).contains("ACME-").contains("UMB-");
    // a case an engineer filed on a contact's behalf shows that its details are still pending
    WebElement onBehalf = driver.findElements(By.cssSelector("#rows tr[data-case]")).stream()
        .filter(r -> r.getText().contains("Excel export drops the last column")).findFirst().orElseThrow();
    assertThat(onBehalf.findElement(By.cssSelector("td[data-label='State']")).getText())
        .isEqualTo("new · details pending");
    assertThat(onBehalf.getText()).contains("(provisional)");
  }

  // ---- the cross-tenant matrix ---------------------------------------------------------------------

  @Test
  @Order(5)
  void aContactSeesOnlyTheirOrganizationOnEveryPageApiExportAndStream() {
    Map<String, List<IncidentSnapshot>> byOrg = new java.util.TreeMap<>();
    for (String org : CONTACTS.keySet()) {
      byOrg.put(org, demo.incidents.openFor(org));
      assertThat(byOrg.get(org)).as("sample cases of " + org).isNotEmpty();
    }
    for (String org : CONTACTS.keySet()) {
      driver.manage().deleteAllCookies();
      signIn(linkFromChat(CONTACTS.get(org), CHANNELS.get(org)));
      List<String> pages = new ArrayList<>(List.of("/board", "/board/rows", "/reports", "/api/cases"));
      byOrg.get(org).forEach(s -> pages.add("/cases/" + s.number()));
      for (String own : byOrg.get(org).stream().map(s -> "/cases/" + s.number()).toList()) {
        assertThat(fetch(own).get(0)).as(org + " sees its own " + own).isEqualTo(200L);
      }
      for (Map.Entry<String, List<IncidentSnapshot>> other : byOrg.entrySet()) {
        if (other.getKey().equals(org)) {
          continue;
        }
        for (IncidentSnapshot s : other.getValue()) {
          String n = s.number().toString();
          for (String path : List.of("/cases/" + n, "/cases/" + n + "/export.md", "/cases/" + n + "/export.html",
              "/cases/" + n + "/time.csv", "/api/cases/" + n)) {
            List<Object> r = fetch(path);
            assertThat(r.get(0)).as(org + "'s contact asks for " + path).isEqualTo(404L);
            assertThat((String) r.get(1)).as(path).doesNotContain(s.title());
          }
        }
        for (String path : pages) {
          String body = (String) fetch(path).get(1);
          if (path.equals("/reports")) { // the satisfaction table: the contact's own organization only
            Matcher rated = SATISFACTION_ROW.matcher(body);
            int rows = 0;
            while (rated.find()) {
              rows++;
              assertThat(rated.group(1)).as(org + "'s satisfaction report").isEqualTo(org);
            }
            assertThat(rows).as(org + "'s own ratings").isPositive();
          }
          for (IncidentSnapshot s : other.getValue()) {
            assertThat(body).as(org + "'s " + path + " shows nothing of " + other.getKey()).doesNotContain(s.title())
                .doesNotContain(s.number() + "<").doesNotContain("\"" + s.number() + "\"");
          }
        }
      }
    }

    // the live stream: a change to Acme's case does not reach Globex's contact; Globex's own does
    driver.manage().deleteAllCookies();
    signIn(linkFromChat("gina@globex", "globex-support"));
    ((JavascriptExecutor) driver).executeScript("window.seen = []; const es = new EventSource('/events');"
        + "es.addEventListener('change', e => window.seen.push(e.data));"
        + "es.addEventListener('open', () => document.body.dataset.probe = 'open');");
    waiting().until(d -> "open".equals(((JavascriptExecutor) d).executeScript("return document.body.dataset.probe")));
    String acme = numbered("Beacon agents stop reporting after upgrade");
    String globex = numbered("Checkout API returns 502 for every order");
    chat("eve", "triage", "/update " + acme + " The collector config is being rolled back.");
    chat("eve", "triage", "/update " + globex + " The payment gateway is back.");
    waiting().until(d -> String.valueOf(((JavascriptExecutor) d).executeScript("return window.seen.join(',')"))
        .contains(globex));
    assertThat(String.valueOf(((JavascriptExecutor) driver).executeScript("return window.seen.join(',')")))
        .doesNotContain("ACME");
  }

  // ---- refusals ------------------------------------------------------------------------------------

  @Test
  @Order(6)
  void brokenExpiredAndUsedLinksAndForgedCookiesAreRefusedClearly() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    driver.get(base + "/signin?token=not-a-token");
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("This sign-in link is not valid");
    assertThat(status(http, base + "/signin?token=not-a-token")).isEqualTo(400);

    String used = linkFromChat("max", "triage");
    signIn(used);
    driver.get(used);
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("This sign-in link was already used");
    assertThat(status(http, used)).isEqualTo(410);

    String expired = linkFromChat("max", "triage");
    demo.clock.advance(SignIns.LINK_LIFETIME.plusMinutes(1));
    driver.get(expired);
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("This sign-in link has expired");
    assertThat(status(http, expired)).isEqualTo(410);

    driver.manage().deleteAllCookies();
    driver.get(base + "/signin?token=x");
    driver.manage().addCookie(new Cookie(WebServer.COOKIE, "0".repeat(64), "/"));
    driver.get(base + "/board");
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Your session is not valid");
    assertThat(driver.findElement(By.cssSelector(".refusal")).getAttribute("data-status")).isEqualTo("401");
    assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/cases"))
        .header("Cookie", WebServer.COOKIE + "=" + "0".repeat(64)).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).isEqualTo(401);
  }

  @Test
  @Order(7)
  void aCrossSiteFormIsRefusedAndTheSessionSurvivesIt() throws Exception {
    signIn(linkFromChat("max", "triage"));
    HttpServer evil = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    String target = base + "/signout";
    evil.createContext("/", x -> {
      byte[] page = ("<!doctype html><form method=post action='" + target + "'><input name=csrf value=guess></form>"
          + "<script>document.forms[0].submit()</script>").getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().set("Content-Type", "text/html");
      x.sendResponseHeaders(200, page.length);
      x.getResponseBody().write(page);
      x.close();
    });
    evil.start();
    try {
      driver.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
      headingShows("Cross-site request refused");
      assertThat(driver.findElement(By.cssSelector(".refusal")).getAttribute("data-status")).isEqualTo("403");
    } finally {
      evil.stop(0);
    }
    driver.get(base + "/board");
    assertThat(driver.getTitle()).contains("Board");

    // the board's own sign-out button works, and the session is gone afterwards
    driver.findElement(By.cssSelector("header form button")).click();
    headingShows("You are signed out");
    driver.get(base + "/board");
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Please sign in");
  }

  @Test
  @Order(8)
  void aSessionEndsAfterItsIdleTime() {
    signIn(linkFromChat("max", "triage"));
    // the board's live stream is open (its request came in before the clock moved)
    waiting().until(d -> "open".equals(((JavascriptExecutor) d).executeScript("return document.body.dataset.live")));
    demo.clock.advance(org.supportbot.config.settings.BotSettings.Web.IDLE.plusMinutes(1));
    driver.get(base + "/board");
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Your session is not valid");
  }

  @Test
  @Order(9)
  void theBoardFitsAPhone() throws IOException {
    driver.quit();
    driver = Browser.start(Files.createTempDirectory(data, "phone"), downloads, 390, 844);
    signIn(linkFromChat("max", "triage"));
    Object overflow = ((JavascriptExecutor) driver).executeScript(
        "return document.documentElement.scrollWidth > window.innerWidth + 1");
    assertThat(overflow).as("the board scrolls sideways on a phone").isEqualTo(false);
    screenshot("board-phone.png");
  }

  private static int status(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

}
