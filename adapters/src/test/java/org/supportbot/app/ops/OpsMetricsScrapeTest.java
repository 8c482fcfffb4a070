package org.supportbot.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.net.InetSocketAddress;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.supportbot.core.desk.IncidentDesk;
import org.supportbot.core.time.ManualClock;

/**
 * Every gauge and function counter of {@link OpsMetrics} read through a real scrape of {@link OpsServer}
 * after a garbage collection: the lambdas bound here are held by nothing but the registry, so a meter
 * that holds its source weakly reads NaN (a gauge) or disappears (a counter) once they are collected.
 */
class OpsMetricsScrapeTest {
  private final AtomicLong n = new AtomicLong(3);

  @Test
  void everyGaugeReadsRealNumbersThatChangeAfterACollection() throws Exception {
    OpsMetrics metrics = new OpsMetrics();
    bindAll(metrics); // nothing outside the registry keeps the suppliers made there
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    HealthCheck health = new HealthCheck(at -> new IncidentDesk.TimerCounts(0, 0, 0), new ManualClock(Instant.EPOCH));
    try (OpsServer ops = OpsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics, health)) {
      String first = scrape(ops);
      for (String series : SERIES) {
        assertThat(value(first, series)).as(series).isEqualTo(3.0);
      }
      n.set(7);
      System.gc();
      String second = scrape(ops);
      for (String series : SERIES) {
        assertThat(value(second, series)).as(series).isEqualTo(7.0);
      }
    }
  }

  /** Every series the bind methods register, each reading {@link #n}. */
  private static final String[] SERIES = {"supportbot_outbox_pending", "supportbot_outbox_set_aside",
      "supportbot_timers_pending", "supportbot_timers_late", "supportbot_timers_set_aside",
      "supportbot_platform_errors_total{platform=\"slack\"}", "supportbot_rate_limited_total{platform=\"slack\"}",
      "supportbot_slack_api_calls_total", "supportbot_slack_updates_held", "supportbot_slack_updates_coalesced_total",
      "supportbot_slack_posts_held", "supportbot_slack_posts_retried_total", "supportbot_slack_posts_delayed_total",
      "supportbot_outbound_dropped_total"};

  private void bindAll(OpsMetrics metrics) {
    metrics.bindOutbox(() -> n.get(), () -> n.get());
    metrics.bindTimers(() -> new IncidentDesk.TimerCounts((int) n.get(), (int) n.get(), (int) n.get()));
    metrics.bindPlatform("slack", () -> n.get() > 0, () -> n.get(), () -> n.get());
    metrics.bindSlack(() -> n.get(), () -> n.get(), () -> n.get());
    metrics.bindSlackPosts(() -> n.get(), () -> n.get(), () -> n.get());
    metrics.bindDropped(() -> n.get());
  }

  private static String scrape(OpsServer ops) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + ops.address().getPort() + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("supportbot_platform_connected{platform=\"slack\"} 1.0");
    return r.body();
  }

  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    assertThat(m.find()).as(series + " in the scrape:\n" + scrape).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
