package org.supportbot.app.discord;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.supportbot.app.platform.PlatformMetrics;

/**
 * Counts Discord's rate limiting as JDA's HTTP client sees it: every response 429 (JDA waits for its
 * {@code Retry-After} and tries again, so each attempt is counted) and every response whose
 * {@code X-RateLimit-Remaining} is 0 (JDA then holds that route's next request until the bucket resets).
 * Every other response is reported {@linkplain PlatformMetrics#answered answered} (ok below 400), and a
 * call that got no response as failed, for the health check's watch of refusals. Nothing of the request (token, route ids) is recorded.
 */
final class RateLimitCounter implements Interceptor {
  private final PlatformMetrics metrics;

  RateLimitCounter(PlatformMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** An HTTP client as JDA builds its own (25 requests per host, 5 idle connections for 10 s), counting rate limits. */
  static OkHttpClient.Builder httpClient(PlatformMetrics metrics) {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequestsPerHost(25);
    return new OkHttpClient.Builder().connectionPool(new ConnectionPool(5, 10, TimeUnit.SECONDS)).dispatcher(dispatcher)
        .addInterceptor(new RateLimitCounter(metrics));
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Response response;
    try {
      response = chain.proceed(chain.request());
    } catch (IOException e) {
      metrics.answered(DiscordRenderer.PLATFORM, false);
      throw e;
    }
    if (response.code() == 429) {
      metrics.rateLimited(DiscordRenderer.PLATFORM);
      return response;
    }
    metrics.answered(DiscordRenderer.PLATFORM, response.code() < 400);
    if ("0".equals(response.header("X-RateLimit-Remaining"))) {
      metrics.bucketEmptied(DiscordRenderer.PLATFORM);
    }
    return response;
  }
}
